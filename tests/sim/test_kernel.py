"""The simulator kernel: determinism, replay, select, trace, leaks, errors, limits, versions."""

from __future__ import annotations

import pytest

from cspsim.sim import MS, US, Cost, GoPanic, ReplayError, Sim
from cspsim.trace import Trace


def noisy_program(sim: Sim):
    """Many random choices: selects over ready channels, context children, and (for P>1) steals."""

    def main():
        chans = [sim.chan(1, name=f"c{i}") for i in range(3)]
        parent, cancel = sim.with_cancel(sim.background())
        kids = [sim.with_cancel(parent)[0] for _ in range(3)]
        done = sim.chan()

        def watcher(i, ctx):
            yield ctx.done().recv()
            sim.print("kid", i, "cancelled")
            yield done.send(i)

        for i, k in enumerate(kids):
            sim.go(watcher, i, k)
        picks = []
        for _ in range(40):
            for c in chans:
                yield c.send(1)
            k, _, _ = yield sim.select(*(c.recv() for c in chans))
            picks.append(k)
            for j, c in enumerate(chans):
                if j != k:
                    yield c.recv()
        sim.print(picks)
        cancel()
        for _ in kids:
            yield done.recv()

    return main


def run_noisy(**kw):
    sim = Sim(**kw)
    return sim.run(noisy_program(sim))


def test_same_seed_same_run() -> None:
    a, b = run_noisy(seed=3), run_noisy(seed=3)
    assert a.stdout == b.stdout and a.events == b.events and a.choices == b.choices
    assert run_noisy(seed=4).stdout != a.stdout


def test_replay_follows_the_logged_choices() -> None:
    first = run_noisy(seed=3)
    kinds = {what for what, _, _ in first.choice_log}
    assert kinds == {"select", "context children"}
    again = run_noisy(seed=999, replay=first.choices)
    assert again.stdout == first.stdout and again.events == first.events
    from_trace = run_noisy(seed=12345, replay=first.trace)
    assert from_trace.events == first.events


def test_replay_that_diverges_is_an_error() -> None:
    first = run_noisy(seed=3)
    with pytest.raises(ReplayError, match="more choices"):
        run_noisy(seed=3, replay=first.choices[:5])
    bad = list(first.choices)
    bad[0] = 7
    with pytest.raises(ReplayError, match="not among"):
        run_noisy(seed=3, replay=bad)


def test_replay_with_several_ps() -> None:
    first = run_noisy(seed=8, gomaxprocs=3)
    assert any(what == "steal order" for what, _, _ in first.choice_log)
    again = run_noisy(seed=1, gomaxprocs=3, replay=first.choices)
    assert again.events == first.events


def test_select_is_uniform_among_ready_cases() -> None:
    sim = Sim(seed=5, record=False, metrics=False)
    n = [0, 0, 0, 0]

    def main():
        chans = [sim.chan(1) for _ in range(4)]
        for c in chans:
            yield c.send(0)
        for _ in range(20000):
            k, _, _ = yield sim.select(*(c.recv() for c in chans))
            n[k] += 1
            yield chans[k].send(0)

    sim.run(main)
    expected = 5000
    chi2 = sum((x - expected) ** 2 / expected for x in n)
    assert chi2 < 16.27, n  # chi-square, 3 degrees of freedom, p = 0.001


def test_select_ignores_nil_cases_and_default() -> None:
    sim = Sim(seed=1)

    def main():
        c = sim.chan(1)
        yield c.send(5)
        got = yield sim.select(sim.nil.recv(), c.recv(), sim.nil.send(1))
        none = yield sim.select(sim.nil.recv(), c.recv(), default=True)
        sim.print(got, none)
        yield sim.select(sim.nil.recv(), sim.nil.send(2))

    r = sim.run(main)
    assert r.lines == ["[1 5 true] [-1 <nil> false]"]
    assert r.outcome == "deadlock" and r.leaks[0].state == "select"


def test_close_wakes_a_parked_select() -> None:
    sim = Sim(seed=1)

    def main():
        a, b = sim.chan(zero=0), sim.chan()

        def sel():
            got = yield sim.select(a.recv(), b.recv())
            sim.print("select", got)
            # its record on b was unlinked: b's sender must wait for someone else
            k, _, _ = yield sim.select(b.send(1), default=True)
            sim.print("b ready?", k == 0)

        sim.go(sel)
        yield sim.gosched()
        a.close()
        yield sim.gosched()

    assert sim.run(main).lines == ["select [0 0 false]", "b ready? false"]


def test_trace_is_the_shared_type() -> None:
    sim = Sim(seed=1)

    def main():
        c, b = sim.chan(name="c"), sim.chan(1, name="b")

        def worker():
            v = yield c.recv()
            yield b.send(v + 1)
            yield c.recv()

        sim.go(worker, name="worker")
        yield c.send(1)
        sim.print((yield b.recv()))
        b.close()

    r = sim.run(main)
    t = r.trace
    assert isinstance(t, Trace)
    assert t.events == ["c.1", "b!2", "b?2", "close(b)"]
    assert [s.movers for s in t.steps] == [(0, 1), (1,), (0,), (0,)]
    assert t.components == ["g1 main", "g6 worker"]
    assert t.final_states == ["dead", "chan receive"]
    assert t.annotations["outcome"] == "exit"
    assert t.annotations["leaks"][0]["state"] == "chan receive"
    assert t.to_json()["events"] == t.events


def test_leaked_goroutines_say_where_they_blocked() -> None:
    sim = Sim(seed=1)

    def main():
        c = sim.chan()

        def stuck():
            yield c.send(1)  # LEAK-LINE

        sim.go(stuck)
        yield sim.gosched()

    r = sim.run(main)
    assert r.outcome == "exit" and r.exit_code == 0
    (leak,) = r.leaks
    line = next(i for i, text in enumerate(open(__file__).read().splitlines(), 1) if "LEAK-LINE" in text
                and "next(" not in text)
    assert (leak.state, leak.name) == ("chan send", "stuck")
    assert leak.where.endswith(f"test_kernel.py:{line} in stuck")
    assert "goroutine 6 stuck [chan send]" in r.report()


def test_yielding_a_plain_call_result_is_explained() -> None:
    sim = Sim(seed=1)

    def main():
        c = sim.chan()
        yield c.close()

    with pytest.raises(TypeError, match="plain calls"):
        sim.run(main)


def test_yielding_a_generator_runs_it_as_a_call() -> None:
    sim = Sim(seed=1)

    def helper(c):
        yield c.send(2)
        return "helper done"

    def main():
        c = sim.chan(1)
        sim.print((yield helper(c)), (yield c.recv()))

    assert sim.run(main).lines == ["helper done 2"]


def test_panic_through_a_nested_call_reaches_recover() -> None:
    sim = Sim(seed=1)

    def main():
        once = sim.once()

        def init():
            yield sim.sleep(MS)
            sim.panic("boom")

        try:
            yield once.do(init)
        except GoPanic as p:
            sim.print("recovered", p.value)
        yield once.do(init)  # done even though init panicked: no second run
        sim.print("once is done")

    assert sim.run(main).lines == ["recovered boom", "once is done"]


def test_unrecovered_custom_panic() -> None:
    sim = Sim(seed=1)

    def main():
        def bad():
            yield sim.sleep(MS)
            sim.panic(42)

        sim.go(bad)
        yield sim.sleep(2 * MS)

    r = sim.run(main)
    assert (r.outcome, r.exit_code, r.message) == ("panic", 2, "panic: 42")
    assert r.stderr.splitlines()[2] == "goroutine 6 [running]:"


def test_python_errors_in_models_propagate_with_context() -> None:
    sim = Sim(seed=1)

    def main():
        yield sim.sleep(MS)
        raise ValueError("model bug")

    with pytest.raises(ValueError, match="model bug") as info:
        sim.run(main)
    assert any("goroutine 1 'main'" in n for n in info.value.__notes__)


def test_limits_until_and_max_ops() -> None:
    def forever(sim):
        def main():
            c = sim.chan()

            def echo():
                while True:
                    yield c.send((yield c.recv()))

            sim.go(echo)
            while True:
                yield c.send(1)
                yield c.recv()
        return main

    sim = Sim(seed=1)
    r = sim.run(forever(sim), max_ops=1000)
    assert (r.outcome, r.operations) == ("limit", 1000)
    sim = Sim(seed=1)
    r = sim.run(forever(sim), until=2 * MS)
    assert r.outcome == "until" and 2 * MS <= r.end_ns < 3 * MS


def test_sim_runs_once() -> None:
    sim = Sim()
    sim.run()
    with pytest.raises(RuntimeError, match="runs once"):
        sim.run()


def test_without_main_the_run_ends_when_goroutines_finish_or_block() -> None:
    sim = Sim(seed=1)
    c = sim.chan(1)
    sim.go(lambda: (yield c.send(1)))
    assert sim.run().outcome == "done"
    sim = Sim(seed=1)
    c = sim.chan()
    sim.go(lambda: (yield c.send(1)), name="lonely")
    r = sim.run()
    assert r.outcome == "deadlock" and [g.name for g in r.leaks] == ["lonely"]


def test_cost_model_sets_virtual_time() -> None:
    cost = Cost.zero().but(chan_op=100, park=10, switch=1000)
    sim = Sim(seed=1, cost=cost)

    def main():
        c = sim.chan(1)
        yield c.send(1)  # 100
        yield c.recv()  # 100
        yield sim.work(5 * US)  # 5000
        yield c.recv()  # 100 + park 10, then deadlock

    r = sim.run(main)
    # ... after which Go's finalizer goroutine (in runnext since start-up) runs once and parks
    assert r.end_ns == 100 + 100 + 5000 + 100 + 10 + 1000 + 10


def test_preemption_after_ten_milliseconds() -> None:
    def run(preempt: bool) -> list[str]:
        sim = Sim(seed=1, cost=Cost.zero(), preempt=preempt)

        def main():
            def other():
                sim.print("other runs at", sim.now // MS, "ms")

            sim.go(other)
            for _ in range(25):
                yield sim.work(MS)
            sim.print("main done at", sim.now // MS, "ms")

        return sim.run(main).lines

    assert run(True) == ["other runs at 10 ms", "main done at 25 ms"]
    assert run(False) == ["main done at 25 ms"]


def test_gomaxprocs_runs_work_in_parallel() -> None:
    def run(p: int):
        sim = Sim(seed=2, gomaxprocs=p, cost=Cost.zero())

        def main():
            wg = sim.waitgroup()
            res = sim.chan(100)

            def worker(i):
                for k in range(3):
                    yield sim.work(MS)
                    yield res.send(i * 10 + k)
                wg.done()

            for i in range(4):
                wg.add(1)
                sim.go(worker, i)
            yield wg.wait()
            res.close()
            got = []
            while True:
                v, ok = yield res.recv_ok()
                if not ok:
                    break
                got.append(v)
            sim.print(sorted(got))

        return sim.run(main)

    one, four = run(1), run(4)
    assert one.lines == four.lines
    assert one.end_ns == 12 * MS
    assert four.end_ns == 3 * MS
    assert run(4).events == four.events


def test_go_version_changes_timer_channels() -> None:
    def run(version: str):
        sim = Sim(seed=1, go_version=version)

        def main():
            t = sim.new_timer(MS)
            yield sim.sleep(2 * MS)
            sim.print(len(t.c), t.c.cap, t.stop())
            k, _, _ = yield sim.select(t.c.recv(), default=True)
            sim.print("stale" if k == 0 else "clean")

        return sim.run(main).lines

    assert run("1.19") == ["1 1 false", "stale"]
    assert run("1.23") == ["0 0 true", "clean"]
    with pytest.raises(ValueError, match="go_version"):
        Sim(go_version="1.12")


def test_wait_reasons_follow_the_go_version() -> None:
    def reasons(version: str) -> list[str]:
        sim = Sim(seed=1, go_version=version)

        def main():
            mu, rw, wg = sim.mutex(), sim.rwmutex(), sim.waitgroup()
            yield mu.lock()
            yield rw.rlock()
            wg.add(1)

            def locker():
                yield mu.lock()

            def writer():
                yield rw.lock()

            def waiter():
                yield wg.wait()

            for f in (locker, writer, waiter):
                sim.go(f)
            yield sim.gosched()

            def reader():
                yield rw.rlock()

            sim.go(reader)
            yield sim.block()

        return [g.state for g in sim.run(main).leaks]

    assert reasons("1.19") == ["select (no cases)", "semacquire", "semacquire", "semacquire", "semacquire"]
    assert reasons("1.23") == ["select (no cases)", "sync.Mutex.Lock", "sync.RWMutex.Lock", "semacquire",
                               "sync.RWMutex.RLock"]


def test_ticker_drops_ticks_for_a_slow_receiver() -> None:
    sim = Sim(seed=1, cost=Cost.zero())

    def main():
        tk = sim.new_ticker(10 * MS)
        yield sim.sleep(35 * MS)
        first = yield tk.c.recv()  # the 10 ms tick waited in the 1-slot buffer; 20 and 30 were dropped
        second = yield tk.c.recv()
        tk.stop()
        sim.print(first // MS, second // MS)

    assert sim.run(main).lines == ["10 40"]


def test_a_locator_names_where_goroutines_wait() -> None:
    """A model compiled to generators reports its own source positions through ``locator``."""
    where = {}

    def locate(g):
        return where.get(g.id)

    sim = Sim(seed=1, locator=locate)

    def main():
        c = sim.chan()

        def stuck():
            where[sim.current.id] = "model.csp:12:5"
            yield c.recv()

        sim.go(stuck)
        yield sim.gosched()

    (leak,) = sim.run(main).leaks
    assert leak.where == "model.csp:12:5"
