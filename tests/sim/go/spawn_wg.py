"""Spawn order: runnext makes the last goroutine started run first, then the rest in order."""


def main(sim):
    wg = sim.waitgroup()

    def worker(i):
        try:
            sim.print("worker", i)
        finally:
            wg.done()

    for i in range(5):
        wg.add(1)
        sim.go(worker, i)
    yield wg.wait()
    sim.print("done")
