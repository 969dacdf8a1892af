package main

import "time"

// A pending timer keeps Go's deadlock detector quiet until it fires; then main is alone.
func main() {
	ch := make(chan int)
	go func() {
		time.Sleep(10 * time.Millisecond)
	}()
	<-ch
}
