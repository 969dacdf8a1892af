// time.After as a timeout in select, both ways round.
package main

import (
	"fmt"
	"time"
)

func main() {
	slow := make(chan string)
	go func() {
		time.Sleep(50 * time.Millisecond)
		slow <- "slow result"
	}()
	select {
	case v := <-slow:
		fmt.Println(v)
	case <-time.After(10 * time.Millisecond):
		fmt.Println("timeout waiting for slow")
	}
	fast := make(chan string)
	go func() {
		time.Sleep(5 * time.Millisecond)
		fast <- "fast result"
	}()
	select {
	case v := <-fast:
		fmt.Println(v)
	case <-time.After(30 * time.Millisecond):
		fmt.Println("timeout waiting for fast")
	}
	fmt.Println("late:", <-slow)
}
