// Parked senders are served first-in first-out.
package main

import "fmt"

func main() {
	c := make(chan int)
	for i := 0; i < 4; i++ {
		go func(i int) {
			fmt.Println("sender", i, "parks")
			c <- i
			fmt.Println("sender", i, "done")
		}(i)
	}
	for i := 0; i < 4; i++ {
		fmt.Println("main got", <-c)
	}
	done := make(chan bool)
	go func() { done <- true }()
	<-done
}
