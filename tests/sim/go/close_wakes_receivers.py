"""close wakes every parked receiver (zero value, ok=false); the first parked runs first, the
others in reverse order (closechan readies them from a stack)."""


def main(sim):
    c = sim.chan(zero=0)
    wg = sim.waitgroup()

    def receiver(i):
        try:
            v, ok = yield c.recv_ok()
            sim.print("receiver", i, "woke", v, ok)
        finally:
            wg.done()

    for i in range(5):
        wg.add(1)
        sim.go(receiver, i)
    yield sim.gosched()
    c.close()
    sim.print("closed")
    yield wg.wait()
    v, ok = yield c.recv_ok()
    sim.print("after close", v, ok)
