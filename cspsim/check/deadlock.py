"""Deadlock freedom, as FDR's ``:[deadlock free [F]]`` and ``[FD]`` (the default).

A deadlock is a reachable stable state that refuses every event, ✓ included; successful
termination (the state after ✓, Ω) is not a deadlock, so ``SKIP`` is deadlock-free. In the
failures-divergences model a divergence also breaks deadlock freedom (the check is ``DF [FD= P``),
so ``[FD]`` reports the shortest deadlock or divergence, whichever is reached by a shorter path
(the deadlock when both are as close). A deadlock is always the one the search for the first
deadlock chooses (:func:`cspsim.lts.explore.deadlock_search` states the rule), so ``[F]`` and
``[FD]`` show the same trace for it.
"""

from __future__ import annotations

from typing import Any

from cspsim.check.common import divergence_trace, result_from
from cspsim.lts.compose import Machine
from cspsim.lts.engine import explore_graph, find_deadlock
from cspsim.lts.explore import Limits, Progress
from cspsim.result import Result


def deadlock_free(machine: Machine, model: str = "FD", limits: Limits | None = None,
                  progress: Progress | None = None) -> Result:
    """Check that no reachable state deadlocks (and, in FD, none diverges).

    Examples
    --------
    >>> import cspsim
    >>> m = cspsim.load("channel a\\nP = a -> STOP")
    >>> m.check_process("P", "deadlock free").status
    'fail'
    >>> m.check_process("SKIP", "deadlock free").status
    'pass'
    """
    prop = "deadlock free"
    if not (model == "FD" and machine.may_diverge()):
        space, found = find_deadlock(machine, limits, progress)
        if found is not None:
            trace = space.trace_to(found)
            trace.annotations.update(kind="deadlock", refuses="every event (including ✓)")
            return result_from(space, prop, model, False, trace, "deadlock reachable")
        return result_from(space, prop, model, True)
    graph = explore_graph(machine, limits, progress, only_tau=True)
    first_dead = graph.first_deadlock()
    cycle = graph.tau_cycle_states()
    first_div = cycle[0] if cycle else None
    if first_dead is not None and (first_div is None or _depth(graph, first_dead) <= _depth(graph, first_div)):
        # the deadlock is as close as any divergence: report the one the [F] check reports (the
        # search stops at the first level holding a deadlock, inside what the graph explored)
        space, found = find_deadlock(machine, limits)
        trace = space.trace_to(found)
        trace.annotations.update(kind="deadlock", refuses="every event (including ✓)")
        return result_from(graph, prop, model, False, trace, "deadlock reachable")
    if first_div is not None:
        trace = divergence_trace(graph, first_div, set(cycle))
        return result_from(graph, prop, model, False, trace, "divergence reachable (fails deadlock freedom in FD)")
    return result_from(graph, prop, model, True)


def _depth(graph: Any, state: int) -> int:
    """Length of a shortest path to ``state``."""
    return len(graph.path_to(state)) - 1
