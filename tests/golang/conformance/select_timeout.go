package main

import "time"

func main() {
	ch := make(chan int)
	select {
	case <-ch:
		panic("nobody sends")
	case <-time.After(10 * time.Millisecond):
	}
}
