"""Traces, failures and divergences of a process of a loaded model, read off its explicit LTS.

The definitions are the oracle's (:mod:`csp_opsem`), applied to ``model.lts(process)``.
"""

from __future__ import annotations

import csp_opsem as O

import cspsim


def graph(model: cspsim.Model, process: str) -> O.Graph:
    return O.graph_of_cspsim(model.lts(process))


def traces(model: cspsim.Model, process: str, depth: int = 4) -> set[tuple[str, ...]]:
    """Visible traces (✓ included) up to ``depth``, as tuples of event labels."""
    return set(O.traces(graph(model, process), depth))


def maximal(model: cspsim.Model, process: str, depth: int = 4) -> set[tuple[str, ...]]:
    """Traces up to ``depth`` that no other trace up to ``depth`` extends (a compact view)."""
    ts = traces(model, process, depth)
    return {t for t in ts if not any(len(u) == len(t) + 1 and u[: len(t)] == t for u in ts)}


def acceptances(model: cspsim.Model, process: str, trace: tuple[str, ...] = ()) -> set[frozenset[str]]:
    """Minimal acceptance sets of the stable states after ``trace`` (✓ included)."""
    return set(O.failures(graph(model, process), len(trace))[trace])


def divergences(model: cspsim.Model, process: str, depth: int = 4) -> set[tuple[str, ...]]:
    return set(O.divergences(graph(model, process), depth))


def load(text: str) -> cspsim.Model:
    return cspsim.load(text)
