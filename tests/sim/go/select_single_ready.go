// When exactly one case is ready, select takes it (no randomness involved).
package main

import "fmt"

func main() {
	a := make(chan int, 1)
	b := make(chan int, 1)
	out := make(chan int, 1)
	out <- -1
	for i := 0; i < 6; i++ {
		switch i % 3 {
		case 0:
			a <- i
		case 1:
			b <- i
		case 2:
			fmt.Println(i, "drained", <-out)
		}
		select {
		case v := <-a:
			fmt.Println(i, "from a", v)
		case v := <-b:
			fmt.Println(i, "from b", v)
		case out <- i:
			fmt.Println(i, "sent out")
		}
	}
}
