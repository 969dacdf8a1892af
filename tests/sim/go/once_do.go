// Once.Do runs its function once; concurrent callers wait until it has finished.
package main

import (
	"fmt"
	"sync"
	"time"
)

func main() {
	var once sync.Once
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			once.Do(func() {
				fmt.Println("init by", i)
				time.Sleep(10 * time.Millisecond)
				fmt.Println("init finished")
			})
			fmt.Println("caller", i, "proceeds")
		}(i)
	}
	wg.Wait()
}
