"""A parked select is woken by whichever of its channels is used first; its other wait records
are removed, so later senders to those channels wait for someone else."""


def main(sim):
    a, b, c = sim.chan(), sim.chan(), sim.chan()
    done = sim.chan()

    def selector():
        for _ in range(3):
            k, v, _ = yield sim.select(a.recv(), b.recv(), c.send("to-c"))
            if k == 0:
                sim.print("select got a", v)
            elif k == 1:
                sim.print("select got b", v)
            else:
                sim.print("select sent on c")
        yield done.send(True)

    sim.go(selector)
    yield sim.gosched()
    yield b.send("B1")
    sim.print("main sent b")
    yield sim.gosched()
    sim.print("main got", (yield c.recv()))
    yield sim.gosched()
    yield a.send("A1")
    sim.print("main sent a")
    yield done.recv()
