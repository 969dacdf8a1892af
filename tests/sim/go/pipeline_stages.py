"""A three-stage pipeline with close propagation."""


def main(sim):
    def gen(n):
        out = sim.chan()

        def run():
            for i in range(1, n + 1):
                sim.print("gen", i)
                yield out.send(i)
            out.close()

        sim.go(run)
        return out

    def sq(inp):
        out = sim.chan(2)

        def run():
            while True:
                v, ok = yield inp.recv_ok()
                if not ok:
                    break
                sim.print("sq", v)
                yield out.send(v * v)
            out.close()

        sim.go(run)
        return out

    c = sq(gen(5))
    while True:
        v, ok = yield c.recv_ok()
        if not ok:
            break
        sim.print("main", v)
