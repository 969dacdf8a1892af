"""A producer fills a small buffer until it blocks; the consumer drains it."""


def main(sim):
    c, done = sim.chan(2), sim.chan()

    def consumer():
        while True:
            v, ok = yield c.recv_ok()
            if not ok:
                break
            sim.print("consume", v, "len", len(c))
        yield done.send(True)

    sim.go(consumer)
    for i in range(6):
        yield c.send(i)
        sim.print("produce", i, "len", len(c))
    c.close()
    yield done.recv()
