// Closing a channel with a parked sender makes the sender panic when it wakes.
package main

import (
	"fmt"
	"runtime"
)

func main() {
	c := make(chan int)
	go func() {
		fmt.Println("sender parks")
		c <- 1
		fmt.Println("never")
	}()
	runtime.Gosched()
	fmt.Println("closing")
	close(c)
	fmt.Println("closed")
	runtime.Gosched()
	fmt.Println("not reached")
}
