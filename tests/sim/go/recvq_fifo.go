// Parked receivers are served first-in first-out; each woken one goes to runnext.
package main

import (
	"fmt"
	"runtime"
	"sync"
)

func main() {
	c := make(chan int)
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			fmt.Println("receiver", i, "waits")
			v := <-c
			fmt.Println("receiver", i, "got", v)
		}(i)
	}
	runtime.Gosched() // all three receivers park
	wg.Add(1)
	go func() {
		defer wg.Done()
		for v := 10; v < 13; v++ {
			c <- v
			fmt.Println("sent", v)
		}
	}()
	wg.Wait()
}
