"""A deferred recover stops a panic; the goroutine ends normally and the program goes on."""

from cspsim.sim import GoPanic


def main(sim):
    wg = sim.waitgroup()
    c = sim.chan()
    c.close()

    def worker():
        try:
            try:
                sim.print("about to send")
                yield c.send(1)
            except GoPanic as p:
                sim.print("recovered:", p.value)
        finally:
            wg.done()

    wg.add(1)
    sim.go(worker)
    yield wg.wait()
    sim.print("main goes on")
