"""Level-synchronous BFS over worker processes, one :class:`~cspsim.lts.partition.Partition` each.

Each level, in rounds of at most :data:`ROUND` successors per worker (so that memory does not
grow with the size of a level): every worker expands the next part of its frontier and returns
the successors owned by the other partitions (it keeps its own); the coordinator forwards each
partition's batches to it; every worker absorbs what it owns. The coordinator only routes arrays
and adds up counts, so the same loop could drive Ray actors holding the same partitions.

The search may start in one process and move to workers once a level is large enough to pay for
them (:data:`SWITCH_FRONTIER`): the workers are forked from the single-process state and each
keeps the share of the visited set and frontier it owns. Results are identical to a
single-process run: the same states per level, the same counts, the same first deadlock (the
smallest key of the first level that has one) and the same counterexample.

Needs the ``fork`` start method (Linux); elsewhere the search stays in one process.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import time
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

import numpy as np

from cspsim.errors import LimitReached
from cspsim.lts.partition import LevelStats, Partition, owners

if TYPE_CHECKING:
    from cspsim.lts.explore import Limits, Progress
    from cspsim.lts.fastexplore import PackedSearch

SWITCH_FRONTIER = 500_000  # frontier size from which a search started alone moves to workers
IDLE_NEEDED = 0.8  # idle cores (besides the search's own) for automatic workers to start
ROUND = 1 << 19  # successors a worker collects before an exchange (bounds the memory of a level)


def can_fork() -> bool:
    return "fork" in mp.get_all_start_methods()


def idle_cores(interval: float = 0.1) -> float:
    """How many cores were idle over the last ``interval`` seconds (from /proc/stat; 0 where it
    cannot be read). Taken when a search is about to fork workers: they pay only on idle cores."""
    def sample() -> tuple[int, int]:
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
        return sum(fields), fields[3] + (fields[4] if len(fields) > 4 else 0)

    try:
        total0, idle0 = sample()
        time.sleep(interval)
        total1, idle1 = sample()
    except (OSError, ValueError, IndexError):  # pragma: no cover - not Linux
        return 0.0
    if total1 <= total0:
        return 0.0
    return (idle1 - idle0) / (total1 - total0) * (os.cpu_count() or 1)


def split(part: Partition, index: int, count: int) -> Partition:
    """The share of ``part`` (a single-process partition) owned by partition ``index`` of ``count``."""
    mine = Partition(part.tables, index, count, part.chunk, part.batch)
    for keys, levels in part.visited.items():
        own = owners(keys, count) == index
        for lv in np.unique(levels[own]):
            sel = own & (levels == lv)
            mine.visited.add(keys[sel], int(lv))
    f = part.frontier
    mine.frontier = f[owners(f, count) == index]
    return mine


# The partition being handed to forked workers: a child sees it in its copy of the parent's
# memory; the parent drops it as soon as the workers are started, so that its own copy of the
# visited set is freed (passing it as a Process argument would keep it alive in the parent).
_HANDOFF: Partition | None = None


def _worker(conn: Connection, index: int, count: int) -> None:
    """A worker's loop: answer the coordinator's commands until told to stop."""
    global _HANDOFF
    part = _HANDOFF
    _HANDOFF = None
    assert part is not None
    mine = split(part, index, count) if part.count == 1 and count > 1 else part
    del part
    kept: list[np.ndarray] = []
    while True:
        cmd, *args = conn.recv()
        if cmd == "begin":
            mine.begin_level()
            conn.send(None)
        elif cmd == "expand":
            find_deadlock, stop_at, budget = args
            stats, batches, done = mine.expand(find_deadlock, stop_at, budget)
            if batches:
                kept = batches[index]
                batches[index] = []
            conn.send((stats, batches, done))
        elif cmd == "absorb":
            incoming, level = args
            runs = [run for batch in incoming for run in batch] + kept
            kept = []
            conn.send(mine.absorb(runs, level))
        elif cmd == "end":
            conn.send(mine.end_level())
        elif cmd == "keys_at":
            conn.send(mine.keys_at(*args))
        elif cmd == "nbytes":
            conn.send(mine.visited.nbytes)
        elif cmd == "stop":
            conn.close()
            return


class Workers:
    """Worker processes forked from a single-process partition (or seeded fresh)."""

    def __init__(self, part: Partition, count: int) -> None:
        global _HANDOFF
        ctx = mp.get_context("fork")
        self.conns: list[Connection] = []
        self.procs: list[Any] = []
        _HANDOFF = part
        try:
            for index in range(count):
                parent, child = ctx.Pipe()
                proc = ctx.Process(target=_worker, args=(child, index, count), daemon=True)
                proc.start()
                child.close()
                self.conns.append(parent)
                self.procs.append(proc)
        finally:
            _HANDOFF = None

    def call_all(self, message: tuple[Any, ...]) -> list[Any]:
        for c in self.conns:
            c.send(message)
        return [c.recv() for c in self.conns]

    def level(self, level: int, find_deadlock: bool, stop_at: bool) -> tuple[LevelStats, int]:
        """One level on every worker, in rounds of at most :data:`ROUND` successors per worker
        (bounded memory): (merged stats, new states)."""
        self.call_all(("begin",))
        stats = LevelStats()
        new = 0
        count = len(self.conns)
        done = [False] * count
        while not all(done):
            results = self.call_all(("expand", find_deadlock and stats.deadlock is None, stop_at, ROUND))
            stats.transitions += sum(r[0].transitions for r in results)
            dead = [r[0].deadlock for r in results if r[0].deadlock is not None]
            if dead and stats.deadlock is None:
                stats.deadlock = min(dead, key=_sort_key)
                if stop_at:
                    return stats, 0
            done = [r[2] for r in results]
            for p, c in enumerate(self.conns):
                c.send(("absorb", [results[q][1][p] for q in range(count) if q != p], level))
            new += sum(c.recv() for c in self.conns)
        self.call_all(("end",))
        return stats, new

    def keys_at(self, level: int) -> np.ndarray:
        """All states of one level (sorted), gathered from the workers."""
        keys = np.concatenate(self.call_all(("keys_at", level)))
        keys.sort()
        return keys

    def close(self) -> None:
        for c in self.conns:
            try:
                c.send(("stop",))
                c.close()
            except OSError:  # pragma: no cover - worker already gone
                pass
        for p in self.procs:
            p.join(timeout=5)
            if p.is_alive():  # pragma: no cover
                p.kill()


def _sort_key(k: np.ndarray) -> Any:
    return k.tobytes() if k.dtype.kind == "V" else int(k[0])


def run_levels(result: PackedSearch, workers: Workers, deadlock: str | None, limits: Limits,
               progress: Progress | None, start: float, n_states: int, transitions: int, level: int,
               chunk: int) -> None:
    """Continue a search on worker processes from ``level`` (whose frontier the workers hold)."""
    from cspsim.lts.fastexplore import STOP, finish, set_limit_counts

    deadline = limits.stop_time(start)
    frontier_nonempty = True
    try:
        while frontier_nonempty:
            if progress is not None:
                progress(n_states, transitions, level)
            if deadline is not None and time.perf_counter() > deadline:
                _raise_limit(result, "timeout", n_states, transitions, level, start)
            stats, new = workers.level(level, deadlock == STOP, deadlock == STOP)
            if stats.deadlock is not None:
                result.found_level = level
                break
            if limits.max_states is not None and n_states + new > limits.max_states:
                result.n_states, result.transitions, result.depth = n_states, transitions, level
                set_limit_counts(result, workers.keys_at, limits.max_states, chunk)
                _raise_limit(result, "max-states", result.n_states, result.transitions, level, start)
            transitions += stats.transitions
            n_states += new
            level += 1
            frontier_nonempty = new > 0
        else:
            result.complete = True
            level -= 1
        finish(result, workers.keys_at, n_states, transitions, level, sum(workers.call_all(("nbytes",))))
        result.stats["workers"] = len(workers.conns)
    finally:
        workers.close()


def _raise_limit(result: PackedSearch, what: str, n_states: int, transitions: int, level: int, start: float) -> None:
    result.n_states, result.transitions, result.depth = n_states, transitions, level
    result.seconds = time.perf_counter() - start
    raise LimitReached(what, n_states, transitions, {"space": result})
