"""Message sequence charts: one lifeline per component, one mark per step on the components that moved."""

from __future__ import annotations

import pytest

import cspsim
from cspsim.render.msc import msc_svg
from cspsim.trace import Step, Trace

PHILOSOPHERS = """
N = 3
channel pick, put : {0..N-1}.{0..N-1}
PHIL(i) = pick.i.i -> pick.i.((i+1)%N) -> put.i.i -> put.i.((i+1)%N) -> PHIL(i)
FORK(j) = pick.j.j -> put.j.j -> FORK(j) [] pick.((j-1+N)%N).j -> put.((j-1+N)%N).j -> FORK(j)
SYS = (||| i : {0..N-1} @ PHIL(i)) [| {| pick, put |} |] (||| j : {0..N-1} @ FORK(j))
assert SYS :[deadlock free [F]]
"""


def _movers_drawn(svg: type, step_group: object) -> int:
    return sum(1 for e in step_group.iter() if "mover" in (e.get("class") or "").split())  # type: ignore[attr-defined]


def test_deadlock_counterexample_chart(svg: type) -> None:
    result = cspsim.load(PHILOSOPHERS).check(1)
    trace = result.counterexample
    assert result.status == "fail" and trace is not None
    root = svg.parse(msc_svg(trace, title="naive philosophers"))
    lifelines = svg.groups(root, "lifeline")
    assert [svg.texts(g)[0] for g in lifelines] == trace.components
    assert len(lifelines) == 6
    steps = svg.groups(root, "step")
    assert len(steps) == len(trace.steps) == 3
    for g, step in zip(steps, trace.steps):
        assert "sync" in g.get("class").split()  # a philosopher and a fork pick together
        assert _movers_drawn(svg, g) == len(step.movers) == 2
        assert step.event in svg.texts(g)
    finals = svg.groups(root, "final")
    assert len(finals) == len(trace.final_states)
    for g, state in zip(finals, trace.final_states):
        shown = svg.texts(g)[0]
        assert state.startswith(shown.rstrip("…")) and (shown == state or state in svg.tooltips(g))
    caption = [t for t in svg.texts(root) if t.startswith("deadlock")]
    assert caption == ["deadlock: refuses every event (including ✓)"]


def test_divergence_loop_is_bracketed(svg: type) -> None:
    model = cspsim.load("channel a, b\nP = a -> Q\nQ = b -> Q\nS = P \\ {b}")
    result = model.check_process("S", "divergence free")
    trace = result.counterexample
    assert result.status == "fail" and trace is not None and trace.loop_index is not None
    root = svg.parse(msc_svg(trace))
    assert len(svg.groups(root, "loop")) == 1
    assert any("tau" in g.get("class").split() for g in svg.groups(root, "step"))


def test_local_sync_global_and_escaping(svg: type) -> None:
    trace = Trace(
        steps=[Step('m."a<b"', 2, (0, 1)), Step("τ", 0, (1,)), Step("go & <stop>", 3, ()), Step("✓", 1, (0, 1, 2))],
        components=["Sender<int>", "Receiver", "Third"],
        final_states=["Ω", "RECV(x) & <wait>", "idle"],
    )
    root = svg.parse(msc_svg(trace))  # raw '<' or '&' would not parse
    kinds = [g.get("class").split() for g in svg.groups(root, "step")]
    assert kinds == [["step", "sync"], ["step", "local", "tau"], ["step", "global"], ["step", "sync", "tick"]]
    assert 'm."a<b"' in svg.texts(root) and "go & <stop>" in svg.texts(root)
    assert "Sender<int>" in svg.texts(root) and "RECV(x) & <wait>" in svg.texts(root)


def test_wait_reasons_and_arrows(svg: type) -> None:
    trace = Trace(
        steps=[Step("ch.1", 2, (1, 0)), Step("ch.2", 2, (1, 0))],
        components=["main", "worker", "logger"],
        final_states=["select", "chan send", "chan receive"],
        annotations={"arrows": True, "wait_reasons": {"worker": "chan send (line 12)", "logger": "chan receive"}},
    )
    root = svg.parse(msc_svg(trace))
    finals = svg.groups(root, "final")
    assert ["blocked" in g.get("class").split() for g in finals] == [False, True, True]
    assert "chan send (line 12)" in svg.texts(finals[1])
    heads = [e for e in root.iter() if "arrowhead" in (e.get("class") or "").split()]
    assert len(heads) == 2
    assert all(_movers_drawn(svg, g) == 2 for g in svg.groups(root, "step"))
    # the arrow points from worker (column 1) to main (column 0): its head is left of the worker's line
    lifeline_x = [float(g.find("{http://www.w3.org/2000/svg}line").get("x1")) for g in svg.groups(root, "lifeline")]
    head_x = float(heads[0].get("d").split()[1])
    assert head_x == pytest.approx(lifeline_x[0], abs=0.01) and head_x < lifeline_x[1]


def test_long_runs_are_cut(svg: type) -> None:
    trace = Trace(steps=[Step(f"e.{i}", 2, (0,)) for i in range(50)], components=["P"], final_states=["P"])
    root = svg.parse(msc_svg(trace, max_steps=10))
    assert len(svg.groups(root, "step")) == 10
    assert any("40 more step(s)" in t for t in svg.texts(root))


def test_chart_is_deterministic() -> None:
    trace = cspsim.load(PHILOSOPHERS).check(1).counterexample
    again = cspsim.load(PHILOSOPHERS).check(1).counterexample
    assert trace is not None and again is not None
    assert msc_svg(trace) == msc_svg(again)
