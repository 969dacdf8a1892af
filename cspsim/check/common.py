"""Helpers shared by the checks: building results and counterexamples from a state space."""

from __future__ import annotations

from typing import Any

from cspsim.lts.explore import tau_loop_from
from cspsim.result import FAIL, PASS, Result, Stats
from cspsim.trace import Trace


def result_from(space: Any, prop: str, model: str | None, holds: bool, trace: Trace | None = None,
                message: str = "") -> Result:
    """A result with the statistics of a search (either engine's space)."""
    stats = Stats(states=space.n_states, transitions=space.transitions, seconds=space.seconds)
    stats.extra["depth"] = space.depth
    stats.extra["components"] = len(space.machine.leaves)
    stats.extra["engine"] = "reference"
    stats.extra.update(getattr(space, "stats", {}))
    return Result(
        assertion="", status=PASS if holds else FAIL, prop=prop, model=model, holds=holds, stats=stats,
        counterexample=trace, message=message,
    )


def path_trace(space: Any, sid: int) -> Trace:
    """Shortest path (by BFS parent links) to ``sid``."""
    return space.trace_to(sid)


def divergence_trace(space: Any, sid: int, cycle_states: set[int]) -> Trace:
    """Path to ``sid`` followed by a τ-loop through it (a lasso)."""
    path = space.path_to(sid)
    events = space.path_events(path)
    loop = tau_loop_from(space, sid, cycle_states)
    trace = space.trace_along(path + loop[1:], events + [0] * (len(loop) - 1), loop_index=len(path) - 1)
    trace.annotations["kind"] = "divergence"
    trace.annotations["explanation"] = "after this trace the process can perform τ forever (livelock)"
    return trace
