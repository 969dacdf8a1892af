// A select whose only ready case sends on a closed channel panics.
package main

import "fmt"

func main() {
	c := make(chan int)
	d := make(chan int)
	close(c)
	fmt.Println("selecting")
	select {
	case c <- 1:
		fmt.Println("sent")
	case <-d:
		fmt.Println("received")
	}
}
