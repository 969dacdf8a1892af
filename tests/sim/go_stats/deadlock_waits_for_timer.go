// Go 1.19: an unreceived time.After timer keeps checkdead quiet until it fires.
package main

import (
	"fmt"
	"time"
)

func main() {
	_ = time.After(300 * time.Millisecond)
	fmt.Println("blocking")
	<-make(chan int)
}
