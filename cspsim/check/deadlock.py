"""Deadlock freedom, as FDR's ``:[deadlock free [F]]`` and ``[FD]`` (the default).

A deadlock is a reachable stable state that refuses every event, ✓ included; successful
termination (the state after ✓, Ω) is not a deadlock, so ``SKIP`` is deadlock-free. In the
failures-divergences model a divergence also breaks deadlock freedom (the check is ``DF [FD= P``),
so ``[FD]`` reports the shortest deadlock or divergence, whichever is reached by a shorter path.
"""

from __future__ import annotations

from cspsim.check.common import divergence_trace, path_trace, result_from
from cspsim.lts.compose import TERMINATED, Machine, State
from cspsim.lts.explore import Limits, Progress, explore, tau_cycle_states
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
    found: list[int] = []

    def visit(sid: int, state: State, succ: list[tuple[int, int]]) -> bool:
        if not succ and state != TERMINATED:
            found.append(sid)
            return True
        return False

    if not (model == "FD" and machine.may_diverge()):
        space = explore(machine, visit=visit, limits=limits, progress=progress)
        if found:
            trace = path_trace(space, found[0])
            trace.annotations.update(kind="deadlock", refuses="every event (including ✓)")
            return result_from(space, prop, model, False, trace, "deadlock reachable")
        return result_from(space, prop, model, True)
    space = explore(machine, keep_edges=True, limits=limits, progress=progress)
    assert space.edges is not None
    deadlocks = [s for s in range(space.n_states) if not space.edges[s] and not space.is_terminated(s)]
    cycle = tau_cycle_states(space)
    first_dead = deadlocks[0] if deadlocks else None
    first_div = cycle[0] if cycle else None
    if first_dead is not None and (first_div is None or first_dead <= first_div):
        trace = path_trace(space, first_dead)
        trace.annotations.update(kind="deadlock", refuses="every event (including ✓)")
        return result_from(space, prop, model, False, trace, "deadlock reachable")
    if first_div is not None:
        trace = divergence_trace(space, first_div, set(cycle))
        return result_from(space, prop, model, False, trace, "divergence reachable (fails deadlock freedom in FD)")
    return result_from(space, prop, model, True)
