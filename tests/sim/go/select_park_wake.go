// A parked select is woken by whichever of its channels is used first; its other wait
// records are removed, so later senders to those channels wait for someone else.
package main

import (
	"fmt"
	"runtime"
)

func main() {
	a, b, c := make(chan string), make(chan string), make(chan string)
	done := make(chan bool)
	go func() {
		for i := 0; i < 3; i++ {
			select {
			case v := <-a:
				fmt.Println("select got a", v)
			case v := <-b:
				fmt.Println("select got b", v)
			case c <- "to-c":
				fmt.Println("select sent on c")
			}
		}
		done <- true
	}()
	runtime.Gosched()
	b <- "B1"
	fmt.Println("main sent b")
	runtime.Gosched()
	fmt.Println("main got", <-c)
	runtime.Gosched()
	a <- "A1"
	fmt.Println("main sent a")
	<-done
}
