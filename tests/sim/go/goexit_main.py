"""main calling runtime.Goexit: the others run, then Go reports that no goroutines are left."""


def main(sim):
    def child():
        sim.print("child")

    sim.go(child)
    try:
        sim.goexit()
    finally:
        sim.print("deferred")
    yield sim.gosched()
