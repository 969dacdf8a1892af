package main

import "sync"

func main() {
	var rw sync.RWMutex
	rw.Lock()
	rw.RLock() // a held write lock blocks readers
}
