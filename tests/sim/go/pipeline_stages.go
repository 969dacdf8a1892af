// A three-stage pipeline with close propagation.
package main

import "fmt"

func gen(n int) <-chan int {
	out := make(chan int)
	go func() {
		for i := 1; i <= n; i++ {
			fmt.Println("gen", i)
			out <- i
		}
		close(out)
	}()
	return out
}

func sq(in <-chan int) <-chan int {
	out := make(chan int, 2)
	go func() {
		for v := range in {
			fmt.Println("sq", v)
			out <- v * v
		}
		close(out)
	}()
	return out
}

func main() {
	for v := range sq(gen(5)) {
		fmt.Println("main", v)
	}
}
