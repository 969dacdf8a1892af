"""Unlocking an unlocked mutex is a fatal error (not recoverable)."""


def main(sim):
    mu = sim.mutex()
    done = sim.chan()

    def waiter():
        yield done.recv()

    sim.go(waiter)
    sim.print("before")
    mu.unlock()
    yield sim.gosched()
