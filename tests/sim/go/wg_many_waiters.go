// Several goroutines wait on one WaitGroup; the last Done wakes them all.
package main

import (
	"fmt"
	"runtime"
	"sync"
)

func main() {
	var wg, all sync.WaitGroup
	wg.Add(2)
	for i := 0; i < 4; i++ {
		all.Add(1)
		go func(i int) {
			defer all.Done()
			wg.Wait()
			fmt.Println("waiter", i, "released")
		}(i)
	}
	runtime.Gosched()
	wg.Done()
	fmt.Println("one done")
	wg.Done()
	fmt.Println("two done")
	all.Wait()
}
