package main

import "sync"

func main() {
	var once sync.Once
	var wg sync.WaitGroup
	ch := make(chan int)
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			once.Do(func() { close(ch) })
		}()
	}
	wg.Wait()
	<-ch
}
