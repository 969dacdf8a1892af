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

from typing import Any

from cspsim.check.refinement import normal_form
from cspsim.lts.compose import Machine
from cspsim.lts.events import TAU, TICK
from cspsim.lts.explore import Limits, Progress
from cspsim.lts.pairs import Divergence, PairSpace, pair_search, realise
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
    div = Divergence(machine) if model == "FD" else None

    def judge(space: PairSpace, pid: int, node: int, state: Any, moves: list[tuple[int, Any]]) -> Any:
        events = {e for e, _ in moves}
        if TAU in events:
            if div is not None and div.diverges(state, moves):
                return ("divergence", None)
            if TICK not in events:
                return None
        acceptance = frozenset([TICK]) if TICK in events else frozenset(events)
        missing = [e for e in nf.trans[node] if e not in acceptance]
        if missing:
            return ("refusal", (min(missing), acceptance))
        return None

    space = pair_search(nf, machine, judge, max_pairs=limits.max_states, timeout=limits.timeout, progress=progress,
                        successors=div.successors if div is not None else None)
    stats = Stats(states=space.n_pairs, transitions=space.transitions, seconds=space.seconds)
    stats.extra.update(pairs=space.n_pairs, impl_states=len(space.impl_states), spec_nodes=nf.n_nodes,
                       depth=space.depth, components=len(machine.leaves))
    prop = "deterministic"
    if space.finding is None:
        return Result("", PASS, prop=prop, model=model, holds=True, stats=stats)
    kind, data = space.finding
    states, events = space.states_and_events(space.finding_pair)
    if kind == "divergence":
        assert div is not None
        loop, start = div.lasso(states[-1])
        trace = realise(machine, states + loop[1:], events + [TAU] * (len(loop) - 1),
                        loop_index=len(states) - 1 + start)
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
