"""Sleeping goroutines wake in deadline order."""

from cspsim.sim import MS


def main(sim):
    wg = sim.waitgroup()

    def sleeper(ms):
        try:
            yield sim.sleep(ms * MS)
            sim.print("woke after", ms, "ms")
        finally:
            wg.done()

    for ms in (30, 10, 50, 20, 40):
        wg.add(1)
        sim.go(sleeper, ms)
    yield wg.wait()
    sim.print("all awake")
