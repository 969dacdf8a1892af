"""time.After as a timeout in select, both ways round."""

from cspsim.sim import MS


def main(sim):
    slow = sim.chan()

    def slow_worker():
        yield sim.sleep(50 * MS)
        yield slow.send("slow result")

    sim.go(slow_worker)
    k, v, _ = yield sim.select(slow.recv(), sim.after(10 * MS).recv())
    sim.print(v if k == 0 else "timeout waiting for slow")
    fast = sim.chan()

    def fast_worker():
        yield sim.sleep(5 * MS)
        yield fast.send("fast result")

    sim.go(fast_worker)
    k, v, _ = yield sim.select(fast.recv(), sim.after(30 * MS).recv())
    sim.print(v if k == 0 else "timeout waiting for fast")
    sim.print("late:", (yield slow.recv()))
