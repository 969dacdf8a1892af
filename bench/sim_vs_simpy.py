"""cspsim.sim against SimPy on the same two networks, in one run.

1. pipeline: producer -> stage -> stage -> consumer over three buffered channels;
2. fan-out/fan-in: a source feeds W workers through one shared channel, they feed a sink
   through another.

SimPy models each channel as ``simpy.Store(env, capacity=CAP)`` (``yield store.put(x)`` /
``x = yield store.get()``), the simulator as ``sim.chan(CAP)``. Both move the same items and
both results are checked (count and sum). "Events" are channel operations (one put or get, one
send or receive), about 10**6 per network by default; the rate is operations per second of
this process's CPU time (``time.process_time``, so other processes on a shared machine do not
distort it), best of ``--repeat`` runs. The simulator runs with ``record=False, metrics=False``
(its fast mode: SimPy records nothing either) and, in the last columns, with the event log and
the metrics on (its default).

    python bench/sim_vs_simpy.py            # 10**6 operations per network, best of 3
    python bench/sim_vs_simpy.py --ops 200000 --repeat 1
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable

import simpy

from cspsim.sim import Sim

CAP = 16
WORKERS = 4


# ---------------------------------------------------------------- pipeline (6 operations per item)


def sim_pipeline(n: int, **opts: object) -> tuple[int, int]:
    sim = Sim(seed=1, **opts)  # type: ignore[arg-type]
    a, b, c = sim.chan(CAP), sim.chan(CAP), sim.chan(CAP)
    out = [0, 0]

    def producer():
        for i in range(n):
            yield a.send(i)
        a.close()

    def stage(src, dst):
        while True:
            v, ok = yield src.recv_ok()
            if not ok:
                dst.close()
                return
            yield dst.send(v)

    def consumer():
        while True:
            v, ok = yield c.recv_ok()
            if not ok:
                return
            out[0] += 1
            out[1] += v

    sim.go(producer)
    sim.go(stage, a, b)
    sim.go(stage, b, c)
    sim.go(consumer)
    r = sim.run()
    assert r.outcome == "done", r.report()
    if r.metrics is not None:  # computed on first access: count it in
        assert r.metrics.messages == out[0] * (3 if len(r.metrics.channels) == 3 else 2)
    return out[0], out[1]


def simpy_pipeline(n: int) -> tuple[int, int]:
    env = simpy.Environment()
    a, b, c = (simpy.Store(env, capacity=CAP) for _ in range(3))
    out = [0, 0]
    stop = object()

    def producer():
        for i in range(n):
            yield a.put(i)
        yield a.put(stop)

    def stage(src, dst):
        while True:
            v = yield src.get()
            yield dst.put(v)
            if v is stop:
                return

    def consumer():
        while True:
            v = yield c.get()
            if v is stop:
                return
            out[0] += 1
            out[1] += v

    env.process(producer())
    env.process(stage(a, b))
    env.process(stage(b, c))
    env.process(consumer())
    env.run()
    return out[0], out[1]


# ---------------------------------------------------------------- fan-out/fan-in (4 operations per item)


def sim_fan(n: int, **opts: object) -> tuple[int, int]:
    sim = Sim(seed=1, **opts)  # type: ignore[arg-type]
    jobs, results = sim.chan(CAP), sim.chan(CAP)
    wg = sim.waitgroup()
    out = [0, 0]

    def source():
        for i in range(n):
            yield jobs.send(i)
        jobs.close()

    def worker():
        while True:
            v, ok = yield jobs.recv_ok()
            if not ok:
                wg.done()
                return
            yield results.send(v)

    def closer():
        yield wg.wait()
        results.close()

    def sink():
        while True:
            v, ok = yield results.recv_ok()
            if not ok:
                return
            out[0] += 1
            out[1] += v

    sim.go(source)
    for _ in range(WORKERS):
        wg.add(1)
        sim.go(worker)
    sim.go(closer)
    sim.go(sink)
    r = sim.run()
    assert r.outcome == "done", r.report()
    if r.metrics is not None:  # computed on first access: count it in
        assert r.metrics.messages == out[0] * (3 if len(r.metrics.channels) == 3 else 2)
    return out[0], out[1]


def simpy_fan(n: int) -> tuple[int, int]:
    env = simpy.Environment()
    jobs, results = simpy.Store(env, capacity=CAP), simpy.Store(env, capacity=CAP)
    out = [0, 0]
    stop = object()

    def source():
        for i in range(n):
            yield jobs.put(i)
        for _ in range(WORKERS):
            yield jobs.put(stop)

    def worker():
        while True:
            v = yield jobs.get()
            yield results.put(v)
            if v is stop:
                return

    def sink():
        stopped = 0
        while stopped < WORKERS:
            v = yield results.get()
            if v is stop:
                stopped += 1
                continue
            out[0] += 1
            out[1] += v

    env.process(source())
    for _ in range(WORKERS):
        env.process(worker())
    env.process(sink())
    env.run()
    return out[0], out[1]


# ---------------------------------------------------------------- driver


def timed(fn: Callable[[], tuple[int, int]], repeat: int) -> tuple[float, tuple[int, int]]:
    best = float("inf")
    res = (0, 0)
    for _ in range(repeat):
        gc.collect()
        t = time.process_time()
        res = fn()
        best = min(best, time.process_time() - t)
    return best, res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--ops", type=int, default=1_000_000, help="channel operations per network")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each model; the fastest counts")
    args = ap.parse_args()
    rows = []
    for name, per_item, ours, theirs in (
        ("pipeline", 6, sim_pipeline, simpy_pipeline),
        ("fan-out/fan-in", 4, sim_fan, simpy_fan),
    ):
        n = args.ops // per_item
        ops = n * per_item
        t_simpy, r_simpy = timed(lambda theirs=theirs, n=n: theirs(n), args.repeat)
        t_sim, r_sim = timed(lambda ours=ours, n=n: ours(n, record=False, metrics=False), args.repeat)
        t_full, r_full = timed(lambda ours=ours, n=n: ours(n), args.repeat)
        expect = (n, n * (n - 1) // 2)
        assert r_simpy == r_sim == r_full == expect, (r_simpy, r_sim, r_full, expect)
        rows.append((name, ops, t_simpy, t_sim, t_full))
    print(f"{'network':16} {'operations':>10} {'SimPy ev/s':>12} {'cspsim ev/s':>12} {'ratio':>6}"
          f" {'cspsim+log+metrics':>19} {'ratio':>6}")
    for name, ops, t_simpy, t_sim, t_full in rows:
        print(f"{name:16} {ops:>10,} {ops / t_simpy:>12,.0f} {ops / t_sim:>12,.0f} {t_simpy / t_sim:>5.1f}x"
              f" {ops / t_full:>19,.0f} {t_simpy / t_full:>5.1f}x")


if __name__ == "__main__":
    main()
