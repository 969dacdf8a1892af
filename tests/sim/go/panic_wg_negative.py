"""A negative WaitGroup counter panics."""


def main(sim):
    wg = sim.waitgroup()
    wg.add(1)
    wg.done()
    sim.print("balanced")
    wg.done()
    yield sim.gosched()
