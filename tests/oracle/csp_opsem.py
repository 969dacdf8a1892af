"""The oracle's operational semantics and its analyses, written independently of cspsim.

Firing rules follow Roscoe (*Understanding Concurrent Systems*, ch. 9), read directly off the
oracle's syntax; a state is a *closed* process term (variables are substituted away when they are
bound), so the terms themselves are the states. From the explicit LTS this module computes, for
finite-state processes and exactly: traces, stable failures (as minimal acceptances), divergences
up to a depth, and the deadlock / divergence / determinism verdicts.

The analyses work on any :class:`Graph`, so the same definitions are applied to cspsim's LTS.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from csp_ast import (
    CHANNELS,
    TYPE_VALUES,
    APar,
    Bin,
    Binary,
    Call,
    Chaos,
    Div,
    Event,
    EvSet,
    Expr,
    GPar,
    Guard,
    Hide,
    If,
    In,
    Lit,
    Not,
    Omega,
    Out,
    Prefix,
    Proc,
    Rename,
    Rep,
    Run,
    Script,
    Skip,
    Stop,
    Var,
    show_event,
)

TAU = "τ"
TICK = "✓"

# ---------------------------------------------------------------- expressions and substitution


def eval_expr(e: Expr) -> object:
    if isinstance(e, Lit):
        return e.value
    if isinstance(e, Var):
        raise ValueError(f"free variable {e.name}")
    if isinstance(e, Not):
        v = eval_expr(e.operand)
        assert type(v) is bool
        return not v
    assert isinstance(e, Bin)
    a, b = eval_expr(e.left), eval_expr(e.right)
    ops = {
        "+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b, "%": lambda: a % b,
        "==": lambda: a == b, "!=": lambda: a != b, "<": lambda: a < b, "<=": lambda: a <= b,
        "and": lambda: a and b, "or": lambda: a or b,
    }
    return ops[e.op]()


def subst_expr(e: Expr, env: dict[str, object]) -> Expr:
    if isinstance(e, Var):
        return Lit(env[e.name]) if e.name in env else e
    if isinstance(e, Bin):
        return Bin(e.op, subst_expr(e.left, env), subst_expr(e.right, env))
    if isinstance(e, Not):
        return Not(subst_expr(e.operand, env))
    return e


def subst(p: Proc, env: dict[str, object]) -> Proc:
    """``p`` with the variables of ``env`` replaced by their values (respecting shadowing)."""
    if not env:
        return p
    if isinstance(p, Prefix):
        fields = []
        inner = dict(env)
        for f in p.fields:
            if isinstance(f, Out):
                fields.append(Out(subst_expr(f.expr, inner), f.dot))
            else:
                fields.append(f)
                inner.pop(f.var, None)
        return Prefix(p.chan, tuple(fields), subst(p.cont, inner))
    if isinstance(p, Guard):
        return Guard(subst_expr(p.cond, env), subst(p.proc, env))
    if isinstance(p, If):
        return If(subst_expr(p.cond, env), subst(p.then, env), subst(p.orelse, env))
    if isinstance(p, Binary):
        return Binary(p.op, subst(p.left, env), subst(p.right, env))
    if isinstance(p, Hide):
        return Hide(subst(p.proc, env), p.events)
    if isinstance(p, Rename):
        return Rename(subst(p.proc, env), p.pairs)
    if isinstance(p, GPar):
        return GPar(subst(p.left, env), p.sync, subst(p.right, env))
    if isinstance(p, APar):
        return APar(subst(p.left, env), p.left_alpha, p.right_alpha, subst(p.right, env))
    if isinstance(p, Rep):
        inner = {k: v for k, v in env.items() if k != p.var}
        return Rep(p.op, p.var, p.values, subst(p.body, inner), p.sync, p.alphas)
    if isinstance(p, Call):
        return Call(p.name, tuple(subst_expr(a, env) for a in p.args))
    return p


# ---------------------------------------------------------------- firing rules


class Semantics:
    """Transitions of closed terms of one script."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self._cache: dict[Proc, list[tuple[object, Proc]]] = {}

    def unfold(self, call: Call) -> Proc:
        d = self.script.lookup(call.name)
        args = [eval_expr(a) for a in call.args]
        return subst(d.body, dict(zip(d.params, args)))

    def prefix_events(self, p: Prefix) -> list[tuple[Event, Proc]]:
        """The (event, continuation) pairs of a prefix, binding inputs left to right."""
        out: list[tuple[Event, Proc]] = []
        types = CHANNELS[p.chan]

        def go(i: int, values: tuple[object, ...], fields: tuple, cont: Proc) -> None:
            if not fields:
                assert len(values) == len(types), (p, values)
                out.append(((p.chan, *values), cont))
                return
            f, rest = fields[0], fields[1:]
            if isinstance(f, Out):
                v = eval_expr(f.expr)
                go(i + 1, values + (v.parts if isinstance(v, DotValue) else (v,)), rest, cont)
                return
            if f.rest:
                choices = [tuple(c) for c in _product([TYPE_VALUES[t] for t in types[len(values):]])]
                for combo in choices:
                    go(i + 1, values + combo, (), _bind(rest, cont, f.var, combo))
                return
            domain = f.restrict if f.restrict is not None else TYPE_VALUES[types[len(values)]]
            for v in domain:
                r2, c2 = _bind_fields(rest, cont, f.var, v)
                go(i + 1, values + (v,), r2, c2)

        go(0, (), p.fields, p.cont)
        return out

    def transitions(self, p: Proc) -> list[tuple[object, Proc]]:
        got = self._cache.get(p)
        if got is None:
            got = self._fire(p)
            self._cache[p] = got
        return got

    def _fire(self, p: Proc) -> list[tuple[object, Proc]]:
        T = self.transitions
        if isinstance(p, (Stop, Omega)):
            return []
        if isinstance(p, Skip):
            return [(TICK, Omega())]
        if isinstance(p, Div):
            return [(TAU, p)]
        if isinstance(p, Run):
            return [(ev, p) for ev in sorted(p.events.members(), key=repr)]
        if isinstance(p, Chaos):
            # CHAOS(A) = STOP |~| ([] x:A @ x -> CHAOS(A))
            offers = _Offer(frozenset(p.events.members()), p)
            return [(TAU, Stop()), (TAU, offers)]
        if isinstance(p, _Offer):
            return [(ev, p.then) for ev in sorted(p.events, key=repr)]
        if isinstance(p, Prefix):
            return list(self.prefix_events(p))
        if isinstance(p, Guard):
            return T(p.proc) if eval_expr(p.cond) else []
        if isinstance(p, If):
            return T(p.then if eval_expr(p.cond) else p.orelse)
        if isinstance(p, Call):
            return T(self.unfold(p))
        if isinstance(p, Rep):
            if p.op == "|~|":
                return [(TAU, subst(p.body, {p.var: v})) for v in p.values]
            return T(expand_rep(p))
        if isinstance(p, Binary):
            return self._binary(p)
        if isinstance(p, Hide):
            hidden = p.events.members()
            out = []
            for e, q in T(p.proc):
                if e == TICK:
                    out.append((TICK, Omega()))
                else:
                    out.append((TAU if e in hidden else e, Hide(q, p.events)))
            return out
        if isinstance(p, Rename):
            rel = p.relation()
            out = []
            for e, q in T(p.proc):
                if e == TICK:
                    out.append((TICK, Omega()))
                    continue
                nxt = Rename(q, p.pairs)
                images = [b for (a, b) in rel if a == e]
                if e == TAU or not images:
                    out.append((e, nxt))
                else:
                    out.extend((b, nxt) for b in images)
            return out
        if isinstance(p, GPar):
            return self._par(p, p.left, p.right, lambda e, side: e not in p.sync.members(),
                             lambda e: e in p.sync.members(), lambda left, right: GPar(left, p.sync, right))
        if isinstance(p, APar):
            A, B = p.left_alpha.members(), p.right_alpha.members()
            return self._par(
                p, p.left, p.right,
                lambda e, side: (e in A and e not in B) if side == 0 else (e in B and e not in A),
                lambda e: e in A and e in B,
                lambda left, right: APar(left, p.left_alpha, p.right_alpha, right),
            )
        raise TypeError(p)

    def _binary(self, p: Binary) -> list[tuple[object, Proc]]:
        T = self.transitions
        P, Q, op = p.left, p.right, p.op
        out: list[tuple[object, Proc]] = []
        if op == "[]":
            for e, p2 in T(P):
                out.append((TAU, Binary("[]", p2, Q)) if e == TAU else (e, p2))
            for e, q2 in T(Q):
                out.append((TAU, Binary("[]", P, q2)) if e == TAU else (e, q2))
            return out
        if op == "|~|":
            return [(TAU, P), (TAU, Q)]
        if op == ";":
            for e, p2 in T(P):
                out.append((TAU, Q) if e == TICK else (e, Binary(";", p2, Q)))
            return out
        if op == "/\\":
            for e, p2 in T(P):
                out.append((TICK, Omega()) if e == TICK else (e, Binary("/\\", p2, Q)))
            for e, q2 in T(Q):
                out.append((TAU, Binary("/\\", P, q2)) if e == TAU else (e, q2))
            return out
        if op == "[>":
            for e, p2 in T(P):
                out.append((TAU, Binary("[>", p2, Q)) if e == TAU else (e, p2))
            out.append((TAU, Q))
            return out
        if op == "|||":
            return self._par(p, P, Q, lambda e, side: True, lambda e: False,
                             lambda left, right: Binary("|||", left, right))
        raise ValueError(op)

    def _par(self, p, P, Q, alone, shared, make) -> list[tuple[object, Proc]]:
        """Parallel rules: independent τ and unshared events, shared events together, a side's ✓
        becomes τ leaving Ω, and Ω ∥ Ω terminates."""
        T = self.transitions
        if isinstance(P, Omega) and isinstance(Q, Omega):
            return [(TICK, Omega())]
        out: list[tuple[object, Proc]] = []
        tp, tq = T(P), T(Q)
        for e, p2 in tp:
            if e == TAU:
                out.append((TAU, make(p2, Q)))
            elif e == TICK:
                out.append((TAU, make(Omega(), Q)))
            elif alone(e, 0):
                out.append((e, make(p2, Q)))
        for e, q2 in tq:
            if e == TAU:
                out.append((TAU, make(P, q2)))
            elif e == TICK:
                out.append((TAU, make(P, Omega())))
            elif alone(e, 1):
                out.append((e, make(P, q2)))
        for e, p2 in tp:
            if e not in (TAU, TICK) and shared(e):
                for e2, q2 in tq:
                    if e2 == e:
                        out.append((e, make(p2, q2)))
        return out


def expand_rep(p: Rep) -> Proc:
    """A replicated operator as nested binary ones, in the order of ``values``."""
    branches = [subst(p.body, {p.var: v}) for v in p.values]
    if not branches:
        return Stop() if p.op == "[]" else Skip()
    if p.op in ("[]", "|||", ";"):
        acc = branches[-1]
        for b in reversed(branches[:-1]):
            acc = Binary(p.op, b, acc)
        return acc
    if p.op == "[||]":
        assert p.sync is not None
        acc = branches[-1]
        for b in reversed(branches[:-1]):
            acc = GPar(b, p.sync, acc)
        return acc
    assert p.op == "||" and p.alphas is not None and len(branches) >= 2
    acc, alpha = branches[-1], p.alphas[-1]
    for b, a in zip(reversed(branches[:-1]), reversed(p.alphas[:-1])):
        acc = APar(b, a, alpha, acc)
        alpha = EvSet(a.events + alpha.events, a.prods + alpha.prods)
    return acc


@dataclass(frozen=True)
class _Offer:
    """Internal state of CHAOS: offers every event of ``events`` and then becomes ``then``."""

    events: frozenset
    then: Proc


def _product(lists: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = [()]
    for xs in lists:
        out = [o + (x,) for o in out for x in xs]
    return out


def _bind_fields(fields: tuple, cont: Proc, var: str, value: object) -> tuple[tuple, Proc]:
    """Substitute an input variable in the remaining fields and the continuation."""
    out = []
    env = {var: value}
    for f in fields:
        if isinstance(f, Out) and env:
            out.append(Out(subst_expr(f.expr, env), f.dot))
        else:
            out.append(f)
            if isinstance(f, In) and f.var in env:
                env = {}
    return tuple(out), subst(cont, env)


def _bind(fields: tuple, cont: Proc, var: str, combo: tuple[object, ...]) -> Proc:
    """A last input ``?z`` taking several fields binds z to their dotted value."""
    assert not fields
    return subst(cont, {var: DotValue(combo)})


@dataclass(frozen=True)
class DotValue:
    """A dotted value of several fields (``0.true``), bound by a last input taking them all."""

    parts: tuple[object, ...]


# ---------------------------------------------------------------- explicit LTS


@dataclass
class Graph:
    """An explicit LTS: ``succ[s]`` lists (label, target); labels are strings, τ and ✓ included."""

    initial: int
    succ: list[list[tuple[str, int]]]
    omega: frozenset[int]  # states reached by ✓ (not deadlocks)

    @property
    def n_states(self) -> int:
        return len(self.succ)


class TooBig(Exception):
    pass


def build_graph(script: Script, root: Proc | None = None, max_states: int = 4000) -> Graph:
    sem = Semantics(script)
    root = script.system if root is None else root
    index: dict[Proc, int] = {root: 0}
    order = [root]
    succ: list[list[tuple[str, int]]] = []
    omega: set[int] = set()
    i = 0
    while i < len(order):
        out = []
        for e, q in sem.transitions(order[i]):
            j = index.get(q)
            if j is None:
                j = len(order)
                if j >= max_states:
                    raise TooBig(f"more than {max_states} states")
                index[q] = j
                order.append(q)
            label = e if e in (TAU, TICK) else show_event(_flatten(e))
            out.append((label, j))
            if e == TICK:
                omega.add(j)
        succ.append(out)
        i += 1
    return Graph(0, succ, frozenset(omega))


def _flatten(ev: Event) -> Event:
    flat: list[object] = []
    for v in ev:
        if isinstance(v, DotValue):
            flat.extend(v.parts)
        else:
            flat.append(v)
    return tuple(flat)


# ---------------------------------------------------------------- analyses (any Graph)


def tau_closure(g: Graph, states: Iterable[int]) -> frozenset[int]:
    seen = set(states)
    todo = list(seen)
    while todo:
        s = todo.pop()
        for e, t in g.succ[s]:
            if e == TAU and t not in seen:
                seen.add(t)
                todo.append(t)
    return frozenset(seen)


def after(g: Graph, states: frozenset[int], event: str) -> frozenset[int]:
    return tau_closure(g, [t for s in states for e, t in g.succ[s] if e == event])


def _visible_initials(g: Graph, states: frozenset[int]) -> set[str]:
    return {e for s in states for e, _ in g.succ[s] if e != TAU}


def explore_traces(g: Graph, depth: int) -> dict[tuple[str, ...], frozenset[int]]:
    """Every trace of length <= depth (✓ only last) mapped to the τ-closed set of states it reaches."""
    start = tau_closure(g, [g.initial])
    result = {(): start}
    frontier = [((), start)]
    for _ in range(depth):
        nxt = []
        for trace, states in frontier:
            if trace and trace[-1] == TICK:
                continue
            for e in sorted(_visible_initials(g, states)):
                t2 = trace + (e,)
                s2 = after(g, states, e)
                result[t2] = s2
                nxt.append((t2, s2))
        frontier = nxt
    return result


def traces(g: Graph, depth: int) -> frozenset[tuple[str, ...]]:
    return frozenset(explore_traces(g, depth))


def stable(g: Graph, s: int) -> bool:
    return all(e != TAU for e, _ in g.succ[s])


def _minimal(sets: Iterable[frozenset[str]]) -> frozenset[frozenset[str]]:
    sets = set(sets)
    return frozenset(a for a in sets if not any(b < a for b in sets))


def failures(g: Graph, depth: int) -> dict[tuple[str, ...], frozenset[frozenset[str]]]:
    """Stable failures as minimal acceptances: trace -> the minimal sets of events (✓ included)
    offered by a stable state the trace reaches. (s, X) is a failure iff X is disjoint from one of
    them, so this is the subset-closed failure set without fixing the alphabet. Stable states
    only, as in the operational definition; see :func:`tick_closed` for Roscoe's extra clause."""
    out = {}
    for trace, states in explore_traces(g, depth).items():
        out[trace] = _minimal(frozenset(e for e, _ in g.succ[s]) for s in states if stable(g, s))
    return out


def tick_closed(g: Graph, depth: int) -> dict[tuple[str, ...], frozenset[frozenset[str]]]:
    """Failures with Roscoe's axiom: if s^<✓> is a trace then (s, Σ) is a failure (a state that can
    terminate may refuse every other event), i.e. the acceptance {✓} is added after s."""
    out = dict(failures(g, depth))
    for trace, states in explore_traces(g, depth).items():
        if any(e == TICK for s in states for e, _ in g.succ[s]):
            out[trace] = _minimal(set(out[trace]) | {frozenset({TICK})})
    return out


def divergent_states(g: Graph) -> frozenset[int]:
    """States from which an infinite τ path exists (they τ-reach a τ-cycle)."""
    n = g.n_states
    tau_succ = [[t for e, t in g.succ[s] if e == TAU] for s in range(n)]
    # Remove, repeatedly, states none of whose τ-successors can still diverge.
    alive = [bool(ts) for ts in tau_succ]
    preds: list[list[int]] = [[] for _ in range(n)]
    count = [0] * n
    for s in range(n):
        for t in tau_succ[s]:
            preds[t].append(s)
        count[s] = len(tau_succ[s])
    queue = deque(s for s in range(n) if not alive[s])
    dead = [not a for a in alive]
    while queue:
        t = queue.popleft()
        for s in preds[t]:
            if dead[s]:
                continue
            count[s] -= 1
            if count[s] == 0:
                dead[s] = True
                queue.append(s)
    return frozenset(s for s in range(n) if not dead[s])


def divergences(g: Graph, depth: int) -> frozenset[tuple[str, ...]]:
    div = divergent_states(g)
    return frozenset(t for t, states in explore_traces(g, depth).items() if states & div)


def reachable(g: Graph) -> set[int]:
    seen = {g.initial}
    todo = [g.initial]
    while todo:
        s = todo.pop()
        for _, t in g.succ[s]:
            if t not in seen:
                seen.add(t)
                todo.append(t)
    return seen


def can_deadlock(g: Graph) -> bool:
    return any(not g.succ[s] and s not in g.omega for s in reachable(g))


def can_diverge(g: Graph) -> bool:
    return bool(divergent_states(g) & reachable(g))


def deterministic_f(g: Graph, tick_axiom: bool = False) -> bool:
    """No trace s and event x with s^<x> a trace and (s, {x}) a stable failure.

    With ``tick_axiom``, Roscoe's clause makes (s, Σ) a failure whenever s^<✓> is a trace."""
    start = tau_closure(g, [g.initial])
    seen = {start}
    todo = [start]
    while todo:
        states = todo.pop()
        initials = _visible_initials(g, states)
        for s in states:
            if stable(g, s):
                accepts = {e for e, _ in g.succ[s]}
                if initials - accepts:
                    return False
        if tick_axiom and TICK in initials and initials - {TICK}:
            return False
        for e in initials:
            if e == TICK:
                continue
            nxt = after(g, states, e)
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return True


def graph_of_cspsim(lts) -> Graph:
    """Convert cspsim's LTS (read only through its public fields) to a :class:`Graph`."""
    succ = [[(lts.event_labels[e], t) for e, t in lts.successors(s)] for s in range(lts.n_states)]
    omega = {t for s in range(lts.n_states) for e, t in lts.successors(s) if lts.event_labels[e] == TICK}
    return Graph(lts.initial, succ, frozenset(omega))


__all__ = [
    "TAU", "TICK", "Graph", "Semantics", "TooBig", "build_graph", "can_deadlock", "can_diverge",
    "deterministic_f", "divergences", "failures", "graph_of_cspsim", "tick_closed", "traces",
]
