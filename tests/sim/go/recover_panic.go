// A deferred recover stops a panic; the goroutine ends normally and the program goes on.
package main

import (
	"fmt"
	"sync"
)

func main() {
	var wg sync.WaitGroup
	c := make(chan int)
	close(c)
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer func() {
			r := recover()
			fmt.Println("recovered:", r)
		}()
		fmt.Println("about to send")
		c <- 1
	}()
	wg.Wait()
	fmt.Println("main goes on")
}
