"""Compression functions as processes: ``normal(P)``, ``sbisim(P)``, ``wbisim(P)`` ...

The evaluator turns ``how(P)`` into a lazy ``compress`` term (the semantics layer cannot build
LTSs). On first expansion the operational semantics calls :func:`compress_term`: P is composed
and explored into an explicit LTS, reduced by :data:`cspsim.lts.reduce.COMPRESSIONS`, and the
result is exposed as *explicit-state terms* whose transitions are read from the stored LTS, so a
compressed process can be used anywhere a process can (as a component of a parallel, under
hiding, as a specification ...). States reached by ✓ become the ordinary Ω term.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from cspsim import errors
from cspsim.errors import LimitReached
from cspsim.lts.compose import build_machine
from cspsim.lts.describe import describe_term
from cspsim.lts.engine import explore_lts
from cspsim.lts.explore import Limits
from cspsim.lts.lts import LTS
from cspsim.lts.reduce import COMPRESSIONS
from cspsim.semantics import terms as T

if TYPE_CHECKING:
    from cspsim.lts.operational import Moves, Semantics


class ExplicitTable:
    """A stored (compressed) LTS whose states are process terms. Hashed by identity."""

    def __init__(self, title: str, lts: LTS) -> None:
        self.title = title
        self.lts = lts

    def moves(self, f: T.TermFactory, state: int) -> Moves:
        lts = self.lts
        return [(e, f.omega if t in lts.terminated else f.explicit(self, t)) for e, t in lts.successors(state)]

    def describe(self, state: int) -> str:
        label = self.lts.state_labels[state]
        if len(label) > 60:
            label = label[:59] + "…"
        return f"{self.title} state {state}: {label}"

    def __repr__(self) -> str:
        return f"<{self.title}: {self.lts.n_states} states>"


def compress_term(sem: Semantics, term: T.Term) -> T.Term:
    """The initial explicit-state term of the compressed process of ``term`` (a compress term)."""
    how, p = term.args
    title = term.name or f"{how}({describe_term(p, sem)})"
    limit = sem.max_compress_states
    try:
        machine = build_machine(sem, p, max_component_states=limit, span=errors.NO_SPAN, name=title)
        lts = explore_lts(machine, Limits(max_states=limit, max_component_states=limit), title)
    except LimitReached:
        raise errors.compression_too_large(title, limit) from None
    reduced = COMPRESSIONS[how](lts)
    initial = sem.f.explicit(ExplicitTable(title, reduced), reduced.initial)
    initial.name = initial.name or title  # names the component in counterexamples
    return initial
