"""Choice of exploration engine for the checks: the packed engine (default) or the reference.

The checks ask two questions of a machine, and each engine answers both:

* :func:`find_deadlock` — the first deadlock in BFS order, searching no further than needed;
* :func:`explore_graph` — every reachable state with its edges (all of them, or only the τ ones),
  as an object with the interface of :class:`~cspsim.lts.explore.StateSpace`;

and :func:`explore_lts` gives the explicit :class:`~cspsim.lts.lts.LTS` of a machine (what
normal forms, compressions and ``Model.lts`` are built from).

``Limits.engine`` selects ``"fast"`` (:mod:`cspsim.lts.fastexplore`, after compressing components
by strong bisimulation when ``Limits.compress`` is ``"auto"``) or ``"reference"``
(:func:`cspsim.lts.explore.explore`, the plain BFS kept as the executable specification).
``Limits.workers`` is the number of processes for the fast search (0: decide automatically).
"""

from __future__ import annotations

import os
from typing import Any

from cspsim.lts import explore as reference
from cspsim.lts.compose import Machine
from cspsim.lts.compress_leaves import Compression, compress
from cspsim.lts.explore import Limits, Progress, StateSpace, deadlock_search, explore
from cspsim.lts.fastexplore import STOP, GraphSpace, PackedSearch, graph_lts, search
from cspsim.lts.lts import LTS

ENGINES = ("fast", "reference")


def find_deadlock(machine: Machine, limits: Limits | None = None, progress: Progress | None = None
                  ) -> tuple[Any, Any]:
    """(space, handle of the first deadlock or None); ``space.trace_to(handle)`` is its trace."""
    limits = limits or Limits()
    if limits.engine == "reference":
        space = deadlock_search(machine, limits, progress)
        return space, (space.path[-1] if space.path else None)
    comp = compress(machine, limits.compress)
    workers, switch_at = choose_workers(limits)
    result = search(comp.machine, deadlock=STOP, limits=limits, progress=progress, workers=workers,
                    switch_at=switch_at, only_if_idle=limits.workers == 0)
    _note_compression(result, comp)
    return result, result.found


def explore_graph(machine: Machine, limits: Limits | None = None, progress: Progress | None = None, *,
                  only_tau: bool = False) -> StateSpace | GraphSpace:
    """Every reachable state with its edges (only the τ edges when ``only_tau``), numbered as the
    reference numbers them; ``first_deadlock()`` is the lowest-numbered deadlock."""
    limits = limits or Limits()
    if limits.engine == "reference":
        return explore(machine, keep_edges=True, limits=limits, progress=progress)
    comp = compress(machine, limits.compress)
    result = search(comp.machine, limits=limits, progress=progress, workers=1)
    _note_compression(result, comp)
    return GraphSpace(result, only_tau=only_tau)


def explore_lts(machine: Machine, limits: Limits | None = None, name: str = "") -> LTS:
    """Explore ``machine`` completely into an explicit :class:`LTS`, states numbered as the
    reference BFS numbers them (so both engines give the same LTS). Components are not
    compressed here: the states are the machine's own."""
    limits = limits or Limits()
    if limits.engine == "reference":
        return reference.explore_lts(machine, limits, name)
    return graph_lts(GraphSpace(search(machine, limits=limits, workers=1)), name)


def choose_workers(limits: Limits) -> tuple[int, int | None]:
    """(processes, frontier size at which to start them) for a search.

    An explicit ``Limits.workers`` > 1 starts that many at once. Automatic (0), on a machine with
    two cores or more: two processes, started when a level reaches
    :data:`~cspsim.lts.parallel.SWITCH_FRONTIER` states and only if another core is idle then
    (the search checks): partitioning costs more work in all, so it pays only with a core to
    itself (measured in docs/engine.md).
    """
    if limits.workers > 0:
        return limits.workers, 0
    if (os.cpu_count() or 1) >= 2:
        return 2, None
    return 1, None


def _note_compression(result: PackedSearch, comp: Compression) -> None:
    if comp.changed:
        result.lift = comp
        result.stats["compression"] = comp.report
