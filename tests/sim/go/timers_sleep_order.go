// Sleeping goroutines wake in deadline order.
package main

import (
	"fmt"
	"sync"
	"time"
)

func main() {
	var wg sync.WaitGroup
	for _, ms := range []int{30, 10, 50, 20, 40} {
		wg.Add(1)
		go func(ms int) {
			defer wg.Done()
			time.Sleep(time.Duration(ms) * time.Millisecond)
			fmt.Println("woke after", ms, "ms")
		}(ms)
	}
	wg.Wait()
	fmt.Println("all awake")
}
