"""State-space compressions of explicit LTSs (FDR's ``normal``, ``wbisim``, ``tau_loop_factor``,
``diamond``, ``sbdia``, ``explicate``; ``sbisim`` is :func:`cspsim.lts.bisim.strong_bisimulation`).

Every function maps an :class:`LTS` to an :class:`LTS` with **the same traces, stable failures
and divergences** — so the result may be used in the T, F and FD models alike — and **never more
states**. FDR's GLTS nodes carry acceptance labels; cspsim keeps plain LTSs, so where a node
needs several minimal acceptances it keeps τ-edges to stable witness states that show them (the
witnesses are states the input already had, so the count cannot grow). The ✓ conventions are
those of :mod:`cspsim.lts.normalise`: a state that can perform ✓ accepts ``{✓}``; states reached
by ✓ (Ω) have no transitions.
"""

from __future__ import annotations

from collections.abc import Callable

from cspsim.lts.bisim import strong_bisimulation
from cspsim.lts.events import TAU, TICK
from cspsim.lts.lts import LTS
from cspsim.lts.normalise import minimal_sets, normalise, state_acceptance
from cspsim.lts.scc import Tarjan, divergence_flags


def explicate(lts: LTS) -> LTS:
    """The LTS itself, tabulated: no reduction, every model and bisimulation preserved."""
    return lts


def sbisim(lts: LTS) -> LTS:
    """Quotient by strong bisimulation (preserves every model and the branching structure)."""
    return strong_bisimulation(lts)[0]


def _quotient(lts: LTS, block: list[int], loop: list[bool]) -> LTS:
    """The LTS over blocks (the initial state's block first, then by lowest member).

    Each block gets the union of its members' transitions mapped to blocks, except τ-moves
    inside the block, which are dropped; a block with a member marked in ``loop`` gets a τ
    self-loop instead (it diverges).
    """
    n = lts.n_states
    order: dict[int, int] = {block[lts.initial]: 0}
    for s in range(n):
        order.setdefault(block[s], len(order))
    blk = [order[b] for b in block]
    m = len(order)
    rep = [-1] * m
    for s in range(n):
        if rep[blk[s]] < 0:
            rep[blk[s]] = s
    edges: list[list[tuple[int, int]]] = [[] for _ in range(m)]
    seen: list[set[tuple[int, int]]] = [set() for _ in range(m)]
    for s in range(n):
        b = blk[s]
        for e, t in lts.successors(s):
            c = blk[t]
            if (e == TAU and c == b) or (e, c) in seen[b]:
                continue
            seen[b].add((e, c))
            edges[b].append((e, c))
    looped = {blk[s] for s in range(n) if loop[s]}
    for b in sorted(looped):
        edges[b].append((TAU, b))
    labels = [lts.state_labels[rep[b]] for b in range(m)]
    terminated = frozenset(blk[s] for s in lts.terminated)
    return LTS.from_edges(m, edges, lts.event_labels, labels, terminated, lts.name)


def _tau_succ(lts: LTS) -> list[list[int]]:
    return [[t for e, t in lts.successors(s) if e == TAU] for s in range(lts.n_states)]


def tau_loop_factor(lts: LTS) -> LTS:
    """Merge each strongly connected component of the τ-graph into one state.

    The members of a τ-cycle reach each other silently, so they have the same traces, failures
    and divergences (all diverge); the merged state keeps a τ self-loop. Preserves T, F, FD and
    divergence-respecting weak bisimulation.
    """
    tau_succ = _tau_succ(lts)
    tarjan: Tarjan[int] = Tarjan(lambda s: tau_succ[s])
    for root in range(lts.n_states):
        tarjan.run(root)
    block = [tarjan.component[s] for s in range(lts.n_states)]
    cyclic, _ = divergence_flags(lts.n_states, tau_succ)
    return _quotient(lts, block, cyclic)


def _closures(tau_succ: list[list[int]]) -> list[frozenset[int]]:
    """τ-closure of every state of a τ-graph that is acyclic apart from self-loops."""
    n = len(tau_succ)
    memo: list[frozenset[int] | None] = [None] * n
    tarjan: Tarjan[int] = Tarjan(lambda s: [t for t in tau_succ[s] if t != s])
    for root in range(n):
        for comp, succs in tarjan.run(root):  # successors first, so their closures are known
            (s,) = comp
            acc = {s}
            for t in succs[s]:
                acc |= memo[t]  # type: ignore[arg-type]
            memo[s] = frozenset(acc)
    return memo  # type: ignore[return-value]


def diamond(lts: LTS) -> LTS:
    """Diamond elimination (after τ-loop factoring): keep only the initial state and the targets
    of visible moves; each kept state performs every visible move of its τ-closure directly.

    A kept state whose closure has a single minimal acceptance equal to what it offers becomes
    stable; otherwise it keeps τ-edges to one stable witness per minimal acceptance (and a τ
    self-loop if it diverges). Preserves T, F and FD exactly; removes every other τ.
    """
    lts = tau_loop_factor(lts)
    n = lts.n_states
    tau_succ = _tau_succ(lts)
    _, diverges = divergence_flags(n, tau_succ)
    closure = _closures(tau_succ)
    moves = [list(lts.successors(s)) for s in range(n)]
    contribution = [state_acceptance(m) for m in moves]
    kept: dict[int, int] = {lts.initial: 0}
    order = [lts.initial]
    edges: list[list[tuple[int, int]]] = []

    def keep(s: int) -> int:
        if s not in kept:
            kept[s] = len(order)
            order.append(s)
        return kept[s]

    i = 0
    while i < len(order):
        s = order[i]
        members = sorted(closure[s])
        out: list[tuple[int, int]] = []
        offered: set[int] = set()
        for u in members:
            for e, t in moves[u]:
                if e != TAU:
                    offered.add(e)
                    out.append((e, t))
        found = [contribution[u] for u in members if contribution[u] is not None]
        accs = minimal_sets(found)  # type: ignore[arg-type]
        implied = frozenset([TICK]) if TICK in offered else frozenset(offered)
        new = [(e, keep(t)) for e, t in dict.fromkeys(out)]
        if diverges[s] or accs != (implied,):
            for a in accs:
                if a == frozenset([TICK]):
                    continue  # shown by the ✓ move itself
                witness = next(u for u in members if contribution[u] == a)
                new.append((TAU, keep(witness)))
            if diverges[s]:
                new.append((TAU, kept[s]))
        edges.append(new)
        i += 1
    labels = [lts.state_labels[s] for s in order]
    terminated = frozenset(kept[s] for s in lts.terminated if s in kept)
    return LTS.from_edges(len(order), edges, lts.event_labels, labels, terminated, lts.name)


def sbdia(lts: LTS) -> LTS:
    """``sbisim(diamond(P))``, FDR's recommended combination."""
    return sbisim(diamond(lts))


def wbisim(lts: LTS) -> LTS:
    """Quotient by divergence-respecting weak bisimulation (after τ-loop factoring).

    Partition refinement on weak moves: ``s =a=> t`` (τ* a τ*) and ``s =τ=> t`` (τ*, including
    ``s`` itself); states that can diverge are never merged with states that cannot. In the
    quotient, τ-moves inside a class are dropped and divergent classes get a τ self-loop.
    Preserves T, F and FD.
    """
    lts = tau_loop_factor(lts)
    n = lts.n_states
    tau_succ = _tau_succ(lts)
    _, diverges = divergence_flags(n, tau_succ)
    closure = [sorted(c) for c in _closures(tau_succ)]
    visible = [[(e, t) for e, t in lts.successors(s) if e != TAU] for s in range(n)]
    block = [(2 if s in lts.terminated else 0) + (1 if diverges[s] else 0) for s in range(n)]
    count = len(set(block))
    while True:
        reach = [frozenset(block[t] for t in closure[s]) for s in range(n)]  # blocks τ*-reachable
        table: dict[tuple[int, frozenset[tuple[int, int]]], int] = {}
        new_block = [0] * n
        for s in range(n):
            sig: set[tuple[int, int]] = {(TAU, b) for b in reach[s]}
            for u in closure[s]:
                for e, t in visible[u]:
                    sig.update((e, b) for b in reach[t])
            key = (block[s], frozenset(sig))
            new_block[s] = table.setdefault(key, len(table))
        block = new_block
        if len(table) == count:
            break
        count = len(table)
    return _quotient(lts, block, diverges)


def normal(lts: LTS) -> LTS:
    """The normal form (τ-closure + subset construction) as an LTS; exact in T, F and FD.

    A node whose members have one minimal acceptance equal to what the node offers is a stable
    state; otherwise it has τ-edges to stable acceptance states (shared between nodes), and a
    τ self-loop if it diverges. If the result would have more states than ``lts`` (normalisation
    can blow up), ``lts`` itself is returned.
    """
    try:
        nf = normalise(lts, max_nodes=lts.n_states + 1)  # larger forms are discarded anyway
    except OverflowError:
        return lts
    ticked: set[int] = {t[TICK] for t in nf.trans if TICK in t}
    edges: list[list[tuple[int, int]]] = [[] for _ in range(nf.n_nodes)]
    labels = [_node_label(lts, nf.members[k]) for k in range(nf.n_nodes)]
    witnesses: dict[tuple[tuple[int, int], ...], int] = {}
    for k in range(nf.n_nodes):
        trans = nf.trans[k]
        edges[k] = sorted(trans.items())
        implied = frozenset([TICK]) if TICK in trans else frozenset(trans)
        if not nf.divergent[k] and nf.acceptances[k] == (implied,):
            continue
        for a in nf.acceptances[k]:
            if a == frozenset([TICK]):
                continue
            key = tuple((e, trans[e]) for e in sorted(a))
            w = witnesses.get(key)
            if w is None:
                w = len(edges)
                witnesses[key] = w
                edges.append(list(key))
                labels.append(f"acceptance {{{', '.join(lts.event_labels[e] for e in sorted(a))}}}")
            edges[k].append((TAU, w))
        if nf.divergent[k]:
            edges[k].append((TAU, k))
    if len(edges) > lts.n_states:
        return lts
    return LTS.from_edges(len(edges), edges, lts.event_labels, labels, frozenset(ticked), lts.name)


def _node_label(lts: LTS, members: frozenset[int]) -> str:
    first = lts.state_labels[min(members)]
    return first if len(members) == 1 else f"{{{first}, … ({len(members)} states)}}"


COMPRESSIONS: dict[str, Callable[[LTS], LTS]] = {
    "normal": normal,
    "sbisim": sbisim,
    "wbisim": wbisim,
    "tau_loop_factor": tau_loop_factor,
    "diamond": diamond,
    "sbdia": sbdia,
    "explicate": explicate,
}
