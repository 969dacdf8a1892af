// Blocked Lock calls queue on the mutex's semaphore; each Unlock wakes the next waiter.
package main

import (
	"fmt"
	"runtime"
	"sync"
)

func main() {
	var mu sync.Mutex
	var wg sync.WaitGroup
	mu.Lock()
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			fmt.Println("worker", i, "wants the lock")
			mu.Lock()
			fmt.Println("worker", i, "has the lock")
			mu.Unlock()
		}(i)
	}
	runtime.Gosched()
	fmt.Println("main unlocks")
	mu.Unlock()
	wg.Wait()
	fmt.Println("done")
}
