"""Send on a closed channel panics."""


def main(sim):
    c = sim.chan(1)
    c.close()
    sim.print("closed")
    yield c.send(1)
