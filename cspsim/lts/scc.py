"""Strongly connected components by Tarjan's algorithm: iterative, incremental, on any graph.

One implementation serves every τ-cycle question in the project: divergence of explicit LTSs
(:mod:`cspsim.lts.normalise`, :mod:`cspsim.lts.reduce`, :func:`cspsim.lts.explore.tau_cycle_states`)
and of implementation states met on the fly during a refinement search (:mod:`cspsim.lts.pairs`),
where the graph is only known through a successor function and is explored lazily, root by root.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import Generic, TypeVar

N = TypeVar("N", bound=Hashable)


class Tarjan(Generic[N]):
    """Finds SCCs reachable from the roots given to :meth:`run`, remembering finished nodes.

    ``succ(node)`` lists a node's successors. Each call to :meth:`run` returns the components it
    finished, in Tarjan's order (a component comes after every component reachable from it), each
    with the successor lists of its members, so callers can compute properties such as "can
    reach a cycle" in one pass without asking for successors again.

    >>> t = Tarjan(lambda n: {0: [1], 1: [0, 2], 2: []}[n])
    >>> [sorted(c) for c, _ in t.run(0)]
    [[2], [0, 1]]
    >>> t.run(1)  # already finished
    []
    """

    def __init__(self, succ: Callable[[N], Iterable[N]]) -> None:
        self._succ = succ
        self.component: dict[N, int] = {}  # finished node -> component number
        self.count = 0

    def run(self, root: N) -> list[tuple[list[N], dict[N, list[N]]]]:
        if root in self.component:
            return []
        out: list[tuple[list[N], dict[N, list[N]]]] = []
        component = self.component
        index: dict[N, int] = {}
        low: dict[N, int] = {}
        succs: dict[N, list[N]] = {}
        pos: dict[N, int] = {}
        stack: list[N] = []
        counter = 0

        def enter(v: N) -> None:
            nonlocal counter
            index[v] = low[v] = counter
            counter += 1
            stack.append(v)
            succs[v] = list(self._succ(v))
            pos[v] = 0

        enter(root)
        work = [root]
        while work:
            v = work[-1]
            sv = succs[v]
            i = pos[v]
            if i < len(sv):
                pos[v] = i + 1
                w = sv[i]
                if w in component:
                    continue
                if w not in index:
                    enter(w)
                    work.append(w)
                elif low[v] > index[w]:  # w is on the stack (unfinished nodes are)
                    low[v] = index[w]
                continue
            work.pop()
            if low[v] == index[v]:
                comp: list[N] = []
                while True:
                    w = stack.pop()
                    comp.append(w)
                    component[w] = self.count
                    if w == v:
                        break
                self.count += 1
                out.append((comp, {x: succs.pop(x) for x in comp}))
                for x in comp:
                    del index[x], low[x], pos[x]
            elif low[work[-1]] > low[v]:  # v stays on the stack: its caller inherits its low-link
                low[work[-1]] = low[v]
        return out


def divergence_flags(n: int, tau_succ: list[list[int]]) -> tuple[list[bool], list[bool]]:
    """For states ``0..n-1`` of an explicit τ-graph: (on a τ-cycle, can perform τ forever).

    >>> divergence_flags(3, [[1], [1], [0]])
    ([False, True, False], [True, True, True])
    """
    cyclic = [False] * n
    diverges = [False] * n
    tarjan: Tarjan[int] = Tarjan(lambda s: tau_succ[s])
    for root in range(n):
        for comp, succs in tarjan.run(root):
            mark_component(comp, succs, cyclic, diverges)
    return cyclic, diverges


def mark_component(comp: list[N], succs: dict[N, list[N]], cyclic: object, diverges: object) -> bool:
    """Set the flags of one finished τ-component; returns whether it diverges.

    ``cyclic`` and ``diverges`` are indexable stores (lists or dicts) keyed by node. A component
    is cyclic when it has several members or a τ self-loop; it diverges when it is cyclic or a
    τ-successor outside it diverges (already known: Tarjan finishes successors first).
    """
    members = set(comp) if len(comp) > 1 else None
    is_cycle = members is not None or comp[0] in succs[comp[0]]
    div = is_cycle or any(
        diverges[w] for x in comp for w in succs[x] if members is None or w not in members  # type: ignore[index]
    )
    for x in comp:
        cyclic[x] = is_cycle  # type: ignore[index]
        diverges[x] = div  # type: ignore[index]
    return div
