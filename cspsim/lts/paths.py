"""Shortest paths by breadth-first search over an implicit graph (τ-lassos of divergence checks)."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

N = TypeVar("N", bound=Hashable)


def shortest_path(start: N, successors: Callable[[N], Iterable[N]], goal: Callable[[N], bool],
                  strict: bool = False, enter: Callable[[N], bool] | None = None) -> list[N]:
    """Shortest path from ``start`` to a node satisfying ``goal`` (at least one step if
    ``strict``), breadth-first with successors in the order given, so the path is the first of
    the shortest ones in that order. ``enter``: whether the search may go on from a node (a goal
    is recognised even where it may not).

    >>> succ = {0: [1, 2], 1: [3], 2: [3], 3: [0]}
    >>> shortest_path(0, succ.__getitem__, lambda v: v == 3)
    [0, 1, 3]
    >>> shortest_path(0, succ.__getitem__, lambda v: v == 0, strict=True)
    [0, 1, 3, 0]
    """
    if not strict and goal(start):
        return [start]
    prev: dict[N, N] = {}
    queue: deque[N] = deque([start])
    seen = {start}
    while queue:
        v = queue.popleft()
        for w in successors(v):
            if goal(w):
                path = [w, v]
                while path[-1] != start:
                    path.append(prev[path[-1]])
                path.reverse()
                return path
            if w not in seen and (enter is None or enter(w)):
                seen.add(w)
                prev[w] = v
                queue.append(w)
    raise ValueError("no path to the goal")
