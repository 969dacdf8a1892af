// A receive from a full buffer with parked senders takes the head and moves the first
// parked sender's value to the tail.
package main

import (
	"fmt"
	"runtime"
)

func main() {
	c := make(chan int, 2)
	c <- 1
	c <- 2
	for _, v := range []int{3, 4, 5} {
		go func(v int) {
			fmt.Println("sender", v, "parks")
			c <- v
			fmt.Println("sender", v, "done")
		}(v)
	}
	runtime.Gosched() // the senders run and park
	for i := 0; i < 5; i++ {
		v := <-c
		fmt.Println("got", v, "len", len(c))
	}
}
