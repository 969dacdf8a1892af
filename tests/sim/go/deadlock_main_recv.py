"""The classic: main waits for a value no one will send."""


def main(sim):
    c = sim.chan()

    def worker():
        sim.print("worker exits without sending")

    sim.go(worker)
    sim.print("main waits")
    yield c.recv()
