"""Properties of channel semantics on random producer/consumer networks (hypothesis).

Whatever the capacities, delays, select fan-in and number of Ps: every value sent is received
exactly once, each producer's values come out in the order it sent them (channels are FIFO),
a buffer never holds more than its capacity, and the same seed gives the same run.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cspsim.sim import US, Sim

config = st.fixed_dictionaries({
    "producers": st.integers(1, 4),
    "consumers": st.integers(1, 3),
    "items": st.integers(1, 8),
    "cap": st.integers(0, 3),
    "fan_in": st.booleans(),
    "procs": st.sampled_from([1, 1, 2, 3]),
    "delays": st.lists(st.integers(0, 30), min_size=1, max_size=6),
    "seed": st.integers(0, 10_000),
})


def run(cfg: dict, seed: int):
    sim = Sim(seed=seed, gomaxprocs=cfg["procs"])
    delays = cfg["delays"]
    received: list[tuple[int, int]] = []

    def main():
        n_in = cfg["producers"] if cfg["fan_in"] else 1
        ins = [sim.chan(cfg["cap"], name=f"in{i}") for i in range(n_in)]
        out = sim.chan(cfg["cap"], name="out")
        wg_p, wg_c = sim.waitgroup(), sim.waitgroup()

        def producer(p):
            ch = ins[p % n_in]
            for k in range(cfg["items"]):
                d = delays[(p + k) % len(delays)]
                if d % 3 == 0:
                    yield sim.sleep(d * US)
                else:
                    yield sim.work(d * US)
                yield ch.send((p, k))
            wg_p.done()

        def merger():  # fan-in: select over every input until all are closed
            live = list(ins)
            while any(not c.nil for c in live):
                i, v, ok = yield sim.select(*(c.recv() for c in live))
                if not ok:
                    live[i] = sim.nil
                    continue
                yield out.send(v)
            out.close()

        def closer():
            yield wg_p.wait()
            for c in ins:
                c.close()

        def consumer(q):
            src = out if cfg["fan_in"] else ins[0]
            while True:
                v, ok = yield src.recv_ok()
                if not ok:
                    break
                received.append(v)
                yield sim.sleep(delays[q % len(delays)] * US)
            wg_c.done()

        for p in range(cfg["producers"]):
            wg_p.add(1)
            sim.go(producer, p)
        if cfg["fan_in"]:
            sim.go(merger)
        sim.go(closer)
        for q in range(cfg["consumers"]):
            wg_c.add(1)
            sim.go(consumer, q)
        yield wg_c.wait()

    return sim.run(main), received


@settings(max_examples=60, deadline=None)
@given(config)
def test_channels_lose_nothing_and_keep_order(cfg: dict) -> None:
    r, received = run(cfg, cfg["seed"])
    assert r.outcome == "exit", r.report()
    sent = [(p, k) for p in range(cfg["producers"]) for k in range(cfg["items"])]
    assert sorted(received) == sent
    # FIFO per producer, judged on the order the values left the channels (the event log)
    src = "out" if cfg["fan_in"] else "in0"
    taken = [e.value for e in r.events if e.obj == src and e.kind in ("xfer", "recv")]
    for p in range(cfg["producers"]):
        assert [v for v in taken if v[0] == p] == [(p, k) for k in range(cfg["items"])]
    assert r.metrics is not None
    assert all(c["max_len"] <= cfg["cap"] for c in r.metrics.channels)
    again, received2 = run(cfg, cfg["seed"])
    assert received2 == received and again.events == r.events
