// Equal sleeps started together expire in one batch: each wake-up takes runnext, so the
// goroutine whose timer fired last runs first, then the others in order.
package main

import (
	"fmt"
	"time"
)

func main() {
	done := make(chan int)
	for i := 0; i < 4; i++ {
		go func(i int) {
			time.Sleep(10 * time.Millisecond)
			done <- i
		}(i)
	}
	for i := 0; i < 4; i++ {
		fmt.Println("woke", <-done)
	}
}
