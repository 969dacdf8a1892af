"""Deadlock report: every goroutine with Go's wait reason."""


def main(sim):
    mu = sim.mutex()
    wg = sim.waitgroup()
    c = sim.chan()
    nilc = sim.nil
    yield mu.lock()
    wg.add(1)

    def f1():
        yield c.send(1)

    def f2():
        yield nilc.recv()

    def f3():
        yield sim.block()

    def f4():
        yield mu.lock()

    def f5():
        yield wg.wait()

    cond = sim.cond(sim.mutex())

    def f6():
        yield cond.L.lock()
        yield cond.wait()

    def f7():
        yield sim.select(c.recv(), nilc.recv())

    for f in (f1, f2, f3, f4, f5, f6, f7):
        sim.go(f)
    sim.print("main waiting")
    yield sim.chan().recv()
