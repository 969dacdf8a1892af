"""Cond.Signal wakes the longest waiter; Broadcast wakes all (runnext: the last readied first)."""


def main(sim):
    mu = sim.mutex()
    cond = sim.cond(mu)
    wg = sim.waitgroup()

    def waiter(i):
        try:
            yield mu.lock()
            sim.print("waiter", i, "waits")
            yield cond.wait()
            sim.print("waiter", i, "woke")
            mu.unlock()
        finally:
            wg.done()

    for i in range(4):
        wg.add(1)
        sim.go(waiter, i)
    yield sim.gosched()
    sim.print("signal")
    cond.signal()
    yield sim.gosched()
    sim.print("broadcast")
    cond.broadcast()
    yield wg.wait()
    sim.print("done")
