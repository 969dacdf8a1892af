"""Cancelling a context closes its Done channel: every waiter wakes (close order)."""


def main(sim):
    ctx, cancel = sim.with_cancel(sim.background())
    wg = sim.waitgroup()
    work = sim.chan()

    def worker(i):
        try:
            while True:
                k, j, _ = yield sim.select(ctx.done().recv(), work.recv())
                if k == 0:
                    sim.print("worker", i, "stops:", ctx.err())
                    return
                sim.print("worker", i, "does job", j)
        finally:
            wg.done()

    for i in range(3):
        wg.add(1)
        sim.go(worker, i)
    for j in range(4):
        yield work.send(j)
    yield sim.gosched()
    sim.print("cancel; err before:", ctx.err())
    cancel()
    yield wg.wait()
    sim.print("done")
