"""Assertions: every property form of the issue checked on processes with known verdicts."""

from __future__ import annotations

import pytest

import cspsim

PHILOSOPHERS = """
N = {n}
PHILS = {{0..N-1}}
channel pick, put : PHILS.PHILS
channel sit, rise : PHILS
FORK(j) = pick.j.j -> put.j.j -> FORK(j) [] pick.((j-1+N)%N).j -> put.((j-1+N)%N).j -> FORK(j)
-- naive: everybody picks up the left fork first
PHIL(i) = pick.i.i -> pick.i.((i+1)%N) -> put.i.i -> put.i.((i+1)%N) -> PHIL(i)
-- asymmetric: the last philosopher picks up the right fork first
APHIL(i) = if i == N-1
           then pick.i.((i+1)%N) -> pick.i.i -> put.i.i -> put.i.((i+1)%N) -> APHIL(i)
           else PHIL(i)
-- with a butler seating at most N-1 philosophers
BPHIL(i) = sit.i -> pick.i.i -> pick.i.((i+1)%N) -> put.i.i -> put.i.((i+1)%N) -> rise.i -> BPHIL(i)
BUTLER(k) = k < N-1 & sit?i -> BUTLER(k+1) [] k > 0 & rise?i -> BUTLER(k-1)
FORKS = ||| j : PHILS @ FORK(j)
NAIVE = (||| i : PHILS @ PHIL(i)) [| {{| pick, put |}} |] FORKS
ASYM = (||| i : PHILS @ APHIL(i)) [| {{| pick, put |}} |] FORKS
SEATED = ((||| i : PHILS @ BPHIL(i)) [| {{| pick, put |}} |] FORKS) [| {{| sit, rise |}} |] BUTLER(0)
"""


@pytest.mark.parametrize("n", [3, 4])
def test_dining_philosophers(n: int) -> None:
    model = cspsim.load(PHILOSOPHERS.format(n=n) + """
assert NAIVE :[deadlock free [F]]
assert ASYM :[deadlock free [F]]
assert SEATED :[deadlock free]
assert SEATED :[divergence free]
assert not NAIVE :[deadlock free [FD]]
""")
    results = model.check_all()
    assert [r.status for r in results] == ["fail", "pass", "pass", "pass", "pass"]
    naive = results[0]
    assert naive.counterexample is not None
    # The shortest deadlock: every philosopher holds their left fork.
    assert naive.counterexample.events == [f"pick.{i}.{i}" for i in range(n)]
    assert naive.counterexample.annotations["kind"] == "deadlock"


DIVERGE = """
channel a, b
P = a -> P
LOOP = P \\ {a}
Q = b -> LOOP
R = a -> R [] b -> STOP
"""


def test_divergence_by_hiding_a_loop() -> None:
    model = cspsim.load(DIVERGE + """
assert LOOP :[divergence free]
assert Q :[livelock free]
assert R \\ {b} :[divergence-free]
assert R \\ {a} :[livelock-free]
assert not Q :[divergence free]
assert LOOP :[deadlock free [F]]
assert LOOP :[deadlock free [FD]]
assert LOOP :[deterministic [F]]
assert LOOP :[deterministic [FD]]
""")
    results = model.check_all()
    assert [r.status for r in results] == ["fail", "fail", "pass", "fail", "pass", "pass", "fail", "pass", "fail"]
    lasso = results[1].counterexample
    assert lasso is not None and lasso.events == ["b"] and lasso.loop_index is not None


DETERMINISM = """
channel a, b, c
DET = a -> b -> DET [] c -> STOP
NONDET1 = a -> STOP |~| b -> STOP
NONDET2 = a -> b -> STOP [] a -> c -> STOP
NONDET3 = (a -> STOP [> b -> STOP)
HIDDEN = (a -> b -> STOP [] c -> STOP) \\ {a}
"""


def test_determinism() -> None:
    model = cspsim.load(DETERMINISM + """
assert DET :[deterministic]
assert DET :[deterministic [F]]
assert NONDET1 :[deterministic [FD]]
assert NONDET2 :[deterministic [F]]
assert NONDET3 :[deterministic]
assert HIDDEN :[deterministic]
assert not NONDET2 :[deterministic]
assert RUN({a, b}) :[deterministic]
assert CHAOS({a}) :[deterministic]
""")
    assert [r.status for r in model.check_all()] == ["pass", "pass", "fail", "fail", "fail", "fail", "pass", "pass",
                                                      "fail"]
    ce = model.check(4).counterexample
    assert ce is not None and ce.events == ["a"]  # after <a>, b may be refused though it can happen


def test_has_trace_and_its_negation() -> None:
    model = cspsim.load("""
channel a, b
channel c : {0..2}
P = a -> c?x -> b -> P
assert P :[has trace]: <a, c.1, b, a>
assert P :[has trace]: <>
assert not P :[has trace]: <a, b>
assert P :[has trace]: <a, b>
assert (P \\ {a}) :[has trace]: <c.2, b, c.0>
""")
    assert [r.status for r in model.check_all()] == ["pass", "pass", "pass", "fail", "pass"]


def test_skip_is_deadlock_free_and_stop_is_not() -> None:
    model = cspsim.load("""
channel a
assert SKIP :[deadlock free]
assert STOP :[deadlock free [F]]
assert a -> SKIP :[deadlock-free [FD]]
assert (a -> SKIP) ; STOP :[deadlock free]
assert DIV :[deadlock free [F]]
assert DIV :[deadlock free [FD]]
""")
    assert [r.status for r in model.check_all()] == ["pass", "fail", "pass", "fail", "pass", "fail"]


def test_assertion_forms_parse_including_refinement() -> None:
    model = cspsim.load("""
channel a
P = a -> P
assert P [T= P
assert P [F= P
assert P [FD= P
assert not P [T= STOP
assert P :[deadlock free]
assert P :[deadlock free [F]]
assert P :[deadlock free [FD]]
assert P :[deadlock-free]
assert P :[divergence free]
assert P :[livelock free]
assert P :[deterministic]
assert P :[deterministic [F]]
assert P :[deterministic [FD]]
assert P :[has trace]: <a, a>
assert not P :[has trace]: <a, a>
""")
    kinds = [(a.decl.kind, a.decl.prop, a.decl.model, a.decl.negated) for a in model.assertions]
    assert kinds == [
        ("refine", None, "T", False), ("refine", None, "F", False), ("refine", None, "FD", False),
        ("refine", None, "T", True),
        ("property", "deadlock free", None, False), ("property", "deadlock free", "F", False),
        ("property", "deadlock free", "FD", False), ("property", "deadlock free", None, False),
        ("property", "divergence free", None, False), ("property", "divergence free", None, False),
        ("property", "deterministic", None, False), ("property", "deterministic", "F", False),
        ("property", "deterministic", "FD", False),
        ("has_trace", "has trace", None, False), ("has_trace", "has trace", None, True),
    ]
    statuses = [r.status for r in model.check_all()]
    assert statuses[4:] == ["pass"] * 10 + ["fail"]
