"""The oracle's own small process language: syntax, the fixed universe of channels, and a printer.

Written for the tests only and independently of cspsim (nothing here imports it). A *script* is a
fixed set of declarations (``HEADER``), some named process equations and a top-level process
``SYS``. Values are Python ints, bools and :class:`Con` (datatype constructors); an event is a tuple
``(channel, v1, v2, ...)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

# ---------------------------------------------------------------- values and the universe


@dataclass(frozen=True)
class Con:
    """A constructor of ``datatype Col = Red | Green``."""

    name: str


RED, GREEN = Con("Red"), Con("Green")

# Field types: "int" is {0..1}, "bool" is Bool, "col" is Col. Channel -> field types.
CHANNELS: dict[str, tuple[str, ...]] = {
    "a": (),
    "b": (),
    "c": ("int",),
    "f": ("int",),
    "d": ("int", "bool"),
    "e": ("col",),
}

TYPE_VALUES: dict[str, tuple[object, ...]] = {
    "int": (0, 1),
    "bool": (False, True),
    "col": (RED, GREEN),
}

HEADER = """\
datatype Col = Red | Green
channel a, b
channel c, f : {0..1}
channel d : {0..1}.Bool
channel e : Col
"""

Event = tuple  # (channel, *values)


def events_of(chan: str, prefix: tuple[object, ...] = ()) -> list[Event]:
    """All events of a channel whose first fields are ``prefix``."""
    types = CHANNELS[chan][len(prefix):]
    return [(chan, *prefix, *rest) for rest in product(*(TYPE_VALUES[t] for t in types))]


ALL_EVENTS: tuple[Event, ...] = tuple(e for ch in CHANNELS for e in events_of(ch))


def show_value(v: object) -> str:
    if type(v) is bool:
        return "true" if v else "false"
    if isinstance(v, Con):
        return v.name
    return str(v)


def show_event(ev: Event) -> str:
    """FDR's notation: ``d.0.true``."""
    return ".".join([ev[0], *(show_value(v) for v in ev[1:])])


# ---------------------------------------------------------------- expressions


@dataclass(frozen=True)
class Lit:
    value: object


@dataclass(frozen=True)
class Var:
    name: str


@dataclass(frozen=True)
class Bin:
    """``+ - * %`` on ints, ``== != < <=`` comparisons, ``and or`` on bools."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Not:
    operand: Expr


Expr = Lit | Var | Bin | Not

# ---------------------------------------------------------------- event sets


@dataclass(frozen=True)
class EvSet:
    """Explicit events plus productions ``{| ch.prefix |}``."""

    events: tuple[Event, ...] = ()
    prods: tuple[tuple[object, ...], ...] = ()  # (channel, *prefix values)

    def members(self) -> frozenset[Event]:
        out = set(self.events)
        for p in self.prods:
            out.update(events_of(p[0], tuple(p[1:])))
        return frozenset(out)


# ---------------------------------------------------------------- processes


@dataclass(frozen=True)
class Stop:
    pass


@dataclass(frozen=True)
class Skip:
    pass


@dataclass(frozen=True)
class Div:
    pass


@dataclass(frozen=True)
class Omega:
    """The state after ✓ (not written by users)."""


@dataclass(frozen=True)
class Run:
    events: EvSet


@dataclass(frozen=True)
class Chaos:
    events: EvSet


@dataclass(frozen=True)
class Out:
    """``!e`` (or ``.e`` when ``dot``)."""

    expr: Expr
    dot: bool = False


@dataclass(frozen=True)
class In:
    """``?x`` or ``?x:{v, ...}``. ``rest`` makes the variable take every remaining field
    (FDR's rule for a last input), so its value is a tuple of field values."""

    var: str
    restrict: tuple[object, ...] | None = None
    rest: bool = False
    dot: bool = False  # written `.x`, continuing the previous input's pattern (`c?x.y`)


Field = Out | In


@dataclass(frozen=True)
class Prefix:
    chan: str
    fields: tuple[Field, ...]
    cont: Proc


@dataclass(frozen=True)
class Guard:
    cond: Expr
    proc: Proc


@dataclass(frozen=True)
class If:
    cond: Expr
    then: Proc
    orelse: Proc


@dataclass(frozen=True)
class Binary:
    """``[] |~| ; /\\ [> |||``."""

    op: str
    left: Proc
    right: Proc


@dataclass(frozen=True)
class Hide:
    proc: Proc
    events: EvSet


@dataclass(frozen=True)
class Rename:
    """``P[[x <- y, ...]]``; each side is a channel name (same field types) or a full event."""

    proc: Proc
    pairs: tuple[tuple[object, object], ...]

    def relation(self) -> frozenset[tuple[Event, Event]]:
        rel = set()
        for old, new in self.pairs:
            if isinstance(old, str):
                assert isinstance(new, str)
                for ev in events_of(old):
                    rel.add((ev, (new, *ev[1:])))
            else:
                rel.add((old, new))
        return frozenset(rel)


@dataclass(frozen=True)
class GPar:
    left: Proc
    sync: EvSet
    right: Proc


@dataclass(frozen=True)
class APar:
    left: Proc
    left_alpha: EvSet
    right_alpha: EvSet
    right: Proc


@dataclass(frozen=True)
class Rep:
    """Replicated ``[] |~| ||| [|S|] || ;`` over ``var : values`` (``;`` over the sequence of
    ``values``; ``||`` with one alphabet per value, ``alphas[k]`` for ``values[k]``)."""

    op: str
    var: str
    values: tuple[object, ...]
    body: Proc
    sync: EvSet | None = None
    alphas: tuple[EvSet, ...] | None = None


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Expr, ...]


Proc = Stop | Skip | Div | Omega | Run | Chaos | Prefix | Guard | If | Binary | Hide | Rename | GPar | APar | Rep | Call


@dataclass(frozen=True)
class Definition:
    name: str
    params: tuple[str, ...]  # each ranges over {0..1}
    body: Proc


@dataclass(frozen=True)
class Script:
    defs: tuple[Definition, ...]
    system: Proc

    def lookup(self, name: str) -> Definition:
        for d in self.defs:
            if d.name == name:
                return d
        raise KeyError(name)


# ---------------------------------------------------------------- printing as CSPM

# Binding strength of the process operators in libcspm's grammar, loosest first; `->`/`&` are
# right-associative, the parallel operators non-associative, the others left-associative.
LEVEL = {"\\": 1, "|||": 2, "[||]": 3, "||": 3, "|~|": 4, "[]": 5, "/\\": 6, "[>": 7, ";": 8, "->": 9}
ATOM = 10


def show_expr(e: Expr) -> str:
    """Expressions are printed fully parenthesised (their precedence is tested elsewhere)."""
    if isinstance(e, Lit):
        return show_value(e.value)
    if isinstance(e, Var):
        return e.name
    if isinstance(e, Not):
        return f"(not {show_expr(e.operand)})"
    assert isinstance(e, Bin)
    return f"({show_expr(e.left)} {e.op} {show_expr(e.right)})"


def show_evset(s: EvSet) -> str:
    explicit = "{" + ", ".join(show_event(ev) for ev in s.events) + "}"
    if not s.prods:
        return explicit
    prods = "{| " + ", ".join(".".join([p[0], *(show_value(v) for v in p[1:])]) for p in s.prods) + " |}"
    return prods if not s.events else f"union({explicit}, {prods})"


def show_fields(fields: tuple[Field, ...]) -> str:
    """Fields as CSPM writes them. After an input ``?x`` a ``.`` continues the input *pattern*
    (``c?x.y``, ``c?x.true``), so a dotted output of a non-literal there is written with ``!``."""
    out = []
    prev: Field | None = None
    for f in fields:
        after_input = isinstance(prev, In)
        plain_input = after_input and prev.restrict is None  # type: ignore[union-attr]
        if isinstance(f, Out):
            dot = f.dot and (not after_input or (plain_input and isinstance(f.expr, Lit)))
            out.append(("." if dot else "!") + show_expr(f.expr))
        elif f.dot and plain_input:
            out.append("." + f.var)
        elif f.restrict is None:
            out.append("?" + f.var)
        else:
            out.append("?" + f.var + ":{" + ", ".join(show_value(v) for v in f.restrict) + "}")
        prev = f
    return "".join(out)


def _rename_side(x: object) -> str:
    return x if isinstance(x, str) else show_event(x)  # type: ignore[arg-type]


def show_proc(p: Proc, minimal: bool = False) -> str:
    """CSPM text of a process. ``minimal`` omits every parenthesis the precedence rules allow."""
    text, _ = _show(p, minimal)
    return text


def _wrap(child: Proc, need: int, minimal: bool, strict: bool = False) -> str:
    """Text of ``child`` as an operand that must bind at least as tightly as level ``need``
    (strictly tighter when ``strict``)."""
    text, level = _show(child, minimal)
    if not minimal:
        return text if level == ATOM else f"({text})"
    ok = level > need if strict else level >= need
    return text if ok else f"({text})"


def _show(p: Proc, minimal: bool) -> tuple[str, int]:
    if isinstance(p, Stop):
        return "STOP", ATOM
    if isinstance(p, Skip):
        return "SKIP", ATOM
    if isinstance(p, Div):
        return "DIV", ATOM
    if isinstance(p, Run):
        return f"RUN({show_evset(p.events)})", ATOM
    if isinstance(p, Chaos):
        return f"CHAOS({show_evset(p.events)})", ATOM
    if isinstance(p, Call):
        if not p.args:
            return p.name, ATOM
        return p.name + "(" + ", ".join(show_expr(a) for a in p.args) + ")", ATOM
    if isinstance(p, Prefix):
        head = p.chan + show_fields(p.fields)
        return f"{head} -> {_wrap(p.cont, LEVEL['->'], minimal)}", LEVEL["->"]
    if isinstance(p, Guard):
        return f"{show_expr(p.cond)} & {_wrap(p.proc, LEVEL['->'], minimal)}", LEVEL["->"]
    if isinstance(p, If):
        # `if` extends as far right as possible: always parenthesised as an operand.
        text = f"if {show_expr(p.cond)} then {show_proc(p.then, minimal)} else {show_proc(p.orelse, minimal)}"
        return f"({text})", ATOM
    if isinstance(p, Rep):
        items = ", ".join(show_value(v) for v in p.values)
        gen = f"{p.var} : " + (f"<{items}>" if p.op == ";" else "{" + items + "}")
        body = show_proc(p.body, minimal)
        if p.op == "[||]":
            assert p.sync is not None
            return f"([| {show_evset(p.sync)} |] {gen} @ {body})", ATOM
        if p.op == "||":
            assert p.alphas is not None
            alpha = show_evset(p.alphas[-1])
            for v, a in zip(reversed(p.values[:-1]), reversed(p.alphas[:-1])):
                alpha = f"if {p.var} == {show_value(v)} then {show_evset(a)} else {alpha}"
            return f"(|| {gen} @ [{alpha}] {body})", ATOM
        return f"({p.op} {gen} @ {body})", ATOM
    if isinstance(p, Binary):
        lvl = LEVEL[p.op]
        left = _wrap(p.left, lvl, minimal)
        right = _wrap(p.right, lvl, minimal, strict=True)
        return f"{left} {p.op} {right}", lvl
    if isinstance(p, Hide):
        return f"{_wrap(p.proc, 1, minimal)} \\ {show_evset(p.events)}", 1
    if isinstance(p, Rename):
        pairs = ", ".join(f"{_rename_side(o)} <- {_rename_side(n)}" for o, n in p.pairs)
        return f"{_wrap(p.proc, ATOM, minimal)}[[{pairs}]]", ATOM
    if isinstance(p, GPar):
        lvl = LEVEL["[||]"]
        left = _wrap(p.left, lvl, minimal, strict=True)
        right = _wrap(p.right, lvl, minimal, strict=True)
        return f"{left} [| {show_evset(p.sync)} |] {right}", lvl
    if isinstance(p, APar):
        lvl = LEVEL["||"]
        left = _wrap(p.left, lvl, minimal, strict=True)
        right = _wrap(p.right, lvl, minimal, strict=True)
        return f"{left} [{show_evset(p.left_alpha)} || {show_evset(p.right_alpha)}] {right}", lvl
    raise TypeError(p)


def show_script(script: Script, minimal: bool = False) -> str:
    lines = [HEADER]
    for d in script.defs:
        head = d.name + (f"({', '.join(d.params)})" if d.params else "")
        lines.append(f"{head} = {show_proc(d.body, minimal)}")
    lines.append(f"SYS = {show_proc(script.system, minimal)}")
    return "\n".join(lines) + "\n"
