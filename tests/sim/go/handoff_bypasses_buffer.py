"""A send to a buffered channel with a parked receiver hands the value over directly."""


def main(sim):
    c = sim.chan(3)
    done = sim.chan()

    def receiver():
        v = yield c.recv()
        sim.print("receiver got", v)
        yield done.send(True)

    def finish():
        yield done.send(True)

    sim.go(finish)
    sim.go(receiver)
    yield done.recv()
    yield c.send(1)
    sim.print("after send len", len(c), "cap", c.cap)
    yield c.send(2)
    yield c.send(3)
    sim.print("after two more len", len(c))
    yield done.recv()
    a = yield c.recv()
    b = yield c.recv()
    sim.print(a, b, len(c))
