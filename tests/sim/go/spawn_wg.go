// Spawn order: runnext makes the last goroutine started run first, then the rest in order.
package main

import (
	"fmt"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			fmt.Println("worker", i)
		}(i)
	}
	wg.Wait()
	fmt.Println("done")
}
