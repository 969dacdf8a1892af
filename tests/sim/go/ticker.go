// A ticker delivers periodic ticks; a worker's messages interleave with them.
package main

import (
	"fmt"
	"time"
)

func main() {
	tk := time.NewTicker(10 * time.Millisecond)
	msgs := make(chan string)
	go func() {
		time.Sleep(25 * time.Millisecond)
		msgs <- "hello at 25ms"
	}()
	ticks := 0
	for ticks < 4 {
		select {
		case <-tk.C:
			ticks++
			fmt.Println("tick", ticks)
		case m := <-msgs:
			fmt.Println(m)
		}
	}
	tk.Stop()
	fmt.Println("stopped")
}
