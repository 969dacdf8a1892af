"""Equal sleeps started together expire in one batch: each wake-up takes runnext, so the
goroutine whose timer fired last runs first, then the others in order."""

from cspsim.sim import MS


def main(sim):
    done = sim.chan()

    def sleeper(i):
        yield sim.sleep(10 * MS)
        yield done.send(i)

    for i in range(4):
        sim.go(sleeper, i)
    for _ in range(4):
        sim.print("woke", (yield done.recv()))
