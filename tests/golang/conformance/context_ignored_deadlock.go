package main

import (
	"context"
	"sync"
)

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	_ = ctx
	work := make(chan int)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range work { // never looks at ctx.Done()
		}
	}()
	cancel()
	wg.Wait()
}
