"""Worker processes give exactly the single-process results; partitions pickle."""

from __future__ import annotations

import os
import pickle

import numpy as np
import pytest

import cspsim
from cspsim.errors import LimitReached
from cspsim.lts import parallel
from cspsim.lts.explore import Limits
from cspsim.lts.fastexplore import STOP, search
from cspsim.lts.packed import StepTables
from cspsim.lts.partition import Partition, owners

pytestmark = pytest.mark.skipif(not parallel.can_fork(), reason="worker processes need the fork start method")

PHILOSOPHERS = """
N = 5
channel acq, rel : {0..N-1}
channel sit, rise
PHIL(i) = acq.i -> acq.((i+1)%N) -> rel.((i+1)%N) -> rel.i -> PHIL(i)
BPHIL(i) = sit -> acq.i -> acq.((i+1)%N) -> rel.((i+1)%N) -> rel.i -> rise -> BPHIL(i)
FORK(j) = acq.j -> rel.j -> FORK(j)
SEATS(k) = k < N-1 & sit -> SEATS(k+1) [] k > 0 & rise -> SEATS(k-1)
FORKS = ||| j : {0..N-1} @ FORK(j)
NAIVE = (||| i : {0..N-1} @ PHIL(i)) [| {| acq, rel |} |] FORKS
BUTLER = (||| i : {0..N-1} @ BPHIL(i)) [| {| acq, rel, sit, rise |} |] (FORKS ||| SEATS(0))
"""


@pytest.fixture(scope="module")
def model() -> cspsim.Model:
    return cspsim.load(PHILOSOPHERS)


@pytest.mark.parametrize("process", ["NAIVE", "BUTLER"])
@pytest.mark.parametrize("switch_at", [0, 20])
def test_same_as_one_process(model: cspsim.Model, process: str, switch_at: int) -> None:
    machine = model.machine(process)
    one = search(machine, deadlock=STOP)
    two = search(machine, deadlock=STOP, workers=2, switch_at=switch_at)
    assert two.stats["workers"] == 2
    assert (two.n_states, two.transitions, two.depth, two.complete) == (one.n_states, one.transitions,
                                                                        one.depth, one.complete)
    assert two.path == one.path
    if process == "NAIVE":
        assert one.path is not None and len(one.path) == 6  # five forks picked up, one each


@pytest.mark.parametrize("max_states", [7, 150, 2000])
def test_same_limit_report(model: cspsim.Model, max_states: int) -> None:
    reports = []
    for workers in (1, 3):
        with pytest.raises(LimitReached) as info:
            search(model.machine("BUTLER"), limits=Limits(max_states=max_states), workers=workers, switch_at=0)
        reports.append((info.value.states, info.value.transitions, info.value.extra["space"].depth))
    assert reports[0] == reports[1]
    assert reports[0][0] == max_states


def test_partition_pickles_and_splits_by_owner(model: cspsim.Model) -> None:
    tables = StepTables.build(model.machine("BUTLER"))
    part = Partition(tables)
    part.seed(tables.layout.encode(model.machine("BUTLER").initial))
    for level in range(6):
        part.step(level)
    copy = pickle.loads(pickle.dumps(part))
    assert len(copy.visited) == len(part.visited)
    shares = [parallel.split(part, i, 3) for i in range(3)]
    keys, levels = part.visited.merged()
    assert sum(len(s.visited) for s in shares) == len(keys)
    for i, share in enumerate(shares):
        k, lv = share.visited.merged()
        assert (owners(k, 3) == i).all()
        sel = owners(keys, 3) == i
        assert np.array_equal(k, keys[sel]) and np.array_equal(lv, levels[sel])
        assert np.array_equal(share.frontier, part.frontier[owners(part.frontier, 3) == i])


@pytest.mark.parametrize("idle", [0.0, 1.5])
def test_automatic_workers_start_only_on_idle_cores(model: cspsim.Model, idle: float,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "idle_cores", lambda interval=0.1: idle)
    machine = model.machine("BUTLER")
    auto = search(machine, workers=2, switch_at=20, only_if_idle=True)
    one = search(machine)
    assert ("workers" in auto.stats) == (idle >= parallel.IDLE_NEEDED)
    assert (auto.n_states, auto.transitions, auto.depth) == (one.n_states, one.transitions, one.depth)


def test_idle_cores_reads_the_machine() -> None:
    idle = parallel.idle_cores(0.05)
    assert 0.0 <= idle <= (os.cpu_count() or 1) + 0.01
