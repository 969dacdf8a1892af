"""A closed channel still delivers its buffered values; range ends when it is drained."""


def main(sim):
    c = sim.chan(3, zero="")
    for s in ("a", "b", "c"):
        yield c.send(s)
    c.close()
    sim.print("len", len(c))
    while True:
        v, ok = yield c.recv_ok()
        if not ok:
            break
        sim.print("got", v)
    v, ok = yield c.recv_ok()
    sim.print(f'"{v}"', ok)
