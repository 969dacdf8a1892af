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
# # Dining philosophers: exhaustive checking against testing by simulation
#
# `N` philosophers sit round a table with a fork between each pair of neighbours; each picks up
# its left fork, then its right, eats, and puts them down. If all pick up their left fork at once,
# nobody can ever eat: a deadlock. Two classic fixes: a **butler** who lets at most `N-1` sit at
# once, and an **asymmetric** table where one philosopher picks up the right fork first.
#
# This notebook asks the question two ways, on `models/philosophers.csp` and on the same table
# written as a Go program with `sync.Mutex` forks:
#
# * the **checker** explores every reachable state: it finds the deadlock at once, proves both fixes
#   deadlock-free, and its state counts are checked here against an independent count;
# * the **simulator** runs the Go program many times with different seeds — which is what testing
#   does — and counts how often the deadlock actually happens.
#
# Every claim in the text is computed below and checked with `assert`: if the notebook runs to the
# end (in Jupyter, as `python notebooks/dining_philosophers.py`, or in the test suite), its text is
# true of the current cspsim.

# %%
import random
import time

from _support import done_with, models_dir, plt, show

import cspsim
from cspsim.sim import MS, US, Sim

SOURCE = (models_dir() / "philosophers.csp").read_text()
print(SOURCE[SOURCE.index("N = 5"):SOURCE.index("\nassert ")])

# %% [markdown]
# ## The checker, for 2 to 5 philosophers
#
# The model fixes `N = 5`; the cell below loads it with each `N` in turn and checks the three
# tables for deadlock. `states` is how many states the breadth-first search visited: all reachable
# states when the property holds, and those visited until the first deadlock when it does not.

# %%
SIZES = range(2, 6)
checked = {}
for n in SIZES:
    assert SOURCE.count("N = 5") == 1
    model = cspsim.load(SOURCE.replace("N = 5", f"N = {n}"), name=f"philosophers(N={n})")
    checked[n] = {table: model.check_process(table, "deadlock free", "F") for table in ("SYSTEM", "BUTLERED", "ASYM")}

print(f"{'N':>2} | {'naive: verdict':>14} {'states':>7} {'steps':>5} | {'butler':>6} {'states':>7} {'s':>5} | "
      f"{'asym':>6} {'states':>7} {'s':>5}")
for n, r in checked.items():
    naive, butler, asym = r["SYSTEM"], r["BUTLERED"], r["ASYM"]
    print(f"{n:2} | {naive.status:>14} {naive.stats.states:7} {len(naive.counterexample.events):5} | "
          f"{butler.status:>6} {butler.stats.states:7} {butler.stats.seconds:5.2f} | "
          f"{asym.status:>6} {asym.stats.states:7} {asym.stats.seconds:5.2f}")

# %% [markdown]
# For every `N` the naive table deadlocks and the two fixes are deadlock-free. The shortest
# counterexample has exactly `2N` events: every philosopher sits and picks up its left fork — the
# textbook deadlock, found by the checker without being told what to look for.

# %%
for n, r in checked.items():
    ce = r["SYSTEM"].counterexample
    assert r["SYSTEM"].status == "fail" and r["BUTLERED"].status == "pass" and r["ASYM"].status == "pass"
    assert sorted(ce.events) == sorted([f"sit.{p}" for p in range(n)] + [f"pick.{p}.{p}" for p in range(n)])
ce5 = checked[5]["SYSTEM"].counterexample
print("N=5:", ce5.describe())
for name, state in zip(ce5.components, ce5.final_states):
    print(f"  {name:8} {state}")
show(ce5, "(in Jupyter: the counterexample's sequence chart, one lifeline per philosopher and fork)")

# %% [markdown]
# ### Are the state counts right? An independent count
#
# The state of the table is determined by where each philosopher is in its cycle
# (thinking → seated → has the first fork → has both → has eaten → has put down the second → has put
# down both → thinking); which fork is held by whom, and how many are seated, follow from that. A few
# lines of plain Python enumerate the reachable combinations directly, sharing nothing with cspsim:


# %%
def count_reachable(n, butler=False, asym=False):
    """Reachable states of the table by brute force: a state is each philosopher's step (0..6)."""
    def forks(p):
        left, right = p, (p + 1) % n
        return (right, left) if asym and p == n - 1 else (left, right)

    def held(state):
        taken = set()
        for p, s in enumerate(state):
            first, second = forks(p)
            if 2 <= s <= 5:  # picked the first fork, not yet put it down
                taken.add(first)
            if 3 <= s <= 4:  # picked the second, not yet put it down
                taken.add(second)
        return taken

    start = (0,) * n
    seen, todo = {start}, [start]
    while todo:
        state = todo.pop()
        taken, seated = held(state), sum(1 for s in state if s != 0)
        for p, s in enumerate(state):
            first, second = forks(p)
            enabled = {0: not butler or seated < n - 1, 1: first not in taken, 2: second not in taken}.get(s, True)
            if enabled:
                nxt = state[:p] + ((s + 1) % 7,) + state[p + 1:]
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
    return len(seen)


brute_force = {n: {"BUTLERED": count_reachable(n, butler=True), "ASYM": count_reachable(n, asym=True)} for n in SIZES}
print(f"{'N':>2} {'butler: checker':>16} {'brute force':>12} {'asym: checker':>14} {'brute force':>12}")
for n, r in checked.items():
    b, a = brute_force[n]["BUTLERED"], brute_force[n]["ASYM"]
    print(f"{n:2} {r['BUTLERED'].stats.states:16} {b:12} {r['ASYM'].stats.states:14} {a:12}")
    assert r["BUTLERED"].stats.states == b and r["ASYM"].stats.states == a
naive_total = {n: count_reachable(n) for n in SIZES}
print("naive table, all reachable states:", naive_total)
print("  visited by the checker before its first deadlock:",
      {n: r["SYSTEM"].stats.states for n, r in checked.items()})
assert all(r["SYSTEM"].stats.states < naive_total[n] for n, r in checked.items())

# %% [markdown]
# ## Testing: the same table as a Go program
#
# Forks are `sync.Mutex`es; a philosopher thinks and eats for exponentially distributed times
# (mean 1 ms, drawn from the seed), 10 meals each. The butler is a buffered channel with `N-1`
# seats used as a semaphore. Between picking up the first fork and reaching for the second, a
# philosopher may pause (`reach`) — think of any code between the two `Lock` calls.


# %%
def dine(n, table, seed, reach, meals=10):
    """One run of the Go program: the simulator's result, the meals eaten, and which fork each
    philosopher is waiting for at the end (None: not waiting for a fork)."""
    sim = Sim(seed=seed)
    rng = random.Random(seed)
    forks = [sim.mutex(name=f"fork{f}") for f in range(n)]
    seats = sim.chan(n - 1, name="seats")
    eaten = [0] * n
    waiting = [None] * n

    def philosopher(p):
        first, second = p, (p + 1) % n
        if table == "asym" and p == n - 1:
            first, second = second, first
        for _ in range(meals):
            yield sim.sleep(round(rng.expovariate(1 / MS)))  # think
            if table == "butler":
                yield seats.send(p)  # sit down
            waiting[p] = first
            yield forks[first].lock()
            if reach:
                yield sim.sleep(reach)
            waiting[p] = second
            yield forks[second].lock()
            waiting[p] = None
            yield sim.sleep(round(rng.expovariate(1 / MS)))  # eat
            eaten[p] += 1
            forks[second].unlock()
            forks[first].unlock()
            if table == "butler":
                yield seats.recv()  # get up

    for p in range(n):
        sim.go(philosopher, p, name=f"philosopher {p}")
    return sim.run(), eaten, waiting


N, RUNS = 5, 50
REACHES = [0, 100 * US, 1 * MS]
started = time.perf_counter()
tests = {(table, reach): [dine(N, table, seed, reach) for seed in range(RUNS)]
         for table in ("naive", "butler", "asym") for reach in REACHES}
elapsed = time.perf_counter() - started
deadlocks = {key: sum(run.outcome == "deadlock" for run, _, _ in runs) for key, runs in tests.items()}

print(f"{RUNS} runs per cell, N = {N}: runs that deadlocked ({elapsed:.1f} s for all {len(tests) * RUNS} runs)")
print(f"{'table':8}" + "".join(f"{'reach ' + str(r // US) + ' µs':>16}" for r in REACHES))
for table in ("naive", "butler", "asym"):
    print(f"{table:8}" + "".join(f"{deadlocks[table, r]:>13}/{RUNS}" for r in REACHES))

# %% [markdown]
# What testing sees:
#
# * The fixed tables never deadlocked in any run — consistent with the checker's proof, which
#   covers every interleaving, not just the ones these runs happened to take.
# * The naive table deadlocks only sometimes, and how often depends on a detail the model abstracts
#   away: with nothing between the two `Lock` calls, no run deadlocked at all — at `GOMAXPROCS=1` a
#   philosopher that gets its first fork goes on to the second without letting anyone else run — so
#   a test suite would pass; the longer the pause, the more runs deadlock. The model allows any
#   interleaving, so the checker reports the deadlock whatever the timing.
# * Every run that deadlocked ended exactly as the checker's counterexample does: each philosopher
#   holds one fork and waits for the next.

# %%
assert all(deadlocks[t, r] == 0 for t in ("butler", "asym") for r in REACHES)
assert deadlocks["naive", 0] == 0
assert deadlocks["naive", REACHES[-1]] > deadlocks["naive", REACHES[0]]
assert [deadlocks["naive", r] for r in REACHES] == sorted(deadlocks["naive", r] for r in REACHES)
for table in ("butler", "asym"):
    assert all(run.outcome == "done" and eaten == [10] * N for runs in
               (tests[table, r] for r in REACHES) for run, eaten, _ in runs)

stuck = [(run, eaten, waiting) for run, eaten, waiting in tests["naive", REACHES[-1]] if run.outcome == "deadlock"]
run, eaten, waiting = stuck[0]
print(run.report())
print("meals eaten before the deadlock:", eaten)
assert run.message == "fatal error: all goroutines are asleep - deadlock!"
print("fork each philosopher waits for:", waiting)
for run, _, waiting in stuck:
    # each philosopher waits in Lock (Go 1.19 calls that wait "semacquire") ...
    assert len(run.goroutines) == N and {g.state for g in run.goroutines} == {"semacquire"}
    # ... for its right fork, which its neighbour holds as its left
    assert waiting == [(p + 1) % N for p in range(N)]

meals = [sum(eaten) for run, eaten, _ in stuck]
print(f"naive, reach 1 ms: {len(stuck)} of {RUNS} runs deadlocked, after {min(meals)} to {max(meals)} "
      f"meals (of {N * 10})")

# %%
if plt is not None:
    fig, ax = plt.subplots(figsize=(7, 3.5))
    ax.hist(meals, bins=range(0, N * 10 + 2, 2), color="#c62828")
    ax.set(xlabel="meals eaten before the deadlock", ylabel="runs",
           title=f"naive table, reach 1 ms: {len(stuck)} of {RUNS} runs deadlocked")
    done_with(fig)
else:
    print("meals eaten before the deadlock (runs per bucket of 5 meals):")
    for lo in range(0, N * 10, 5):
        k = sum(lo <= m < lo + 5 for m in meals)
        print(f"  {lo:2}-{lo + 4:2}: {'#' * k}")

# %% [markdown]
# ## Summary
#
# * The checker finds the deadlock for every `N` with a shortest counterexample of `2N` events, and
#   proves both fixes deadlock-free; its state counts agree with an independent enumeration.
# * Testing by simulation finds the deadlock only when the timing opens the window, and never proves
#   its absence; it does say how likely a deadlock is under a given timing, which the checker cannot.

# %%
RESULTS = {  # read by tests/notebooks/test_notebooks.py
    "states": {n: {t: r.stats.states for t, r in tables.items()} for n, tables in checked.items()},
    "verdicts": {n: {t: r.status for t, r in tables.items()} for n, tables in checked.items()},
    "counterexample_length": {n: len(r["SYSTEM"].counterexample.events) for n, r in checked.items()},
    "brute_force": brute_force,
    "deadlocks": {f"{table} reach={reach}": k for (table, reach), k in deadlocks.items()},
    "runs": RUNS,
}
print(RESULTS)
