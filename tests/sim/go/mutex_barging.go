// A woken waiter must compete: the unlocking goroutine can take the lock back before the
// waiter runs; the waiter then queues again at the front (LIFO) of the semaphore.
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
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			mu.Lock()
			fmt.Println("worker", i, "locked")
			mu.Unlock()
		}(i)
	}
	runtime.Gosched()
	for round := 0; round < 3; round++ {
		mu.Unlock()
		mu.Lock() // barges in before the woken waiter runs
		fmt.Println("main relocked", round)
		runtime.Gosched()
	}
	mu.Unlock()
	wg.Wait()
}
