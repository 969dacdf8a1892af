package main

import (
	"fmt"
	"sync"
)

func main() {
	var mu sync.Mutex
	done := make(chan int)
	go func() { <-done }()
	fmt.Println("before")
	mu.Unlock()
}
