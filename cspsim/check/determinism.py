"""Determinism in the stable-failures (F) and failures-divergences (FD) models.

P is deterministic when no trace ``s^<a>`` exists with ``(s, {a})`` a stable failure (✓ counts as
an event, and a state that can terminate may refuse every other event — see
:mod:`cspsim.lts.normalise`); in FD, P must also be divergence-free. This is FDR's check and it
agrees with Lazić's (``P`` is deterministic iff two copies of it, run in lock-step, never let one
refuse what the other just did).

It runs on the refinement machinery: P is explored and normalised, and the pair search follows P
against its own normal form; a stable state whose acceptance misses one of its node's initial
events is a counterexample. The search is breadth-first, so the trace is shortest.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cspsim.check.refinement import normal_form
from cspsim.lts.compose import Machine
from cspsim.lts.events import TAU, TICK
from cspsim.lts.explore import Limits, Progress
from cspsim.lts.normalise import NormalForm
from cspsim.lts.pairengine import run_pairs
from cspsim.lts.pairs import PairJudge, realise
from cspsim.lts.pairtables import DETERMINISM, Rules
from cspsim.result import FAIL, PASS, Result, Stats


def deterministic(machine: Machine, model: str = "FD", limits: Limits | None = None,
                  progress: Progress | None = None) -> Result:
    """Check ``P :[deterministic [F]]`` or ``[FD]`` (the default).

    Examples
    --------
    >>> import cspsim
    >>> m = cspsim.load("channel a, b")
    >>> m.check_process("a -> STOP |~| b -> STOP", "deterministic").status
    'fail'
    >>> m.check_process("a -> STOP [] b -> STOP", "deterministic").status
    'pass'
    """
    limits = limits or Limits()
    nf = normal_form(machine, limits)
    rules = Rules(acceptance=DETERMINISM, divergence=model == "FD")
    run = run_pairs(nf, machine, rules, judge(nf, model), limits, progress)
    stats = Stats(states=run.n_pairs, transitions=run.transitions, seconds=run.seconds)
    stats.extra.update(run.stats)
    stats.extra.update(pairs=run.n_pairs, impl_states=run.impl_states, spec_nodes=nf.n_nodes,
                       depth=run.depth, components=len(machine.leaves))
    prop = "deterministic"
    if run.finding is None:
        return Result("", PASS, prop=prop, model=model, holds=True, stats=stats)
    kind, data = run.finding
    states, events = run.states, run.events
    if kind == "divergence":
        assert run.lasso is not None
        lasso_states, lasso_events, loop_index = run.lasso()
        trace = realise(machine, lasso_states, lasso_events, loop_index=loop_index)
        trace.annotations.update(kind="divergence",
                                 explanation="after this trace the process can perform τ forever (livelock)")
        return Result("", FAIL, prop=prop, model=model, holds=False, stats=stats, counterexample=trace,
                      message="divergence reachable (not FD-deterministic)")
    event, acceptance = data
    label = machine.event_labels[event]
    trace = realise(machine, states, events)
    trace.annotations.update(
        kind="nondeterminism",
        event=label,
        acceptance=sorted(machine.event_labels[e] for e in acceptance),
        explanation=f"after this trace the process can perform {label}, "
        f"but it can also reach a stable state that refuses it"
        + (" (that state can terminate, and a process that can terminate may refuse every other event)"
           if acceptance == frozenset([TICK]) else ""),
    )
    return Result("", FAIL, prop=prop, model=model, holds=False, stats=stats, counterexample=trace,
                  message=f"can both accept and refuse {label}")


def judge(nf: NormalForm, model: str) -> PairJudge:
    """The judgement of a pair (node of P's normal form, state of P): a stable state, or one that
    can ✓ (it accepts just {✓}), must accept every event of its node; in FD it must not diverge."""

    def judge_pair(node: int, state: Any, moves: list[tuple[int, Any]],
                   diverges: Callable[[Any, list[tuple[int, Any]]], bool]) -> Any:
        events = {e for e, _ in moves}
        if TAU in events:
            if model == "FD" and diverges(state, moves):
                return ("divergence", None)
            if TICK not in events:
                return None
        acceptance = frozenset([TICK]) if TICK in events else frozenset(events)
        missing = [e for e in nf.trans[node] if e not in acceptance]
        if missing:
            return ("refusal", (min(missing), acceptance))
        return None

    return judge_pair
