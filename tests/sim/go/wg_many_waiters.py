"""Several goroutines wait on one WaitGroup; the last Done wakes them all."""


def main(sim):
    wg, all_ = sim.waitgroup(), sim.waitgroup()
    wg.add(2)

    def waiter(i):
        try:
            yield wg.wait()
            sim.print("waiter", i, "released")
        finally:
            all_.done()

    for i in range(4):
        all_.add(1)
        sim.go(waiter, i)
    yield sim.gosched()
    wg.done()
    sim.print("one done")
    wg.done()
    sim.print("two done")
    yield all_.wait()
