// Counts which of three always-ready cases select takes over 30000 rounds.
package main

import "fmt"

func main() {
	a, b, c := make(chan int, 1), make(chan int, 1), make(chan int, 1)
	var n [3]int
	for i := 0; i < 30000; i++ {
		a <- 0
		b <- 0
		c <- 0
		select {
		case <-a:
			n[0]++
			<-b
			<-c
		case <-b:
			n[1]++
			<-a
			<-c
		case <-c:
			n[2]++
			<-a
			<-b
		}
	}
	fmt.Println(n[0], n[1], n[2])
}
