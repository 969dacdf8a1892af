"""Denotational trace semantics of the oracle's language (Roscoe's traces model), to depth k.

A second, independent way to get traces: computed compositionally from the syntax, with no LTS
and no τ. Used to cross-check the oracle's operational semantics (:mod:`csp_opsem`). Hiding is not
covered (its traces need unboundedly long traces of the operand), so callers skip it.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import product

from csp_ast import (
    APar,
    Binary,
    Call,
    Chaos,
    Div,
    GPar,
    Guard,
    Hide,
    If,
    Omega,
    Prefix,
    Proc,
    Rename,
    Rep,
    Run,
    Script,
    Skip,
    Stop,
    show_event,
)
from csp_opsem import TICK, Semantics, eval_expr, expand_rep, subst

Trace = tuple  # of events (tuples) and TICK


class HidingUnsupported(Exception):
    pass


class TraceSemantics:
    def __init__(self, script: Script) -> None:
        self.sem = Semantics(script)  # only for unfolding calls and expanding prefix fields
        self.T = lru_cache(maxsize=None)(self._traces)

    def labels(self, p: Proc, k: int) -> frozenset[tuple[str, ...]]:
        """Traces as tuples of display labels (``c.0``, ``✓``)."""
        return frozenset(tuple(e if e == TICK else show_event(e) for e in t) for t in self.T(p, k))

    def _traces(self, p: Proc, k: int) -> frozenset[Trace]:
        T = self.T
        if k == 0 or isinstance(p, (Stop, Omega, Div)):
            return frozenset({()})
        if isinstance(p, Skip):
            return frozenset({(), (TICK,)})
        if isinstance(p, (Run, Chaos)):
            evs = sorted(p.events.members(), key=repr)
            return frozenset(t for n in range(k + 1) for t in product(evs, repeat=n))
        if isinstance(p, Prefix):
            out = {()}
            for ev, cont in self.sem.prefix_events(p):
                out.update((ev, *t) for t in T(cont, k - 1))
            return frozenset(out)
        if isinstance(p, Guard):
            return T(p.proc, k) if eval_expr(p.cond) else frozenset({()})
        if isinstance(p, If):
            return T(p.then if eval_expr(p.cond) else p.orelse, k)
        if isinstance(p, Call):
            return T(self.sem.unfold(p), k)
        if isinstance(p, Rep):
            if p.op == "|~|":
                return frozenset().union(*(T(subst(p.body, {p.var: v}), k) for v in p.values))
            return T(expand_rep(p), k)
        if isinstance(p, Hide):
            raise HidingUnsupported
        if isinstance(p, Rename):
            rel = p.relation()
            out = set()
            for t in T(p.proc, k):
                images: list[list[object]] = []
                for e in t:
                    targets = [b for a, b in rel if a == e]
                    images.append(targets or [e])
                out.update(product(*images))
            return frozenset(out)
        if isinstance(p, Binary):
            P, Q = T(p.left, k), T(p.right, k)
            if p.op in ("[]", "|~|", "[>"):
                return P | Q
            if p.op == ";":
                out = {t for t in P if TICK not in t}
                for t in P:
                    if t and t[-1] == TICK:
                        s = t[:-1]
                        out.update(s + u for u in T(p.right, k - len(s)))
                return frozenset(out)
            if p.op == "/\\":
                out = set(P)
                for s in P:
                    if TICK not in s:
                        out.update(s + u for u in T(p.right, k - len(s)))
                return frozenset(out)
            if p.op == "|||":
                return _parallel(P, Q, k, lambda e, side: True, lambda e: False)
        if isinstance(p, GPar):
            sync = p.sync.members()
            return _parallel(T(p.left, k), T(p.right, k), k, lambda e, side: e not in sync, lambda e: e in sync)
        if isinstance(p, APar):
            A, B = p.left_alpha.members(), p.right_alpha.members()
            return _parallel(
                T(p.left, k), T(p.right, k), k,
                lambda e, side: (e in A and e not in B) if side == 0 else (e in B and e not in A),
                lambda e: e in A and e in B,
            )
        raise TypeError(p)


def _children(traces: frozenset[Trace]) -> dict[Trace, set[object]]:
    kids: dict[Trace, set[object]] = {t: set() for t in traces}
    for t in traces:
        if t:
            kids[t[:-1]].add(t[-1])
    return kids


def _parallel(P: frozenset[Trace], Q: frozenset[Trace], k: int, alone, shared) -> frozenset[Trace]:
    """Traces of a parallel composition from the operands' (prefix-closed) trace sets: events
    one side does alone interleave, shared events need both, and ✓ needs both (distributed
    termination)."""
    kp, kq = _children(P), _children(Q)
    out = {()}
    frontier = {((), (), ())}
    for _ in range(k):
        nxt = set()
        for u, v, w in frontier:
            for e in kp[u]:
                if e == TICK:
                    if TICK in kq[v]:
                        out.add(w + (TICK,))
                elif alone(e, 0):
                    nxt.add((u + (e,), v, w + (e,)))
                elif shared(e) and e in kq[v]:
                    nxt.add((u + (e,), v + (e,), w + (e,)))
            for e in kq[v]:
                if e != TICK and alone(e, 1):
                    nxt.add((u, v + (e,), w + (e,)))
        out.update(w for _, _, w in nxt)
        frontier = nxt
    return frozenset(out)

