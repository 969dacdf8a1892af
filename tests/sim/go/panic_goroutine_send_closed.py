"""A panic in a goroutine other than main crashes the program."""


def main(sim):
    c = sim.chan()
    done = sim.chan()
    c.close()

    def waiter():
        yield done.recv()

    def sender():
        sim.print("g")
        yield c.send(1)

    sim.go(waiter)
    sim.go(sender)
    yield done.recv()
