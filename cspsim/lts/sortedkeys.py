"""Small operations on sorted numpy arrays of packed keys, shared by the packed engine's modules."""

from __future__ import annotations

import numpy as np


def first_mask(sorted_keys: np.ndarray) -> np.ndarray:
    """True at the first of each run of equal keys."""
    first = np.ones(len(sorted_keys), bool)
    if len(sorted_keys) > 1:
        first[1:] = sorted_keys[1:] != sorted_keys[:-1]
    return first


def unique(keys: np.ndarray) -> np.ndarray:
    """The distinct keys, sorted."""
    keys = np.sort(keys)
    return keys[first_mask(keys)]


def merge_unique(runs: list[np.ndarray], dtype: np.dtype) -> np.ndarray:
    """The distinct keys of sorted runs, sorted (a stable sort of the concatenation: timsort
    merges the runs)."""
    if len(runs) == 1:
        return runs[0]
    keys = merge(runs, dtype)
    return keys[first_mask(keys)]


def merge(runs: list[np.ndarray], dtype: np.dtype) -> np.ndarray:
    """The keys of sorted runs with disjoint keys, sorted."""
    if not runs:
        return np.zeros(0, dtype)
    if len(runs) == 1:
        return runs[0]
    keys = np.concatenate(runs)
    keys.sort(kind="stable")
    return keys


def member(haystack: np.ndarray, q: np.ndarray) -> np.ndarray:
    """``q[i] in haystack`` for a sorted haystack (``q`` in any order)."""
    if len(haystack) == 0 or len(q) == 0:
        return np.zeros(len(q), bool)
    pos = np.searchsorted(haystack, q)
    ok = pos < len(haystack)
    pos[~ok] = 0
    return ok & (haystack[pos] == q)
