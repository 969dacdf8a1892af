"""Unlock of an unlocked RWMutex is a fatal error."""


def main(sim):
    rw = sim.rwmutex()
    yield rw.lock()
    rw.unlock()
    sim.print("balanced")
    rw.unlock()
