"""Ping-pong on an unbuffered channel pair."""


def main(sim):
    ping, pong = sim.chan(), sim.chan()

    def ponger():
        while True:
            v = yield ping.recv()
            sim.print("pong got", v)
            yield pong.send(v + 1)

    sim.go(ponger)
    v = 0
    for _ in range(5):
        sim.print("ping sends", v)
        yield ping.send(v)
        v = yield pong.recv()
    sim.print("final", v)
