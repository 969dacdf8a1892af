// Cond.Signal wakes the longest waiter; Broadcast wakes all (runnext: the last readied first).
package main

import (
	"fmt"
	"runtime"
	"sync"
)

func main() {
	var mu sync.Mutex
	cond := sync.NewCond(&mu)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			mu.Lock()
			fmt.Println("waiter", i, "waits")
			cond.Wait()
			fmt.Println("waiter", i, "woke")
			mu.Unlock()
		}(i)
	}
	runtime.Gosched()
	fmt.Println("signal")
	cond.Signal()
	runtime.Gosched()
	fmt.Println("broadcast")
	cond.Broadcast()
	wg.Wait()
	fmt.Println("done")
}
