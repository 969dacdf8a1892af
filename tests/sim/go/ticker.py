"""A ticker delivers periodic ticks; a worker's messages interleave with them."""

from cspsim.sim import MS


def main(sim):
    tk = sim.new_ticker(10 * MS)
    msgs = sim.chan()

    def worker():
        yield sim.sleep(25 * MS)
        yield msgs.send("hello at 25ms")

    sim.go(worker)
    ticks = 0
    while ticks < 4:
        k, m, _ = yield sim.select(tk.c.recv(), msgs.recv())
        if k == 0:
            ticks += 1
            sim.print("tick", ticks)
        else:
            sim.print(m)
    tk.stop()
    sim.print("stopped")
