package main

import "sync"

// Two non-blocking operations on an unbuffered channel never meet: neither side parks.
func main() {
	ch := make(chan int)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		select {
		case ch <- 1:
		default:
		}
	}()
	select {
	case <-ch:
	default:
	}
	wg.Wait()
}
