package main

import "fmt"

func main() {
	c := make(chan int)
	done := make(chan int)
	close(c)
	go func() { <-done }()
	go func() { fmt.Println("g"); c <- 1 }()
	<-done
}
