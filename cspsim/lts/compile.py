"""Compilation of one sequential component (a process term) to an explicit LTS.

Breadth-first over terms using the firing rules; each distinct (interned) term is one state.
A component larger than ``max_states`` is reported as probably infinite-state, with the name of
the process, instead of exhausting memory.
"""

from __future__ import annotations

import time

from cspsim import errors
from cspsim.errors import Span
from cspsim.lts.describe import describe_term
from cspsim.lts.events import TICK
from cspsim.lts.lts import LTS
from cspsim.lts.operational import Semantics
from cspsim.semantics import terms as T


def compile_term(sem: Semantics, root: T.Term, max_states: int, span: Span, name: str = "",
                 deadline: float | None = None) -> tuple[LTS, list[T.Term]]:
    """The explicit LTS of ``root`` and the term of each state.

    ``deadline`` (a ``time.perf_counter()`` value) stops a long compilation with
    :class:`~cspsim.errors.LimitReached`, like ``--timeout`` stops a search.
    """
    index: dict[T.Term, int] = {root: 0}
    order: list[T.Term] = [root]
    edges: list[list[tuple[int, int]]] = []
    terminated: set[int] = set()
    i = 0
    while i < len(order):
        if deadline is not None and (i & 255) == 0 and time.perf_counter() > deadline:
            raise errors.LimitReached("timeout", len(order), sum(len(x) for x in edges))
        term = order[i]
        out: list[tuple[int, int]] = []
        for e, nxt in sem.transitions(term):
            j = index.get(nxt)
            if j is None:
                j = len(order)
                if j >= max_states:
                    if root.kind == T.GOWORLD:
                        raise errors.go_too_many_states(span, name or "the Go program", max_states)
                    raise errors.infinite_state(span, name or describe_term(root, sem), max_states)
                index[nxt] = j
                order.append(nxt)
            out.append((e, j))
            if e == TICK:
                terminated.add(j)
        edges.append(out)
        i += 1
    labels = [describe_term(t, sem) for t in order]
    lts = LTS.from_edges(len(order), edges, sem.events.labels, labels, frozenset(terminated), name)
    return lts, order
