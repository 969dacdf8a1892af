// Rendezvous: who prints first after each hand-off is decided by runnext.
package main

import "fmt"

func main() {
	c := make(chan int)
	done := make(chan bool)
	go func() {
		for i := 0; i < 3; i++ {
			fmt.Println("before send", i)
			c <- i
			fmt.Println("after send", i)
		}
		done <- true
	}()
	for i := 0; i < 3; i++ {
		v := <-c
		fmt.Println("received", v)
	}
	<-done
}
