"""Choice of engine for the pair search behind refinement, determinism and ``has trace``.

``Limits.engine`` ``"fast"`` (the default) runs the packed pair search
(:func:`cspsim.lts.fastpairs.search_pairs`) on a :class:`~cspsim.lts.compose.Machine`;
``"reference"``, or an implementation that is not a machine (anything with ``initial`` and
``successors``), runs the reference :func:`cspsim.lts.pairs.pair_search`. Both return a
:class:`~cspsim.lts.pairs.PairRun` and call the check's scalar judge the same way, so the checks
do not know which engine ran.
"""

from __future__ import annotations

import time
from typing import Any

from cspsim.lts.compose import Machine
from cspsim.lts.events import TAU
from cspsim.lts.explore import Limits, Progress
from cspsim.lts.fastpairs import search_pairs
from cspsim.lts.normalise import NormalForm
from cspsim.lts.pairs import Divergence, Implementation, PairJudge, PairRun, PairSpace, pair_search
from cspsim.lts.pairtables import Rules


def run_pairs(nf: NormalForm, impl: Implementation, rules: Rules, judge: PairJudge, limits: Limits | None = None,
              progress: Progress | None = None) -> PairRun:
    """Search the pairs of ``nf`` and ``impl`` for the first finding of ``judge`` (breadth-first)."""
    limits = limits or Limits()
    if limits.engine != "reference" and isinstance(impl, Machine):
        return search_pairs(nf, impl, rules, judge, limits, progress)
    return reference_run(nf, impl, rules, judge, limits, progress)


def reference_run(nf: NormalForm, impl: Implementation, rules: Rules, judge: PairJudge, limits: Limits,
                  progress: Progress | None = None) -> PairRun:
    """The reference pair search, reported as a :class:`PairRun`."""
    div = Divergence(impl) if rules.divergence else None

    def diverges(state: Any, moves: list[tuple[int, Any]]) -> bool:
        return div is not None and div.diverges(state, moves)

    def pair_judge(space: PairSpace, pid: int, node: int, state: Any, moves: list[tuple[int, Any]]) -> Any:
        return judge(node, state, moves, diverges)

    prune = nf.divergent if rules.prune else None
    space = pair_search(nf, impl, pair_judge, prune=prune, max_pairs=limits.max_states,
                        deadline=limits.stop_time(time.perf_counter()),
                        progress=progress, successors=div.successors if div is not None else None)
    run = PairRun(n_pairs=space.n_pairs, transitions=space.transitions, depth=space.depth, seconds=space.seconds,
                  impl_states=len(space.impl_states), max_node=max(space.node, default=0), complete=space.complete,
                  finding=space.finding, stats={"engine": "reference"})
    if space.finding is None:
        return run
    run.node = space.node[space.path[-1]]
    states, events = space.states_and_events()
    run.states, run.events = states, events

    def lasso() -> tuple[list[Any], list[int], int]:
        assert div is not None
        loop, start = div.lasso(states[-1])
        return states + loop[1:], events + [TAU] * (len(loop) - 1), len(states) - 1 + start

    run.lasso = lasso
    return run
