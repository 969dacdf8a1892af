"""A pending writer blocks new readers; when the readers leave the writer goes, then the queued
readers are released together."""


def main(sim):
    rw = sim.rwmutex()
    wg = sim.waitgroup()
    yield rw.rlock()
    sim.print("main holds a read lock")

    def writer():
        try:
            sim.print("writer waits")
            yield rw.lock()
            sim.print("writer has the lock")
            rw.unlock()
            sim.print("writer done")
        finally:
            wg.done()

    wg.add(1)
    sim.go(writer)
    yield sim.gosched()

    def reader(i):
        try:
            sim.print("reader", i, "waits")
            yield rw.rlock()
            sim.print("reader", i, "reads")
            rw.runlock()
        finally:
            wg.done()

    for i in range(3):
        wg.add(1)
        sim.go(reader, i)
    yield sim.gosched()
    sim.print("main releases its read lock")
    rw.runlock()
    yield wg.wait()
    sim.print("done")
