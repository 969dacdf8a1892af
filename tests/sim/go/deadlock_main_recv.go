package main

import "fmt"

func main() {
	c := make(chan int)
	go func() {
		fmt.Println("worker exits without sending")
	}()
	fmt.Println("main waits")
	<-c
}
