// A producer fills a small buffer until it blocks; the consumer drains it.
package main

import "fmt"

func main() {
	c := make(chan int, 2)
	done := make(chan bool)
	go func() {
		for v := range c {
			fmt.Println("consume", v, "len", len(c))
		}
		done <- true
	}()
	for i := 0; i < 6; i++ {
		c <- i
		fmt.Println("produce", i, "len", len(c))
	}
	close(c)
	<-done
}
