"""A woken waiter must compete: the unlocking goroutine can take the lock back before the waiter
runs; the waiter then queues again at the front (LIFO) of the semaphore."""


def main(sim):
    mu = sim.mutex()
    wg = sim.waitgroup()
    yield mu.lock()

    def worker(i):
        try:
            yield mu.lock()
            sim.print("worker", i, "locked")
            mu.unlock()
        finally:
            wg.done()

    for i in range(3):
        wg.add(1)
        sim.go(worker, i)
    yield sim.gosched()
    for rnd in range(3):
        mu.unlock()
        yield mu.lock()
        sim.print("main relocked", rnd)
        yield sim.gosched()
    mu.unlock()
    yield wg.wait()
