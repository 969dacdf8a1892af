"""Compression of components by strong bisimulation before composition."""

from __future__ import annotations

from test_engines_agree import _replays

import cspsim
from cspsim.lts.compress_leaves import compress
from cspsim.lts.explore import Limits, explore

# WORKER has four states where two would do: after `a` it may go to W1 or W2, which behave alike.
# Hidden, its `work` loop diverges.
SCRIPT = """
channel a, b, work, done
WORKER = a -> W1 [] a -> W2
W1 = work -> W1b [] b -> WORKER
W1b = work -> W1 [] b -> WORKER
W2 = work -> W2 [] b -> WORKER
USER = a -> b -> done -> USER
SYSTEM = WORKER [| {a, b} |] USER
HIDDEN = SYSTEM \\ {work}
STUCK = (WORKER [| {a, b, done} |] USER)
"""


def test_quotient_is_smaller_and_reported() -> None:
    model = cspsim.load(SCRIPT)
    machine = model.machine("SYSTEM")
    comp = compress(machine, "auto")
    assert comp.changed
    assert comp.report == [{"component": "WORKER", "states": 4, "compressed": 2}]
    assert explore(comp.machine).n_states < explore(machine).n_states
    result = model.check_process("SYSTEM", "deadlock free", "F", Limits(compress="auto"))
    assert result.status == "pass"
    assert result.stats.extra["compression"] == comp.report
    assert result.to_json()["compression"] == comp.report
    off = model.check_process("SYSTEM", "deadlock free", "F", Limits(compress="off"))
    assert "compression" not in off.to_json()
    assert off.stats.states == explore(machine).n_states > result.stats.states


def test_off_and_single_components_are_left_alone() -> None:
    model = cspsim.load(SCRIPT)
    assert not compress(model.machine("SYSTEM"), "off").changed
    assert not compress(model.machine("WORKER"), "auto").changed


def test_deadlock_trace_is_lifted_to_the_original_components() -> None:
    model = cspsim.load(SCRIPT)
    ref = model.check_process("STUCK", "deadlock free", "F", Limits(engine="reference"))
    fast = model.check_process("STUCK", "deadlock free", "F", Limits(compress="auto"))
    assert fast.status == ref.status == "fail"
    assert fast.stats.extra["compression"]
    assert fast.counterexample is not None and ref.counterexample is not None
    assert fast.counterexample.events == ref.counterexample.events == ["a", "b"]
    machine = model.machine("STUCK")
    end = _replays(machine, fast.counterexample)
    assert machine.successors(end) == []
    assert fast.counterexample.final_states == machine.describe_state(end)


def test_divergence_lasso_is_a_true_loop_of_the_original() -> None:
    """The quotient has a τ self-loop; the lifted loop must come back to the same original state."""
    model = cspsim.load(SCRIPT)
    result = model.check_process("HIDDEN", "divergence free", None, Limits(compress="auto"))
    ref = model.check_process("HIDDEN", "divergence free", None, Limits(engine="reference"))
    assert result.status == ref.status == "fail"
    trace = result.counterexample
    assert trace is not None and trace.loop_index is not None and ref.counterexample is not None
    assert trace.loop_index == ref.counterexample.loop_index
    machine = model.machine("HIDDEN")
    stem = cspsim.Trace(trace.steps[: trace.loop_index])
    at_loop = _replays(machine, stem)
    assert _replays(machine, trace) == at_loop
    assert all(s.event == "τ" for s in trace.steps[trace.loop_index :])
