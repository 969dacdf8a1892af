"""Breadth-first search over (normal-form node, implementation state) pairs.

This is the engine behind refinement, determinism and ``has trace``: the implementation is
explored on the fly through ``successors(state)`` (a :class:`~cspsim.lts.compose.Machine`, or
anything with the same two members whose states are tuples or other comparable values), while a
deterministic "spec" — a :class:`~cspsim.lts.normalise.NormalForm` — follows it event by event:
an implementation τ keeps the spec node, a visible event moves both, and ✓ ends the path
(nothing is observed after it).

The search goes level by level. A ``judge`` looks at each pair once, with the pair's moves, and
returns a finding (anything but None); the first level holding a finding ends the search, and
the finding reported is the rule of :func:`cspsim.lts.explore.deadlock_search` applied to pairs:
the least finding pair of that level, pairs compared as (state by
:func:`~cspsim.lts.compose.colex`, node), reached by stepping back at each level to the least
pair with a followed move to the next one. So the counterexample is a shortest one, τ steps
included, as in FDR, and the packed pair search (:mod:`cspsim.lts.fastpairs`) finds the same
one from the findings of one level and the predecessors of each pair.

:class:`Divergence` answers "can this implementation state perform τ forever?" on the fly with
an incremental Tarjan over τ-moves, and produces the τ-lasso for a counterexample.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from cspsim.errors import LimitReached
from cspsim.lts.compose import colex
from cspsim.lts.events import TAU, TICK
from cspsim.lts.normalise import NormalForm
from cspsim.lts.paths import shortest_path
from cspsim.lts.scc import Tarjan, mark_component
from cspsim.trace import Step, Trace


class Implementation(Protocol):
    """What the pair search needs from the implementation side."""

    @property
    def initial(self) -> Any: ...

    def successors(self, state: Any) -> list[tuple[int, Any]]: ...


# judge(space, pair id, spec node, impl state, impl moves) -> finding or None
Judge = Callable[["PairSpace", int, int, Any, list[tuple[int, Any]]], Any]
Progress = Callable[[int, int, int], None]
Moves = list[tuple[int, Any]]
# A check's judgement of one pair, whichever engine runs the search:
# judge(spec node, impl state, impl moves, diverges) -> finding or None, where
# diverges(state, moves) tells whether the state can perform τ forever.
PairJudge = Callable[[int, Any, Moves, Callable[[Any, Moves], bool]], Any]


@dataclass
class PairRun:
    """What a pair search found, whichever engine ran it, in terms of the implementation given
    (states of the original machine even when the engine compressed its components).

    ``states``/``events``: the shortest path from the initial state to the finding pair's state;
    ``lasso()``: for a divergent finding, that path continued by a τ-lasso, as (states, events,
    loop index). ``max_node``: the largest spec node among the pairs found.
    """

    n_pairs: int = 0
    transitions: int = 0
    depth: int = 0
    seconds: float = 0.0
    impl_states: int = 0
    max_node: int = 0
    complete: bool = False
    finding: Any = None
    node: int = -1
    states: list[Any] = field(default_factory=list)
    events: list[int] = field(default_factory=list)
    lasso: Callable[[], tuple[list[Any], list[int], int]] | None = None
    stats: dict[str, Any] = field(default_factory=dict)


@dataclass
class PairSpace:
    """The pairs visited, level by level; ``path`` holds the pair ids from the initial pair to
    the finding, when there is one."""

    spec: NormalForm
    impl: Implementation
    node: list[int] = field(default_factory=list)  # spec node of each pair
    state: list[int] = field(default_factory=list)  # impl state id of each pair
    impl_states: list[Any] = field(default_factory=list)  # impl state id -> state
    transitions: int = 0
    depth: int = 0
    seconds: float = 0.0
    complete: bool = False
    finding: Any = None
    path: list[int] = field(default_factory=list)

    @property
    def n_pairs(self) -> int:
        return len(self.node)

    def key(self, pid: int) -> tuple[Any, int]:
        """What pairs are compared by: (implementation state by :func:`~cspsim.lts.compose.colex`,
        spec node)."""
        return colex(self.impl_states[self.state[pid]]), self.node[pid]

    def states_and_events(self) -> tuple[list[Any], list[int]]:
        """Implementation states along the path to the finding, and the events taken: at each
        step the implementation's first move (in its order) that leads to the next pair."""
        states = [self.impl_states[self.state[p]] for p in self.path]
        nodes = [self.node[p] for p in self.path]
        events = [follow_event(self.spec, self.impl, a, b, na, nb)
                  for a, b, na, nb in zip(states, states[1:], nodes, nodes[1:])]
        return states, events


def follow_event(spec: NormalForm, impl: Implementation, a: Any, b: Any, na: int, nb: int) -> int:
    """The event of the implementation's first move (in its order) from ``a`` to ``b`` that takes
    spec node ``na`` to ``nb`` (τ keeps the node; ✓ is never followed)."""
    for e, nxt in impl.successors(a):
        if nxt != b or e == TICK:
            continue
        if (e == TAU and na == nb) or (e != TAU and spec.trans[na].get(e) == nb):
            return e
    raise AssertionError("path does not follow the pair graph")  # pragma: no cover


def pair_search(
    spec: NormalForm,
    impl: Implementation,
    judge: Judge,
    *,
    prune: Sequence[bool] | None = None,
    max_pairs: int | None = None,
    deadline: float | None = None,
    progress: Progress | None = None,
    successors: Callable[[Any], list[tuple[int, Any]]] | None = None,
) -> PairSpace:
    """Visit every reachable pair, level by level, until a level holds a finding of ``judge``
    (see the module docstring for which one is reported) or a limit is hit.

    ``prune[n]`` true: pairs at spec node ``n`` are neither judged nor expanded (FD's
    "anything goes after the spec diverges"). Implementation moves on events the spec node lacks
    are not followed (the judge decides whether they are a finding). ``successors`` replaces
    ``impl.successors`` (e.g. :meth:`Divergence.successors`, which reuses moves it computed).

    Counts: with a finding at depth ``d``, every pair of levels ``0..d`` and the moves of the
    pairs above ``d``. Every pair of a level is judged before the level is expanded, so a
    finding at that depth wins over ``max_pairs``; otherwise the search stops on discovering pair
    number ``max_pairs``, having counted the moves of the pairs of its level up to the one
    expanded then, and raises :class:`~cspsim.errors.LimitReached` carrying the partial space.
    ``deadline`` is absolute (``time.perf_counter()``): the check's one budget, shared with the
    phases before this search (normalising the specification), as in every engine.
    """
    start = time.perf_counter()
    space = PairSpace(spec, impl)
    node_of, state_of = space.node, space.state
    impl_states = space.impl_states
    state_ids: dict[Hashable, int] = {}
    n_nodes = max(spec.n_nodes, 1)
    seen: set[int] = set()  # sid * n_nodes + node of every pair met
    trans = spec.trans
    successors = successors or impl.successors
    levels: list[list[int]] = []

    def add(node: int, state: Any, to: list[int]) -> None:
        sid = state_ids.get(state)
        if sid is None:
            sid = len(impl_states)
            state_ids[state] = sid
            impl_states.append(state)
        key = sid * n_nodes + node
        if key in seen:
            return
        pid = len(node_of)
        if max_pairs is not None and pid >= max_pairs:
            _stop(space, start, "max-states")
        seen.add(key)
        node_of.append(node)
        state_of.append(sid)
        to.append(pid)

    def followed(n: int, moves: list[tuple[int, Any]]) -> list[tuple[int, Any]]:
        """The (node, state) pairs reached by the moves of a pair at node ``n``."""
        out = trans[n]
        return [(n, nxt) if e == TAU else (out[e], nxt) for e, nxt in moves
                if e == TAU or (e != TICK and e in out)]

    first: list[int] = []
    add(0, impl.initial, first)
    level = first
    transitions = 0
    while level:
        levels.append(level)
        space.depth = len(levels) - 1
        if progress is not None:
            progress(len(node_of), transitions, space.depth)
        judged: list[tuple[int, list[tuple[int, Any]]]] = []
        findings: dict[int, Any] = {}
        for k, pid in enumerate(level):
            if deadline is not None and (k & 1023) == 0 and time.perf_counter() > deadline:
                space.transitions = transitions
                _stop(space, start, "timeout")
            n = node_of[pid]
            if prune is not None and prune[n]:
                continue
            state = impl_states[state_of[pid]]
            moves = successors(state)
            finding = judge(space, pid, n, state, moves)
            if finding is not None:
                findings[pid] = finding
            judged.append((pid, moves))
        if findings:
            best = min(findings, key=space.key)
            space.finding = findings[best]
            space.path = _walk_back(space, levels, best, followed, successors, prune)
            space.transitions = transitions
            break
        nxt: list[int] = []
        for pid, moves in judged:
            space.transitions = transitions = transitions + len(moves)
            for node, state in followed(node_of[pid], moves):
                add(node, state, nxt)
        level = nxt
    else:
        space.complete = True
    space.seconds = time.perf_counter() - start
    return space


def _walk_back(space: PairSpace, levels: list[list[int]], target: int,
               followed: Callable[[int, list[tuple[int, Any]]], list[tuple[int, Any]]],
               successors: Callable[[Any], list[tuple[int, Any]]], prune: Sequence[bool] | None) -> list[int]:
    """Pair ids from the initial pair to ``target`` (on the last level): at each level back, the
    least pair with a followed move to the pair after it."""
    path = [target]
    for level in reversed(levels[:-1]):
        goal = (space.node[path[-1]], space.impl_states[space.state[path[-1]]])
        cands = [pid for pid in level if not (prune is not None and prune[space.node[pid]])
                 and goal in followed(space.node[pid], successors(space.impl_states[space.state[pid]]))]
        path.append(min(cands, key=space.key))
    path.reverse()
    return path


def _stop(space: PairSpace, start: float, what: str) -> None:
    space.seconds = time.perf_counter() - start
    raise LimitReached(what, space.n_pairs, space.transitions, {"pairs": space})


class Divergence:
    """Which implementation states can perform τ forever, computed lazily and memoised."""

    def __init__(self, impl: Implementation) -> None:
        self.impl = impl
        self._diverges: dict[Any, bool] = {}
        self._cyclic: dict[Any, bool] = {}
        self._tarjan: Tarjan[Any] = Tarjan(self._tau_successors)
        # Moves computed while looking for τ-cycles, kept for the pair search (which visits
        # those τ-reachable states soon): each state's moves are then computed about once.
        self._moves: dict[Any, list[tuple[int, Any]]] = {}

    def successors(self, state: Any) -> list[tuple[int, Any]]:
        """``impl.successors``, reusing (once) moves computed by the divergence search."""
        moves = self._moves.pop(state, None)
        return moves if moves is not None else self.impl.successors(state)

    def _tau_successors(self, state: Any) -> list[Any]:
        moves = self._moves.get(state)
        if moves is None:
            moves = self._moves[state] = self.impl.successors(state)
        return [t for e, t in moves if e == TAU]

    def diverges(self, state: Any, moves: list[tuple[int, Any]] | None = None) -> bool:
        """Whether ``state`` can perform τ forever (``moves``: its moves, if already known)."""
        known = self._diverges.get(state)
        if known is not None:
            return known
        if moves is not None:
            if all(e != TAU for e, _ in moves):
                return False  # stable: no τ at all
            self._moves[state] = moves
        for comp, succs in self._tarjan.run(state):
            mark_component(comp, succs, self._cyclic, self._diverges)
        if moves is not None:
            self._moves.pop(state, None)
        return self._diverges[state]

    def lasso(self, state: Any) -> tuple[list[Any], int]:
        """τ-path from a divergent ``state`` into a τ-cycle and round it.

        Returns (states, loop start): ``states[0]`` is ``state``, consecutive states are linked by
        τ, and the last state equals ``states[loop start]``.
        """
        assert self.diverges(state)
        path = self._tau_path(state, lambda s: self._cyclic.get(s, False))
        entry = path[-1]
        cycle = self._tau_path(entry, lambda s: s == entry, strict=True)
        return path + cycle[1:], len(path) - 1

    def _tau_path(self, start: Any, goal: Callable[[Any], bool], strict: bool = False) -> list[Any]:
        """Shortest τ-path from ``start`` to a state satisfying ``goal`` (at least one step if
        strict), not going on through states known not to diverge (none leads to a τ-cycle)."""
        return shortest_path(start, self._tau_successors, goal, strict, lambda t: self._diverges.get(t, True))


def realise(impl: Implementation, states: list[Any], events: list[int], loop_index: int | None = None,
            annotations: dict[str, Any] | None = None) -> Trace:
    """A :class:`Trace` along implementation ``states`` linked by ``events``.

    With a :class:`~cspsim.lts.compose.Machine` the steps name the components that moved and the
    index of the transition among the state's moves (so the path replays); the final component
    states are described.
    """
    moves_of = getattr(impl, "moves", None)
    labels: list[str] = getattr(impl, "event_labels", [])
    steps: list[Step] = []
    for a, b, ev in zip(states, states[1:], events):
        label = labels[ev] if ev < len(labels) else str(ev)
        if moves_of is None:
            steps.append(Step(label, ev))
            continue
        for idx, (e, nxt, movers, cause) in enumerate(moves_of(a)):
            if e == ev and nxt == b:
                note = labels[cause] if cause != e and cause < len(labels) else ""
                steps.append(Step(label, e, movers, idx, note))
                break
        else:  # pragma: no cover - paths come from the same successor function
            raise AssertionError("path does not follow the implementation's transitions")
    names = list(getattr(impl, "component_names", []))
    describe = getattr(impl, "describe_state", None)
    finals = describe(states[-1]) if describe is not None else []
    return Trace(steps, loop_index, names, finals, dict(annotations or {}))

