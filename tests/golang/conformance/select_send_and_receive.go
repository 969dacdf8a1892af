package main

func main() {
	in := make(chan int)
	out := make(chan int, 1)
	go func() { in <- 5 }()
	got := 0
	for got == 0 {
		select {
		case v := <-in:
			got = v
		case out <- 1:
			<-out
		}
	}
	if got != 5 {
		panic("wrong value")
	}
}
