"""Determinism in the stable-failures (F) and failures-divergences (FD) models.

P is deterministic when no trace ``s^<a>`` exists with ``(s, {a})`` a stable failure: after any
trace, every stable state accepts every event some state reachable by that trace can perform (✓
counts as an event). In FD, P must also be divergence-free. The search is a breadth-first subset
construction over visible events (the normal form of P), so the counterexample trace is shortest.
"""

from __future__ import annotations

from collections import deque
from typing import Any

from cspsim.check.common import divergence_trace, result_from
from cspsim.lts.compose import Machine
from cspsim.lts.engine import explore_graph
from cspsim.lts.events import TAU, TICK
from cspsim.lts.explore import Limits, Progress
from cspsim.result import Result
from cspsim.trace import Trace


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
    prop = "deterministic"
    space = explore_graph(machine, limits, progress)
    edges = space.edges
    assert edges is not None
    cycle = space.tau_cycle_states()
    divergent = set(cycle)
    if model == "FD" and cycle:
        trace = divergence_trace(space, cycle[0], divergent)
        return result_from(space, prop, model, False, trace, "divergence reachable (not FD-deterministic)")

    def closure(states: set[int]) -> frozenset[int]:
        todo = list(states)
        seen = set(states)
        while todo:
            s = todo.pop()
            for e, t in edges[s]:
                if e == TAU and t not in seen:
                    seen.add(t)
                    todo.append(t)
        return frozenset(seen)

    start = closure({0})
    parent: dict[frozenset[int], tuple[frozenset[int] | None, int]] = {start: (None, -1)}
    queue: deque[frozenset[int]] = deque([start])
    while queue:
        node = queue.popleft()
        initials: dict[int, set[int]] = {}
        for s in sorted(node):
            for e, t in edges[s]:
                if e != TAU:
                    initials.setdefault(e, set()).add(t)
        for s in sorted(node):
            if any(e == TAU for e, _ in edges[s]):
                continue  # unstable: its refusals do not count
            accepts = {e for e, _ in edges[s]}
            refused = sorted(set(initials) - accepts)
            if refused:
                trace_events = _node_trace(parent, node)
                a = refused[0]
                trace = _concrete(space, trace_events, s)
                label = machine.event_labels[a]
                trace.annotations.update(
                    kind="nondeterminism",
                    event=label,
                    acceptance=sorted(machine.event_labels[e] for e in accepts),
                    explanation=f"after this trace the process can perform {label}, "
                    f"but it can also reach a stable state that refuses it",
                )
                return result_from(space, prop, model, False, trace, f"can both accept and refuse {label}")
        for e in sorted(initials):
            if e == TICK:
                continue
            nxt = closure(initials[e])
            if nxt not in parent:
                parent[nxt] = (node, e)
                queue.append(nxt)
    return result_from(space, prop, model, True)


def _node_trace(parent: dict[frozenset[int], tuple[frozenset[int] | None, int]], node: frozenset[int]) -> list[int]:
    events: list[int] = []
    cur: frozenset[int] | None = node
    while cur is not None:
        prev, e = parent[cur]
        if prev is not None:
            events.append(e)
        cur = prev
    events.reverse()
    return events


def _concrete(space: Any, visible: list[int], target: int) -> Trace:
    """A shortest concrete path (τ included) whose visible events are ``visible``, ending at ``target``."""
    edges = space.edges
    assert edges is not None
    start = (0, 0)
    prev: dict[tuple[int, int], tuple[tuple[int, int], int]] = {}
    queue: deque[tuple[int, int]] = deque([start])
    seen = {start}
    goal = (target, len(visible))
    while queue:
        cur = queue.popleft()
        if cur == goal:
            break
        s, k = cur
        for e, t in edges[s]:
            if e == TAU:
                nxt = (t, k)
            elif k < len(visible) and e == visible[k]:
                nxt = (t, k + 1)
            else:
                continue
            if nxt not in seen:
                seen.add(nxt)
                prev[nxt] = (cur, e)
                queue.append(nxt)
    path = [goal]
    events: list[int] = []
    while path[-1] != start:
        p, e = prev[path[-1]]
        events.append(e)
        path.append(p)
    path.reverse()
    events.reverse()
    return space.trace_along([s for s, _ in path], events)
