"""Rendezvous: who prints first after each hand-off is decided by runnext."""


def main(sim):
    c, done = sim.chan(), sim.chan()

    def sender():
        for i in range(3):
            sim.print("before send", i)
            yield c.send(i)
            sim.print("after send", i)
        yield done.send(True)

    sim.go(sender)
    for _ in range(3):
        sim.print("received", (yield c.recv()))
    yield done.recv()
