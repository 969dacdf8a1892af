// close wakes every parked receiver (zero value, ok=false); the first parked runs first,
// the others in reverse order (closechan readies them from a stack).
package main

import (
	"fmt"
	"runtime"
	"sync"
)

func main() {
	c := make(chan int)
	var wg sync.WaitGroup
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			v, ok := <-c
			fmt.Println("receiver", i, "woke", v, ok)
		}(i)
	}
	runtime.Gosched()
	close(c)
	fmt.Println("closed")
	wg.Wait()
	v, ok := <-c
	fmt.Println("after close", v, ok)
}
