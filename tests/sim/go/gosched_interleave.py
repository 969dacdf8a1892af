"""runtime.Gosched puts the goroutine on the global queue."""


def main(sim):
    done = sim.chan()

    def f(g):
        for i in range(40):
            sim.write(g, " ")
            if (i + g) % 3 == 0:
                yield sim.gosched()
        yield done.send(True)

    for g in range(3):
        sim.go(f, g)
    for _ in range(3):
        yield done.recv()
    sim.print()
