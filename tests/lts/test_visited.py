"""The visited set against a Python dict: membership, levels, merging, widening."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cspsim.lts.packed import TERM_WORD, Layout
from cspsim.lts.visited import Visited


def _layout(bits: int) -> Layout:
    return Layout.for_sizes([1 << bits])


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.integers(4, 62), st.lists(st.lists(st.integers(0, 1 << 20), max_size=40), max_size=25), st.data())
def test_matches_a_dict(bits: int, batches: list[list[int]], data: st.DataObject) -> None:
    """Batches of new keys (with levels) added; every query answered as a dict would."""
    vis = Visited(_layout(bits))
    mask = (1 << bits) - 1
    truth: dict[int, int] = {}
    for level, batch in enumerate(batches):
        new = sorted({k & mask for k in batch} - truth.keys())
        if data.draw(st.booleans()) and TERM_WORD not in truth:
            new.append(TERM_WORD)  # TERMINATED sorts last
        vis.add(np.array(new, np.int64), level)
        truth.update((k, level) for k in new)
    assert len(vis) == len(truth)
    queries = sorted(set(truth) | {q & mask for q in data.draw(st.lists(st.integers(0, 1 << 20), max_size=50))}
                     | {TERM_WORD})
    q = np.array(queries, np.int64)
    assert vis.contains(q).tolist() == [k in truth for k in queries]
    keys, levels = vis.merged()
    assert keys.tolist() == sorted(truth)
    assert levels.tolist() == [truth[k] for k in sorted(truth)]
    for level in range(len(batches)):
        assert vis.keys_at(level).tolist() == sorted(k for k, v in truth.items() if v == level)
    keys, starts = vis.level_index()
    by_level = sorted(truth, key=lambda k: (truth[k], k))
    assert keys.tolist() == by_level
    for level in range(len(starts) - 1):
        assert keys[starts[level] : starts[level + 1]].tolist() == [k for k in by_level if truth[k] == level]


def test_narrow_form_is_eight_bytes_per_state() -> None:
    vis = Visited(_layout(40))
    vis.add(np.arange(0, 3000, 3, dtype=np.int64), 0)
    vis.add(np.arange(1, 3000, 3, dtype=np.int64), 1)
    assert vis.narrow
    assert vis.nbytes == 8 * len(vis)


def test_widens_when_deeper_than_the_level_bits() -> None:
    """55 key bits leave 8 bits of level; level 300 switches to (key, level) pairs."""
    vis = Visited(_layout(55))
    assert vis.narrow and vis.level_bits == 8
    for level in range(300):
        vis.add(np.array([level * 7, level * 7 + 1], np.int64), level)
    assert not vis.narrow
    keys, levels = vis.merged()
    assert keys.tolist() == sorted(k for lv in range(300) for k in (lv * 7, lv * 7 + 1))
    assert levels.tolist() == [k // 7 for k in keys.tolist()]
    assert vis.contains(np.array([7, 8, 9], np.int64)).tolist() == [True, True, False]


def test_multiword_keys() -> None:
    layout = Layout.for_sizes([1 << 40, 1 << 40])
    assert layout.n_words == 2
    vis = Visited(layout)
    states = [(i, (i * 7919) % 1000) for i in range(200)]
    keys = np.concatenate([layout.encode(s) for s in states])
    keys.sort()
    vis.add(keys[::2].copy(), 0)
    vis.add(keys[1::2].copy(), 1)
    assert vis.contains(keys).all()
    assert [layout.decode(k) for k in vis.keys_at(1)] == sorted(states)[1::2]
