"""The packed engine: level-synchronous breadth-first search over packed states.

Same semantics as :func:`cspsim.lts.explore.explore` (the reference): the same states, the
same transitions, the same verdicts, and the same counterexamples. The search itself treats each
BFS level as a set of packed keys (stored with nothing but their level, see
:mod:`cspsim.lts.visited`); when a counterexample or a graph is needed, the reference's numbering
of the levels involved is recomputed (:mod:`cspsim.lts.ranking`), so "the lowest-numbered state
with a property" and "its first parent" mean exactly what they mean for the reference.

:func:`search` runs the levels (in this process, or in worker processes, see
:mod:`cspsim.lts.parallel`), optionally stopping at the first level that holds a deadlock.
:class:`GraphSpace` numbers all states and lays out their edges (all, or τ only) in
compressed-row arrays for the checks that need the graph (divergence, determinism, [FD]
deadlock freedom of a process with τ); it offers the interface of
:class:`~cspsim.lts.explore.StateSpace`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from cspsim.errors import LimitReached
from cspsim.lts import ranking, sortedkeys
from cspsim.lts.compose import Machine, State, colex
from cspsim.lts.compress_leaves import Compression
from cspsim.lts.events import TAU
from cspsim.lts.explore import Limits, Progress, path_events, trace_along
from cspsim.lts.lts import LTS
from cspsim.lts.packed import Layout, StepTables
from cspsim.lts.partition import DEFAULT_BATCH, DEFAULT_CHUNK, Partition
from cspsim.lts.visited import by_level as visited_by_level
from cspsim.trace import Trace

STOP = "stop"  # deadlock mode: stop at the first level with a deadlock


@dataclass
class PackedSearch:
    """What :func:`search` found. ``found`` is the first deadlock (if looked for), ``path`` the
    states from the initial one to it; ``partition`` the visited set (single-process runs)."""

    machine: Machine
    tables: StepTables
    n_states: int = 0
    transitions: int = 0
    depth: int = 0
    complete: bool = False
    seconds: float = 0.0
    found: State | None = None
    found_level: int = -1
    path: list[State] | None = None
    partition: Partition | None = None
    stats: dict[str, Any] = field(default_factory=dict)
    lift: Compression | None = None  # set when ``machine`` is a compressed one

    def trace_to(self, _handle: object = None) -> Trace:
        """The shortest path to the deadlock found, as a trace (of the original machine)."""
        assert self.path is not None
        return _trace(self.machine, self.lift, self.path, None)


def _trace(machine: Machine, lift: Compression | None, states: list[State], loop_index: int | None,
           events: list[int] | None = None) -> Trace:
    """A trace through explored states, lifted to the original machine if it was compressed."""
    if events is None:
        events = path_events(machine, states)
    if lift is not None:
        states, events, loop_index = lift.lift(states, events, loop_index)
        return trace_along(lift.original, states, events, loop_index)
    return trace_along(machine, states, events, loop_index)


def search(
    machine: Machine,
    *,
    deadlock: str | None = None,
    limits: Limits | None = None,
    progress: Progress | None = None,
    workers: int = 1,
    switch_at: int | None = None,
    only_if_idle: bool = False,
    tables: StepTables | None = None,
    chunk: int = DEFAULT_CHUNK,
    batch: int = DEFAULT_BATCH,
) -> PackedSearch:
    """Explore every reachable state of ``machine`` level by level.

    ``deadlock``: None, or :data:`STOP` to stop at the first level holding a deadlock and set
    ``found`` and ``path`` as the reference would. With ``workers`` > 1 the search moves to that
    many worker processes once a level's frontier reaches ``switch_at`` states (default
    :data:`~cspsim.lts.parallel.SWITCH_FRONTIER`; 0 = from the start), and with
    ``only_if_idle`` only if other cores are idle at that moment. Raises
    :class:`~cspsim.errors.LimitReached` on ``max_states`` or ``timeout``, with the partial
    result in ``extra["space"]``.
    """
    from cspsim.lts import parallel

    limits = limits or Limits()
    start = time.perf_counter()
    tables = tables or StepTables.build(machine)
    result = PackedSearch(machine, tables)
    result.stats["engine"] = "fast"
    result.stats["key_words"] = tables.layout.n_words
    result.stats["key_bits"] = tables.layout.total_bits
    if workers > 1 and not parallel.can_fork():
        workers = 1
    if switch_at is None:
        switch_at = parallel.SWITCH_FRONTIER
    layout = tables.layout
    part = Partition(tables, chunk=chunk, batch=batch)
    part.seed(layout.encode(machine.initial))
    result.partition = part
    deadline = limits.stop_time(start)
    n_states, transitions, level = 1, 0, 0
    while len(part.frontier):
        if workers > 1 and len(part.frontier) >= switch_at:
            if only_if_idle and parallel.idle_cores() < parallel.IDLE_NEEDED * (workers - 1):
                workers = 1  # the other cores are busy: workers would only compete with them
                continue
            pool = parallel.Workers(part, workers)
            result.partition = None
            del part
            parallel.run_levels(result, pool, deadlock, limits, progress, start, n_states, transitions, level, chunk)
            result.seconds = time.perf_counter() - start
            return result
        if progress is not None:
            progress(n_states, transitions, level)
        max_new = None if limits.max_states is None else limits.max_states - n_states
        stats = part.step(level, deadlock == STOP, deadlock == STOP, max_new, deadline)
        over = not stats.timed_out and max_new is not None and stats.new_states > max_new
        found = stats.deadlock is not None
        if over and deadlock == STOP and not found:  # a deadlock anywhere in the level wins over the limit
            found = len(_deadlocks(tables, part.keys_at(level))) > 0
        if found:
            result.found_level = level
            break
        if stats.timed_out or (max_new is not None and stats.new_states > max_new):
            result.n_states, result.transitions, result.depth = n_states, transitions, level
            if not stats.timed_out:
                assert limits.max_states is not None
                set_limit_counts(result, part.keys_at, limits.max_states, chunk)
            result.seconds = time.perf_counter() - start
            what = "timeout" if stats.timed_out else "max-states"
            raise LimitReached(what, result.n_states, result.transitions, {"space": result})
        transitions += stats.transitions
        n_states += stats.new_states
        level += 1
    else:
        result.complete = True
        level -= 1
    finish(result, part.keys_at, n_states, transitions, level, part.visited.nbytes)
    result.seconds = time.perf_counter() - start
    return result


def finish(result: PackedSearch, keys_at: Callable[[int], np.ndarray], n_states: int, transitions: int,
           depth: int, stored_bytes: int) -> None:
    """What a search reports when it ends (one process or workers): counts, the path to the
    deadlock it stopped at (if any), bytes stored."""
    result.n_states, result.transitions, result.depth = n_states, transitions, max(depth, 0)
    if result.found_level >= 0:
        set_deadlock_path(result, keys_at)
    result.stats["stored_bytes"] = stored_bytes
    result.stats["bytes_per_state"] = round(stored_bytes / max(n_states, 1), 2)


def set_deadlock_path(result: PackedSearch, keys_at: Callable[[int], np.ndarray]) -> None:
    """The deadlock the rule of :func:`cspsim.lts.explore.deadlock_search` chooses, given that level
    ``result.found_level`` is the first holding one: the least (by
    :func:`~cspsim.lts.compose.colex`) of the level's deadlocked states, then, level by level back
    to the initial state, the least of its predecessors
    (:meth:`~cspsim.lts.compose.Machine.predecessors`) that lie in the level before.
    """
    tables, layout = result.tables, result.tables.layout
    d = result.found_level
    path = [least_state(layout, _deadlocks(tables, keys_at(d)))]
    for lv in range(d - 1, -1, -1):
        preds = [layout.encode(s) for s in result.machine.predecessors(path[-1])]
        path.append(least_state(layout, _in_level(np.concatenate(preds) if preds else keys_at(lv)[:0], keys_at(lv))))
    path.reverse()
    result.path = path
    result.found = path[-1]


def least_state(layout: Layout, keys: np.ndarray) -> State:
    """The least (by :func:`~cspsim.lts.compose.colex`) of the states of ``keys`` (not empty)."""
    assert len(keys), "a state of the next level has a predecessor in this one"
    return min((layout.decode(keys[i : i + 1]) for i in range(len(keys))), key=colex)


def _in_level(keys: np.ndarray, level: np.ndarray) -> np.ndarray:
    """The keys (any order) that are in ``level`` (sorted), distinct."""
    keys = sortedkeys.unique(keys)
    return keys[sortedkeys.member(level, keys)]


def _deadlocks(tables: StepTables, level: np.ndarray) -> np.ndarray:
    """The deadlocked keys of ``level``: no moves, TERMINATED aside."""
    term = tables.layout.term_key()
    found = [level[:0]]
    for lo in range(0, len(level), DEFAULT_CHUNK):
        block = level[lo : lo + DEFAULT_CHUNK]
        live = np.flatnonzero(ranking.live_mask(block, term))
        if len(live) == 0:
            continue
        _succ, src, _ev = tables.expand(block[live])
        found.append(block[live[np.bincount(src, minlength=len(live)) == 0]])
    return np.concatenate(found)


def set_limit_counts(result: PackedSearch, keys_at: Callable[[int], np.ndarray], max_states: int,
                     chunk: int) -> None:
    """What the reference reports when ``max_states`` stops it while expanding level
    ``result.depth`` (complete up to there, with ``result.n_states`` states and
    ``result.transitions`` transitions before it): it stops on discovering state number
    ``max_states``, having counted the transitions of the states of that level it finished."""
    tables = result.tables
    known = [keys_at(0)]
    cur = known[0]
    for lv in range(result.depth):
        known.append(keys_at(lv + 1))
        cur, _parent = ranking.next_level(tables, cur, known[-1], chunk)
    budget = max_states - result.n_states
    seen = np.zeros(0, cur.dtype)
    for succ, src, _ev, _cls in ranking.expand_ordered(tables, cur, chunk):
        new = sortedkeys.unique(succ)
        for k in known:
            new = new[~sortedkeys.member(k, new)]
        new = new[~sortedkeys.member(seen, new)]
        if len(seen) + len(new) > budget:
            # the discoverer of each new key is its smallest source; the reference stops at the
            # one that discovers new state number budget (counting from 0 within the level)
            first = np.full(len(new), ranking.INF)
            pos = np.searchsorted(new, succ)
            ok = pos < len(new)
            pos[~ok] = 0
            hit = ok & (new[pos] == succ)
            np.minimum.at(first, pos[hit], src[hit])
            stopper = np.sort(first)[budget - len(seen)]
            result.transitions += int(np.count_nonzero(src < stopper))
            result.n_states = max_states
            return
        seen = np.sort(np.concatenate((seen, new)))
        result.transitions += len(succ)
    raise AssertionError("the level discovers more than max_states states")  # pragma: no cover


# ---------------------------------------------------------------- the explicit graph


class _Edges(Sequence[list[tuple[int, int]]]):
    """``edges[s]``: the (event, target) pairs of state ``s``, read from CSR arrays."""

    def __init__(self, ptr: np.ndarray, ev: np.ndarray, tgt: np.ndarray) -> None:
        self.ptr, self.ev, self.tgt = ptr, ev, tgt

    def __len__(self) -> int:
        return len(self.ptr) - 1

    def __getitem__(self, s: int) -> list[tuple[int, int]]:  # type: ignore[override]
        lo, hi = int(self.ptr[s]), int(self.ptr[s + 1])
        return list(zip(self.ev[lo:hi].tolist(), self.tgt[lo:hi].tolist()))


class GraphSpace:
    """The explored states numbered exactly as the reference BFS numbers them, with their edges
    in compressed-row form (see :mod:`cspsim.lts.ranking`).

    Offers what the checks use of :class:`~cspsim.lts.explore.StateSpace`: ``n_states``,
    ``transitions``, ``edges``, ``is_terminated``, ``path_to``, ``path_events``, ``trace_along``,
    ``trace_to``, ``tau_cycle_states``, ``first_deadlock``. With ``only_tau`` the edges are the
    τ transitions only (enough for divergence and for [FD] deadlock freedom).
    """

    def __init__(self, result: PackedSearch, only_tau: bool = False, chunk: int = DEFAULT_CHUNK) -> None:
        part = result.partition
        assert part is not None and result.complete
        self.result = result
        self.machine = result.machine
        self.lift = result.lift
        self.layout = result.tables.layout
        self.n_states = result.n_states
        self.transitions = result.transitions
        self.depth = result.depth
        self.seconds = result.seconds
        self.complete = True
        self.stats = result.stats
        self.only_tau = only_tau
        tables = result.tables
        keys, levels = part.visited.merged()  # sorted by key
        n = len(keys)
        by_level, level_start = visited_by_level(levels)
        ids = np.full(n, -1, np.int64)  # key position -> reference number
        parent = np.full(n, -1, np.int64)  # reference number -> its first parent's number
        cur_pos = by_level[level_start[0] : level_start[1]]
        ids[cur_pos] = np.arange(len(cur_pos))
        next_id = len(cur_pos)
        degree = np.zeros(n, np.int64)
        srcs: list[np.ndarray] = []
        evs: list[np.ndarray] = []
        clss: list[np.ndarray] = []
        tpos: list[np.ndarray] = []
        for lv in range(len(level_start) - 1):
            cur_keys = keys[cur_pos]
            nxt_pos = by_level[level_start[lv + 1] : level_start[lv + 2]] if lv + 2 < len(level_start) else by_level[:0]
            first = ranking.FirstParents(keys[nxt_pos], tables.n_classes, len(cur_pos), self.layout.total_bits)
            base = int(ids[cur_pos[0]]) if len(cur_pos) else 0
            for succ, src, ev, cls in ranking.expand_ordered(tables, cur_keys, chunk):
                first.add(succ, src, cls)
                degree[base : base + len(cur_pos)] += np.bincount(src, minlength=len(cur_pos))
                keep = ev == TAU if only_tau else slice(None)
                srcs.append(src[keep] + base)
                evs.append(ev[keep])
                clss.append(cls[keep])
                tpos.append(np.searchsorted(keys, succ[keep]))
            order, first_parent = first.order()
            cur_pos = nxt_pos[order]
            ids[cur_pos] = np.arange(next_id, next_id + len(cur_pos))
            parent[next_id : next_id + len(cur_pos)] = first_parent + base
            next_id += len(cur_pos)
        assert next_id == n
        self.keys_by_id = keys[np.argsort(ids)]
        self.parent = parent
        self.degree = degree  # out-degree by reference number (all events)
        term = self.layout.term_key()
        self._term_id = int(ids[n - 1]) if n and bool((keys[-1:] == term).all()) else -1
        src = np.concatenate(srcs) if srcs else np.zeros(0, np.int64)
        ev = np.concatenate(evs) if evs else np.zeros(0, np.int64)
        cls = np.concatenate(clss) if clss else np.zeros(0, np.int64)
        tgt_pos = np.concatenate(tpos) if tpos else np.zeros(0, np.int64)
        by = np.lexsort((tgt_pos, cls, src))  # the machine's move order within each state
        self.ev = ev[by]
        self.tgt = ids[tgt_pos[by]]
        self.ptr = np.searchsorted(src[by], np.arange(n + 1))
        self.edges = _Edges(self.ptr, self.ev, self.tgt)

    # ------------------------------------------------------------ states and paths

    def state(self, sid: int) -> State:
        return self.layout.decode(self.keys_by_id[sid : sid + 1])

    def is_terminated(self, sid: int) -> bool:
        return sid == self._term_id

    def path_to(self, sid: int) -> list[int]:
        """Reference numbers from the initial state to ``sid`` by first parents."""
        path = [sid]
        while self.parent[path[-1]] >= 0:
            path.append(int(self.parent[path[-1]]))
        path.reverse()
        return path

    def path_events(self, path: list[int]) -> list[int]:
        return path_events(self.machine, [self.state(s) for s in path])

    def trace_along(self, path: list[int], events: list[int], loop_index: int | None = None) -> Trace:
        return _trace(self.machine, self.lift, [self.state(s) for s in path], loop_index, events)

    def trace_to(self, sid: int) -> Trace:
        path = self.path_to(sid)
        return self.trace_along(path, self.path_events(path))

    def first_deadlock(self) -> int | None:
        """The lowest-numbered state with no transition, other than the terminated one."""
        dead = np.flatnonzero(self.degree == 0)
        dead = dead[dead != self._term_id]
        return int(dead[0]) if len(dead) else None

    def tau_cycle_states(self) -> list[int]:
        return tau_cycle_states_csr(self.ptr, self.ev, self.tgt)


def graph_lts(graph: GraphSpace, name: str = "") -> LTS:
    """The explicit :class:`LTS` of a graph with all its edges (state ids kept); state labels are
    described when read, so a large LTS that is only normalised never formats them."""
    assert not graph.only_tau
    terminated = frozenset([graph._term_id]) if graph._term_id >= 0 else frozenset()
    return LTS(0, graph.ptr.tolist(), graph.ev.tolist(), graph.tgt.tolist(), graph.machine.event_labels,
               _StateLabels(graph), terminated, name)


class _StateLabels(Sequence[str]):
    """``labels[s]``: the description of state ``s`` of a graph, made on demand."""

    def __init__(self, graph: GraphSpace) -> None:
        self.graph = graph

    def __len__(self) -> int:
        return self.graph.n_states

    def __getitem__(self, s: int) -> str:  # type: ignore[override]
        if not 0 <= s < self.graph.n_states:
            raise IndexError(s)
        if self.graph.is_terminated(s):
            return "Ω"
        return " | ".join(self.graph.machine.describe_state(self.graph.state(s)))


def tau_cycle_states_csr(ptr: np.ndarray, ev: np.ndarray, tgt: np.ndarray) -> list[int]:
    """States on a τ-cycle (sorted): peel off states with no τ in or out, then Tarjan on the rest."""
    n = len(ptr) - 1
    src = np.repeat(np.arange(n), np.diff(ptr))
    tau = ev == TAU
    s, t = src[tau], tgt[tau]
    alive = np.zeros(n, bool)
    alive[s] = True
    while True:  # trimming: a state on a cycle has a τ-successor and a τ-predecessor that are alive
        keep = alive[s] & alive[t]
        s, t = s[keep], t[keep]
        has_out = np.zeros(n, bool)
        has_out[s] = True
        has_in = np.zeros(n, bool)
        has_in[t] = True
        nxt = alive & has_out & has_in
        if nxt.sum() == alive.sum():
            break
        alive = nxt
    if len(s) == 0:
        return []
    nodes = np.flatnonzero(alive)
    local = np.full(n, -1, np.int64)
    local[nodes] = np.arange(len(nodes))
    order = np.lexsort((t, s))
    ls, lt = local[s[order]], local[t[order]]
    lptr = np.searchsorted(ls, np.arange(len(nodes) + 1))
    succ = [lt[lptr[i] : lptr[i + 1]].tolist() for i in range(len(nodes))]
    on_cycle = _tarjan_cyclic(succ)
    return sorted(int(nodes[i]) for i in on_cycle)


def _tarjan_cyclic(succ: list[list[int]]) -> list[int]:
    """Nodes in a non-trivial strongly connected component (or with a self-loop), iteratively."""
    n = len(succ)
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    counter = 0
    result: list[int] = []
    for root in range(n):
        if index[root] != -1:
            continue
        work = [(root, 0)]
        while work:
            v, pi = work.pop()
            if pi == 0:
                index[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on_stack[v] = True
            recurse = False
            sv = succ[v]
            while pi < len(sv):
                w = sv[pi]
                pi += 1
                if index[w] == -1:
                    work.append((v, pi))
                    work.append((w, 0))
                    recurse = True
                    break
                if on_stack[w]:
                    low[v] = min(low[v], index[w])
            if recurse:
                continue
            if low[v] == index[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1 or v in sv:
                    result.extend(comp)
            if work:
                u = work[-1][0]
                low[u] = min(low[u], low[v])
    return result
