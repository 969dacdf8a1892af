"""Parked senders are served first-in first-out."""


def main(sim):
    c = sim.chan()

    def sender(i):
        sim.print("sender", i, "parks")
        yield c.send(i)
        sim.print("sender", i, "done")

    for i in range(4):
        sim.go(sender, i)
    for _ in range(4):
        sim.print("main got", (yield c.recv()))
    done = sim.chan()

    def finish():
        yield done.send(True)

    sim.go(finish)
    yield done.recv()
