"""select with default never blocks: it takes a ready case or the default."""


def main(sim):
    c = sim.chan(1)
    for i in range(3):
        k, _, _ = yield sim.select(c.send(i), default=True)
        sim.print("sent" if k == 0 else "full, dropped", i)
    for _ in range(2):
        k, v, _ = yield sim.select(c.recv(), default=True)
        if k == 0:
            sim.print("received", v)
        else:
            sim.print("empty")
    k, _, _ = yield sim.select(sim.nil.send(1), default=True)
    sim.print("impossible" if k == 0 else "nil channel never ready")
