"""Timer.Stop and Timer.Reset report whether the timer was pending (Go 1.19 channel timers)."""

from cspsim.sim import MS


def main(sim):
    t = sim.new_timer(50 * MS)
    sim.print("stop pending:", t.stop())
    sim.print("stop again:", t.stop())
    sim.print("reset stopped:", t.reset(10 * MS))
    yield t.c.recv()
    sim.print("fired")
    sim.print("stop fired:", t.stop())
    sim.print("reset fired:", t.reset(5 * MS))
    yield sim.sleep(20 * MS)
    sim.print("len after expiry:", len(t.c))
    yield t.c.recv()
    sim.print("fired again")

    def never():
        sim.print("never runs")

    f = sim.after_func(10 * MS, never)
    sim.print("stop func:", f.stop())
    yield sim.sleep(20 * MS)
    sim.print("end")
