package main

func main() {
	ch := make(chan int, 1)
	ch <- 7
	close(ch)
	if v, ok := <-ch; v != 7 || !ok {
		panic("expected 7")
	}
	if v, ok := <-ch; v != 0 || ok {
		panic("expected zero value")
	}
}
