"""A nil channel disables its select case: the classic way to stop reading a finished input.
(Deterministic: runnext keeps one producer ahead, so at most one case is ready at a time.)"""


def main(sim):
    a, b = sim.chan(), sim.chan()

    def pa():
        for i in range(2):
            yield a.send(i)
        a.close()

    def pb():
        for i in range(10, 13):
            yield b.send(i)
        b.close()

    sim.go(pa)
    sim.go(pb)
    while not (a.nil and b.nil):
        k, v, ok = yield sim.select(a.recv(), b.recv())
        if k == 0:
            if not ok:
                sim.print("a closed")
                a = sim.nil
                continue
            sim.print("a", v)
        else:
            if not ok:
                sim.print("b closed")
                b = sim.nil
                continue
            sim.print("b", v)
    sim.print("both done")
