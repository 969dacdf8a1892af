"""Strong bisimulation on an explicit LTS, by signature-based partition refinement.

Two states are strongly bisimilar when they have the same termination status and, for every
event (τ and ✓ included), moves to bisimilar states. The quotient preserves every CSP semantic
model (traces, failures, divergences) and the exact branching structure, so it is safe to apply
to any component before composition. Blocks are numbered in order of their lowest state, so the
result is deterministic.
"""

from __future__ import annotations

from cspsim.lts.lts import LTS


def strong_bisimulation(lts: LTS) -> tuple[LTS, list[int]]:
    """The quotient LTS and the block (quotient state) of each original state.

    >>> from cspsim.lts.lts import LTS
    >>> # 0 -a-> 1 -b-> 2 -b-> 1: states 1 and 2 are bisimilar (b forever), 0 is not
    >>> g = LTS.from_edges(3, [[(2, 1)], [(3, 2)], [(3, 1)]], ["τ", "✓", "a", "b"], ["s0", "s1", "s2"])
    >>> q, block = strong_bisimulation(g)
    >>> q.n_states, block
    (2, [0, 1, 1])
    """
    n = lts.n_states
    succ = [list(lts.successors(s)) for s in range(n)]
    block = [1 if s in lts.terminated else 0 for s in range(n)]
    count = len(set(block))
    while True:
        table: dict[tuple[int, frozenset[tuple[int, int]]], int] = {}
        new_block = [0] * n
        for s in range(n):
            sig = (block[s], frozenset((e, block[t]) for e, t in succ[s]))
            b = table.get(sig)
            if b is None:
                b = len(table)
                table[sig] = b
            new_block[s] = b
        block = new_block
        if len(table) == count:
            break
        count = len(table)
    # Renumber so that the initial state's block is 0 and blocks follow their lowest state.
    order: dict[int, int] = {block[lts.initial]: 0}
    for s in range(n):
        if block[s] not in order:
            order[block[s]] = len(order)
    block = [order[b] for b in block]
    m = len(order)
    rep = [-1] * m
    for s in range(n):
        if rep[block[s]] < 0:
            rep[block[s]] = s
    edges: list[list[tuple[int, int]]] = []
    for b in range(m):
        seen: set[tuple[int, int]] = set()
        out: list[tuple[int, int]] = []
        for e, t in succ[rep[b]]:
            key = (e, block[t])
            if key not in seen:
                seen.add(key)
                out.append(key)
        edges.append(out)
    labels = [lts.state_labels[rep[b]] for b in range(m)]
    terminated = frozenset(block[s] for s in lts.terminated)
    return LTS.from_edges(m, edges, lts.event_labels, labels, terminated, lts.name), block
