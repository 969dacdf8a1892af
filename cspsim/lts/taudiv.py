"""Divergence of packed implementation states, for the packed pair search (FD refinement and
determinism): which states can perform τ forever, and a τ-lasso from one of them.

:meth:`TauDivergence.flags` answers for a whole batch of states at once. The states not known
yet are resolved together: a breadth-first search over τ-moves only (the implementation's
:class:`~cspsim.lts.packed.StepTables` restricted to τ) collects every state τ-reachable from
them that is not known, then a vectorised peeling decides them all: a state is calm (cannot
diverge) when all its τ-successors are calm, so calm states are removed in rounds from the τ-leaves
upwards (Kahn's algorithm on the reversed τ-graph, each round touching only the predecessors of
the states it removed); whatever is left can always take another τ inside what is left, hence
diverges. Both answers are kept (8 bytes per state in two :class:`~cspsim.lts.visited.Visited`
sets), so each state is τ-expanded once for divergence however many pairs it is in.

:meth:`TauDivergence.lasso` is the scalar part, run once for a counterexample: the τ-closure of
one state, laid out in the machine's move order, its τ-cycles (trimming and Tarjan, as for
``:[divergence free]``), and the reference's rule for the lasso (:meth:`cspsim.lts.pairs.Divergence.lasso`):
a shortest τ-path to a state on a τ-cycle, then a shortest τ-cycle back to that state.
"""

from __future__ import annotations

import numpy as np

from cspsim.lts import sortedkeys
from cspsim.lts.compose import Machine
from cspsim.lts.events import TAU
from cspsim.lts.fastexplore import tau_cycle_states_csr
from cspsim.lts.packed import StepTables, expand_ranges
from cspsim.lts.partition import DEFAULT_CHUNK
from cspsim.lts.paths import shortest_path
from cspsim.lts.scc import Tarjan
from cspsim.lts.visited import Visited


def event_count(tables: StepTables) -> int:
    """One more than the largest event id the tables can produce."""
    outs = [tables.group_out, tables.rule_out] + [g.out for g in tables.groups]
    return 2 + max([int(o.max()) for o in outs if len(o)] + [0])


class TauDivergence:
    def __init__(self, tables: StepTables, chunk: int = DEFAULT_CHUNK) -> None:
        self.tables = tables
        self.chunk = chunk
        self.only_tau = np.zeros(event_count(tables), bool)
        self.only_tau[TAU] = True
        self.divergent = Visited(tables.layout)
        self.calm = Visited(tables.layout)
        self.resolved = 0  # states decided so far

    @property
    def nbytes(self) -> int:
        return self.divergent.nbytes + self.calm.nbytes

    def flags(self, keys: np.ndarray) -> np.ndarray:
        """Whether each state of ``keys`` (any order, repeats allowed) can perform τ forever."""
        if len(keys) == 0:
            return np.zeros(0, bool)
        u, inv = _unique_inverse(keys)
        div = self.divergent.contains(u)
        unknown = ~(div | self.calm.contains(u))
        if unknown.any():
            self._resolve(u[unknown])
            div = self.divergent.contains(u)
        return div[inv]

    def _tau_moves(self, keys: np.ndarray, classes: bool = False) -> tuple[np.ndarray, ...]:
        """τ transitions of ``keys`` as (source index, target key[, class]), chunk by chunk."""
        srcs, tgts, clss = [], [], []
        for lo in range(0, len(keys), self.chunk):
            out = self.tables.expand(keys[lo : lo + self.chunk], only=self.only_tau, classes=classes)
            tgts.append(out[0])
            srcs.append(out[1] + lo)
            if classes:
                clss.append(out[3])
        empty = np.zeros(0, np.int64)
        src = np.concatenate(srcs) if srcs else empty
        tgt = np.concatenate(tgts) if tgts else keys[:0]
        if classes:
            return src, tgt, (np.concatenate(clss) if clss else empty)
        return src, tgt

    def _resolve(self, start: np.ndarray) -> None:
        """Decide every state τ-reachable from ``start`` (sorted, none known) not known yet."""
        seen = Visited(self.tables.layout)  # runs of sorted keys: no quadratic re-merging
        seen.add(start, 0)
        # per round: the sources (sorted keys), each move's source index, the distinct targets
        # (sorted) and each move's index among them; keys become numbers once all are found, by
        # searches of sorted keys (much faster than searching each move's keys in random order)
        rounds: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        frontier = start
        while len(frontier):
            src, tgt = self._tau_moves(frontier)
            targets, which = _unique_inverse(tgt)
            rounds.append((frontier, src, targets, which))
            cand = targets[~seen.contains(targets)]
            if len(cand):
                cand = cand[~(self.divergent.contains(cand) | self.calm.contains(cand))]
            seen.add(cand, 0)
            frontier = cand
        found = seen.merged()[0]
        n = len(found)
        ss, ts = [], []
        doomed = np.zeros(n, bool)  # a τ-successor is already known to diverge
        for sources, src, targets, which in rounds:
            s = np.searchsorted(found, sources)[src]
            inside = sortedkeys.member(found, targets)
            pos = np.searchsorted(found, targets)
            known_div = np.zeros(len(targets), bool)
            if not inside.all():
                known_div[~inside] = self.divergent.contains(targets[~inside])
            doomed[s[known_div[which]]] = True
            keep = inside[which]
            ss.append(s[keep])
            ts.append(pos[which[keep]])
        calm = _peel(n, np.concatenate(ss), np.concatenate(ts), doomed)
        self.divergent.add(found[~calm], 0)
        self.calm.add(found[calm], 0)
        self.resolved += n

    # ------------------------------------------------------------ the lasso (scalar)

    def lasso(self, key: np.ndarray) -> tuple[list[np.ndarray], int]:
        """τ-lasso from a divergent state (a length-1 key array): (keys, loop start), where
        consecutive keys are linked by τ and the last key equals ``keys[loop start]``."""
        closure = key.copy()
        frontier = key.copy()
        while len(frontier):
            _src, tgt = self._tau_moves(frontier)
            cand = sortedkeys.unique(tgt)
            cand = cand[~sortedkeys.member(closure, cand)]
            closure = sortedkeys.merge([closure, cand], key.dtype)
            frontier = cand
        src, tgt_keys, cls = self._tau_moves(closure, classes=True)
        tgt = np.searchsorted(closure, tgt_keys)
        order = np.lexsort((tgt, cls, src))  # the machine's move order within each state
        src, tgt = src[order], tgt[order]
        n = len(closure)
        ptr = np.searchsorted(src, np.arange(n + 1))
        succ = [tgt[ptr[i] : ptr[i + 1]].tolist() for i in range(n)]
        cyclic = set(tau_cycle_states_csr(ptr, np.full(len(tgt), TAU, np.int64), tgt))
        root = int(np.searchsorted(closure, key)[0])
        path = shortest_path(root, succ.__getitem__, lambda v: v in cyclic)
        entry = path[-1]
        cycle = shortest_path(entry, succ.__getitem__, lambda v: v == entry, strict=True)
        ids = path + cycle[1:]
        return [closure[i : i + 1] for i in ids], len(path) - 1


STATIC_LEAF_LIMIT = 20_000  # larger components are assumed to allow τ-cycles (the test is Python)


def tau_cycles_possible(machine: Machine) -> bool:
    """False only when no τ-cycle can exist in ``machine``'s state space (so nothing diverges).

    A τ-cycle of the whole process is, in each component that moves on it, a closed walk over
    the component's τ-edges and its edges on events that hidden rules use; such a walk stays
    inside one strongly connected component of those edges. So: keep each component's edges that
    lie inside such a component; drop the hidden rules one of whose parts has no edge left (they
    cannot fire on a cycle), which removes edges in turn; repeat. If nothing is left, no τ-cycle
    exists. (A chain of buffers with hidden links: the first cell's input is visible, so its
    output edges are on no cycle, so the first link cannot fire on one, and so on down the
    chain.)
    """
    leaves = machine.leaves
    tau_rules = [r for r in machine.rules if r.out == TAU]
    if any(leaf.n_states > STATIC_LEAF_LIMIT for leaf in leaves):
        return machine.may_diverge()
    alive = list(range(len(tau_rules)))
    while True:
        used = {part for r in alive for part in tau_rules[r].parts}
        kept: set[tuple[int, int]] = set()  # (leaf, event) with an edge on a local cycle
        for j, leaf in enumerate(leaves):
            edges = [(s, t, TAU) for s in range(leaf.n_states) for t in leaf.tau[s]]
            edges += [(s, t, e) for s in range(leaf.n_states) for e, ts in leaf.vis[s].items()
                      if (j, e) in used for t in ts]
            if not edges:
                continue
            succ: list[list[int]] = [[] for _ in range(leaf.n_states)]
            for s, t, _e in edges:
                succ[s].append(t)
            tarjan: Tarjan[int] = Tarjan(lambda v, succ=succ: succ[v])
            for root in range(leaf.n_states):
                tarjan.run(root)
            comp = tarjan.component
            kept |= {(j, e) for s, t, e in edges if comp[s] == comp[t]}
        if any(e == TAU for _j, e in kept):
            return True
        still = [r for r in alive if all(part in kept for part in tau_rules[r].parts)]
        if len(still) == len(alive):
            return bool(still)
        alive = still


def _unique_inverse(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(distinct keys sorted, index of each key among them)."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    first = sortedkeys.first_mask(ordered)
    inverse = np.empty(len(keys), np.int64)
    inverse[order] = np.cumsum(first) - 1
    return ordered[first], inverse


def _peel(n: int, s: np.ndarray, t: np.ndarray, doomed: np.ndarray) -> np.ndarray:
    """Calm states of a τ-graph over ``0..n-1`` (edges ``s -> t``): those all of whose τ-paths
    end; ``doomed`` states are known to diverge (an edge leaves to a divergent state)."""
    remaining = np.bincount(s, minlength=n)  # τ-successors not known to be calm
    calm = np.zeros(n, bool)
    order = np.argsort(t, kind="stable")
    preds = s[order]
    rptr = np.searchsorted(t[order], np.arange(n + 1))
    ready = np.flatnonzero((remaining == 0) & ~doomed)
    while len(ready):
        calm[ready] = True
        _rows, entry = expand_ranges(rptr[ready], rptr[ready + 1] - rptr[ready])
        if len(entry) == 0:
            break
        p, count = np.unique(preds[entry], return_counts=True)
        remaining[p] -= count
        ready = p[(remaining[p] == 0) & ~doomed[p] & ~calm[p]]
    return calm
