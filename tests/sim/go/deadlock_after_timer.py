"""A pending timer keeps the deadlock detector quiet until it has fired."""

from cspsim.sim import MS


def main(sim):
    sim.after_func(20 * MS, lambda: sim.print("timer fired"))

    def sleeper():
        yield sim.sleep(10 * MS)
        sim.print("sleeper woke")

    sim.go(sleeper)
    sim.print("main blocks forever")
    yield sim.chan().recv()
