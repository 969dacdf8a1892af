// WithTimeout cancels through an AfterFunc timer; parent cancellation reaches children.
package main

import (
	"context"
	"fmt"
	"time"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	select {
	case <-ctx.Done():
		fmt.Println("timed out:", ctx.Err())
	case <-time.After(100 * time.Millisecond):
		fmt.Println("too slow")
	}
	parent, pcancel := context.WithCancel(context.Background())
	child, ccancel := context.WithTimeout(parent, time.Hour)
	defer ccancel()
	go func() {
		time.Sleep(5 * time.Millisecond)
		pcancel()
	}()
	<-child.Done()
	fmt.Println("child:", child.Err(), "parent:", parent.Err())
}
