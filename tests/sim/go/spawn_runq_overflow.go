package main

import (
	"fmt"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	out := make([]int, 0, 400)
	var mu sync.Mutex
	for i := 0; i < 300; i++ {
		wg.Add(1)
		go func(i int) {
			mu.Lock()
			out = append(out, i)
			mu.Unlock()
			wg.Done()
		}(i)
	}
	wg.Wait()
	fmt.Println(out)
}
