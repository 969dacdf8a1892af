package main

func main() {
	ch := make(chan int, 1)
	select {
	case v := <-ch:
		_ = v
		panic("nothing to receive")
	default:
	}
	select {
	case ch <- 1:
	default:
		panic("there is room")
	}
	select {
	case ch <- 2:
		panic("the buffer is full")
	default:
	}
}
