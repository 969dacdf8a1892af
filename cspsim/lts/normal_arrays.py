"""A normal form as numpy arrays, so that a whole chunk of (node, implementation state) pairs is
judged and followed at once (:mod:`cspsim.lts.pairtables`).

* ``next_node(nodes, events)``: the node after each event, -1 where the node cannot perform it. A
  dense ``nodes × events`` table while it stays small (:data:`DENSE_ENTRIES`), else a sorted
  array of ``node * n_events + event`` searched with ``searchsorted``.
* Sets of events per node as bitsets, for subset tests: ``sets_allow(nodes, acceptance)`` is true
  where one of the node's sets is contained in the acceptance. For a refinement check the sets
  are the node's minimal acceptances (a stable state is allowed when its acceptance contains
  one); for determinism, the node's initials (a stable state must accept all of them). Only the
  events that occur in some set get a bit, so the bitsets stay narrow: ``W = ceil(bits / 64)``
  ``uint64`` words per set, any number of events.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from cspsim.lts.normalise import NormalForm
from cspsim.lts.packed import expand_ranges

DENSE_ENTRIES = 1 << 22  # largest nodes × events table kept dense (32 MB of int64)


class NormalArrays:
    """``nf`` with its transitions as a lookup table and ``sets[n]`` (one family per node) as bitsets."""

    def __init__(self, nf: NormalForm, n_events: int, sets: list[Iterable[frozenset[int]]] | None = None) -> None:
        self.n_nodes = nf.n_nodes
        self.divergent = np.array(nf.divergent, bool) if nf.n_nodes else np.zeros(0, bool)
        top = max([e for t in nf.trans for e in t] + [n_events - 1, 1])
        self.n_events = top + 1
        pairs = sorted((n * self.n_events + e, m) for n, t in enumerate(nf.trans) for e, m in t.items())
        codes = np.array([c for c, _ in pairs], np.int64)
        targets = np.array([m for _, m in pairs], np.int64)
        self.dense: np.ndarray | None = None
        if self.n_nodes * self.n_events <= DENSE_ENTRIES:
            self.dense = np.full(self.n_nodes * self.n_events, -1, np.int64)
            self.dense[codes] = targets
        self.codes, self.targets = codes, targets
        self._build_sets(sets or [[] for _ in range(self.n_nodes)])

    def next_node(self, nodes: np.ndarray, events: np.ndarray) -> np.ndarray:
        """The node reached from ``nodes[i]`` by ``events[i]`` (-1: the node cannot perform it)."""
        ok = events < self.n_events
        code = nodes * self.n_events + np.where(ok, events, 0)
        if self.dense is not None:
            out = self.dense[code]
        else:
            pos = np.searchsorted(self.codes, code)
            pos[pos >= len(self.codes)] = 0
            hit = self.codes[pos] == code if len(self.codes) else np.zeros(len(code), bool)
            out = np.where(hit, self.targets[pos] if len(self.targets) else -1, -1)
        return np.where(ok, out, -1)

    # ------------------------------------------------------------ event sets as bitsets

    def _build_sets(self, sets: list[Iterable[frozenset[int]]]) -> None:
        families = [list(f) for f in sets]
        events = sorted({e for f in families for s in f for e in s})
        self.bit_of = np.full(self.n_events, -1, np.int64)
        self.bit_of[events] = np.arange(len(events))
        self.words = max(1, (len(events) + 63) // 64)
        self.set_start = np.zeros(self.n_nodes, np.int64)
        self.set_count = np.array([len(f) for f in families], np.int64) if families else np.zeros(0, np.int64)
        if len(self.set_count):
            self.set_start = np.cumsum(self.set_count) - self.set_count
        flat = [s for f in families for s in f]
        self.set_bits = np.zeros((len(flat), self.words), np.uint64)
        for i, s in enumerate(flat):
            for e in s:
                b = int(self.bit_of[e])
                self.set_bits[i, b >> 6] |= np.uint64(1 << (b & 63))

    def bitsets(self, n: int, rows: np.ndarray, events: np.ndarray) -> np.ndarray:
        """``n`` bitsets (``n × W``), row ``rows[i]`` holding ``events[i]`` (events without a bit
        are left out: no set of any node mentions them)."""
        out = np.zeros((n, self.words), np.uint64)
        bit = self.bit_of[np.minimum(events, self.n_events - 1)]
        bit[events >= self.n_events] = -1
        keep = bit >= 0
        rows, bit = rows[keep], bit[keep]
        if len(rows):
            np.bitwise_or.at(out, (rows, bit >> 6), np.left_shift(np.uint64(1), (bit & 63).astype(np.uint64)))
        return out

    def sets_allow(self, nodes: np.ndarray, acceptance: np.ndarray) -> np.ndarray:
        """Per row: some set of ``nodes[i]`` is contained in the bitset ``acceptance[i]``."""
        rows, entry = expand_ranges(self.set_start[nodes], self.set_count[nodes])
        inside = ~np.any(self.set_bits[entry] & ~acceptance[rows], axis=1)
        ok = np.zeros(len(nodes), bool)
        ok[rows[inside]] = True
        return ok
