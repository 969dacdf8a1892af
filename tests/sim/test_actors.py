"""Actors on the simulator kernel, compared like for like with a CSP pipeline."""

from __future__ import annotations

import pytest

from cspsim.sim import MS, Cost, GoPanic, Sim

N = 20


def csp_pipeline():
    """A fast producer and a slow consumer joined by a 2-slot channel: back-pressure."""
    sim = Sim(seed=1, cost=Cost.zero())
    got: list[int] = []

    def main():
        ch = sim.chan(2, name="queue")

        def producer():
            for i in range(N):
                yield sim.sleep(MS)
                yield ch.send(i)
            ch.close()

        sim.go(producer, name="producer")
        while True:
            v, ok = yield ch.recv_ok()
            if not ok:
                break
            got.append(v)
            yield sim.sleep(3 * MS)

    return sim.run(main), got


def actor_pipeline():
    """The same two parties as actors: the producer tells, the mailbox absorbs everything."""
    sim = Sim(seed=1, cost=Cost.zero())
    got: list[int] = []

    def main():
        done = sim.chan()

        def consumer(me):
            while True:
                v, ok = yield me.receive_ok()
                if not ok:
                    break
                got.append(v)
                yield sim.sleep(3 * MS)
            yield done.send(True)

        def producer(me, target):
            for i in range(N):
                yield sim.sleep(MS)
                target.send(i)
            target.stop()

        cons = sim.actor(consumer, name="consumer")
        sim.actor(producer, cons, name="producer")
        yield done.recv()

    return sim.run(main), got


def test_same_messages_different_pressure() -> None:
    csp, got_csp = csp_pipeline()
    act, got_act = actor_pipeline()
    assert got_csp == got_act == list(range(N))
    assert csp.metrics is not None and act.metrics is not None
    csp_prod = next(g for g in csp.metrics.goroutines if g["name"] == "producer")
    act_prod = next(g for g in act.metrics.goroutines if g["name"] == "producer")
    # CSP: the bounded queue makes the producer wait; the mailbox never does.
    assert csp_prod["blocked"].get("chan send", 0) > 30 * MS
    assert "chan send" not in act_prod["blocked"]
    queue = next(c for c in csp.metrics.channels if c["name"] == "queue")
    mailbox = next(c for c in act.metrics.channels if c["name"] == "consumer.mailbox")
    assert queue["max_len"] == 2
    assert mailbox["max_len"] > 2 and mailbox["cap"] == -1
    # Same end either way: the consumer is the bottleneck (first message at 1 ms, 3 ms each).
    assert csp.end_ns == act.end_ns == (1 + 3 * N) * MS
    # Mailbox: message i is told at (i+1) ms and taken at (1+3i) ms, so it waits 2i ms.
    assert act.metrics.latencies["consumer.mailbox"] == [2 * i * MS for i in range(N)]
    # Queue: 0, 2, 4, 6 ms for the first four, then the producer is held back and every later
    # message waits 8 ms from the start of its send (5 ms parked in send + 3 ms in the buffer).
    assert csp.metrics.latencies["queue"] == [x * MS for x in (0, 2, 4, 6)] + [8 * MS] * (N - 4)


def test_send_to_stopped_actor_panics() -> None:
    sim = Sim(seed=1)

    def main():
        def idle(me):
            yield me.receive()

        a = sim.actor(idle, name="idle")
        a.stop()
        try:
            a.send("late")
        except GoPanic as p:
            sim.print("panic:", p.value)
        yield sim.gosched()

    assert sim.run(main).lines == ["panic: send on closed channel"]


def test_actor_blocked_on_empty_mailbox_is_reported() -> None:
    sim = Sim(seed=1)

    def lonely(me):
        yield me.receive()

    a = sim.actor(lonely, name="lonely")
    r = sim.run()
    assert r.outcome == "deadlock"
    assert [(g.name, g.state) for g in r.leaks] == [("lonely", "chan receive")]
    assert len(a) == 0 and "lonely" in repr(a)


@pytest.mark.parametrize("n", [1, 5])
def test_messages_sent_before_the_run(n: int) -> None:
    sim = Sim(seed=1)
    seen: list[int] = []

    def collector(me):
        for _ in range(n):
            seen.append((yield me.receive()))

    a = sim.actor(collector)
    for i in range(n):
        a.send(i)
    assert sim.run().outcome == "done" and seen == list(range(n))
