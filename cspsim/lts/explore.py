"""Breadth-first exploration of a :class:`~cspsim.lts.compose.Machine`.

States are numbered in BFS order, so the lowest-numbered state with a property is one reached by
a shortest path (counting τ, as FDR does), and parent links rebuild that path without storing
traces. ``visit`` lets a check stop the search early (deadlock found); limits stop it cleanly
with everything explored so far.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from cspsim.errors import LimitReached
from cspsim.lts.compose import TERMINATED, Machine, State, colex
from cspsim.lts.events import TAU
from cspsim.lts.lts import LTS
from cspsim.lts.scc import divergence_flags
from cspsim.trace import Step, Trace

# visit(state id, state, successors as (event, target id)) -> True to stop the search
Visitor = Callable[[int, State, list[tuple[int, int]]], bool]
Progress = Callable[[int, int, int], None]  # (states, transitions, depth)


@dataclass
class Limits:
    """How far a check may go, and which engine explores (see :mod:`cspsim.lts.engine`)."""

    max_states: int | None = None
    timeout: float | None = None  # seconds
    max_component_states: int = 200_000
    deadline: float | None = None  # absolute time.perf_counter() value; set per check from timeout
    engine: str = "fast"  # "fast" (packed, vectorised) or "reference" (this module's BFS)
    workers: int = 0  # processes for the fast engine: 0 = automatic, 1 = this process only
    compress: str = "auto"  # "auto": strong bisimulation of components where it pays; "off"

    def started(self) -> Limits:
        """A copy whose deadline counts ``timeout`` from now (one budget per check)."""
        deadline = time.perf_counter() + self.timeout if self.timeout else None
        return replace(self, deadline=deadline)

    def stop_time(self, start: float) -> float | None:
        """When a search begun at ``start`` must stop (the check's deadline, else its timeout)."""
        return self.deadline or (start + self.timeout if self.timeout else None)


@dataclass
class StateSpace:
    """What a search found: states in BFS order with parent links, and optionally all edges."""

    machine: Machine
    states: list[State] = field(default_factory=list)
    parent: list[int] = field(default_factory=list)
    parent_event: list[int] = field(default_factory=list)
    edges: list[list[tuple[int, int]]] | None = None
    transitions: int = 0
    complete: bool = False
    seconds: float = 0.0
    depth: int = 0

    @property
    def n_states(self) -> int:
        return len(self.states)

    def is_terminated(self, sid: int) -> bool:
        return self.states[sid] is TERMINATED or not self.states[sid]

    def path_to(self, sid: int) -> list[int]:
        """State ids from the initial state to ``sid``."""
        path = [sid]
        while self.parent[path[-1]] >= 0:
            path.append(self.parent[path[-1]])
        path.reverse()
        return path

    def path_events(self, path: list[int]) -> list[int]:
        """Events along a path of parent links (as recorded when each state was found)."""
        return [self.parent_event[b] for b in path[1:]]

    def trace_along(self, path: list[int], events: list[int], loop_index: int | None = None) -> Trace:
        """A :class:`Trace` following ``path`` (state ids) by ``events``, with movers and choices."""
        return trace_along(self.machine, [self.states[s] for s in path], events, loop_index)

    def trace_to(self, sid: int) -> Trace:
        """The path of parent links from the initial state to ``sid``, as a trace."""
        path = self.path_to(sid)
        return self.trace_along(path, self.path_events(path))

    def tau_cycle_states(self) -> list[int]:
        return tau_cycle_states(self)

    def first_deadlock(self) -> int | None:
        """The lowest-numbered state with no transition that is not the terminated state."""
        assert self.edges is not None
        return next((s for s in range(self.n_states) if not self.edges[s] and not self.is_terminated(s)), None)


def trace_along(machine: Machine, states: list[State], events: list[int], loop_index: int | None = None) -> Trace:
    """A :class:`Trace` through the given global states by ``events``: for each step, the first
    of the machine's moves (in its canonical order) with that event and target gives the movers,
    the choice index and the component event behind a hidden or renamed step, so every engine
    reports a path the same way."""
    steps: list[Step] = []
    for a, b, ev in zip(states, states[1:], events):
        for idx, (e, nxt, movers, cause) in enumerate(machine.moves(a)):
            if e == ev and nxt == b:
                note = machine.event_labels[cause] if cause != e else ""
                steps.append(Step(machine.event_labels[e], e, movers, idx, note))
                break
        else:  # pragma: no cover - the path comes from the same successor function
            raise AssertionError("path does not follow the machine's transitions")
    return Trace(
        steps=steps,
        loop_index=loop_index,
        components=machine.component_names,
        final_states=machine.describe_state(states[-1]),
    )


def explore(
    machine: Machine,
    *,
    keep_edges: bool = False,
    visit: Visitor | None = None,
    limits: Limits | None = None,
    progress: Progress | None = None,
) -> StateSpace:
    """Explore every reachable state (or until ``visit`` returns True, or a limit is hit).

    Raises :class:`~cspsim.errors.LimitReached` carrying the partial :class:`StateSpace`.
    """
    limits = limits or Limits()
    start = time.perf_counter()
    deadline = limits.deadline or (start + limits.timeout if limits.timeout else None)
    max_states = limits.max_states
    space = StateSpace(machine)
    init = machine.initial
    index: dict[State, int] = {init: 0}
    states = space.states
    parent = space.parent
    parent_event = space.parent_event
    states.append(init)
    parent.append(-1)
    parent_event.append(-1)
    edges: list[list[tuple[int, int]]] | None = [] if keep_edges else None
    space.edges = edges
    successors = machine.successors
    transitions = 0
    level_end = 1
    depth = 0
    i = 0
    while i < len(states):
        if i == level_end:
            depth += 1
            level_end = len(states)
            if progress is not None:
                progress(len(states), transitions, depth)
        if deadline is not None and (i & 1023) == 0 and time.perf_counter() > deadline:
            space.transitions, space.depth = transitions, depth
            space.seconds = time.perf_counter() - start
            raise LimitReached("timeout", len(states), transitions, {"space": space})
        out: list[tuple[int, int]] = []
        for e, nxt in successors(states[i]):
            j = index.get(nxt)
            if j is None:
                j = len(states)
                if max_states is not None and j >= max_states:
                    space.transitions, space.depth = transitions, depth
                    space.seconds = time.perf_counter() - start
                    raise LimitReached("max-states", len(states), transitions, {"space": space})
                index[nxt] = j
                states.append(nxt)
                parent.append(i)
                parent_event.append(e)
            out.append((e, j))
        transitions += len(out)
        if edges is not None:
            edges.append(out)
        if visit is not None and visit(i, states[i], out):
            space.transitions, space.depth = transitions, depth
            space.seconds = time.perf_counter() - start
            return space
        i += 1
    space.transitions, space.depth = transitions, depth
    space.complete = True
    space.seconds = time.perf_counter() - start
    return space


def tau_cycle_states(space: StateSpace) -> list[int]:
    """States lying on a τ-cycle (sorted), by Tarjan's algorithm on the τ-subgraph."""
    assert space.edges is not None
    tau_succ = [[t for e, t in space.edges[s] if e == TAU] for s in range(space.n_states)]
    cyclic, _ = divergence_flags(space.n_states, tau_succ)
    return [s for s in range(space.n_states) if cyclic[s]]


def space_lts(space: StateSpace, name: str = "") -> LTS:
    """The explicit :class:`LTS` of a completely explored space (kept edges), state ids kept."""
    assert space.edges is not None
    machine = space.machine
    labels = [" | ".join(machine.describe_state(s)) if s else "Ω" for s in space.states]
    terminated = frozenset(i for i, s in enumerate(space.states) if not s)
    return LTS.from_edges(space.n_states, space.edges, machine.event_labels, labels, terminated, name)


def explore_lts(machine: Machine, limits: Limits | None = None, name: str = "") -> LTS:
    """Explore ``machine`` completely and return it as an explicit :class:`LTS`."""
    return space_lts(explore(machine, keep_edges=True, limits=limits), name)


def tau_loop_from(space: StateSpace, start: int, on_cycle: set[int]) -> list[int]:
    """A τ-cycle through ``start`` (state ids, ending back at ``start``)."""
    assert space.edges is not None
    prev: dict[int, int] = {}
    frontier = [start]
    seen = {start}
    while frontier:
        nxt_frontier = []
        for s in frontier:
            for e, t in space.edges[s]:
                if e != TAU or t not in on_cycle:
                    continue
                if t == start:
                    path = [s]
                    while path[-1] != start:
                        path.append(prev[path[-1]])
                    path.reverse()
                    return path + [start]
                if t not in seen:
                    seen.add(t)
                    prev[t] = s
                    nxt_frontier.append(t)
        frontier = nxt_frontier
    return [start, start]


# ---------------------------------------------------------------- the first deadlock


@dataclass
class DeadlockSearch:
    """What :func:`deadlock_search` found: ``path`` (states, initial first) to the chosen
    deadlock, or None when the search completed without one.

    ``n_states``/``transitions`` count what the rule below examines: every state up to the
    deadlock's depth, and the transitions of the states above that depth.
    """

    machine: Machine
    n_states: int = 0
    transitions: int = 0
    depth: int = 0
    seconds: float = 0.0
    complete: bool = False
    path: list[State] | None = None
    stats: dict[str, object] = field(default_factory=dict)

    def trace_to(self, _handle: object = None) -> Trace:
        """The path to the deadlock as a trace; each step takes the machine's first move (in its
        canonical order) to the next state."""
        assert self.path is not None
        return trace_along(self.machine, self.path, path_events(self.machine, self.path))


def path_events(machine: Machine, states: list[State]) -> list[int]:
    """The event of each step of a path: that of the first move (in the machine's order) to the next state."""
    return [next(e for e, nxt in machine.successors(a) if nxt == b) for a, b in itertools.pairwise(states)]


def deadlock_search(machine: Machine, limits: Limits | None = None, progress: Progress | None = None
                    ) -> DeadlockSearch:
    """Breadth-first search for a deadlock, level by level: the executable specification of the
    rule both engines follow when they report one.

    The rule: let ``d`` be the smallest depth holding a deadlock (a state without moves, the
    terminated one aside). Report the least deadlocked state at depth ``d``, reached by the path
    that steps back, at each depth, to the least state with a move to the next one, states
    compared by :func:`~cspsim.lts.compose.colex` (component by component from the last). The
    path is a shortest one, and the choice depends on nothing but the machine: the packed
    engine finds the same path from the deadlocks of one level and the predecessors of each
    state, instead of renumbering every level. The order reads naturally: a state after ``c.0``
    comes before one after ``c.1``, and a state where only earlier components have moved before
    one where later ones have (philosopher 0 picks up a fork first).

    A deadlock at the depth being expanded wins over ``max_states``: the whole level is looked
    at before the limit is reported. When the level has none, the limit is reported as
    :func:`explore` reports it (states found when state number ``max_states`` is discovered,
    transitions of the states expanded before it). ``n_states`` counts every state up to depth
    ``d``, ``transitions`` those of the states above depth ``d``.
    """
    limits = limits or Limits()
    start = time.perf_counter()
    deadline = limits.stop_time(start)
    max_states = limits.max_states
    result = DeadlockSearch(machine)
    seen: set[State] = {machine.initial}
    levels: list[list[State]] = [[machine.initial]]
    n_states, transitions = 1, 0
    successors = machine.successors
    while True:
        depth = len(levels) - 1
        if progress is not None:
            progress(n_states, transitions, depth)
        found: list[State] = []
        nxt: list[State] = []
        level_transitions = 0
        crossing: tuple[int, int] | None = None  # (states, transitions) when the limit was passed
        for i, state in enumerate(levels[-1]):
            if deadline is not None and (i & 1023) == 0 and time.perf_counter() > deadline:
                result.depth, result.seconds = depth, time.perf_counter() - start
                raise LimitReached("timeout", n_states + len(nxt), transitions + level_transitions, {"space": result})
            succ = successors(state)
            if not succ and state != TERMINATED:
                found.append(state)
            if crossing is not None:
                continue  # past the limit: only looking for a deadlock at this depth
            for _e, t in succ:
                if t in seen:
                    continue
                if max_states is not None and n_states + len(nxt) >= max_states:
                    crossing = (n_states + len(nxt), transitions + level_transitions)
                    break
                seen.add(t)
                nxt.append(t)
            level_transitions += len(succ)
        if found:
            path = [min(found, key=colex)]
            for k in range(depth - 1, -1, -1):
                path.append(min((s for s in levels[k] if any(t == path[-1] for _e, t in successors(s))), key=colex))
            path.reverse()
            result.path = path
            result.n_states, result.transitions, result.depth = n_states, transitions, depth
            break
        if crossing is not None:
            result.n_states, result.transitions, result.depth = crossing[0], crossing[1], depth
            result.seconds = time.perf_counter() - start
            raise LimitReached("max-states", crossing[0], crossing[1], {"space": result})
        transitions += level_transitions
        if not nxt:
            result.n_states, result.transitions, result.depth = n_states, transitions, depth
            result.complete = True
            break
        n_states += len(nxt)
        levels.append(nxt)
    result.seconds = time.perf_counter() - start
    return result
