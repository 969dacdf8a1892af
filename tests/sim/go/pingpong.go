// Ping-pong on an unbuffered channel pair.
package main

import "fmt"

func main() {
	ping, pong := make(chan int), make(chan int)
	go func() {
		for {
			v := <-ping
			fmt.Println("pong got", v)
			pong <- v + 1
		}
	}()
	v := 0
	for i := 0; i < 5; i++ {
		fmt.Println("ping sends", v)
		ping <- v
		v = <-pong
	}
	fmt.Println("final", v)
}
