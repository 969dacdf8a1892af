// Timer.Stop and Timer.Reset report whether the timer was pending (Go 1.19 channel timers).
package main

import (
	"fmt"
	"time"
)

func main() {
	t := time.NewTimer(50 * time.Millisecond)
	fmt.Println("stop pending:", t.Stop())
	fmt.Println("stop again:", t.Stop())
	fmt.Println("reset stopped:", t.Reset(10*time.Millisecond))
	<-t.C
	fmt.Println("fired")
	fmt.Println("stop fired:", t.Stop())
	fmt.Println("reset fired:", t.Reset(5*time.Millisecond))
	time.Sleep(20 * time.Millisecond)
	fmt.Println("len after expiry:", len(t.C))
	<-t.C
	fmt.Println("fired again")
	f := time.AfterFunc(10*time.Millisecond, func() { fmt.Println("never runs") })
	fmt.Println("stop func:", f.Stop())
	time.Sleep(20 * time.Millisecond)
	fmt.Println("end")
}
