"""Hypothesis strategies for random small, finite-state scripts of the oracle's language.

Finite state by construction: equation bodies contain no parallel, hiding or renaming, and a
recursive call appears only under a prefix and never inside the left operand of ``;`` or ``/\\``
(where an operator context would pile up on every unfolding). Parameters and input variables range
over the small types of :mod:`csp_ast`. Only ``SYS`` uses the parallel operators, hiding and
renaming, around calls of the equations.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from csp_ast import (
    ALL_EVENTS,
    GREEN,
    RED,
    APar,
    Bin,
    Binary,
    Call,
    Chaos,
    Definition,
    Div,
    EvSet,
    Expr,
    GPar,
    Guard,
    Hide,
    If,
    In,
    Lit,
    Not,
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
    events_of,
)
from hypothesis import strategies as st

NAMES = ("P", "Q", "R")


@dataclass
class Ctx:
    env: dict[str, str] = field(default_factory=dict)  # variable -> type (int, bool, col, dtail)
    defs: dict[str, int] = field(default_factory=dict)  # callable name -> number of parameters
    guarded: bool = False  # under a prefix (recursive calls allowed)
    call_ok: bool = True  # not inside an operator context that would accumulate
    fresh: list[int] = field(default_factory=lambda: [0])

    def with_(self, **kw) -> Ctx:
        c = Ctx(dict(self.env), self.defs, self.guarded, self.call_ok, self.fresh)
        for k, v in kw.items():
            setattr(c, k, v)
        return c

    def new_var(self) -> str:
        self.fresh[0] += 1
        return f"x{self.fresh[0]}"

    def vars_of(self, ty: str) -> list[str]:
        return sorted(v for v, t in self.env.items() if t == ty)


# ---------------------------------------------------------------- expressions


def int_expr(ctx: Ctx, depth: int = 2) -> st.SearchStrategy[Expr]:
    """An Int expression whose value is always in {0, 1}."""
    leaves = [st.sampled_from([Lit(0), Lit(1)])]
    names = ctx.vars_of("int")
    if names:
        leaves.append(st.sampled_from([Var(n) for n in names]))
    leaf = st.one_of(leaves)
    if depth == 0:
        return leaf
    sub = int_expr(ctx, depth - 1)
    return st.one_of(
        leaf,
        sub.map(lambda e: Bin("%", Bin("+", e, Lit(1)), Lit(2))),
        sub.map(lambda e: Bin("-", Lit(1), e)),
        st.tuples(sub, sub).map(lambda ab: Bin("*", ab[0], ab[1])),
    )


def bool_expr(ctx: Ctx, depth: int = 2) -> st.SearchStrategy[Expr]:
    leaves = [st.sampled_from([Lit(True), Lit(False)])]
    names = ctx.vars_of("bool")
    if names:
        leaves.append(st.sampled_from([Var(n) for n in names]))
    ints = int_expr(ctx, 1)
    leaves.append(st.tuples(st.sampled_from(["==", "!=", "<", "<="]), ints, ints).map(lambda t: Bin(t[0], t[1], t[2])))
    leaf = st.one_of(leaves)
    if depth == 0:
        return leaf
    sub = bool_expr(ctx, depth - 1)
    return st.one_of(
        leaf,
        sub.map(Not),
        st.tuples(st.sampled_from(["and", "or"]), sub, sub).map(lambda t: Bin(t[0], t[1], t[2])),
    )


def col_expr(ctx: Ctx) -> st.SearchStrategy[Expr]:
    return st.sampled_from([Lit(RED), Lit(GREEN)] + [Var(n) for n in ctx.vars_of("col")])


def expr_of(ty: str, ctx: Ctx) -> st.SearchStrategy[Expr]:
    return {"int": lambda: int_expr(ctx), "bool": lambda: bool_expr(ctx), "col": lambda: col_expr(ctx)}[ty]()


# ---------------------------------------------------------------- event sets and renamings


@st.composite
def evsets(draw, max_events: int = 4) -> EvSet:
    events = draw(st.lists(st.sampled_from(ALL_EVENTS), max_size=max_events, unique=True))
    prods = draw(st.lists(st.sampled_from([("c",), ("d",), ("d", 0), ("d", 1), ("e",), ("f",)]),
                          max_size=1, unique=True))
    return EvSet(tuple(events), tuple(prods))


@st.composite
def renamings(draw) -> tuple[tuple[object, object], ...]:
    channel_pairs = [("a", "b"), ("b", "a"), ("c", "f"), ("f", "c")]
    event_pairs = st.tuples(st.sampled_from(ALL_EVENTS), st.sampled_from(ALL_EVENTS))
    pairs = draw(st.lists(st.one_of(st.sampled_from(channel_pairs), event_pairs), min_size=1, max_size=3,
                          unique=True))
    return tuple(pairs)


# ---------------------------------------------------------------- prefixes


@st.composite
def prefix(draw, ctx: Ctx, depth: int) -> Proc:
    chan = draw(st.sampled_from(["a", "b", "c", "f", "d", "e"]))
    inner = ctx.with_(guarded=True)
    fields: list = []
    if chan in ("c", "f", "e"):
        ty = "col" if chan == "e" else "int"
        fields.append(draw(_field(ty, inner)))
    elif chan == "d":
        options = ["out_out", "in_in", "in_out", "out_in", "rest"]
        if inner.vars_of("dtail"):
            options.append("tail_out")
        shape = draw(st.sampled_from(options))
        if shape == "rest":
            v = inner.new_var()
            fields.append(In(v, None, rest=True))
            inner.env[v] = "dtail"
        elif shape == "tail_out":
            fields.append(Out(Var(draw(st.sampled_from(inner.vars_of("dtail")))), dot=draw(st.booleans())))
        else:
            first, second = shape.split("_")
            fields.append(draw(_field("int", inner, first)))
            fields.append(draw(_field("bool", inner, second)))
    cont = draw(seq_proc(inner, depth - 1))
    return Prefix(chan, tuple(fields), cont)


@st.composite
def _field(draw, ty: str, ctx: Ctx, kind: str | None = None):
    """An output (``!e``/``.e``) or input (``?x``, ``?x:S``) field; inputs extend ``ctx.env``."""
    kind = kind or draw(st.sampled_from(["out", "in"]))
    if kind == "out":
        return Out(draw(expr_of(ty, ctx)), dot=draw(st.booleans()))
    v = ctx.new_var()
    ctx.env[v] = ty
    values = {"int": (0, 1), "bool": (False, True), "col": (RED, GREEN)}[ty]
    restrict = draw(st.one_of(st.none(), st.lists(st.sampled_from(values), min_size=1, max_size=2, unique=True)
                              .map(lambda vs: tuple(sorted(vs, key=repr)))))
    return In(v, restrict, dot=restrict is None and draw(st.booleans()))


# ---------------------------------------------------------------- sequential processes


@st.composite
def seq_proc(draw, ctx: Ctx, depth: int) -> Proc:
    """A sequential process; at depth > 0 a compound one three times in four."""
    if depth > 0 and draw(st.integers(0, 3)) > 0:
        return draw(_compound(ctx, depth))
    calls = [n for n in ctx.defs if ctx.guarded and ctx.call_ok]
    choice = draw(st.integers(0, 6 if calls else 4))
    if choice >= 5:
        name = draw(st.sampled_from(calls))
        args = tuple(draw(int_expr(ctx, 1)) for _ in range(ctx.defs[name]))
        return Call(name, args)
    return [Stop(), Skip(), Stop(), Skip(), Div()][choice]


@st.composite
def _compound(draw, ctx: Ctx, depth: int) -> Proc:
    kind = draw(st.sampled_from(
        ["prefix", "prefix", "prefix", "[]", "|~|", ";", "/\\", "[>", "guard", "if", "rep", "run", "chaos"]))
    sub = depth - 1
    if kind == "prefix":
        return draw(prefix(ctx, depth))
    if kind in ("[]", "|~|", "[>"):
        return Binary(kind, draw(seq_proc(ctx, sub)), draw(seq_proc(ctx, sub)))
    if kind in (";", "/\\"):
        left = draw(seq_proc(ctx.with_(call_ok=False), sub))
        return Binary(kind, left, draw(seq_proc(ctx, sub)))
    if kind == "guard":
        return Guard(draw(bool_expr(ctx)), draw(seq_proc(ctx, sub)))
    if kind == "if":
        return If(draw(bool_expr(ctx)), draw(seq_proc(ctx, sub)), draw(seq_proc(ctx, sub)))
    if kind == "rep":
        v = ctx.new_var()
        inner = ctx.with_()
        inner.env[v] = "int"
        op = draw(st.sampled_from(["[]", "|~|", "|||"]))
        values = draw(st.sampled_from([(0,), (0, 1)]))
        if op == "|||":
            inner = inner.with_(call_ok=False)
        return Rep(op, v, values, draw(seq_proc(inner, sub)))
    events = draw(evsets(3))
    return Run(events) if kind == "run" else Chaos(events)


# ---------------------------------------------------------------- whole scripts


@st.composite
def system(draw, ctx: Ctx, depth: int) -> Proc:
    """The top level: operators (parallel, hiding, renaming, ...) over calls of the equations."""
    if depth > 0 and draw(st.integers(0, 2)) > 0:
        return draw(_system_op(ctx, depth))
    if draw(st.integers(0, 3)) == 0:
        return draw(seq_proc(ctx.with_(call_ok=False), 1))
    name = draw(st.sampled_from(sorted(ctx.defs)))
    return Call(name, tuple(draw(int_expr(ctx, 0)) for _ in range(ctx.defs[name])))


@st.composite
def _system_op(draw, ctx: Ctx, depth: int) -> Proc:
    kind = draw(st.sampled_from(["|||", "[||]", "||", "\\", "[[]]", "[]", "|~|", ";", "/\\", "[>", "rep"]))
    sub = system(ctx, depth - 1)
    if kind == "rep":
        v = ctx.new_var()
        inner = ctx.with_()
        inner.env[v] = "int"
        op = draw(st.sampled_from(["[||]", "||", ";", "|||", "[]", "|~|"]))
        values = (0, 1) if op == "||" else draw(st.sampled_from([(0,), (0, 1), (1, 0)]))
        body = draw(system(inner, depth - 1))
        sync = draw(evsets()) if op == "[||]" else None
        alphas = tuple(draw(evsets()) for _ in values) if op == "||" else None
        return Rep(op, v, values, body, sync, alphas)
    if kind == "[||]":
        return GPar(draw(sub), draw(evsets()), draw(sub))
    if kind == "||":
        return APar(draw(sub), draw(evsets()), draw(evsets()), draw(sub))
    if kind == "\\":
        return Hide(draw(sub), draw(evsets()))
    if kind == "[[]]":
        return Rename(draw(sub), draw(renamings()))
    return Binary(kind, draw(sub), draw(sub))


@st.composite
def scripts(draw, body_depth: int = 4, system_depth: int = 3) -> Script:
    n = draw(st.integers(1, len(NAMES)))
    names = NAMES[:n]
    arity = {name: draw(st.integers(0, 1)) for name in names}
    defs = []
    for name in names:
        params = ("i",) if arity[name] else ()
        ctx = Ctx(env={p: "int" for p in params}, defs=arity)
        defs.append(Definition(name, params, draw(seq_proc(ctx, body_depth))))
    top = Ctx(defs=arity, guarded=True)
    return Script(tuple(defs), draw(system(top, system_depth)))


__all__ = ["events_of", "scripts"]
