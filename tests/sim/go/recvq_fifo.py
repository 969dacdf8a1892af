"""Parked receivers are served first-in first-out; each woken one goes to runnext."""


def main(sim):
    c = sim.chan()
    wg = sim.waitgroup()

    def receiver(i):
        try:
            sim.print("receiver", i, "waits")
            v = yield c.recv()
            sim.print("receiver", i, "got", v)
        finally:
            wg.done()

    for i in range(3):
        wg.add(1)
        sim.go(receiver, i)

    yield sim.gosched()  # all three receivers park

    def sender():
        try:
            for v in range(10, 13):
                yield c.send(v)
                sim.print("sent", v)
        finally:
            wg.done()

    wg.add(1)
    sim.go(sender)
    yield wg.wait()
