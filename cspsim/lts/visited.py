"""The visited set of the packed engine: sorted numpy runs of states with their BFS level.

A stored state is its packed key and its BFS level, nothing else: parent links are recomputed,
level by level, when a counterexample is wanted (:mod:`cspsim.lts.ranking`), so none is stored. For one-word
states that leave at least :data:`MIN_LEVEL_BITS` spare bits, key and level share one
``int64`` word, ``key << level_bits | level``: **8 bytes per stored state**, and sorting words
sorts keys. Wider states keep the key and a ``uint32`` level side by side (12 bytes for one
word, ``8·K + 4`` for K words). A model deeper than the level bits allow switches to that form
on the fly. TERMINATED (bit 62 of word 0) does not fit a word with a level and is kept apart.

Keys live in a log-structured list of sorted runs: each batch of new states becomes a run, and
the last two runs merge while the older one is at most :data:`MERGE_FACTOR` times the newer, so
there are O(log n) runs and each state is copied O(log n) times. Merging one-word runs is
numpy's stable sort of the two concatenated runs (timsort: a linear merge). Membership of a
sorted batch searches each run from its smaller side.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from cspsim.lts.packed import TERM_WORD, Layout
from cspsim.lts.sortedkeys import member

MIN_LEVEL_BITS = 8
MERGE_FACTOR = 4
LEVEL_DTYPE = np.uint32


class Visited:
    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.key_dtype = layout.key_dtype
        self.narrow = layout.n_words == 1 and 63 - layout.total_bits >= MIN_LEVEL_BITS
        self.level_bits = 63 - layout.total_bits if self.narrow else 32
        self.level_mask = np.int64((1 << self.level_bits) - 1) if self.narrow else None
        # narrow: runs of int64 words; wide: runs of (keys, levels)
        self.runs: list[np.ndarray] = []
        self.wide_runs: list[tuple[np.ndarray, np.ndarray]] = []
        self.term_level = -1  # narrow form: level of TERMINATED when stored
        self.term = layout.term_key()
        self.size = 0

    def __len__(self) -> int:
        return self.size

    @property
    def nbytes(self) -> int:
        return sum(r.nbytes for r in self.runs) + sum(k.nbytes + v.nbytes for k, v in self.wide_runs)

    # ------------------------------------------------------------ queries

    def _split_term(self, q: np.ndarray) -> tuple[np.ndarray, bool]:
        """(keys without TERMINATED, whether it was there); it sorts last."""
        if self.narrow and len(q) and q[-1] == TERM_WORD:
            return q[:-1], True
        return q, False

    def contains(self, q: np.ndarray) -> np.ndarray:
        """Membership of each key of ``q`` (sorted, without duplicates)."""
        found = np.zeros(len(q), bool)
        if len(q) == 0:
            return found
        if not self.narrow:
            for keys, _lv in self.wide_runs:
                _mark(found, keys, q)
            return found
        body, has_term = self._split_term(q)
        if has_term:
            found[-1] = self.term_level >= 0
        if len(body) == 0:
            return found
        shifted = body << self.level_bits
        lb = self.level_bits
        for run in self.runs:
            if len(run) >= len(body):
                pos = np.searchsorted(run, shifted)
                ok = pos < len(run)
                pos[~ok] = 0
                found[: len(body)] |= ok & ((run[pos] >> lb) == body)
            else:
                rk = run >> lb
                pos = np.searchsorted(body, rk)
                ok = pos < len(body)
                pos, rk = pos[ok], rk[ok]
                found[pos[body[pos] == rk]] = True
        return found

    def items(self) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Every stored state as (keys, levels) pieces, each sorted by key."""
        if self.narrow:
            for run in self.runs:
                yield run >> self.level_bits, run & self.level_mask
            if self.term_level >= 0:
                yield self.term.copy(), np.array([self.term_level], np.int64)
        else:
            for keys, lv in self.wide_runs:
                yield keys, lv.astype(np.int64)

    def merged(self) -> tuple[np.ndarray, np.ndarray]:
        """All keys (sorted) with their levels."""
        if self.narrow:
            words = np.concatenate(self.runs) if self.runs else np.zeros(0, np.int64)
            words.sort()
            keys, levels = words >> self.level_bits, words & self.level_mask
            if self.term_level >= 0:
                keys = np.concatenate((keys, self.term))
                levels = np.concatenate((levels, [self.term_level]))
            return keys, levels
        pieces = list(self.items())
        if not pieces:
            return np.zeros(0, self.key_dtype), np.zeros(0, np.int64)
        keys = np.concatenate([k for k, _ in pieces])
        levels = np.concatenate([v for _, v in pieces])
        order = np.argsort(keys, kind="stable")
        return keys[order], levels[order]

    def level_index(self) -> tuple[np.ndarray, np.ndarray]:
        """(all keys ordered by (level, key), start of each level in it, one past the end last)."""
        if self.narrow and 63 - self.layout.total_bits >= 1:
            kb = np.int64(self.layout.total_bits)
            words = np.concatenate(self.runs) if self.runs else np.zeros(0, np.int64)
            # key << level_bits | level  ->  level << key_bits | key: one sort orders by level, key
            words = ((words & self.level_mask) << kb) | (words >> np.int64(self.level_bits))
            words.sort()
            levels = words >> kb
            keys = words & np.int64((1 << self.layout.total_bits) - 1)
            top = max(int(levels[-1]) if len(levels) else 0, self.term_level)
            starts = np.searchsorted(levels, np.arange(top + 2))
            if self.term_level >= 0:  # TERMINATED sorts last in its level
                at = int(starts[self.term_level + 1])
                keys = np.concatenate((keys[:at], self.term, keys[at:]))
                starts[self.term_level + 1 :] += 1
            return keys, starts
        keys, levels = self.merged()
        order, starts = by_level(levels)
        return keys[order], starts

    def keys_at(self, level: int) -> np.ndarray:
        """The keys stored at one level (sorted)."""
        parts = [k[v == level] for k, v in self.items()]
        out = np.concatenate(parts) if parts else np.zeros(0, self.key_dtype)
        out.sort()
        return out

    # ------------------------------------------------------------ updates

    def add(self, keys: np.ndarray, level: int) -> None:
        """Add new keys (sorted, none stored yet) found at ``level``."""
        if len(keys) == 0:
            return
        self.size += len(keys)
        if self.narrow and level > int(self.level_mask):
            self._widen()
        if not self.narrow:
            self.wide_runs.append((keys, np.full(len(keys), level, LEVEL_DTYPE)))
            runs = self.wide_runs
            while len(runs) > 1 and len(runs[-2][0]) <= MERGE_FACTOR * len(runs[-1][0]):
                b = runs.pop()
                a = runs.pop()
                runs.append(_merge_wide(a, b))
            return
        body, has_term = self._split_term(keys)
        if has_term:
            self.term_level = level
        if len(body) == 0:
            return
        self.runs.append((body << self.level_bits) | np.int64(level))
        runs = self.runs
        while len(runs) > 1 and len(runs[-2]) <= MERGE_FACTOR * len(runs[-1]):
            b = runs.pop()
            a = runs.pop()
            runs.append(_merge_words(a, b))

    def _widen(self) -> None:
        """Switch to the (key, level) form: the model is deeper than the level bits allow."""
        pieces = list(self.items())
        self.narrow = False
        self.runs = []
        self.term_level = -1
        self.wide_runs = []
        for keys, lv in pieces:
            if len(keys):
                self.wide_runs.append((keys, lv.astype(LEVEL_DTYPE)))
        self.wide_runs.sort(key=lambda r: -len(r[0]))


def _merge_words(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Merge two sorted runs of words. The larger grows in place (``ndarray.resize`` is a
    ``realloc``, which for large arrays remaps pages instead of copying them), takes the smaller
    at its end, and a stable sort (timsort: a merge with a buffer the size of the smaller run)
    orders it, so a merge never holds two copies of the big run, which would double peak memory."""
    if len(a) < len(b):
        a, b = b, a
    if a.base is not None or not a.flags.owndata or not a.flags.c_contiguous:
        merged = np.concatenate((a, b))  # pragma: no cover - runs are always owned arrays
    else:
        n = len(a)
        a.resize(n + len(b), refcheck=False)
        a[n:] = b
        merged = a
    merged.sort(kind="stable")
    return merged


def _mark(found: np.ndarray, keys: np.ndarray, q: np.ndarray) -> None:
    """``found[i] |= q[i] in keys`` (both sorted), searching from the smaller side."""
    if len(keys) >= len(q):
        found |= member(keys, q)
    else:
        pos = np.searchsorted(q, keys)
        ok = pos < len(q)
        pos, k = pos[ok], keys[ok]
        found[pos[q[pos] == k]] = True


def _merge_wide(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Merge two sorted (keys, levels) runs with disjoint keys."""
    ak, al = a
    bk, bl = b
    if len(ak) < len(bk):
        ak, al, bk, bl = bk, bl, ak, al
    n = len(ak) + len(bk)
    pos = np.searchsorted(ak, bk) + np.arange(len(bk))
    from_a = np.ones(n, bool)
    from_a[pos] = False
    keys = np.empty(n, ak.dtype)
    keys[pos] = bk
    keys[from_a] = ak
    levels = np.empty(n, al.dtype)
    levels[pos] = bl
    levels[from_a] = al
    return keys, levels


def by_level(levels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(positions ordered by level, stable; start of each level in that order, one past the end
    last), for arrays of levels as :meth:`Visited.merged` returns them."""
    top = int(levels.max(initial=0))
    small = levels.astype(np.uint16) if top < (1 << 16) else levels  # 16-bit: numpy's radix sort
    order = np.argsort(small, kind="stable")
    return order, np.searchsorted(levels[order], np.arange(top + 2))
