"""A waiter that has waited over 1 ms switches the mutex to starvation mode: the next Unlock
hands the lock straight to it and the unlocking goroutine yields."""

from cspsim.sim import MS


def main(sim):
    mu = sim.mutex()
    done = sim.chan()
    yield mu.lock()

    def waiter():
        yield mu.lock()
        sim.print("waiter got the lock")
        mu.unlock()
        yield done.send(True)

    sim.go(waiter)
    yield sim.gosched()
    for i in range(4):
        yield sim.work(2 * MS)
        mu.unlock()
        yield mu.lock()
        sim.print("main relocked", i)
        yield sim.gosched()
    mu.unlock()
    yield done.recv()
