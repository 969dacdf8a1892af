"""When exactly one case is ready, select takes it (no randomness involved)."""


def main(sim):
    a, b, out = sim.chan(1), sim.chan(1), sim.chan(1)
    yield out.send(-1)
    for i in range(6):
        if i % 3 == 0:
            yield a.send(i)
        elif i % 3 == 1:
            yield b.send(i)
        else:
            sim.print(i, "drained", (yield out.recv()))
        k, v, _ = yield sim.select(a.recv(), b.recv(), out.send(i))
        if k == 0:
            sim.print(i, "from a", v)
        elif k == 1:
            sim.print(i, "from b", v)
        else:
            sim.print(i, "sent out")
