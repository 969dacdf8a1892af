"""Jobs on a buffered channel, three workers, results collected by main."""


def main(sim):
    jobs = sim.chan(5)
    results = sim.chan()
    wg = sim.waitgroup()

    def worker(w):
        try:
            while True:
                j, ok = yield jobs.recv_ok()
                if not ok:
                    return
                yield results.send(f"worker {w} job {j}")
        finally:
            wg.done()

    for w in range(3):
        wg.add(1)
        sim.go(worker, w)

    def producer():
        for j in range(8):
            yield jobs.send(j)
        jobs.close()

    def closer():
        yield wg.wait()
        results.close()

    sim.go(producer)
    sim.go(closer)
    while True:
        r, ok = yield results.recv_ok()
        if not ok:
            break
        sim.print(r)
