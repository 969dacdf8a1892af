"""Packed global states and a successor function vectorised over whole frontiers.

A global state of a :class:`~cspsim.lts.compose.Machine` is a tuple of leaf states. Here it is
packed into bit fields: leaf ``j`` gets ``bits[j] = ceil(log2(n_states))`` bits. Fields fill
62-bit words, the first leaf in the most significant bits of word 0, so that comparing packed
states compares the tuples lexicographically. Most models need one word, and a state is one
``int64``; wider models use a fixed-width record of ``K`` words, handled as a numpy ``void``
key of ``8K`` big-endian bytes (byte order = word order, so the same lexicographic order).

Bit 62 of word 0 marks :data:`~cspsim.lts.compose.TERMINATED` (every field zero), the state
after the whole process's ✓; it sorts after every other state.

:class:`StepTables` turns the machine's leaves and rules into flat arrays. Each rule (and each
leaf τ move, and each leaf ✓ at the root) has a *driver*: the part whose leaf enables it in the
fewest local states. ``expand`` reads every leaf's field of every frontier state once, looks up
the rules its driver enables there, then checks the other parts of those candidates one slot at
a time. Table entries store the change of the packed word (target minus source, shifted), so a
successor is the source plus the sum of its parts' deltas. Non-deterministic parts (two targets
for one event) multiply candidates with ``np.repeat``. The tables hold only numpy arrays and
ints: they pickle, and a worker process (or a Ray actor later) needs nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from cspsim.lts.compose import TERMINATED, Machine, State
from cspsim.lts.events import TAU, TICK

WORD_BITS = 62
TERM_WORD = 1 << 62  # word 0 of the terminated state


@dataclass(frozen=True)
class Layout:
    """Where each leaf's local state lives: ``word[j]``, ``shift[j]``, ``bits[j]``."""

    sizes: tuple[int, ...]
    bits: tuple[int, ...]
    word: tuple[int, ...]
    shift: tuple[int, ...]
    n_words: int

    @classmethod
    def for_sizes(cls, sizes: list[int]) -> Layout:
        """Fields in leaf order, each word filled from its top: the first leaf is the most
        significant, so keys sort as the state tuples compare (the order in which
        :meth:`cspsim.lts.compose.Machine.moves` lists successors)."""
        bits = [max(0, (n - 1).bit_length()) for n in sizes]
        word: list[int] = []
        used = [0]
        for b in bits:
            if used[-1] + b > WORD_BITS:
                used.append(0)
            word.append(len(used) - 1)
            used[-1] += b
        shift: list[int] = []
        pos = list(used)  # fill each word from its top
        for j, b in enumerate(bits):
            pos[word[j]] -= b
            shift.append(pos[word[j]])
        return cls(tuple(sizes), tuple(bits), tuple(word), tuple(shift), len(used))

    @property
    def total_bits(self) -> int:
        return sum(self.bits)

    @property
    def key_dtype(self) -> np.dtype:
        return np.dtype(np.int64) if self.n_words == 1 else np.dtype(f"V{8 * self.n_words}")

    def mask(self, j: int) -> int:
        return (1 << self.bits[j]) - 1

    # ------------------------------------------------------------ scalar encode / decode

    def encode_words(self, state: State) -> tuple[int, ...]:
        if state is TERMINATED or not state:
            return (TERM_WORD,) + (0,) * (self.n_words - 1)
        words = [0] * self.n_words
        for j, s in enumerate(state):
            words[self.word[j]] |= s << self.shift[j]
        return tuple(words)

    def decode_words(self, words: tuple[int, ...]) -> State:
        if words[0] & TERM_WORD:
            return TERMINATED
        return tuple((words[self.word[j]] >> self.shift[j]) & self.mask(j) for j in range(len(self.bits)))

    def encode(self, state: State) -> np.ndarray:
        """One state as a length-1 key array."""
        return self.keys_from_cols([np.array([w], dtype=np.int64) for w in self.encode_words(state)])

    def decode(self, key: np.ndarray | int) -> State:
        """A state from one key (an int for one word, a length-1 key array otherwise)."""
        arr = np.asarray(key, dtype=self.key_dtype).reshape(1)
        return self.decode_words(tuple(int(c[0]) for c in self.cols_from_keys(arr)))

    # ------------------------------------------------------------ key <-> word columns

    def keys_from_cols(self, cols: list[np.ndarray]) -> np.ndarray:
        """Word columns (int64) to sortable keys: the int64 itself, or big-endian bytes."""
        if self.n_words == 1:
            return cols[0]
        rec = np.empty((len(cols[0]), self.n_words), dtype=">i8")
        for w, c in enumerate(cols):
            rec[:, w] = c
        return rec.view(self.key_dtype).reshape(-1)

    def cols_from_keys(self, keys: np.ndarray) -> list[np.ndarray]:
        if self.n_words == 1:
            return [keys]
        rec = np.ascontiguousarray(keys).view(">i8").reshape(-1, self.n_words)
        return [rec[:, w].astype(np.int64) for w in range(self.n_words)]

    def term_key(self) -> np.ndarray:
        return self.encode(TERMINATED)


@dataclass
class Slot:
    """The k-th non-driver part of each rule (``base < 0`` where a rule has fewer parts)."""

    word: np.ndarray  # int64 per rule
    shift: np.ndarray  # int64 per rule
    mask: np.ndarray  # int64 per rule
    base: np.ndarray  # int64 per rule: offset of the (leaf, event) table in part_start/part_count


@dataclass
class Group:
    """Rules over one set of leaves (one word), tabulated over their joint local state.

    ``index = sum(local[j] << offset[j])``; ``start[index]``, ``count[index]`` select entries of the
    shared ``group_*`` arrays: one per transition of the group from that joint local state. When
    every joint state has at most one transition (``single``, the common case), ``enabled``,
    ``delta``, ``out`` and ``cls`` are indexed by ``index`` directly, saving a lookup.
    """

    leaves: tuple[int, ...]
    offsets: tuple[int, ...]
    start: np.ndarray
    count: np.ndarray
    single: bool  # at most one entry per joint state
    has_term: bool
    enabled: np.ndarray  # bool per index
    delta: np.ndarray  # per index (single groups only; else empty)
    out: np.ndarray
    cls: np.ndarray
    term: np.ndarray


GROUP_BITS = 16  # largest joint local state tabulated for one group (2^16 entries)
GROUP_BUDGET = 1 << 20  # total table entries over all groups (about 26 bytes each)


Rule3 = tuple[int, tuple[tuple[int, int], ...], bool]  # (out, parts, leads to TERMINATED)


@dataclass
class StepTables:
    """The successor function of a machine over packed states (see the module docstring)."""

    layout: Layout
    groups: list[Group]
    group_out: np.ndarray  # per group entry: event
    group_delta: np.ndarray  # per group entry: change of the packed state
    group_term: np.ndarray  # per group entry: leads to TERMINATED
    group_cls: np.ndarray  # per group entry: its class (see ``n_classes``)
    rule_out: np.ndarray  # int64 per driver-path rule: the event the whole process performs
    rule_parts: np.ndarray  # int64 per driver-path rule: number of parts
    rule_term: np.ndarray  # bool per driver-path rule: leads to TERMINATED (a leaf's ✓ at the root)
    rule_cls: np.ndarray  # int64 per driver-path rule: its class
    drivers: list[tuple[int, np.ndarray, np.ndarray]]  # (leaf, start, count) per local state
    drive_rule: np.ndarray  # per driver entry
    drive_delta: np.ndarray  # per driver entry: change of the driver leaf's word
    slots: list[Slot]
    part_start: np.ndarray
    part_count: np.ndarray
    part_delta: np.ndarray
    omega_words: tuple[int, ...] | None  # all leaves in Ω: the whole process may ✓
    omega_cls: int
    n_classes: int  # a transition's class numbers (leaves that move, event) in lexicographic order;
    # the machine's canonical move order is (class, successor), see Machine.moves

    # ------------------------------------------------------------ building

    @classmethod
    def build(cls, machine: Machine, group_bits: int = GROUP_BITS) -> StepTables:
        """Tabulate ``machine``; rules over few enough bits become groups (``group_bits=0``: none)."""
        leaves = machine.leaves
        layout = Layout.for_sizes([leaf.n_states for leaf in leaves])
        # Every way the whole process moves, as (out, parts, to TERMINATED); parts' events may be
        # TAU (a leaf τ, incl. ✓ turned τ under a parallel) or TICK (a leaf ✓ at the root).
        rules: list[Rule3] = []
        for j, leaf in enumerate(leaves):
            if any(leaf.tau):
                rules.append((TAU, ((j, TAU),), False))
            if any(leaf.tick):
                rules.append((TICK, ((j, TICK),), True))
        rules.extend((r.out, r.parts, False) for r in machine.rules)

        def succ(j: int, e: int, s: int) -> tuple[int, ...]:
            leaf = leaves[j]
            if e == TAU:
                return leaf.tau[s]
            if e == TICK:
                return leaf.tick[s]
            return leaf.vis[s].get(e, ())

        by_leaves: dict[tuple[int, ...], list[Rule3]] = {}
        rest: list[Rule3] = []
        budget = GROUP_BUDGET
        for rule in rules:
            ls = tuple(j for j, _e in rule[1])
            if ls in by_leaves:
                by_leaves[ls].append(rule)
                continue
            bits = sum(layout.bits[j] for j in ls)
            if layout.n_words == 1 and bits <= group_bits and (1 << bits) <= budget:
                budget -= 1 << bits
                by_leaves[ls] = [rule]
            else:
                rest.append(rule)
        all_leaves = tuple(range(len(leaves)))
        movers = sorted({tuple(sorted(j for j, _e in p)) for _o, p, _t in rules} | {all_leaves})
        rank = {m: i for i, m in enumerate(movers)}
        n_events = max([o for o, _p, _t in rules] + [TICK]) + 1

        def cls_of(out: int, parts: tuple[tuple[int, int], ...]) -> int:
            return rank[tuple(sorted(j for j, _e in parts))] * n_events + out

        groups, g_out, g_delta, g_term, g_cls = _build_groups(layout, by_leaves, succ, cls_of)
        d = _build_driver_tables(layout, leaves, rest, succ)
        rule_cls = np.array([cls_of(o, p) for o, p, _t in rest], np.int64)
        omega_words = None
        if machine.par_root and all(leaf.omega >= 0 for leaf in leaves):
            omega_words = layout.encode_words(tuple(leaf.omega for leaf in leaves))
        # Number the classes that occur densely (same order), so that packed sort keys stay short.
        omega_cls = rank[all_leaves] * n_events + TICK
        used = np.unique(np.concatenate([g_cls, rule_cls, [omega_cls]] + [g.cls for g in groups]))
        g_cls = np.searchsorted(used, g_cls)
        rule_cls = np.searchsorted(used, rule_cls)
        for g in groups:
            g.cls = np.searchsorted(used, g.cls)
        return cls(layout, groups, g_out, g_delta, g_term, g_cls, d[0], d[1], d[2], rule_cls, *d[3:],
                   omega_words, int(np.searchsorted(used, omega_cls)), len(used))

    # ------------------------------------------------------------ the successor function

    def expand(self, keys: np.ndarray, only: np.ndarray | None = None,
               classes: bool = False, events: bool = True) -> tuple[np.ndarray, ...]:
        """All transitions of the states ``keys`` (none of them TERMINATED).

        Returns ``(successor keys, source index into keys, event)``, one entry per transition,
        grouped by table (the order carries no meaning), and each transition's class when
        ``classes``. ``only``: a boolean mask over events; transitions with other events are
        skipped (e.g. τ only). ``events=False``: the events may be left out (an empty array),
        which saves work when only the successors matter.
        """
        layout = self.layout
        cols = layout.cols_from_keys(keys)
        parts: list[tuple[list[np.ndarray], np.ndarray, np.ndarray, np.ndarray]] = []
        need = events or classes or only is not None
        if self.groups:
            parts.append(self._expand_groups(keys, only, need))
        if len(self.rule_out):
            parts.append(self._expand_drivers(cols, only))
        if self.omega_words is not None and (only is None or only[TICK]):
            at_omega = np.ones(len(keys), bool)
            for v in range(layout.n_words):
                at_omega &= cols[v] == self.omega_words[v]
            idx = np.flatnonzero(at_omega)
            if len(idx):
                term = [np.full(len(idx), TERM_WORD if v == 0 else 0, np.int64) for v in range(layout.n_words)]
                parts.append((term, idx, np.full(len(idx), TICK, np.int64), np.full(len(idx), self.omega_cls)))
        if not parts:
            empty = np.zeros(0, np.int64)
            succ_keys = layout.keys_from_cols([empty] * layout.n_words)
            return (succ_keys, empty, empty, empty) if classes else (succ_keys, empty, empty)
        if len(parts) == 1:
            succ_cols, src, ev, cls = parts[0]
        else:
            succ_cols = [np.concatenate([p[0][v] for p in parts]) for v in range(layout.n_words)]
            src = np.concatenate([p[1] for p in parts])
            ev = np.concatenate([p[2] for p in parts]) if need else parts[0][2][:0]
            cls = np.concatenate([p[3] for p in parts]) if need else parts[0][3][:0]
        if classes:
            return layout.keys_from_cols(succ_cols), src, ev, cls
        return layout.keys_from_cols(succ_cols), src, ev

    def _expand_groups(self, keys: np.ndarray, only: np.ndarray | None, events: bool = True
                       ) -> tuple[list[np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
        layout = self.layout
        locs: dict[int, np.ndarray] = {}
        succs: list[np.ndarray] = []
        srcs: list[np.ndarray] = []
        outs: list[np.ndarray] = []
        clss: list[np.ndarray] = []
        for g in self.groups:
            idx = None
            for j, off in zip(g.leaves, g.offsets):
                loc = locs.get(j)
                if loc is None:
                    loc = (keys >> layout.shift[j]) & layout.mask(j)
                    locs[j] = loc
                part = loc << off if off else loc
                idx = part if idx is None else idx | part
            assert idx is not None
            if g.single:
                hits = np.flatnonzero(g.enabled[idx])
                at = idx[hits]
                delta, out, cls, term = g.delta, g.out, g.cls, g.term
            else:
                hits, at = expand_ranges(g.start[idx], g.count[idx])
                delta, out, cls, term = self.group_delta, self.group_out, self.group_cls, self.group_term
            if only is not None:
                keep = only[out[at]]
                hits, at = hits[keep], at[keep]
            succ = keys[hits] + delta[at]
            if g.has_term:
                succ[term[at]] = TERM_WORD
            succs.append(succ)
            srcs.append(hits)
            if events:
                outs.append(out[at])
                clss.append(cls[at])
        empty = np.zeros(0, np.int64)
        return ([np.concatenate(succs)], np.concatenate(srcs),
                np.concatenate(outs) if events else empty, np.concatenate(clss) if events else empty)

    def _expand_drivers(self, cols: list[np.ndarray], only: np.ndarray | None
                        ) -> tuple[list[np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
        """The generic path: driver part first, then the other parts slot by slot."""
        layout = self.layout
        n_words = layout.n_words
        srcs: list[np.ndarray] = []
        rules: list[np.ndarray] = []
        accs: list[list[np.ndarray]] = []
        for j, start, count in self.drivers:
            w = layout.word[j]
            loc = (cols[w] >> layout.shift[j]) & layout.mask(j)
            rep, entry = expand_ranges(start[loc], count[loc])
            if len(rep) == 0:
                continue
            rule = self.drive_rule[entry]
            delta = self.drive_delta[entry]
            if only is not None:
                keep = only[self.rule_out[rule]]
                rep, rule, delta = rep[keep], rule[keep], delta[keep]
            acc = [delta if v == w else np.zeros(len(rep), np.int64) for v in range(n_words)]
            srcs.append(rep)
            rules.append(rule)
            accs.append(acc)
        if srcs:
            src = np.concatenate(srcs)
            rule = np.concatenate(rules)
            acc = [np.concatenate([a[v] for a in accs]) for v in range(n_words)]
        else:
            src = np.zeros(0, np.int64)
            rule = np.zeros(0, np.int64)
            acc = [np.zeros(0, np.int64) for _ in range(n_words)]
        done_src: list[np.ndarray] = []
        done_rule: list[np.ndarray] = []
        done_acc: list[list[np.ndarray]] = []
        for k, slot in enumerate(self.slots):
            if len(src) == 0:
                break
            finished = self.rule_parts[rule] <= k + 1
            if finished.any():
                done_src.append(src[finished])
                done_rule.append(rule[finished])
                done_acc.append([a[finished] for a in acc])
                live = ~finished
                src, rule, acc = src[live], rule[live], [a[live] for a in acc]
                if len(src) == 0:
                    break
            if n_words == 1:
                cur = cols[0][src]
            else:
                word = slot.word[rule]
                cur = np.choose(word, [c[src] for c in cols])
            loc = (cur >> slot.shift[rule]) & slot.mask[rule]
            g = slot.base[rule] + loc
            rep, entry = expand_ranges(self.part_start[g], self.part_count[g])
            delta = self.part_delta[entry]
            src, rule = src[rep], rule[rep]
            if n_words == 1:
                acc = [acc[0][rep] + delta]
            else:
                word = word[rep]
                acc = [acc[v][rep] + np.where(word == v, delta, 0) for v in range(n_words)]
        done_src.append(src)
        done_rule.append(rule)
        done_acc.append(acc)
        src = np.concatenate(done_src)
        rule = np.concatenate(done_rule)
        acc = [np.concatenate([a[v] for a in done_acc]) for v in range(n_words)]
        succ_cols = [cols[v][src] + acc[v] for v in range(n_words)]
        events = self.rule_out[rule]
        term = self.rule_term[rule]
        if term.any():
            succ_cols[0][term] = TERM_WORD
            for v in range(1, n_words):
                succ_cols[v][term] = 0
        return succ_cols, src, events, self.rule_cls[rule]


def _build_groups(layout: Layout, by_leaves: dict[tuple[int, ...], list[Rule3]], succ: Succ,
                  cls_of: Callable[[int, tuple[tuple[int, int], ...]], int],
                  ) -> tuple[list[Group], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    groups: list[Group] = []
    g_out: list[int] = []
    g_delta: list[int] = []
    g_term: list[bool] = []
    g_cls: list[int] = []
    for ls, rules in by_leaves.items():
        offsets: list[int] = []
        off = 0
        for j in reversed(ls):
            offsets.append(off)
            off += layout.bits[j]
        offsets.reverse()
        table: dict[int, list[tuple[int, int, bool, int]]] = {}
        for out, parts, term in rules:
            c = cls_of(out, parts)
            # joint (index, delta) over the parts' enabled local states and targets
            combos = [(0, 0)]
            for (j, e), o in zip(parts, offsets):
                sh = layout.shift[j]
                options = [(s << o, (t - s) << sh) for s in range(layout.sizes[j]) for t in succ(j, e, s)]
                combos = [(i + i2, d + d2) for i, d in combos for i2, d2 in options]
            for i, d in combos:
                table.setdefault(i, []).append((out, d, term, c))
        size = 1 << off
        start = np.zeros(size, np.int64)
        count = np.zeros(size, np.int64)
        for i in sorted(table):
            start[i] = len(g_out)
            count[i] = len(table[i])
            for out, d, term, c in table[i]:
                g_out.append(out)
                g_delta.append(d)
                g_term.append(term)
                g_cls.append(c)
        single = bool(count.max(initial=0) <= 1)
        direct: list[np.ndarray] = []
        for values, dtype in ((g_delta, np.int64), (g_out, np.int64), (g_cls, np.int64), (g_term, bool)):
            table_of = np.zeros(size if single else 0, dtype)
            if single:
                used = np.flatnonzero(count)
                table_of[used] = np.array(values, dtype)[start[used]]
            direct.append(table_of)
        groups.append(Group(ls, tuple(offsets), start, count, single, any(t for _o, _p, t in rules),
                            count > 0, *direct))
    return (groups, np.array(g_out, np.int64), np.array(g_delta, np.int64), np.array(g_term, bool),
            np.array(g_cls, np.int64))


Succ = Callable[[int, int, int], tuple[int, ...]]


def _build_driver_tables(layout: Layout, leaves: list, rules: list[Rule3], succ: Succ) -> tuple:
    """Tables of the generic path for ``rules`` (see :meth:`StepTables._expand_drivers`)."""
    enabled: dict[tuple[int, int], int] = {}

    def n_enabled(j: int, e: int) -> int:
        key = (j, e)
        if key not in enabled:
            enabled[key] = sum(1 for s in range(leaves[j].n_states) if succ(j, e, s))
        return enabled[key]

    # Driver: the part enabled in the smallest fraction of its leaf's states.
    driver_of: list[int] = []
    for _out, parts, _term in rules:
        fracs = [n_enabled(j, e) / leaves[j].n_states for j, e in parts]
        driver_of.append(min(range(len(parts)), key=lambda k: (fracs[k], k)))

    n_rules = len(rules)
    max_others = max((len(p) - 1 for _o, p, _t in rules), default=0)
    # Part tables: one CSR block per (leaf, event) used as a non-driver part.
    part_base: dict[tuple[int, int], int] = {}
    p_start: list[int] = []
    p_count: list[int] = []
    p_delta: list[int] = []

    def part_table(j: int, e: int) -> int:
        key = (j, e)
        if key not in part_base:
            part_base[key] = len(p_start)
            sh = layout.shift[j]
            for s in range(leaves[j].n_states):
                ts = succ(j, e, s)
                p_start.append(len(p_delta))
                p_count.append(len(ts))
                p_delta.extend((t - s) << sh for t in ts)
        return part_base[key]

    slots = [
        Slot(np.zeros(n_rules, np.int64), np.zeros(n_rules, np.int64), np.zeros(n_rules, np.int64),
             np.full(n_rules, -1, np.int64))
        for _ in range(max_others)
    ]
    per_leaf: list[list[list[tuple[int, int]]]] = [[[] for _ in range(leaf.n_states)] for leaf in leaves]
    for r, (_out, parts, _term) in enumerate(rules):
        d = driver_of[r]
        j, e = parts[d]
        sh = layout.shift[j]
        for s in range(leaves[j].n_states):
            for t in succ(j, e, s):
                per_leaf[j][s].append((r, (t - s) << sh))
        others = [p for k, p in enumerate(parts) if k != d]
        for k, (j2, e2) in enumerate(others):
            slots[k].word[r] = layout.word[j2]
            slots[k].shift[r] = layout.shift[j2]
            slots[k].mask[r] = layout.mask(j2)
            slots[k].base[r] = part_table(j2, e2)
    drivers: list[tuple[int, np.ndarray, np.ndarray]] = []
    d_rule: list[int] = []
    d_delta: list[int] = []
    for j, table in enumerate(per_leaf):
        if not any(table):
            continue
        start = np.empty(len(table), np.int64)
        count = np.empty(len(table), np.int64)
        for s, entries in enumerate(table):
            start[s] = len(d_rule)
            count[s] = len(entries)
            for r, delta in entries:
                d_rule.append(r)
                d_delta.append(delta)
        drivers.append((j, start, count))
    return (
        np.array([o for o, _p, _t in rules], np.int64),
        np.array([len(p) for _o, p, _t in rules], np.int64),
        np.array([t for _o, _p, t in rules], bool),
        drivers,
        np.array(d_rule, np.int64),
        np.array(d_delta, np.int64),
        slots,
        np.array(p_start, np.int64),
        np.array(p_count, np.int64),
        np.array(p_delta, np.int64),
    )


def expand_ranges(start: np.ndarray, count: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """CSR expansion: for each i, entries ``start[i] .. start[i]+count[i]-1``, as (i, entry)."""
    if len(count) == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    if count.max() <= 1:
        rep = np.flatnonzero(count)
        return rep, start[rep]
    rep = np.repeat(np.arange(len(count)), count)
    offsets = np.cumsum(count) - count
    entry = np.repeat(start - offsets, count) + np.arange(len(rep))
    return rep, entry
