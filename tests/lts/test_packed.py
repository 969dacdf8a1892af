"""Packed states and the vectorised successor function against the machine's own successors."""

from __future__ import annotations

import numpy as np
import pytest

import cspsim
from cspsim.lts.compose import TERMINATED, Machine
from cspsim.lts.explore import explore
from cspsim.lts.packed import Layout, StepTables

PHILOSOPHERS = """
N = 4
channel acq, rel : {0..N-1}
channel sit, rise
PHIL(i) = sit -> acq.i -> acq.((i+1)%N) -> rel.((i+1)%N) -> rel.i -> rise -> PHIL(i)
FORK(j) = acq.j -> rel.j -> FORK(j)
SEATS(k) = k < N-1 & sit -> SEATS(k+1) [] k > 0 & rise -> SEATS(k-1)
SYSTEM = (||| i : {0..N-1} @ PHIL(i)) [| {| acq, rel, sit, rise |} |] ((||| j : {0..N-1} @ FORK(j)) ||| SEATS(0))
"""

# Nondeterministic leaves (two targets for one event), internal choice, hiding, renaming,
# alphabetised parallel, termination of every component and a three-way synchronisation.
MIXED = """
channel a, b, c, d
P = a -> P [] a -> b -> P [] (c -> SKIP |~| d -> STOP)
Q = a -> Q [] b -> c -> SKIP
R = a -> b -> R [] c -> SKIP
SYSTEM = ((P [| {a, b, c} |] Q) [| {a, c} |] R) \\ {b}
RENAMED = (P ||| Q)[[a <- d, d <- a]]
ALPHA = P [ {a, b, c, d} || {a, b, c} ] Q
"""

# 22 components of 5 states each: 66 bits, two words per state, yet only 5 reachable states.
WIDE = """
channel go, back, tick, tock
C(i) = go -> tick -> tock -> back -> C(i) [] back -> STOP
SYSTEM = [| {go, back, tick, tock} |] i : {0..21} @ C(i)
"""


def _all_transitions(machine: Machine, tables: StepTables) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """(packed engine's, machine's) transitions of every reachable state, as sorted lists."""
    space = explore(machine)
    layout = tables.layout
    live = [s for s in space.states if s is not TERMINATED and s]
    keys = np.concatenate([layout.encode(s) for s in live]) if live else layout.encode(TERMINATED)[:0]
    succ, src, ev = tables.expand(keys)
    got = sorted((live[i], int(e), layout.decode(succ[k : k + 1])) for k, (i, e) in enumerate(zip(src, ev)))
    want = sorted((s, e, t) for s in live for e, t in machine.successors(s))
    return got, want


@pytest.mark.parametrize("text, process", [(PHILOSOPHERS, "SYSTEM"), (MIXED, "SYSTEM"), (MIXED, "RENAMED"),
                                           (MIXED, "ALPHA"), (MIXED, "P"), (WIDE, "SYSTEM")])
@pytest.mark.parametrize("group_bits", [16, 0])
def test_expand_matches_machine_successors(text: str, process: str, group_bits: int) -> None:
    """Both tabulations (joint-state groups, and the driver-and-slots path) give every move."""
    machine = cspsim.load(text).machine(process)
    tables = StepTables.build(machine, group_bits=group_bits)
    got, want = _all_transitions(machine, tables)
    assert got == want
    assert len(got) > 0


def test_wide_states_use_two_words_and_keep_tuple_order() -> None:
    machine = cspsim.load(WIDE).machine("SYSTEM")
    layout = StepTables.build(machine).layout
    assert layout.n_words == 2 and layout.total_bits == 66
    states = [tuple((7 * i + j) % 5 for j in range(22)) for i in range(30)] + [TERMINATED]
    keys = np.concatenate([layout.encode(s) for s in states])
    assert [layout.decode(keys[i : i + 1]) for i in range(len(states))] == states
    order = np.argsort(keys, kind="stable")
    # TERMINATED sorts last; every other state in tuple order
    assert [states[i] for i in order] == sorted(states[:-1]) + [TERMINATED]


def test_layout_packs_first_leaf_most_significant() -> None:
    layout = Layout.for_sizes([3, 1, 5, 2])
    assert layout.bits == (2, 0, 3, 1)
    assert layout.n_words == 1
    for state in [(0, 0, 0, 0), (2, 0, 4, 1), (1, 0, 3, 0)]:
        assert layout.decode(layout.encode(state)) == state
    assert int(layout.encode((1, 0, 0, 0))[0]) > int(layout.encode((0, 0, 4, 1))[0])


def test_move_classes_follow_the_machines_canonical_order() -> None:
    """Sorting a state's transitions by (class, successor key) gives Machine.moves' order."""
    machine = cspsim.load(MIXED).machine("SYSTEM")
    tables = StepTables.build(machine)
    layout = tables.layout
    for state in explore(machine).states:
        if not state:
            continue
        succ, _src, ev, cls = tables.expand(layout.encode(state), classes=True)
        order = np.lexsort((succ, cls))
        got = [(int(ev[i]), layout.decode(succ[i : i + 1])) for i in order]
        assert got == [(e, t) for e, t in machine.successors(state)]
