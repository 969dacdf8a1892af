// A waiter that has waited over 1 ms switches the mutex to starvation mode: the next Unlock
// hands the lock straight to it and the unlocking goroutine yields.
package main

import (
	"fmt"
	"runtime"
	"sync"
	"time"
)

func spin(d time.Duration) {
	for t := time.Now(); time.Since(t) < d; {
	}
}

func main() {
	var mu sync.Mutex
	done := make(chan bool)
	mu.Lock()
	go func() {
		mu.Lock()
		fmt.Println("waiter got the lock")
		mu.Unlock()
		done <- true
	}()
	runtime.Gosched() // the waiter parks on the mutex
	for i := 0; i < 4; i++ {
		spin(2 * time.Millisecond)
		mu.Unlock()
		mu.Lock() // barges in while the mutex is not starving
		fmt.Println("main relocked", i)
		runtime.Gosched()
	}
	mu.Unlock()
	<-done
}
