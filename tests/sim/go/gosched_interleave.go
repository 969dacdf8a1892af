package main

import (
	"fmt"
	"runtime"
)

func main() {
	done := make(chan bool)
	for g := 0; g < 3; g++ {
		go func(g int) {
			for i := 0; i < 40; i++ {
				fmt.Print(g, " ")
				if (i+g)%3 == 0 {
					runtime.Gosched()
				}
			}
			done <- true
		}(g)
	}
	for i := 0; i < 3; i++ {
		<-done
	}
	fmt.Println()
}
