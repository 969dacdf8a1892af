// A closed channel still delivers its buffered values; range ends when it is drained.
package main

import "fmt"

func main() {
	c := make(chan string, 3)
	c <- "a"
	c <- "b"
	c <- "c"
	close(c)
	fmt.Println("len", len(c))
	for v := range c {
		fmt.Println("got", v)
	}
	v, ok := <-c
	fmt.Printf("%q %v\n", v, ok)
}
