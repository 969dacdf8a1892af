"""Closing a closed channel panics."""


def main(sim):
    c = sim.chan()
    c.close()
    sim.print("closed once")
    c.close()
    yield sim.gosched()
