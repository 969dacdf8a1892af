"""Blocked Lock calls queue on the mutex's semaphore; each Unlock wakes the next waiter."""


def main(sim):
    mu = sim.mutex()
    wg = sim.waitgroup()
    yield mu.lock()

    def worker(i):
        try:
            sim.print("worker", i, "wants the lock")
            yield mu.lock()
            sim.print("worker", i, "has the lock")
            mu.unlock()
        finally:
            wg.done()

    for i in range(4):
        wg.add(1)
        sim.go(worker, i)
    yield sim.gosched()
    sim.print("main unlocks")
    mu.unlock()
    yield wg.wait()
    sim.print("done")
