// A send to a buffered channel with a parked receiver hands the value over directly.
package main

import "fmt"

func main() {
	c := make(chan int, 3)
	done := make(chan bool)
	go func() { done <- true }()
	go func() {
		v := <-c
		fmt.Println("receiver got", v)
		done <- true
	}()
	<-done
	c <- 1
	fmt.Println("after send len", len(c), "cap", cap(c))
	c <- 2
	c <- 3
	fmt.Println("after two more len", len(c))
	<-done
	fmt.Println(<-c, <-c, len(c))
}
