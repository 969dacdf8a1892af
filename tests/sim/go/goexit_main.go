package main

import (
	"fmt"
	"runtime"
)

func main() {
	go func() { fmt.Println("child") }()
	defer fmt.Println("deferred")
	runtime.Goexit()
}
