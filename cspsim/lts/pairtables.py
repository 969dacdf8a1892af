"""The successor function over packed (normal-form node, implementation state) pairs.

A pair is one key: the implementation's packed state (:class:`~cspsim.lts.packed.Layout`) with
the node number below it, ``impl << node_bits | node`` in one ``int64`` when both fit in 62
bits, else the implementation's words plus one word for the node (a ``void`` key, big-endian, as
the packed engine's wide states). Either way sorting pairs sorts them by implementation state
first, so the pairs of a sorted chunk that share a state are adjacent and the state is expanded
once, and the pair layout is an ordinary ``Layout`` (the node as one more field), so
:class:`~cspsim.lts.visited.Visited` stores pairs as it stores states (8 bytes per pair when the
pair fits in 55 bits).

:meth:`PairTables.step` expands a chunk of pairs with the implementation's own
:class:`~cspsim.lts.packed.StepTables` and, vectorised over the chunk, judges each pair (the
:class:`Rules` of the check) and follows its moves: a τ keeps the node, a visible event the node
can perform moves both, ✓ and events the node cannot perform are not followed. Pairs at a
divergent node are pruned when the rules say so (FD refinement): neither judged nor expanded.
:meth:`PairTables.expand` offers the followed moves in the form the reference numbering needs
(:mod:`cspsim.lts.ranking`), with each move's class, so the reference's pair numbering can be
recomputed exactly as for states.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from cspsim.lts import sortedkeys
from cspsim.lts.events import TAU, TICK
from cspsim.lts.normal_arrays import NormalArrays
from cspsim.lts.packed import WORD_BITS, Layout, StepTables, expand_ranges
from cspsim.lts.taudiv import TauDivergence

REFINEMENT = "refinement"  # a stable state without ✓ must contain a minimal acceptance of its node
DETERMINISM = "determinism"  # a stable state (or one that can ✓) must accept every initial of its node


@dataclass(frozen=True)
class Rules:
    """What makes a pair a finding (vectorised; the check's scalar judge then says which one)."""

    trace: bool = False  # an event the node cannot perform (refinement)
    acceptance: str | None = None  # REFINEMENT or DETERMINISM
    divergence: bool = False  # the implementation state can perform τ forever (FD)
    prune: bool = False  # pairs at a divergent node are neither judged nor expanded (FD refinement)
    goal: int | None = None  # pairs at this node are findings (has trace)


@dataclass
class ChunkStep:
    """One chunk of pairs, stepped: per pair its number of moves and whether it is a finding; the
    followed moves as successor pair keys with their source pair (and class, when asked)."""

    moves: np.ndarray
    bad: np.ndarray
    succ: np.ndarray
    src: np.ndarray
    cls: np.ndarray


def pair_layout(impl: Layout, n_nodes: int) -> Layout:
    """The layout of pairs: the implementation's fields, then the node (see the module docstring)."""
    nb = max(0, (n_nodes - 1).bit_length())
    if impl.n_words == 1 and impl.total_bits + nb <= WORD_BITS:
        return Layout(impl.sizes + (n_nodes,), impl.bits + (nb,), impl.word + (0,),
                      tuple(s + nb for s in impl.shift) + (0,), 1)
    return Layout(impl.sizes + (n_nodes,), impl.bits + (nb,), impl.word + (impl.n_words,),
                  impl.shift + (0,), impl.n_words + 1)


class PairTables:
    def __init__(self, impl: StepTables, spec: NormalArrays, rules: Rules,
                 divergence: TauDivergence | None = None) -> None:
        self.impl = impl
        self.spec = spec
        self.rules = rules
        self.divergence = divergence
        self.layout = pair_layout(impl.layout, spec.n_nodes)
        self.node_bits = self.layout.bits[-1]
        self.one_word = self.layout.n_words == 1
        self.n_classes = impl.n_classes

    # ------------------------------------------------------------ keys

    def join(self, impl: np.ndarray, nodes: np.ndarray) -> np.ndarray:
        if self.one_word:
            return (impl << self.node_bits) | nodes
        return self.layout.keys_from_cols(self.impl.layout.cols_from_keys(impl) + [nodes])

    def split(self, pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(implementation keys, nodes) of pair keys."""
        if self.one_word:
            return pairs >> self.node_bits, pairs & np.int64((1 << self.node_bits) - 1)
        cols = self.layout.cols_from_keys(pairs)
        return self.impl.layout.keys_from_cols(cols[:-1]), cols[-1]

    def initial(self, state_key: np.ndarray) -> np.ndarray:
        return self.join(state_key, np.zeros(1, np.int64))

    # ------------------------------------------------------------ stepping a chunk

    def step(self, pairs: np.ndarray, classes: bool = False, judge: bool = True, in_order: bool = False
             ) -> ChunkStep:
        """Judge and follow the pairs of a chunk; ``in_order``: the pairs are sorted (cheaper)."""
        n = len(pairs)
        impl, nodes = self.split(pairs)
        live = np.arange(n)
        if self.rules.prune:
            live = np.flatnonzero(~self.spec.divergent[nodes])
        succ, src, ev, cls = self._moves(impl[live], in_order)
        src = live[src]
        moves = np.bincount(src, minlength=n)
        is_tau = ev == TAU
        vis = ~is_tau
        nxt = np.full(len(ev), -1, np.int64)
        nxt[is_tau] = nodes[src[is_tau]]
        nxt[vis] = self.spec.next_node(nodes[src[vis]], ev[vis])
        bad = np.zeros(n, bool)
        if judge:
            bad = self._judge(n, impl, nodes, live, src, ev, nxt, is_tau)
        follow = is_tau | ((nxt >= 0) & (ev != TICK))
        return ChunkStep(moves, bad, self.join(succ[follow], nxt[follow]), src[follow],
                         cls[follow] if classes else cls[:0])

    def expand(self, keys: np.ndarray, only: np.ndarray | None = None, classes: bool = False,
               events: bool = True) -> tuple[np.ndarray, ...]:
        """The followed moves of pairs as (successor pairs, source index, events (empty),
        classes): the interface :mod:`cspsim.lts.ranking` expects of a successor function."""
        st = self.step(keys, classes=True, judge=False)
        empty = np.zeros(0, np.int64)
        return (st.succ, st.src, empty, st.cls) if classes else (st.succ, st.src, empty)

    def _moves(self, impl: np.ndarray, in_order: bool) -> tuple[np.ndarray, ...]:
        """The moves of each state of ``impl`` (succ, index into impl, event, class), expanding
        each distinct state once."""
        if len(impl) == 0:
            empty = np.zeros(0, np.int64)
            return impl[:0], empty, empty, empty
        order = None
        if not in_order:
            order = np.argsort(impl, kind="stable")
            impl = impl[order]
        first = sortedkeys.first_mask(impl)
        if first.all():
            succ, src, ev, cls = self.impl.expand(impl, classes=True)
        else:  # several pairs share a state: expand it once, hand its moves to each
            uniq = impl[first]
            group = np.cumsum(first) - 1
            u_succ, u_src, u_ev, u_cls = self.impl.expand(uniq, classes=True)
            by = np.argsort(u_src, kind="stable")
            count = np.bincount(u_src, minlength=len(uniq))
            start = np.cumsum(count) - count
            src, entry = expand_ranges(start[group], count[group])
            entry = by[entry]
            succ, ev, cls = u_succ[entry], u_ev[entry], u_cls[entry]
        if order is not None:
            src = order[src]
        return succ, src, ev, cls

    def _judge(self, n: int, impl: np.ndarray, nodes: np.ndarray, live: np.ndarray, src: np.ndarray,
               ev: np.ndarray, nxt: np.ndarray, is_tau: np.ndarray) -> np.ndarray:
        rules, spec = self.rules, self.spec
        bad = np.zeros(n, bool)
        judged = np.zeros(n, bool)
        judged[live] = True
        if rules.goal is not None:
            bad |= judged & (nodes == rules.goal)
        if rules.trace:
            bad[src[~is_tau & (nxt < 0)]] = True
        if rules.acceptance is None and not rules.divergence:
            return bad
        unstable = np.zeros(n, bool)
        unstable[src[is_tau]] = True
        ticks = np.zeros(n, bool)
        ticks[src[ev == TICK]] = True
        if rules.acceptance is not None:
            if rules.acceptance == REFINEMENT:
                cand = judged & ~unstable & ~ticks & ~bad
            else:
                cand = judged & (~unstable | ticks) & ~bad
            rows = np.flatnonzero(cand)
            if len(rows):
                at = np.full(n, -1, np.int64)
                at[rows] = np.arange(len(rows))
                sel = (at[src] >= 0) & ~is_tau
                if rules.acceptance == DETERMINISM:  # a state that can ✓ accepts just {✓}
                    sel &= ~ticks[src] | (ev == TICK)
                acceptance = spec.bitsets(len(rows), at[src[sel]], ev[sel])
                ok = spec.sets_allow(nodes[rows], acceptance)
                bad[rows[~ok]] = True
        if rules.divergence and self.divergence is not None:
            rows = np.flatnonzero(judged & unstable & ~bad)
            if len(rows):
                bad[rows[self.divergence.flags(impl[rows])]] = True
        return bad
