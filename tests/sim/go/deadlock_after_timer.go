// A pending timer keeps the deadlock detector quiet until it has fired.
package main

import (
	"fmt"
	"time"
)

func main() {
	time.AfterFunc(20*time.Millisecond, func() { fmt.Println("timer fired") })
	go func() {
		time.Sleep(10 * time.Millisecond)
		fmt.Println("sleeper woke")
	}()
	fmt.Println("main blocks forever")
	<-make(chan int)
}
