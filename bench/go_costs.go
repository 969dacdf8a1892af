// Measures, with real Go, the per-operation costs behind cspsim.sim.Cost's defaults.
//
//	GOMAXPROCS=1 go run bench/go_costs.go
//
// Each figure is nanoseconds per operation, best of 5 rounds.
package main

import (
	"fmt"
	"sync"
	"time"
)

func best(rounds int, f func() time.Duration) time.Duration {
	b := time.Duration(1 << 62)
	for i := 0; i < rounds; i++ {
		if d := f(); d < b {
			b = d
		}
	}
	return b
}

const N = 1_000_000

func main() {
	// buffered send + receive by one goroutine: two operations that never park
	buffered := best(5, func() time.Duration {
		c := make(chan int, 1)
		t := time.Now()
		for i := 0; i < N; i++ {
			c <- i
			<-c
		}
		return time.Since(t) / (2 * N)
	})
	// unbuffered ping-pong: each operation parks one goroutine and switches to the other
	pingpong := best(5, func() time.Duration {
		a, b := make(chan int), make(chan int)
		go func() {
			for v := range a {
				b <- v
			}
		}()
		t := time.Now()
		for i := 0; i < N/4; i++ {
			a <- i
			<-b
		}
		d := time.Since(t) / (2 * N / 4)
		close(a)
		return d
	})
	// go statement (and the goroutine's exit)
	spawn := best(5, func() time.Duration {
		var wg sync.WaitGroup
		t := time.Now()
		for i := 0; i < N/10; i++ {
			wg.Add(1)
			go wg.Done()
		}
		wg.Wait()
		return time.Since(t) / (N / 10)
	})
	// uncontended Lock + Unlock
	var mu sync.Mutex
	mutex := best(5, func() time.Duration {
		t := time.Now()
		for i := 0; i < N; i++ {
			mu.Lock()
			mu.Unlock()
		}
		return time.Since(t) / (2 * N)
	})
	// select over two channels, one ready (buffered receive)
	sel := best(5, func() time.Duration {
		a, b := make(chan int, 1), make(chan int, 1)
		t := time.Now()
		for i := 0; i < N; i++ {
			a <- i
			select {
			case <-a:
			case <-b:
			}
		}
		return time.Since(t)/N - buffered
	})
	// NewTimer + Stop
	timer := best(5, func() time.Duration {
		t := time.Now()
		for i := 0; i < N/10; i++ {
			time.NewTimer(time.Hour).Stop()
		}
		return time.Since(t) / (2 * N / 10)
	})
	// how late a 1 ms sleep wakes up
	late := best(5, func() time.Duration {
		var sum time.Duration
		for i := 0; i < 20; i++ {
			t := time.Now()
			time.Sleep(time.Millisecond)
			sum += time.Since(t) - time.Millisecond
		}
		return sum / 20
	})
	fmt.Printf("chan_op (buffered send or receive)     %6d ns\n", buffered)
	fmt.Printf("ping-pong op (park + switch + op)     %6d ns\n", pingpong)
	fmt.Printf("go statement + exit                    %6d ns\n", spawn)
	fmt.Printf("sync_op (Lock or Unlock)               %6d ns\n", mutex)
	fmt.Printf("select (2 cases) beyond the chan op    %6d ns\n", sel)
	fmt.Printf("timer (NewTimer or Stop)               %6d ns\n", timer)
	fmt.Printf("timer_wake (1 ms sleep overshoot)      %6d ns\n", late)
}
