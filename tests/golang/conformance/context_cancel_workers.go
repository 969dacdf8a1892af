package main

import (
	"context"
	"sync"
)

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	child, cancelChild := context.WithCancel(ctx)
	defer cancelChild()
	work := make(chan int)
	var wg sync.WaitGroup
	for _, c := range []context.Context{ctx, child} {
		wg.Add(1)
		go func(c context.Context) {
			defer wg.Done()
			for {
				select {
				case <-c.Done():
					return
				case <-work:
				}
			}
		}(c)
	}
	cancel()
	wg.Wait()
}
