"""Once.Do runs its function once; concurrent callers wait until it has finished."""

from cspsim.sim import MS


def main(sim):
    once = sim.once()
    wg = sim.waitgroup()

    def caller(i):
        def init():
            sim.print("init by", i)
            yield sim.sleep(10 * MS)
            sim.print("init finished")

        try:
            yield once.do(init)
            sim.print("caller", i, "proceeds")
        finally:
            wg.done()

    for i in range(3):
        wg.add(1)
        sim.go(caller, i)
    yield wg.wait()
