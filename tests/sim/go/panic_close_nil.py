"""Closing the nil channel panics."""


def main(sim):
    sim.print("closing nil")
    sim.nil.close()
    yield sim.gosched()
