"""One share of a level-synchronous breadth-first search: a frontier and its visited states.

A :class:`Partition` owns the states whose hash (:func:`owners`) equals its index. A search level
is, in rounds of bounded size: every partition *expands* the next part of its frontier
(successors, deduplicated, grouped by owner), the batches are exchanged, and every partition
*absorbs* what it owns (stores the keys it has not seen); at the end of the level what was
absorbed becomes the next frontier. With one partition the two halves run batch by batch in
:meth:`Partition.step`. A partition holds only numpy arrays and the picklable
:class:`~cspsim.lts.packed.StepTables`, and knows nothing about processes or coordination, so
the same object serves in one process, in worker processes, or as a Ray actor.

Determinism: the states of a level and everything counted do not depend on the number of
partitions, the chunk or the batch size, because a level is a set; counterexamples are computed
from the levels alone (:mod:`cspsim.lts.ranking`), via :meth:`Partition.keys_at`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from cspsim.lts import sortedkeys
from cspsim.lts.packed import StepTables
from cspsim.lts.visited import Visited

DEFAULT_CHUNK = 1 << 14  # states expanded at once (keeps the work arrays in cache)
DEFAULT_BATCH = 1 << 19  # distinct successors checked against the visited set at once
_HASH_MUL = np.uint64(0x9E3779B97F4A7C15)


def owners(keys: np.ndarray, count: int) -> np.ndarray:
    """The partition of each key: a multiplicative hash of its bytes, reduced to ``count`` by a
    multiply-shift (no division)."""
    if count == 1:
        return np.zeros(len(keys), np.int64)
    if keys.dtype == np.int64:
        h = keys.view(np.uint64) * _HASH_MUL
    else:
        words = np.ascontiguousarray(keys).view(">u8").reshape(len(keys), -1).astype(np.uint64)
        h = np.zeros(len(keys), np.uint64)
        for w in range(words.shape[1]):
            h = (h ^ words[:, w]) * _HASH_MUL
    return (((h >> np.uint64(32)) * np.uint64(count)) >> np.uint64(32)).astype(np.int64)


@dataclass
class LevelStats:
    """What one partition saw while expanding one level."""

    transitions: int = 0
    new_states: int = 0
    deadlock: np.ndarray | None = None  # smallest key in the level with no transition at all
    timed_out: bool = False


class Partition:
    def __init__(self, tables: StepTables, index: int = 0, count: int = 1, chunk: int = DEFAULT_CHUNK,
                 batch: int = DEFAULT_BATCH) -> None:
        self.tables = tables
        self.index = index
        self.count = count
        self.chunk = chunk
        self.batch = batch
        layout = tables.layout
        self.layout = layout
        self.visited = Visited(layout)
        self.frontier = np.zeros(0, layout.key_dtype)
        self.term = layout.term_key()
        self._by_level: tuple[np.ndarray, np.ndarray] | None = None
        self._cursor = 0
        self._new_parts: list[np.ndarray] = []

    # ------------------------------------------------------------ seeding and stepping

    def seed(self, key: np.ndarray) -> None:
        """Store the initial state (a length-1 key array) if this partition owns it."""
        if owners(key, self.count)[0] == self.index:
            self.visited.add(key.copy(), 0)
            self.frontier = key.copy()

    def _live(self) -> np.ndarray:
        """The frontier without TERMINATED (the largest key, so at most the last one)."""
        f = self.frontier
        if len(f) and bool((f[-1:] == self.term).all()):
            return f[:-1]
        return f

    def step(self, level: int, find_deadlock: bool = False, stop_at_deadlock: bool = False,
             max_new: int | None = None, deadline: float | None = None) -> LevelStats:
        """Expand and absorb one level in place (one partition only), a batch at a time.

        ``find_deadlock`` notes the smallest deadlocked key of the level; ``stop_at_deadlock``
        stops at the chunk holding it. Stops adding once more than ``max_new`` states are new, or
        after ``deadline`` (``time.perf_counter()``); the level is then incomplete.
        """
        assert self.count == 1
        stats = LevelStats()
        self.begin_level()
        done = False
        while not done:
            if deadline is not None and time.perf_counter() > deadline:
                stats.timed_out = True
                break
            part, runs, done = self.expand(find_deadlock and stats.deadlock is None, stop_at_deadlock, self.batch)
            stats.transitions += part.transitions
            if part.deadlock is not None:
                stats.deadlock = part.deadlock
                if stop_at_deadlock:
                    break
            stats.new_states += self.absorb(runs[0], level)
            if max_new is not None and stats.new_states > max_new:
                break
        self.end_level()
        return stats

    def begin_level(self) -> None:
        """Start expanding the frontier (see :meth:`expand`, :meth:`absorb`, :meth:`end_level`)."""
        self._cursor = 0
        self._new_parts = []

    def expand(self, find_deadlock: bool = False, stop_at_deadlock: bool = False, budget: int | None = None,
               ) -> tuple[LevelStats, list[list[np.ndarray]], bool]:
        """Successors of the next part of the frontier for each owner, as sorted distinct runs
        (one per chunk): chunks are expanded until ``budget`` successors are collected (all of
        the frontier if None). Returns (stats, runs per owner, whether the frontier is done), so
        that a level can be exchanged in rounds of bounded size."""
        stats = LevelStats()
        live = self._live()
        out: list[list[np.ndarray]] = [[] for _ in range(self.count)]
        collected = 0
        while self._cursor < len(live) and (budget is None or collected < budget):
            chunk = live[self._cursor : self._cursor + self.chunk]
            self._cursor += self.chunk
            keys, n_trans, dead = self._successors(chunk, find_deadlock and stats.deadlock is None)
            stats.transitions += n_trans
            if dead is not None:
                stats.deadlock = dead
                if stop_at_deadlock:
                    return stats, [], True
            collected += len(keys)
            if self.count == 1:
                out[0].append(keys)
                continue
            own = owners(keys, self.count)
            for p in range(self.count):
                part = keys[own == p]
                if len(part):
                    out[p].append(part)
        return stats, out, self._cursor >= len(live)

    def absorb(self, batches: list[np.ndarray], level: int) -> int:
        """Store the unseen keys of the batches (sorted distinct runs) at ``level`` + 1 and keep
        them for the next frontier; returns how many."""
        keys = sortedkeys.merge_unique(batches, self.layout.key_dtype)
        keys = keys[~self.visited.contains(keys)]
        self.visited.add(keys, level + 1)
        self._new_parts.append(keys)
        return len(keys)

    def end_level(self) -> int:
        """Make what was absorbed during the level the next frontier; returns its size."""
        self.frontier = sortedkeys.merge(self._new_parts, self.layout.key_dtype)
        self._new_parts = []
        return len(self.frontier)

    # ------------------------------------------------------------ counterexamples

    def keys_at(self, level: int) -> np.ndarray:
        """This partition's states at ``level`` (sorted), from an index built on first use."""
        if self._by_level is None:
            self._by_level = self.visited.level_index()
        keys, offsets = self._by_level
        if level + 1 >= len(offsets):
            return keys[:0]
        return keys[offsets[level] : offsets[level + 1]]

    # ------------------------------------------------------------ successors of one chunk

    def _successors(self, chunk: np.ndarray, find_deadlock: bool) -> tuple[np.ndarray, int, np.ndarray | None]:
        """Sorted distinct successors of a sorted chunk, the number of transitions, and the
        smallest key of the chunk without any transition (when asked for)."""
        succ, src, _events = self.tables.expand(chunk, events=False)
        dead_key = None
        if find_deadlock:
            degree = np.bincount(src, minlength=len(chunk))
            dead = np.flatnonzero(degree == 0)
            if len(dead):
                dead_key = chunk[dead[:1]].copy()
        succ.sort()
        return succ[sortedkeys.first_mask(succ)], len(src), dead_key
