# ---
# jupyter:
#   jupytext:
#     formats: py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Checking Go concurrency patterns: what can go wrong, and how often it does
#
# Two models from `models/`, each the abstraction of a real Go pattern:
#
# * `go_timeout_leak.csp` — a call that waits for a worker's result with a timeout;
# * `go_informer.csp` — the Kubernetes shared informer's fan-out to listeners.
#
# For each, the **checker** answers *can it go wrong?* with a proof or a shortest counterexample,
# shown per goroutine with Go's wait reasons and as a sequence chart. Then the **simulator** runs
# the same program the way the Go runtime would (Go 1.19 scheduling, virtual time, a seed) and
# answers *what does it do, and how often?*.
#
# Every claim in the text is computed below and checked with `assert`: if the notebook runs to the
# end (in Jupyter, as `python notebooks/checking_go_patterns.py`, or in the test suite), its text is
# true of the current cspsim.

# %%
import math
import random

from _support import done_with, models_dir, plt, show, wait_reason

import cspsim
from cspsim.sim import MS, US, Cost, Sim


def print_results(results):
    """One line per assertion; for ``assert not``, also whether the property itself held."""
    for i, r in enumerate(results, 1):
        note = f" (the property {'holds' if r.holds else 'fails'})" if r.negated else ""
        print(f"#{i} {r.status:4} {r.stats.states:6} states  {r.assertion}{note}")


MODELS = models_dir()

# %% [markdown]
# ## 1. A timeout that leaks a goroutine
#
# ```go
# func call(result chan int) {
#     go func() { result <- work() }()
#     select {
#     case r := <-result: use(r)
#     case <-time.After(timeout):      // gives up
#     }
# }
# ```
#
# If `result` is unbuffered and the call gives up, nobody will ever receive the worker's result:
# the worker blocks forever in its send. Go's runtime never reports it (the server goes on), so
# the leak shows only as memory and goroutine counts creeping up. The model has the call with an
# unbuffered channel (`LEAKY`) and with a channel of capacity 1 (`FIXED`):

# %%
print((MODELS / "go_timeout_leak.csp").read_text().split("\n\n", 2)[2])
timeout_model = cspsim.load(MODELS / "go_timeout_leak.csp")
timeout_results = timeout_model.check_all()
print_results(timeout_results)
leaky_deadlock, leaky_leak, fixed_deadlock, fixed_leak = timeout_results

# %% [markdown]
# `LEAKY` is deadlock-free — the program as a whole never stops, which is why Go's deadlock detector
# is silent — but it is not leak-free. The counterexample names the leaked goroutine, where it is
# blocked and why; `FIXED` is proved leak-free over every interleaving and every timing.

# %%
assert leaky_deadlock.status == "pass" and leaky_leak.status == "fail"
assert fixed_deadlock.status == "pass" and fixed_leak.status == "pass"
ce = leaky_leak.counterexample
print(leaky_leak.message)
print("trace:", ce.describe())
for name, state in zip(ce.components, ce.final_states):
    print(f"  {name:18} {state}")
show(leaky_leak, "(in Jupyter: the verdict and the counterexample's sequence chart)")

leaked = ce.annotations["leaked"]
leaked_reason = wait_reason(ce.final_states[ce.components.index(leaked)])
assert leaked.endswith("WORKER(result)") and leaked_reason == "chan send"
# the counterexample relies on the timer: the checker has no clock, so `after` may fire at any
# moment — the simulator below says how often it does.
assert ce.events == ["after"]

# %% [markdown]
# ### How often does Go leak, and what does it cost?
#
# The simulator runs the server: 200 calls in a row, each spawning a worker whose work takes an
# exponentially distributed time (mean 8 ms, drawn from the seed), with a 10 ms timeout, and 1 ms
# of other work between calls. The Go runtime would abandon every worker that outlasts its timeout;
# the chance of that is `exp(-10/8)` for each call.

# %%
TIMEOUT, MEAN_WORK, CALLS, GAP = 10 * MS, 8 * MS, 200, 1 * MS


def serve(capacity, seed):
    """The server on the simulator: ``capacity`` of each call's result channel (0 = LEAKY, 1 = FIXED)."""
    sim = Sim(seed=seed)
    rng = random.Random(seed)
    durations = [round(rng.expovariate(1 / MEAN_WORK)) for _ in range(CALLS)]
    gave_up = []

    def worker(result, d):
        yield sim.sleep(d)  # work()
        yield result.send(1)

    def main():
        for n, d in enumerate(durations):
            result = sim.chan(capacity)
            sim.go(worker, result, d, name="worker")
            case, _, _ = yield sim.select(result.recv(), sim.after(TIMEOUT).recv())
            if case == 1:
                gave_up.append(n)
            yield sim.sleep(GAP)  # the server's other work
        yield sim.sleep(max(durations))  # long enough for every worker to finish its work

    return sim.run(main), gave_up, durations


leaky_run, leaky_gave_up, durations = serve(0, seed=1)
fixed_run, fixed_gave_up, _ = serve(1, seed=1)
for label, run, gave_up in (("LEAKY", leaky_run, leaky_gave_up), ("FIXED", fixed_run, fixed_gave_up)):
    peak = max(n for _, n in run.metrics.goroutine_count)
    print(f"{label}: {len(gave_up)} of {CALLS} calls timed out; {len(run.leaks)} goroutines leaked; "
          f"peak {peak} live goroutines")
print(leaky_run.report().splitlines()[0])
for g in leaky_run.leaks[:3]:
    print(f"  goroutine {g.id} {g.name} [{g.state}]")

# The same seed gives the same calls and the same timeouts; only the channel's capacity differs.
assert leaky_gave_up == fixed_gave_up and leaky_gave_up
assert len(leaky_run.leaks) == len(leaky_gave_up)  # one leaked worker per timeout ...
assert {g.state for g in leaky_run.leaks} == {"chan send"}  # ... each blocked in its send
assert fixed_run.leaks == []
# the leaked goroutines pile up: the live count only comes down in FIXED
peak = {label: max(n for _, n in run.metrics.goroutine_count) for label, run in (("LEAKY", leaky_run),
                                                                                   ("FIXED", fixed_run))}
assert peak["LEAKY"] >= len(leaky_gave_up) > 10 * peak["FIXED"]

# %%
if plt is not None:
    fig, ax = plt.subplots(figsize=(8, 3.5))
    for label, run in (("LEAKY (unbuffered)", leaky_run), ("FIXED (capacity 1)", fixed_run)):
        ts, ns = zip(*run.metrics.goroutine_count)
        ax.step([t / MS for t in ts], ns, where="post", label=label)
    ax.set(xlabel="virtual time (ms)", ylabel="live goroutines", title="goroutines over time, 200 calls")
    ax.legend()
    done_with(fig)
else:
    print("live goroutines, sampled every 200 ms of virtual time:")
    for label, run in (("LEAKY", leaky_run), ("FIXED", fixed_run)):
        counts, samples, i = run.metrics.goroutine_count, [], 0
        for t in range(0, run.end_ns + 1, 200 * MS):
            while i + 1 < len(counts) and counts[i + 1][0] <= t:
                i += 1
            samples.append(counts[i][1])
        print(f"  {label}: {samples}")

# %% [markdown]
# A call gives up when its work outlasts the timeout — or *almost* outlasts it: an idle Go runtime
# notices a due timer late (80 µs on average where the cost model was measured) and fires every
# timer due by then in one batch. The simulator's cost model does the same with a fixed
# `timer_wake` of 80 µs, so a worker that finishes less than that before the deadline can still
# lose the race:

# %%
WAKE = Cost().timer_wake
outlasted = [n for n, d in enumerate(durations) if d > TIMEOUT]
near_misses = [n for n in leaky_gave_up if durations[n] <= TIMEOUT]
print(f"seed 1: {len(outlasted)} calls whose work outlasted the timeout, {len(leaky_gave_up)} that gave up; "
      f"the others finished {', '.join(f'{(TIMEOUT - durations[n]) / US:.0f} µs' for n in near_misses)} "
      "before the deadline")
assert set(outlasted) <= set(leaky_gave_up)
assert all(TIMEOUT - durations[n] < WAKE for n in near_misses)

# %% [markdown]
# Over many seeds, then, the fraction of calls that leak a goroutine should be the probability that
# the work outlasts the timeout, plus a small bias from those near misses, well inside the
# statistical margin:

# %%
SEEDS = range(20)
leaks = sum(len(serve(0, seed)[0].leaks) for seed in SEEDS)
calls = CALLS * len(SEEDS)
expected = math.exp(-TIMEOUT / MEAN_WORK)
sigma = math.sqrt(expected * (1 - expected) / calls)
print(f"{leaks} leaks in {calls} calls over {len(SEEDS)} seeds: {leaks / calls:.4f} "
      f"(P[work > timeout] = {expected:.4f} ± {sigma:.4f})")
assert abs(leaks / calls - expected) < 4 * sigma

# %% [markdown]
# ## 2. The shared informer: one slow listener stalls them all
#
# In client-go's shared informer, a distributor hands every event to each listener while holding a
# read lock; each listener has a `pop` goroutine that buffers notifications and a `run` goroutine
# that calls the handler. client-go's buffer is unbounded. The model asks what happens if it were
# bounded (`BOUNDED`, one pending notification) and listener 0's handler hangs:

# %%
informer = cspsim.load(MODELS / "go_informer.csp")
informer_results = informer.check_all()
print_results(informer_results)
unb_deadlock, unb_listener1, bnd_deadlock, bnd_listener1, bnd_panic = informer_results
assert unb_deadlock.status == "pass" and unb_listener1.status == "pass"
assert bnd_deadlock.status == "fail" and bnd_listener1.status == "pass" and bnd_listener1.holds is False

# %% [markdown]
# With the unbounded buffer the program never deadlocks, although listener 0's handler hangs in
# both variants, and listener 1 can handle all three events. With a bounded one, the hung handler
# deadlocks the *whole* program — including listener 1, whose handler is fine: it can never handle
# the third event. The shortest counterexample, per goroutine:

# %%
ce = bnd_deadlock.counterexample
print(bnd_deadlock.message)
print("trace:", ce.describe())
for name, state in zip(ce.components, ce.final_states):
    print(f"  {name:20} {state}")
print(bnd_listener1.message)
show(bnd_deadlock, "(in Jupyter: the verdict and the counterexample's sequence chart)")


def role(goroutine):
    """The checker's goroutine name -> the simulator's: 'g1 POP(0, <>, 1)' -> 'POP(0)',
    'g2 HANGING_RUN(0)' -> 'RUN(0)' (the simulator's listener 0 hangs in its handler)."""
    name = goroutine.split(" ", 1)[-1].replace("HANGING_", "")
    return name.split(",")[0] + ")" if "," in name else name


checker_reasons = {role(name): wait_reason(state) for name, state in zip(ce.components, ce.final_states)}
print(checker_reasons)

# %% [markdown]
# ### The same program on the simulator
#
# The informer in Python, on the simulator: `pop` is a two-case `select` whose cases are switched
# off with nil channels, exactly as in client-go.


# %%
def informer_sim(bound, handler_ns, events, gap=0, seed=1):
    """Distribute ``events`` (one every ``gap`` ns) to two listeners with ``bound`` pending slots each;
    ``handler_ns[i]`` is listener i's handler time, or None for a handler that never returns."""
    sim = Sim(seed=seed)
    handled = {0: {}, 1: {}}

    def main():
        lock = sim.rwmutex(name="listenersLock")
        add = [sim.chan(name=f"add.{i}") for i in (0, 1)]
        nxt = [sim.chan(name=f"next.{i}") for i in (0, 1)]
        wg = sim.waitgroup()
        wg.add(sum(events for h in handler_ns if h is not None))

        def pop(i):
            pending = []
            while True:
                case, value, _ = yield sim.select(
                    nxt[i].send(pending[0]) if pending else sim.nil.send(None),
                    add[i].recv() if len(pending) < bound else sim.nil.recv())
                if case == 0:
                    pending.pop(0)
                else:
                    pending.append(value)

        def run(i):
            while True:
                e = yield nxt[i].recv()
                if handler_ns[i] is None:
                    yield sim.block()  # the handler never returns
                yield sim.sleep(handler_ns[i])
                handled[i][e] = sim.now
                wg.done()

        for i in (0, 1):
            sim.go(pop, i, name=f"POP({i})")
            sim.go(run, i, name=f"RUN({i})")
        for e in range(events):  # the distributor
            if e * gap > sim.now:
                yield sim.sleep(e * gap - sim.now)  # event e happens at e * gap
            yield lock.rlock()
            for i in (0, 1):
                yield add[i].send(e)
            lock.runlock()
        yield wg.wait()

    return sim.run(main), handled


hung, _ = informer_sim(bound=1, handler_ns=[None, 100 * US], events=3)
print(hung.report())
sim_reasons = {g.name: g.state for g in hung.goroutines}
print(f"{'goroutine':10} {'checker':18} {'simulator':18}")
for name, reason in checker_reasons.items():
    print(f"{name:10} {reason:18} {sim_reasons[name]:18}")

# %% [markdown]
# The simulator dies with Go's fatal error, and every goroutine is blocked for the same reason as
# in the checker's counterexample, with one difference of naming: where a `select` has only one
# case left enabled, the checker names that case (`chan send`, `chan receive`) — in CSPM a guarded-off
# case is simply absent — while Go, and so the simulator, still reports `select`.

# %%
assert hung.outcome == "deadlock" and hung.message == "fatal error: " + bnd_deadlock.message
assert set(checker_reasons) == {g.name for g in hung.goroutines}
for name, reason in checker_reasons.items():
    sim_reason = sim_reasons[name]
    assert sim_reason == reason or (sim_reason == "select" and reason in ("chan send", "chan receive")), name

# %% [markdown]
# ### A slow handler instead of a hung one
#
# The checker's verdict is about a handler that never returns. A handler that is merely slow does
# not deadlock anything, but the simulator shows what the bound costs: 40 events, one per
# millisecond; listener 0's handler takes 5 ms, listener 1's 0.1 ms. How late does listener 1 see
# each event, and how long is the distributor blocked?

# %%
EVENTS, GAP_EVENTS = 40, 1 * MS
slow = {}
for bound in (1, EVENTS):
    run, handled = informer_sim(bound, [5 * MS, 100 * US], EVENTS, gap=GAP_EVENTS)
    assert run.outcome == "exit" and sorted(handled[1]) == list(range(EVENTS))
    delay = [handled[1][e] - e * GAP_EVENTS for e in range(EVENTS)]
    distributor = next(g for g in run.metrics.goroutines if g["name"] == "main")
    slow[bound] = {"delay": delay, "send_blocked": distributor["blocked"].get("chan send", 0)}
    print(f"bound {bound:2}: listener 1 sees events {sum(delay) / EVENTS / MS:6.2f} ms late on average, "
          f"{max(delay) / MS:6.2f} ms at worst; the distributor is blocked sending for "
          f"{slow[bound]['send_blocked'] / MS:8.3f} ms")

# With room for every event, listener 1 is as quick as its own handler: 0.1 ms, plus two late timer
# wake-ups (the distributor's and the handler's sleeps: `timer_wake` in the cost model) and a few
# microseconds of runtime. With one slot, it is
# dragged to listener 0's pace and falls further behind with every event.
assert max(slow[EVENTS]["delay"]) < 100 * US + 2 * Cost().timer_wake + 10 * US
assert slow[1]["delay"][-1] > 20 * max(slow[EVENTS]["delay"])
# and the distributor: blocked for a few microseconds of hand-offs in all, or for most of the run
assert slow[EVENTS]["send_blocked"] < 10 * US and slow[1]["send_blocked"] > EVENTS * GAP_EVENTS

# %%
if plt is not None:
    fig, ax = plt.subplots(figsize=(8, 3.5))
    for bound, d in slow.items():
        ax.plot(range(EVENTS), [x / MS for x in d["delay"]], marker=".", label=f"pending bound {bound}")
    ax.set(xlabel="event", ylabel="ms late at listener 1", title="listener 1's delay, listener 0 slow")
    ax.legend()
    done_with(fig)
else:
    print("listener 1's delay (ms) for every 5th event:")
    for bound, d in slow.items():
        print(f"  bound {bound:2}: " + " ".join(f"{x / MS:6.2f}" for x in d["delay"][::5]))

# %% [markdown]
# ## Summary
#
# * The checker proves `FIXED` leak-free and the unbounded informer deadlock-free for every
#   interleaving and every timing, and gives the shortest way to the leak and the deadlock in the
#   others, goroutine by goroutine.
# * The simulator turns "can" into "how often" and "how much": one leaked goroutine per timed-out
#   call, at the rate the work's distribution predicts; a slow listener that drags every other
#   listener to its pace.

# %%
RESULTS = {  # read by tests/notebooks/test_notebooks.py
    "timeout_verdicts": [r.status for r in timeout_results],
    "timeout_leaked_reason": leaked_reason,
    "leaks_one_seed": {"LEAKY": len(leaky_run.leaks), "FIXED": len(fixed_run.leaks), "timeouts": len(leaky_gave_up)},
    "leak_fraction": leaks / calls,
    "leak_expected": expected,
    "informer_verdicts": [r.status for r in informer_results],
    "informer_sim_outcome": hung.outcome,
    "informer_reasons": {"checker": checker_reasons, "simulator": {n: sim_reasons[n] for n in checker_reasons}},
    "listener1_max_delay_ms": {bound: max(d["delay"]) / MS for bound, d in slow.items()},
}
print(RESULTS)
