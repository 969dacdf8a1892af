// Cancelling a context closes its Done channel: every waiter wakes (close order).
package main

import (
	"context"
	"fmt"
	"runtime"
	"sync"
)

func main() {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	work := make(chan int)
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for {
				select {
				case <-ctx.Done():
					fmt.Println("worker", i, "stops:", ctx.Err())
					return
				case j := <-work:
					fmt.Println("worker", i, "does job", j)
				}
			}
		}(i)
	}
	for j := 0; j < 4; j++ {
		work <- j
	}
	runtime.Gosched()
	fmt.Println("cancel; err before:", ctx.Err())
	cancel()
	wg.Wait()
	fmt.Println("done")
}
