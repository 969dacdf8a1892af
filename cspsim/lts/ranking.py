"""The reference engine's state numbering, recomputed level by level from packed states.

The reference BFS (:func:`cspsim.lts.explore.explore`) numbers states in order of discovery:
it takes the states of a level in number order and each one's moves in the machine's canonical
order (class, then successor; see :meth:`~cspsim.lts.compose.Machine.moves`), and gives the next
number to every successor not seen before. So the order of level d+1 is the order of
(number of a state's first parent in level d, class of the first move from that parent to it,
its key), where the first parent is the lowest-numbered state of level d with a move to it.

The packed engine explores levels as sets; when it must report a counterexample or build a graph
it replays this rule over the levels it stored, which gives exactly the reference's numbers,
parents and therefore the reference's counterexamples.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from cspsim.lts.packed import TERM_WORD, StepTables
from cspsim.lts.sortedkeys import first_mask, member

INF = np.iinfo(np.int64).max


def live_mask(keys: np.ndarray, term: np.ndarray) -> np.ndarray:
    """Which keys are not TERMINATED (which has no moves)."""
    return ~(keys == term[0]) if keys.dtype == np.int64 else ~(keys == term)


def expand_ordered(tables: StepTables, keys: np.ndarray, chunk: int
                   ) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]]:
    """Transitions of ``keys`` chunk by chunk, as (successors, source index into ``keys``,
    events, classes); TERMINATED is skipped."""
    term = tables.layout.term_key()
    for lo in range(0, len(keys), chunk):
        block = keys[lo : lo + chunk]
        live = np.flatnonzero(live_mask(block, term))
        if len(live) == 0:
            continue
        succ, src, ev, cls = tables.expand(block[live], classes=True)
        yield succ, live[src] + lo, ev, cls


class FirstParents:
    """Accumulates, for each key of a sorted level, its first parent and first move's class.

    Transitions come in chunks of increasing source numbers. With one-word keys and room for the
    bits, a chunk is reduced by one sort of ``successor << b | (source * classes + class)``
    (the smallest value per successor is its first move), then matched against the level by a
    search of sorted keys; otherwise by a search per transition and ``np.minimum.at``.
    """

    def __init__(self, nxt: np.ndarray, n_classes: int, n_parents: int, key_bits: int = 63) -> None:
        self.nxt = nxt
        self.n_classes = n_classes
        self.pair_bits = max(1, (max(n_parents, 1) * n_classes).bit_length())
        self.key_bits = key_bits
        self.fast = nxt.dtype == np.int64 and key_bits + 1 + self.pair_bits <= 63
        self.packed = n_parents * n_classes < (1 << 62)
        if self.packed:
            self.best = np.full(len(nxt), INF)
        else:  # pragma: no cover - more than 2^62 (parent, class) pairs
            self.best_src = np.full(len(nxt), INF)
            self.pairs: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []

    def add(self, succ: np.ndarray, src: np.ndarray, cls: np.ndarray) -> None:
        nxt = self.nxt
        if len(nxt) == 0 or len(succ) == 0:
            return
        if self.fast:
            self._add_packed(succ, src * self.n_classes + cls)
            return
        if self.packed:
            pair = src * self.n_classes + cls
            order = np.argsort(succ)  # the minimum below does not care about order among equals
            keys, pair = succ[order], pair[order]
            starts = np.flatnonzero(first_mask(keys))
            keys, best = keys[starts], np.minimum.reduceat(pair, starts)
            self._merge(keys, best)
            return
        pos = np.searchsorted(nxt, succ)  # pragma: no cover
        ok = pos < len(nxt)  # pragma: no cover
        pos[~ok] = 0  # pragma: no cover
        hit = ok & (nxt[pos] == succ)  # pragma: no cover
        idx, src, cls = pos[hit], src[hit], cls[hit]  # pragma: no cover
        np.minimum.at(self.best_src, idx, src)  # pragma: no cover
        self.pairs.append((idx, src, cls))  # pragma: no cover

    def _add_packed(self, succ: np.ndarray, pair: np.ndarray) -> None:
        term = np.int64(TERM_WORD)
        alt = np.int64(1 << self.key_bits)  # TERMINATED, moved below bit 63 for packing
        is_term = succ == term
        if is_term.any():
            succ = np.where(is_term, alt, succ)
        shift = np.int64(self.pair_bits)
        v = (succ << shift) | pair
        v.sort()
        keys = v >> shift
        first = first_mask(keys)
        keys, best = keys[first], v[first] & np.int64((1 << self.pair_bits) - 1)
        if len(keys) and keys[-1] == alt:
            keys[-1] = term
        self._merge(keys, best)

    def _merge(self, keys: np.ndarray, best: np.ndarray) -> None:
        """Fold (sorted distinct successors, their best pair) into the level's table."""
        nxt = self.nxt
        pos = np.searchsorted(nxt, keys)
        hit = member(nxt, keys)
        idx = pos[hit]
        self.best[idx] = np.minimum(self.best[idx], best[hit])

    def order(self) -> tuple[np.ndarray, np.ndarray]:
        """(permutation of the level into reference order, first parent of each in that order)."""
        if self.packed:
            best = self.best
            n = len(best)
            top = int(best.max(initial=0))
            if top < INF and (top + 1) * max(n, 1) < (1 << 62):
                order = np.argsort(best * n + np.arange(n))  # distinct values: ties stay in key order
            else:
                order = np.argsort(best, kind="stable")  # pragma: no cover - too wide to pack
            return order, best[order] // self.n_classes
        best_cls = np.full(len(self.nxt), INF)  # pragma: no cover
        for idx, src, cls in self.pairs:  # pragma: no cover
            sel = src == self.best_src[idx]
            np.minimum.at(best_cls, idx[sel], cls[sel])
        order = np.lexsort((np.arange(len(self.nxt)), best_cls, self.best_src))  # pragma: no cover
        return order, self.best_src[order]  # pragma: no cover


def next_level(tables: StepTables, cur: np.ndarray, nxt: np.ndarray, chunk: int) -> tuple[np.ndarray, np.ndarray]:
    """Level d+1 in reference order, given level d in reference order (``cur``) and level d+1
    as sorted keys (``nxt``): (keys in order, index in ``cur`` of each one's first parent)."""
    first = FirstParents(nxt, tables.n_classes, len(cur), tables.layout.total_bits)
    for succ, src, _ev, cls in expand_ordered(tables, cur, chunk):
        first.add(succ, src, cls)
    order, parent = first.order()
    return nxt[order], parent
