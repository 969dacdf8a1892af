"""A receive from a full buffer with parked senders takes the head and moves the first parked
sender's value to the tail."""


def main(sim):
    c = sim.chan(2)
    yield c.send(1)
    yield c.send(2)

    def sender(v):
        sim.print("sender", v, "parks")
        yield c.send(v)
        sim.print("sender", v, "done")

    for v in (3, 4, 5):
        sim.go(sender, v)
    yield sim.gosched()  # the senders run and park
    for _ in range(5):
        v = yield c.recv()
        sim.print("got", v, "len", len(c))
