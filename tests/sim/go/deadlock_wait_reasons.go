package main

import (
	"fmt"
	"sync"
)

func main() {
	var mu sync.Mutex
	var wg sync.WaitGroup
	c := make(chan int)
	var nilc chan int
	mu.Lock()
	wg.Add(1)
	go func() { c <- 1 }()
	go func() { <-nilc }()
	go func() { select {} }()
	go func() { mu.Lock() }()
	go func() { wg.Wait() }()
	cond := sync.NewCond(&sync.Mutex{})
	go func() { cond.L.Lock(); cond.Wait() }()
	go func() { select { case <-c: case <-nilc: } }()
	fmt.Println("main waiting")
	<-make(chan int)
}
