"""Normalisation of an explicit LTS: τ-closure and subset construction, as FDR does to a spec.

A normal-form node is a τ-closed set of LTS states: the states the process may be in after some
trace. It has at most one successor per visible event (and ✓), so a refinement check can follow
the implementation with exactly one spec node per implementation state. Each node carries what
the failures-based models need about its members:

* ``acceptances``: the minimal acceptance sets (an antichain) of its members. A stable state
  accepts its initial events. A state that can perform ✓ accepts just ``{✓}`` — FDR 3/4 treat ✓
  as in Roscoe's *Understanding Concurrent Systems*: termination is not refusable and needs no
  partner, so a process that can terminate may also refuse every other event
  (``P [] SKIP = P [> SKIP``). Unstable states contribute nothing;
* ``divergent``: some member can perform τ forever.

``(trace, X)`` is a stable failure of the node's process iff ``X`` misses some minimal acceptance.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field

from cspsim.lts.events import TAU, TICK
from cspsim.lts.lts import LTS
from cspsim.lts.scc import divergence_flags

Acceptances = tuple[frozenset[int], ...]


@dataclass
class NormalForm:
    """Node 0 is the initial node. ``trans[n]`` maps an event id (visible or ✓) to a node."""

    trans: list[dict[int, int]]
    acceptances: list[Acceptances]
    divergent: list[bool]
    members: list[frozenset[int]] = field(default_factory=list)
    event_labels: list[str] = field(default_factory=list)

    @property
    def n_nodes(self) -> int:
        return len(self.trans)

    def initials(self, node: int) -> list[int]:
        """The events the node's process can perform, sorted by id."""
        return sorted(self.trans[node])

    def allows(self, node: int, acceptance: frozenset[int] | set[int]) -> bool:
        """Whether a stable state accepting exactly ``acceptance`` is allowed at this node."""
        return any(m <= acceptance for m in self.acceptances[node])

    @classmethod
    def linear(cls, events: Sequence[int | None], labels: list[str]) -> NormalForm:
        """The normal form of ``e1 -> e2 -> ... -> STOP`` (None: an event no process performs)."""
        n = len(events)
        trans: list[dict[int, int]] = [({} if e is None else {e: i + 1}) for i, e in enumerate(events)]
        trans.append({})
        accs: list[Acceptances] = [(frozenset(t),) for t in trans]
        return cls(trans, accs, [False] * (n + 1), [frozenset([i]) for i in range(n + 1)], labels)


def minimal_sets(sets: list[frozenset[int]]) -> Acceptances:
    """The minimal elements of a family of sets, deduplicated, in a deterministic order.

    >>> [sorted(s) for s in minimal_sets([frozenset({1, 2}), frozenset({2}), frozenset({3}), frozenset({2})])]
    [[2], [3]]
    """
    out: list[frozenset[int]] = []
    for s in sorted(set(sets), key=lambda x: (len(x), sorted(x))):
        if not any(m <= s for m in out):
            out.append(s)
    return tuple(out)


def state_acceptance(moves: list[tuple[int, int]]) -> frozenset[int] | None:
    """What one state contributes to its node's acceptances (None when it is unstable and cannot ✓)."""
    events = {e for e, _ in moves}
    if TICK in events:
        return frozenset([TICK])
    if TAU in events:
        return None
    return frozenset(events)


class _Closures:
    """τ-closures of the states of an explicit LTS, memoised per state."""

    def __init__(self, tau_succ: list[list[int]]) -> None:
        self.tau_succ = tau_succ
        self._memo: dict[int, frozenset[int]] = {}

    def of_state(self, s: int) -> frozenset[int]:
        c = self._memo.get(s)
        if c is None:
            seen = {s}
            todo = [s]
            while todo:
                for t in self.tau_succ[todo.pop()]:
                    if t not in seen:
                        seen.add(t)
                        todo.append(t)
            c = frozenset(seen)
            self._memo[s] = c
        return c

    def of_set(self, states: set[int] | frozenset[int]) -> frozenset[int]:
        if len(states) == 1:
            return self.of_state(next(iter(states)))
        out: set[int] = set()
        for s in states:
            if s not in out:
                out |= self.of_state(s)
        return frozenset(out)


def normalise(lts: LTS, max_nodes: int | None = None) -> NormalForm:
    """The normal form of ``lts`` (every node reachable from the initial one, breadth-first).

    ``max_nodes`` bounds the subset construction, which can grow exponentially; past it a
    :class:`OverflowError` is raised for the caller to report.

    >>> from cspsim.lts.lts import LTS
    >>> # a -> STOP |~| a -> b -> STOP: after <a> the spec may refuse b (state 3) or offer it (state 4)
    >>> g = LTS.from_edges(6, [[(0, 1), (0, 2)], [(2, 3)], [(2, 4)], [], [(3, 5)], []],
    ...                    ["τ", "✓", "a", "b"], ["s"] * 6)
    >>> nf = normalise(g)
    >>> nf.n_nodes, nf.trans[0], [sorted(a) for a in nf.acceptances[1]]
    (3, {2: 1}, [[]])
    """
    n = lts.n_states
    moves = [list(lts.successors(s)) for s in range(n)]
    tau_succ = [[t for e, t in m if e == TAU] for m in moves]
    _, diverges = divergence_flags(n, tau_succ)
    closures = _Closures(tau_succ)
    contribution = [state_acceptance(m) for m in moves]

    start = closures.of_state(lts.initial)
    index: dict[frozenset[int], int] = {start: 0}
    members: list[frozenset[int]] = [start]
    trans: list[dict[int, int]] = []
    accs: list[Acceptances] = []
    divergent: list[bool] = []
    queue: deque[int] = deque([0])
    while queue:
        node = queue.popleft()
        group = members[node]
        targets: dict[int, set[int]] = {}
        found: list[frozenset[int]] = []
        div = False
        for s in sorted(group):
            div = div or diverges[s]
            c = contribution[s]
            if c is not None:
                found.append(c)
            for e, t in moves[s]:
                if e != TAU:
                    targets.setdefault(e, set()).add(t)
        out: dict[int, int] = {}
        for e in sorted(targets):
            closed = closures.of_set(targets[e])
            j = index.get(closed)
            if j is None:
                j = len(members)
                if max_nodes is not None and j >= max_nodes:
                    raise OverflowError(f"normal form larger than {max_nodes} nodes")
                index[closed] = j
                members.append(closed)
                queue.append(j)
            out[e] = j
        trans.append(out)
        accs.append(minimal_sets(found))
        divergent.append(div)
    return NormalForm(trans, accs, divergent, members, list(lts.event_labels))
