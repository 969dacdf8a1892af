"""Closing a channel with a parked sender makes the sender panic when it wakes."""


def main(sim):
    c = sim.chan()

    def sender():
        sim.print("sender parks")
        yield c.send(1)
        sim.print("never")

    sim.go(sender)
    yield sim.gosched()
    sim.print("closing")
    c.close()
    sim.print("closed")
    yield sim.gosched()
    sim.print("not reached")
