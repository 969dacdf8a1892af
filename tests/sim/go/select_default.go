// select with default never blocks: it takes a ready case or the default.
package main

import "fmt"

func main() {
	c := make(chan int, 1)
	for i := 0; i < 3; i++ {
		select {
		case c <- i:
			fmt.Println("sent", i)
		default:
			fmt.Println("full, dropped", i)
		}
	}
	for i := 0; i < 2; i++ {
		select {
		case v := <-c:
			fmt.Println("received", v)
		default:
			fmt.Println("empty")
		}
	}
	var nilc chan int
	select {
	case nilc <- 1:
		fmt.Println("impossible")
	default:
		fmt.Println("nil channel never ready")
	}
}
