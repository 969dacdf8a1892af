"""300 goroutines overflow the 256-slot local run queue: half of it moves to the global queue,
which the scheduler polls every 61st tick."""


def main(sim):
    wg = sim.waitgroup()
    mu = sim.mutex()
    out = []

    def f(i):
        yield mu.lock()
        out.append(i)
        mu.unlock()
        wg.done()

    for i in range(300):
        wg.add(1)
        sim.go(f, i)
    yield wg.wait()
    sim.print(out)
