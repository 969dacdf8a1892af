// A pending writer blocks new readers; when the readers leave the writer goes, then the
// queued readers are released together.
package main

import (
	"fmt"
	"runtime"
	"sync"
)

func main() {
	var rw sync.RWMutex
	var wg sync.WaitGroup
	rw.RLock()
	fmt.Println("main holds a read lock")
	wg.Add(1)
	go func() {
		defer wg.Done()
		fmt.Println("writer waits")
		rw.Lock()
		fmt.Println("writer has the lock")
		rw.Unlock()
		fmt.Println("writer done")
	}()
	runtime.Gosched()
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			fmt.Println("reader", i, "waits")
			rw.RLock()
			fmt.Println("reader", i, "reads")
			rw.RUnlock()
		}(i)
	}
	runtime.Gosched()
	fmt.Println("main releases its read lock")
	rw.RUnlock()
	wg.Wait()
	fmt.Println("done")
}
