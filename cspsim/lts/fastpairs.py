"""The packed pair search: refinement, determinism and ``has trace`` on the packed engine.

Same semantics as :func:`cspsim.lts.pairs.pair_search` (the reference): the same pairs, the same
verdicts, the same counts and the same counterexamples. Pairs (normal-form node, implementation
state) are packed keys (:mod:`cspsim.lts.pairtables`), explored level by level as sets, chunk by
chunk, with the implementation's :class:`~cspsim.lts.packed.StepTables`; each chunk is judged as
a whole (events the node cannot perform, acceptances as bitset subset tests, divergence by
:class:`~cspsim.lts.taudiv.TauDivergence`) and its followed moves are deduplicated and stored in a
:class:`~cspsim.lts.visited.Visited` (8 bytes per pair when the pair fits 55 bits).

The search stops at the first level holding a finding, or where ``--max-states`` is passed.
A finding is reported by the reference's rule: the least finding pair of the level (pairs
compared by the state's :func:`~cspsim.lts.compose.colex`, then node), then, level by level
back, the least pair with a followed move to the next one, found from the implementation's predecessors
(:meth:`~cspsim.lts.compose.Machine.predecessors`) and the normal form's reversed moves. The
check's own scalar judge then describes the finding (which event, which acceptance), and a
divergence gets its τ-lasso from :meth:`~cspsim.lts.taudiv.TauDivergence.lasso`. A finding
anywhere in a level wins over the limit; when there is none, the limit is reported as the
reference meets it: its numbering of the levels is recomputed (:mod:`cspsim.lts.ranking`, with
pairs for states) and the level is walked in that order to the pair whose moves discover pair number ``max_states``.

Components are compressed by strong bisimulation first when ``Limits.compress`` is ``"auto"``
(:mod:`cspsim.lts.compress_leaves`); paths are then lifted back to the original components.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from cspsim.errors import LimitReached
from cspsim.lts import ranking, sortedkeys
from cspsim.lts.compose import Machine, State, colex
from cspsim.lts.compress_leaves import Compression, compress
from cspsim.lts.events import TAU, TICK
from cspsim.lts.explore import Limits, Progress
from cspsim.lts.normal_arrays import NormalArrays
from cspsim.lts.normalise import NormalForm
from cspsim.lts.packed import StepTables
from cspsim.lts.pairs import PairJudge, PairRun, follow_event
from cspsim.lts.pairtables import DETERMINISM, REFINEMENT, PairTables, Rules
from cspsim.lts.partition import DEFAULT_BATCH, DEFAULT_CHUNK
from cspsim.lts.taudiv import TauDivergence, event_count, tau_cycles_possible
from cspsim.lts.visited import Visited


def search_pairs(nf: NormalForm, machine: Machine, rules: Rules, judge: PairJudge, limits: Limits | None = None,
                 progress: Progress | None = None, chunk: int = DEFAULT_CHUNK, batch: int = DEFAULT_BATCH) -> PairRun:
    """Explore the pairs of ``nf`` and ``machine`` until the first finding (see the module docstring).

    Raises :class:`~cspsim.errors.LimitReached` on ``max_states`` (counting pairs) or ``timeout``.
    """
    limits = limits or Limits()
    start = time.perf_counter()
    comp = compress(machine, limits.compress)
    search = _PairSearch(nf, comp, rules, judge, chunk, batch)
    run = search.run(limits, progress, start)
    run.seconds = time.perf_counter() - start
    return run


def acceptance_sets(nf: NormalForm, mode: str | None) -> list[Any]:
    """Per node, the event sets a stable state is judged against (see :class:`Rules`)."""
    if mode == REFINEMENT:
        return list(nf.acceptances)
    if mode == DETERMINISM:
        return [[frozenset(t)] for t in nf.trans]
    return [[] for _ in nf.trans]


class _PairSearch:
    def __init__(self, nf: NormalForm, comp: Compression, rules: Rules, judge: PairJudge, chunk: int,
                 batch: int) -> None:
        self.nf = nf
        self.comp = comp
        self.machine = comp.machine
        self.judge = judge
        self.chunk = chunk
        self.batch = batch
        self.impl = StepTables.build(self.machine)
        spec = NormalArrays(nf, event_count(self.impl), acceptance_sets(nf, rules.acceptance))
        div = TauDivergence(self.impl, chunk) if rules.divergence and tau_cycles_possible(self.machine) else None
        self.divergence = div
        self.tables = PairTables(self.impl, spec, rules, div)
        self.visited = Visited(self.tables.layout)
        self._back: list[dict[int, list[int]]] | None = None

    # ------------------------------------------------------------ the level loop

    def run(self, limits: Limits, progress: Progress | None, start: float) -> PairRun:
        tables, visited = self.tables, self.visited
        max_pairs = limits.max_states
        run = PairRun()
        run.stats.update(engine="fast", pair_words=tables.layout.n_words, pair_bits=tables.layout.total_bits)
        if self.comp.changed:
            run.stats["compression"] = self.comp.report
        if max_pairs is not None and max_pairs <= 0:
            raise LimitReached("max-states", 0, 0, {"pairs": run})
        frontier = tables.initial(self.impl.layout.encode(self.machine.initial))
        visited.add(frontier, 0)
        deadline = limits.stop_time(start)
        n_pairs, transitions, level = 1, 0, 0
        while len(frontier):
            if progress is not None:
                progress(n_pairs, transitions, level)
            budget = None if max_pairs is None else max_pairs - n_pairs
            new_parts: list[np.ndarray] = []
            pending: list[np.ndarray] = []
            waiting = new = level_moves = 0
            found = over = False
            for lo in range(0, len(frontier), self.chunk):
                if deadline is not None and time.perf_counter() > deadline:
                    run.n_pairs, run.transitions, run.depth = n_pairs + new, transitions + level_moves, level
                    raise LimitReached("timeout", run.n_pairs, run.transitions, {"pairs": run})
                st = tables.step(frontier[lo : lo + self.chunk], in_order=True)
                level_moves += int(st.moves.sum())
                if st.bad.any():
                    found = True
                    break
                pending.append(sortedkeys.unique(st.succ))
                waiting += len(pending[-1])
                if waiting >= self.batch or lo + self.chunk >= len(frontier):
                    new += self._absorb(pending, level, new_parts)
                    pending, waiting = [], 0
                    if budget is not None and new > budget:
                        over = True
                        found = len(self._findings(frontier[lo + self.chunk :])) > 0
                        break
            if found:
                self._report_finding(run, level, n_pairs, transitions)
                break
            if over:
                self._report_limit(run, level, transitions, max_pairs)
            transitions += level_moves
            n_pairs += new
            frontier = sortedkeys.merge(new_parts, tables.layout.key_dtype)
            level += 1
        else:
            run.complete = True
            run.n_pairs, run.transitions, run.depth = n_pairs, transitions, max(level - 1, 0)
            keys = visited.merged()[0]
            impl, nodes = tables.split(keys)
            run.impl_states = int(np.count_nonzero(sortedkeys.first_mask(impl)))
            run.max_node = int(nodes.max(initial=0))
        stored = visited.nbytes + (self.divergence.nbytes if self.divergence is not None else 0)
        run.stats.update(stored_bytes=stored, bytes_per_pair=round(stored / max(run.n_pairs, 1), 2))
        return run

    def _absorb(self, pending: list[np.ndarray], level: int, new_parts: list[np.ndarray]) -> int:
        keys = sortedkeys.merge_unique(pending, self.tables.layout.key_dtype)
        keys = keys[~self.visited.contains(keys)]
        self.visited.add(keys, level + 1)
        new_parts.append(keys)
        return len(keys)

    # ------------------------------------------------------------ the level that ends the search

    def _levels(self, d: int) -> list[np.ndarray]:
        """The pairs of levels ``0..d``, each sorted."""
        index, starts = self.visited.level_index()
        return [index[starts[lv] : starts[lv + 1]] for lv in range(d + 1)]

    def _report_finding(self, run: PairRun, d: int, n_pairs: int, transitions: int) -> None:
        """Level ``d`` holds a finding: report the one the reference's rule chooses, with the
        counts it reports (every pair of levels ``0..d``, the moves of the pairs above ``d``)."""
        levels = self._levels(d)
        keys = [self._least_pair(self._findings(levels[d]))]
        for lv in range(d - 1, -1, -1):
            preds = sortedkeys.unique(self._predecessors(keys[-1]))
            keys.append(self._least_pair(preds[sortedkeys.member(levels[lv], preds)]))
        keys.reverse()
        run.n_pairs, run.transitions, run.depth = n_pairs, transitions, d
        impl, nodes = self.tables.split(np.concatenate(levels))
        run.impl_states = len(sortedkeys.unique(impl))
        run.max_node = int(nodes.max(initial=0))
        self._witness(run, keys)

    def _findings(self, level: np.ndarray) -> np.ndarray:
        """The pairs of ``level`` (sorted) that are findings."""
        found = [level[:0]]
        for lo in range(0, len(level), self.chunk):
            block = level[lo : lo + self.chunk]
            found.append(block[self.tables.step(block, in_order=True).bad])
        return np.concatenate(found)

    def _least_pair(self, keys: np.ndarray) -> np.ndarray:
        """The least of the pairs ``keys`` (not empty), as the reference compares them: by
        :func:`~cspsim.lts.compose.colex` of the state, then node."""
        assert len(keys), "a pair of the next level has a predecessor in this one"
        impl, nodes = self.tables.split(keys)
        layout = self.impl.layout
        best = min(range(len(keys)), key=lambda i: (colex(layout.decode(impl[i : i + 1])), int(nodes[i])))
        return keys[best : best + 1]

    def _predecessors(self, pair: np.ndarray) -> np.ndarray:
        """The pairs with a followed move to ``pair`` (a length-1 key array), as keys: the
        implementation's predecessors of its state, each with the nodes its moves come from (τ
        keeps the node; a visible event comes from the nodes whose move on it leads here);
        pairs at pruned nodes are not expanded, so they are not predecessors."""
        tables, machine, layout = self.tables, self.machine, self.impl.layout
        impl_key, nodes = tables.split(pair)
        state, node = layout.decode(impl_key), int(nodes[0])
        back = self._reverse_nodes()
        pruned = self.tables.spec.divergent if self.tables.rules.prune else None
        found: list[np.ndarray] = []
        for prev in machine.predecessors(state):
            sources: set[int] = set()
            for e, nxt in machine.successors(prev):
                if nxt == state and e != TICK:
                    sources.update([node] if e == TAU else back[node].get(e, ()))
            for n in sorted(sources):
                if pruned is None or not pruned[n]:
                    found.append(tables.join(layout.encode(prev), np.array([n], np.int64)))
        return np.concatenate(found) if found else pair[:0]

    def _reverse_nodes(self) -> list[dict[int, list[int]]]:
        """Per normal-form node: event -> the nodes whose move on it leads there."""
        if self._back is None:
            back: list[dict[int, list[int]]] = [{} for _ in self.nf.trans]
            for n, moves in enumerate(self.nf.trans):
                for e, m in moves.items():
                    back[m].setdefault(e, []).append(n)
            self._back = back
        return self._back

    def _report_limit(self, run: PairRun, d: int, transitions: int, max_pairs: int | None) -> None:
        """Level ``d`` holds no finding but discovers more than ``max_pairs`` pairs: raise the
        limit with the counts the reference reports, found by walking the level in its order to
        the pair whose moves discover pair number ``max_pairs``."""
        assert max_pairs is not None
        tables, chunk = self.tables, self.chunk
        known = self._levels(d)
        cur = known[0]
        for lv in range(d):
            cur, _parent = ranking.next_level(tables, cur, known[lv + 1], chunk)
        budget = max_pairs - sum(len(k) for k in known)
        seen = cur[:0]
        moves = 0
        for lo in range(0, len(cur), chunk):
            st = tables.step(cur[lo : lo + chunk], judge=False)
            new = sortedkeys.unique(st.succ)
            for k in [*known, seen]:
                new = new[~sortedkeys.member(k, new)]
            if len(seen) + len(new) > budget:
                stopper = int(np.sort(_discoverers(new, st.succ, st.src))[budget - len(seen)])
                run.n_pairs = max_pairs
                run.transitions = transitions + moves + int(st.moves[: stopper + 1].sum())
                run.depth = d
                raise LimitReached("max-states", run.n_pairs, run.transitions, {"pairs": run})
            seen = sortedkeys.merge([seen, new], cur.dtype)
            moves += int(st.moves.sum())
        raise AssertionError("the level discovers more than max_states pairs")  # pragma: no cover

    # ------------------------------------------------------------ the counterexample

    def _witness(self, run: PairRun, keys: list[np.ndarray]) -> None:
        """The finding at the last of ``keys`` (a path of pair keys), its path and its lasso."""
        tables, machine, nf = self.tables, self.machine, self.nf
        impl_keys, nodes = [], []
        for k in keys:
            i, n = tables.split(k)
            impl_keys.append(i)
            nodes.append(int(n[0]))
        layout = self.impl.layout
        states = [layout.decode(i) for i in impl_keys]
        events = [follow_event(nf, machine, a, b, na, nb) for a, b, na, nb in
                  zip(states, states[1:], nodes, nodes[1:])]
        last, last_key = states[-1], impl_keys[-1]
        div = self.divergence

        def diverges(_state: State, _moves: list[tuple[int, State]]) -> bool:
            return div is not None and bool(div.flags(last_key)[0])

        finding = self.judge(nodes[-1], last, machine.successors(last), diverges)
        assert finding is not None, "the vectorised and the scalar judgement agree"
        run.finding, run.node = finding, nodes[-1]
        run.states, run.events = self._lift(states, events, None)[:2]

        def lasso() -> tuple[list[State], list[int], int]:
            assert div is not None
            loop, at = div.lasso(last_key)
            more = [layout.decode(k) for k in loop[1:]]
            out = self._lift(states + more, events + [TAU] * len(more), len(states) - 1 + at)
            assert out[2] is not None
            return out[0], out[1], out[2]

        run.lasso = lasso

    def _lift(self, states: list[State], events: list[int], loop_index: int | None
              ) -> tuple[list[State], list[int], int | None]:
        if not self.comp.changed:
            return states, events, loop_index
        return self.comp.lift(states, events, loop_index)


def _discoverers(new: np.ndarray, succ: np.ndarray, src: np.ndarray) -> np.ndarray:
    """For each key of ``new`` (sorted), the smallest source among the moves reaching it."""
    first = np.full(len(new), ranking.INF)
    if len(new) == 0:
        return first
    pos = np.searchsorted(new, succ)
    ok = pos < len(new)
    pos[~ok] = 0
    hit = ok & (new[pos] == succ)
    np.minimum.at(first, pos[hit], src[hit])
    return first
