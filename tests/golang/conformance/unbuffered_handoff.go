package main

func main() {
	ch := make(chan int)
	done := make(chan bool)
	go func() {
		if <-ch != 42 {
			panic("wrong value")
		}
		done <- true
	}()
	ch <- 42
	<-done
}
