"""The packed engine against the reference BFS, on random CSPM models (hypothesis) and fixed ones.

The reference (:func:`cspsim.lts.explore.explore`, plain Python over tuples) is the executable
specification. With compression off, the packed engine must give the same result for every check:
status, states, transitions, depth and the counterexample step for step (same events, movers and
choices), including on early exit and on --max-states. With compression on, verdicts and
counterexample lengths must agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cspsim
from cspsim.errors import LimitReached
from cspsim.lts.compose import Machine
from cspsim.lts.explore import Limits, StateSpace, deadlock_search, explore
from cspsim.lts.fastexplore import STOP, GraphSpace, search

EVENTS = [f"e.{i}" for i in range(4)]
PROPS = [("deadlock free", "F"), ("deadlock free", "FD"), ("divergence free", None),
         ("deterministic", "F"), ("deterministic", "FD")]


@dataclass
class Spec:
    """A random script: components as explicit state tables, combined by a random operator tree."""

    text: str


def _component(draw: st.DrawFn, c: int) -> list[str]:
    n = draw(st.integers(1, 5))
    lines = []
    for s in range(n):
        kind = draw(st.sampled_from(["stop", "skip", "ext", "ext", "ext", "int", "timeout"]))
        name = f"P{c}_{s}"
        if kind == "stop":
            lines.append(f"{name} = STOP")
            continue
        if kind == "skip":
            lines.append(f"{name} = SKIP")
            continue
        branches = draw(st.lists(st.tuples(st.sampled_from(EVENTS), st.integers(0, n - 1)), min_size=1, max_size=3))
        parts = [f"({e} -> P{c}_{t})" for e, t in branches]
        op = {"ext": " [] ", "int": " |~| ", "timeout": " [> "}[kind]
        if kind == "timeout" and len(parts) > 2:
            parts = parts[:2]
        lines.append(f"{name} = " + op.join(parts))
    return lines


def _event_set(draw: st.DrawFn) -> str:
    return "{" + ", ".join(draw(st.lists(st.sampled_from(EVENTS), unique=True, max_size=3))) + "}"


def _tree(draw: st.DrawFn, comps: list[str]) -> str:
    if len(comps) == 1:
        term = comps[0]
    else:
        cut = draw(st.integers(1, len(comps) - 1))
        left, right = _tree(draw, comps[:cut]), _tree(draw, comps[cut:])
        op = draw(st.sampled_from(["gpar", "gpar", "inter", "apar"]))
        if op == "gpar":
            term = f"({left} [| {_event_set(draw)} |] {right})"
        elif op == "inter":
            term = f"({left} ||| {right})"
        else:
            term = f"({left} [ {_event_set(draw)} || {_event_set(draw)} ] {right})"
    wrap = draw(st.sampled_from(["none", "none", "hide", "rename"]))
    if wrap == "hide":
        term = f"({term} \\ {_event_set(draw)})"
    elif wrap == "rename":
        a, b = draw(st.sampled_from(EVENTS)), draw(st.sampled_from(EVENTS))
        term = f"{term}[[{a} <- {b}]]"
    return term


@st.composite
def scripts(draw: st.DrawFn) -> Spec:
    k = draw(st.integers(1, 5))
    lines = ["channel e : {0..3}"]
    for c in range(k):
        lines += _component(draw, c)
    lines.append("SYSTEM = " + _tree(draw, [f"P{c}_0" for c in range(k)]))
    return Spec("\n".join(lines) + "\n")


def _outcome(model: cspsim.Model, prop: str, sem: str | None, limits: Limits) -> dict[str, object]:
    """Everything a user sees of a check (times aside), or what a limit reported."""
    try:
        result = model.check_process("SYSTEM", prop, sem, limits)
    except LimitReached as lim:
        space = lim.extra.get("space")  # (the pair search behind determinism reports no space)
        return {"limit": lim.what, "states": lim.states, "transitions": lim.transitions,
                "depth": getattr(space, "depth", None)}
    return result.to_json() | {"seconds": 0, "peak_memory_mb": 0, "depth": result.stats.extra.get("depth")}


def _same_results(model: cspsim.Model, limits_extra: dict[str, object]) -> None:
    for prop, sem in PROPS:
        ref = _outcome(model, prop, sem, Limits(engine="reference", **limits_extra))  # type: ignore[arg-type]
        fast = _outcome(model, prop, sem, Limits(engine="fast", compress="off", **limits_extra))  # type: ignore[arg-type]
        assert fast == ref, (prop, sem)


@settings(max_examples=120, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(scripts())
def test_random_models_same_results_as_reference(spec: Spec) -> None:
    _same_results(cspsim.load(spec.text), {})


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(scripts(), st.integers(1, 40))
def test_random_models_same_limit_reports(spec: Spec, max_states: int) -> None:
    _same_results(cspsim.load(spec.text), {"max_states": max_states})


@settings(max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(scripts())
def test_random_models_same_graph(spec: Spec) -> None:
    """Same states, numbers, edges (in order) and parents as the reference's state space."""
    machine = cspsim.load(spec.text).machine("SYSTEM")
    ref = explore(machine, keep_edges=True)
    graph = GraphSpace(search(machine))
    assert graph.n_states == ref.n_states
    assert graph.transitions == ref.transitions
    assert graph.depth == ref.depth
    assert ref.edges is not None
    for s in range(ref.n_states):
        assert graph.state(s) == ref.states[s]
        assert graph.edges[s] == ref.edges[s]
        assert graph.path_to(s) == ref.path_to(s)
    assert graph.tau_cycle_states() == ref.tau_cycle_states()
    assert graph.first_deadlock() == ref.first_deadlock()


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(scripts(), st.integers(1, 3), st.integers(1, 5), st.booleans())
def test_random_models_tiny_chunks_and_batches(spec: Spec, chunk: int, batch: int, find: bool) -> None:
    """Many chunks and batches per level (many runs to merge in the visited set): same answers."""
    machine = cspsim.load(spec.text).machine("SYSTEM")
    ref = explore(machine, keep_edges=True)
    result = search(machine, chunk=chunk, batch=batch, deadlock=STOP if find else None)
    if find and ref.first_deadlock() is not None:
        expected = canonical_deadlock_path(ref)
        assert result.path == expected
        assert deadlock_search(machine).path == expected
        return
    assert (result.n_states, result.transitions, result.depth) == (ref.n_states, ref.transitions, ref.depth)
    graph = GraphSpace(result, chunk=chunk)
    assert [graph.state(s) for s in range(graph.n_states)] == ref.states
    assert [graph.edges[s] for s in range(graph.n_states)] == ref.edges


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(scripts())
def test_random_models_compressed_same_verdicts(spec: Spec) -> None:
    """Compression keeps every verdict and the length of a shortest deadlock; every
    counterexample is a true path (and lasso) of the original machine.

    (Which of several failures comes first may change: the quotient can close a τ-loop on a
    state whose original only starts an endless τ-path, so a divergence is found earlier.)
    """
    model = cspsim.load(spec.text)
    machine = model.machine("SYSTEM")
    for prop, sem in PROPS:
        ref = model.check_process("SYSTEM", prop, sem, Limits(engine="reference"))
        fast = model.check_process("SYSTEM", prop, sem, Limits(engine="fast", compress="auto"))
        assert fast.status == ref.status, (prop, sem)
        if ref.counterexample is None:
            assert fast.counterexample is None
            continue
        assert fast.counterexample is not None
        r, f = ref.counterexample, fast.counterexample
        if prop == "deadlock free" and (sem == "F" or not machine.may_diverge()):
            assert f.annotations.get("kind") == r.annotations.get("kind") == "deadlock"
            assert len(f.steps) == len(r.steps)
        end = _replays(machine, f)
        if f.loop_index is not None:
            start = _replays(machine, cspsim.Trace(f.steps[: f.loop_index]))
            assert end == start and all(step.event_id == 0 for step in f.steps[f.loop_index :])
        elif f.annotations.get("kind") == "deadlock":
            assert machine.successors(end) == []


def canonical_deadlock_path(space: StateSpace) -> list[tuple[int, ...]]:
    """The deadlock rule, computed from a whole explored graph: the least deadlocked state at the
    smallest depth holding one, then back at each depth the least state with an edge to the next,
    states compared from their last component (independent of both engines' searches)."""
    assert space.edges is not None
    depth = [0] + [-1] * (space.n_states - 1)
    for s in range(space.n_states):  # BFS numbering: parents come first
        for _e, t in space.edges[s]:
            if depth[t] < 0:
                depth[t] = depth[s] + 1
    dead = [s for s in range(space.n_states) if not space.edges[s] and not space.is_terminated(s)]
    d = min(depth[s] for s in dead)
    path = [min((space.states[s] for s in dead if depth[s] == d), key=lambda s: s[::-1])]
    for k in range(d - 1, -1, -1):
        path.append(min((space.states[s] for s in range(space.n_states)
                         if depth[s] == k and any(space.states[t] == path[-1] for _e, t in space.edges[s])),
                        key=lambda s: s[::-1]))
    path.reverse()
    return path


def _replays(machine: Machine, trace: cspsim.Trace) -> tuple[int, ...]:
    """Each step's choice index names a move of the original machine with that event; returns
    the state reached."""
    state = machine.initial
    for step in trace.steps:
        e, nxt, movers, _cause = machine.moves(state)[step.choice]
        assert (e, movers) == (step.event_id, step.movers)
        state = nxt
    return state


def test_fixed_models_same_results() -> None:
    text = """
channel a, b, c
P = a -> (b -> P |~| c -> STOP)
Q = a -> b -> Q [] c -> SKIP
R = (P [| {a} |] Q) \\ {b}
SYSTEM = R ||| (a -> SKIP)
"""
    _same_results(cspsim.load(text), {})


def test_deadlock_rule_on_two_word_keys() -> None:
    """Keys of two words (eight 300-state counters: 72 bits) sort as the states compare, so the
    packed engine's walk back chooses the same states as the reference's rule."""
    text = """
channel step, a, a2, b
Q(n) = if n < 299 then step -> Q(n + 1) else STOP
COUNTERS = || i : {0..7} @ [{step}] Q(0)
SYSTEM = COUNTERS ||| (a -> a2 -> STOP) ||| (b -> STOP)
"""
    model = cspsim.load(text)
    machine = model.machine("SYSTEM")
    result = search(machine, deadlock=STOP)
    assert result.tables.layout.n_words == 2
    ref = explore(machine, keep_edges=True)
    assert result.path == canonical_deadlock_path(ref) == deadlock_search(machine).path
    for engine in ("fast", "reference"):
        r = model.check_process("SYSTEM", "deadlock free", "F", Limits(engine=engine, compress="off"))
        assert r.counterexample is not None and r.counterexample.events[:3] == ["step", "step", "step"]
        assert r.counterexample.events[-3:] == ["a", "a2", "b"]


@settings(max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(scripts(), st.sampled_from(["fast", "reference"]))
def test_deadlock_trace_same_in_f_and_fd(spec: Spec, engine: str) -> None:
    """[FD] deadlock freedom reports a deadlock exactly as [F] does, also when the process can
    diverge (its graph is explored for τ-cycles first), and only when no divergence is closer."""
    model = cspsim.load(spec.text)
    limits = Limits(engine=engine, compress="off")
    f = model.check_process("SYSTEM", "deadlock free", "F", limits)
    fd = model.check_process("SYSTEM", "deadlock free", "FD", limits)
    if fd.counterexample is None or fd.counterexample.annotations.get("kind") != "deadlock":
        return
    assert f.counterexample is not None
    assert fd.counterexample.to_json() == f.counterexample.to_json()
    div = model.check_process("SYSTEM", "divergence free", None, limits).counterexample
    if div is not None:
        assert div.loop_index is not None and len(fd.counterexample.steps) <= div.loop_index


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(scripts())
def test_random_models_same_explicit_lts(spec: Spec) -> None:
    """The explicit LTS (normal forms, compressions and ``Model.lts`` start from it) is the same
    from both engines: numbering, transitions in order, labels, terminated states."""
    from cspsim.lts.engine import explore_lts

    machine = cspsim.load(spec.text).machine("SYSTEM")
    ref = explore_lts(machine, Limits(engine="reference"))
    fast = explore_lts(machine, Limits(engine="fast"))
    assert (fast.offsets, fast.events, fast.targets) == (ref.offsets, ref.events, ref.targets)
    assert list(fast.state_labels) == list(ref.state_labels)
    assert fast.terminated == ref.terminated and fast.initial == ref.initial == 0


@settings(max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(scripts())
def test_machine_predecessors_are_exactly_the_states_with_a_move_there(spec: Spec) -> None:
    """``Machine.predecessors`` (used to step back along counterexamples) misses no reachable
    predecessor and invents none."""
    machine = cspsim.load(spec.text).machine("SYSTEM")
    space = explore(machine, keep_edges=True)
    assert space.edges is not None
    into: dict[tuple[int, ...], set[tuple[int, ...]]] = {}
    for s in range(space.n_states):
        for _e, t in space.edges[s]:
            into.setdefault(space.states[t], set()).add(space.states[s])
    for t in space.states:
        if not t:
            continue  # TERMINATED
        preds = machine.predecessors(t)
        assert into.get(t, set()) <= preds
        assert all(any(nxt == t for _e, nxt in machine.successors(p)) for p in preds)
