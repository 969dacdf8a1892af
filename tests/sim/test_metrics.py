"""Metrics against a timeline worked out by hand (zero-cost model, so only sleeps move time)."""

from __future__ import annotations

import sys
import types

import pytest

from cspsim.sim import MS, Cost, Sim


def run_timeline():
    """Producer sends 0..3 at 10, 20, 30, 40 ms into a 2-slot queue; the consumer takes one at
    25, 45, 65, 85 ms. At 40 ms the queue is full, so the producer parks until 45 ms, when the
    receive takes the head and moves the parked value to the tail."""
    sim = Sim(seed=1, cost=Cost.zero())

    def main():
        q = sim.chan(2, name="q")
        wg = sim.waitgroup()

        def producer():
            for i in range(4):
                yield sim.sleep(10 * MS)
                yield q.send(i)
            wg.done()

        def consumer():
            yield sim.sleep(25 * MS)
            for i in range(4):
                if i:
                    yield sim.sleep(20 * MS)
                sim.print((yield q.recv()), sim.now // MS)
            wg.done()

        wg.add(2)
        sim.go(producer, name="producer")
        sim.go(consumer, name="consumer")
        yield wg.wait()

    return sim.run(main)


def test_channel_metrics() -> None:
    r = run_timeline()
    assert r.lines == ["0 25", "1 45", "2 65", "3 85"]
    m = r.metrics
    assert m is not None and m.duration_ns == 85 * MS
    (q,) = m.channels
    assert (q["name"], q["cap"], q["sent"], q["received"], q["max_len"]) == ("q", 2, 4, 4, 2)
    assert m.latencies["q"] == [15 * MS, 25 * MS, 35 * MS, 45 * MS]
    assert q["latency"]["mean"] == 30 * MS and q["latency"]["max"] == 45 * MS
    assert m.occupancy["q"] == [(0, 0), (10 * MS, 1), (20 * MS, 2), (25 * MS, 1), (30 * MS, 2),
                                (65 * MS, 1), (85 * MS, 0)]
    assert q["mean_len"] == pytest.approx(115 / 85)
    assert m.throughput == pytest.approx(4 / 0.085)


def test_goroutine_metrics() -> None:
    m = run_timeline().metrics
    assert m is not None
    by_name = {g["name"]: g for g in m.goroutines}
    assert by_name["producer"]["blocked"] == {"sleep": 40 * MS, "chan send": 5 * MS}
    assert by_name["consumer"]["blocked"] == {"sleep": 85 * MS}
    assert by_name["main"]["blocked"] == {"semacquire": 85 * MS}
    assert by_name["producer"]["ended_ns"] == 45 * MS
    assert m.blocked_by_reason() == {"chan send": 5 * MS, "semacquire": 85 * MS, "sleep": 125 * MS}
    assert m.goroutine_count == [(0, 1), (0, 2), (0, 3), (45 * MS, 2), (85 * MS, 1), (85 * MS, 0)]
    assert "4 messages" in m.summary()


def test_metrics_off() -> None:
    sim = Sim(seed=1, metrics=False, record=False)
    c = sim.chan(1)
    sim.go(lambda: (yield c.send(1)))
    r = sim.run()
    assert r.metrics is None and r.events == [] and r.trace.steps == []


def test_dataframes_use_pandas_when_present(monkeypatch: pytest.MonkeyPatch) -> None:
    m = run_timeline().metrics
    assert m is not None
    fake = types.ModuleType("pandas")
    fake.DataFrame = lambda rows, columns=None: ("frame", rows, columns)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "pandas", fake)
    kind, rows, _ = m.dataframe("latency")
    assert kind == "frame" and [r["latency_ns"] for r in rows] == m.latencies["q"]
    _, rows, _ = m.dataframe("goroutines")
    assert {"blocked:sleep", "running_ns"} <= set(rows[0]) | set(rows[1])
    _, rows, cols = m.dataframe("goroutine_count")
    assert cols == ["t_ns", "goroutines"] and rows == m.goroutine_count
    with pytest.raises(ValueError):
        m.dataframe("nope")


def test_dataframe_without_pandas_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    m = run_timeline().metrics
    assert m is not None
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="pip install pandas"):
        m.dataframe()
