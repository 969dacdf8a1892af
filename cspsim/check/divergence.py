"""Divergence (livelock) freedom: no reachable state can perform τ forever."""

from __future__ import annotations

from cspsim.check.common import divergence_trace, result_from
from cspsim.lts.compose import Machine
from cspsim.lts.engine import explore_graph
from cspsim.lts.explore import Limits, Progress
from cspsim.result import Result


def divergence_free(machine: Machine, limits: Limits | None = None, progress: Progress | None = None) -> Result:
    """Check ``P :[divergence free]``; the counterexample is a lasso: a trace, then a τ-loop.

    Examples
    --------
    >>> import cspsim
    >>> m = cspsim.load("channel a\\nP = a -> P")
    >>> m.check_process("P \\\\ {a}", "divergence free").status
    'fail'
    >>> m.check_process("P", "divergence free").status
    'pass'
    """
    space = explore_graph(machine, limits, progress, only_tau=True)
    cycle = space.tau_cycle_states()
    if cycle:
        trace = divergence_trace(space, cycle[0], set(cycle))
        return result_from(space, "divergence free", None, False, trace, "divergence reachable")
    return result_from(space, "divergence free", None, True)
