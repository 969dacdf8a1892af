"""A select whose only ready case sends on a closed channel panics."""


def main(sim):
    c, d = sim.chan(), sim.chan()
    c.close()
    sim.print("selecting")
    i, _, _ = yield sim.select(c.send(1), d.recv())
    sim.print("sent" if i == 0 else "received")
