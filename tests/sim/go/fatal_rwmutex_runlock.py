"""RUnlock of an unlocked RWMutex is a fatal error."""


def main(sim):
    rw = sim.rwmutex()
    yield rw.rlock()
    rw.runlock()
    sim.print("balanced")
    rw.runlock()
