"""Typed abstract syntax of CSPM, every node carrying its source span.

Expressions and processes share one syntax, as in CSPM; the evaluator gives them meaning. Nodes
compare by identity (``eq=False``): the evaluator uses a node as the key of the code it stands
for, and two textually equal expressions in different places are different code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cspsim.errors import Span


@dataclass(eq=False, slots=True)
class Node:
    span: Span


# ---------------------------------------------------------------- patterns


@dataclass(eq=False, slots=True)
class Pattern(Node):
    pass


@dataclass(eq=False, slots=True)
class PVar(Pattern):
    """A name in a pattern: a variable, unless it names a constructor or channel in scope."""

    name: str


@dataclass(eq=False, slots=True)
class PWild(Pattern):
    pass


@dataclass(eq=False, slots=True)
class PLit(Pattern):
    value: object


@dataclass(eq=False, slots=True)
class PTuple(Pattern):
    items: list[Pattern]


@dataclass(eq=False, slots=True)
class PDot(Pattern):
    items: list[Pattern]


@dataclass(eq=False, slots=True)
class PSeq(Pattern):
    items: list[Pattern]


@dataclass(eq=False, slots=True)
class PConcat(Pattern):
    left: Pattern
    right: Pattern


@dataclass(eq=False, slots=True)
class PSet(Pattern):
    items: list[Pattern]


@dataclass(eq=False, slots=True)
class PAs(Pattern):
    left: Pattern
    right: Pattern


# ---------------------------------------------------------------- expressions


@dataclass(eq=False, slots=True)
class Expr(Node):
    pass


@dataclass(eq=False, slots=True)
class Var(Expr):
    name: str


@dataclass(eq=False, slots=True)
class Lit(Expr):
    value: object  # int, bool, or a str for a string literal (a sequence of chars)


@dataclass(eq=False, slots=True)
class CharLit(Expr):
    value: str


@dataclass(eq=False, slots=True)
class Wildcard(Expr):
    pass


@dataclass(eq=False, slots=True)
class TupleExpr(Expr):
    items: list[Expr]


@dataclass(eq=False, slots=True)
class DotExpr(Expr):
    items: list[Expr]


@dataclass(eq=False, slots=True)
class SetLit(Expr):
    items: list[Expr]


@dataclass(eq=False, slots=True)
class SetRange(Expr):
    lo: Expr
    hi: Expr | None


@dataclass(eq=False, slots=True)
class SetComp(Expr):
    item: Expr
    stmts: list[Stmt]


@dataclass(eq=False, slots=True)
class Production(Expr):
    """``{| c, d.1 |}`` or ``{| c.x | x <- S |}``: all events extending the given prefixes."""

    items: list[Expr]
    stmts: list[Stmt] | None


@dataclass(eq=False, slots=True)
class SeqLit(Expr):
    items: list[Expr]


@dataclass(eq=False, slots=True)
class SeqRange(Expr):
    lo: Expr
    hi: Expr | None


@dataclass(eq=False, slots=True)
class SeqComp(Expr):
    item: Expr
    stmts: list[Stmt]


@dataclass(eq=False, slots=True)
class BinOp(Expr):
    op: str  # + - * / % == != < > <= >= and or ^
    left: Expr
    right: Expr


@dataclass(eq=False, slots=True)
class UnOp(Expr):
    op: str  # neg not #
    operand: Expr


@dataclass(eq=False, slots=True)
class Call(Expr):
    fn: Expr
    args: list[Expr]


@dataclass(eq=False, slots=True)
class If(Expr):
    cond: Expr
    then: Expr
    orelse: Expr


@dataclass(eq=False, slots=True)
class Let(Expr):
    decls: list[Decl]
    body: Expr


@dataclass(eq=False, slots=True)
class Lambda(Expr):
    params: list[Pattern]
    body: Expr


# ---------------------------------------------------------------- process operators


@dataclass(eq=False, slots=True)
class Field(Node):
    """One communication field of a prefix: ``?p``, ``?p:S``, ``$p``, ``!e``."""

    kind: str  # "?", "$" or "!"
    expr: Expr | None = None  # for "!"
    pattern: Pattern | None = None  # for "?" and "$"
    restrict: Expr | None = None


@dataclass(eq=False, slots=True)
class Prefix(Expr):
    head: Expr  # the channel, possibly with dotted fields: c, c.1, c.x.y
    fields: list[Field]
    body: Expr


@dataclass(eq=False, slots=True)
class Guard(Expr):
    cond: Expr
    body: Expr


@dataclass(eq=False, slots=True)
class ProcBin(Expr):
    op: str  # "[]" "|~|" ";" "/\\" "[>" "|||"
    left: Expr
    right: Expr


@dataclass(eq=False, slots=True)
class GenPar(Expr):
    left: Expr
    sync: Expr
    right: Expr


@dataclass(eq=False, slots=True)
class AlphaPar(Expr):
    left: Expr
    left_alpha: Expr
    right_alpha: Expr
    right: Expr


@dataclass(eq=False, slots=True)
class Hide(Expr):
    proc: Expr
    events: Expr


@dataclass(eq=False, slots=True)
class Rename(Expr):
    proc: Expr
    pairs: list[tuple[Expr, Expr]]
    stmts: list[Stmt] | None


@dataclass(eq=False, slots=True)
class Replicated(Expr):
    """``op stmts @ body``; ``param`` is the sync set of ``[|A|]`` or the alphabet of ``||``."""

    op: str  # "[]" "|~|" "|||" ";" "[||]" "||"
    stmts: list[Stmt]
    body: Expr
    param: Expr | None = None


# ---------------------------------------------------------------- comprehension statements


@dataclass(eq=False, slots=True)
class Stmt(Node):
    pass


@dataclass(eq=False, slots=True)
class Generator(Stmt):
    pattern: Pattern
    source: Expr


@dataclass(eq=False, slots=True)
class Filter(Stmt):
    cond: Expr


# ---------------------------------------------------------------- declarations


@dataclass(eq=False, slots=True)
class Decl(Node):
    pass


@dataclass(eq=False, slots=True)
class Clause(Node):
    """One equation ``f(p1, p2)(p3) = body``: one parameter list per application."""

    params: list[list[Pattern]]
    body: Expr


@dataclass(eq=False, slots=True)
class Definition(Decl):
    """A named value or function; several equations of one function are merged in order."""

    name: str
    clauses: list[Clause]


@dataclass(eq=False, slots=True)
class PatternDef(Decl):
    pattern: Pattern
    expr: Expr


@dataclass(eq=False, slots=True)
class ChannelDecl(Decl):
    names: list[str]
    type_expr: Expr | None


@dataclass(eq=False, slots=True)
class Constructor(Node):
    name: str
    fields: list[Expr]


@dataclass(eq=False, slots=True)
class DataTypeDecl(Decl):
    name: str
    ctors: list[Constructor]


@dataclass(eq=False, slots=True)
class SubTypeDecl(Decl):
    name: str
    ctors: list[Constructor]


@dataclass(eq=False, slots=True)
class NameTypeDecl(Decl):
    name: str
    expr: Expr


@dataclass(eq=False, slots=True)
class AssertDecl(Decl):
    """An ``assert`` line. ``kind`` is "refine", "property" or "has_trace"."""

    negated: bool
    kind: str
    left: Expr
    right: Expr | None = None  # implementation of a refinement
    model: str | None = None  # "T" "F" "FD" ...; None when not given
    prop: str | None = None  # "deadlock free" "divergence free" "deterministic" "has trace"
    trace: Expr | None = None
    options: list[tuple[str, Expr | None]] = field(default_factory=list)
    text: str = ""


@dataclass(eq=False, slots=True)
class TransparentDecl(Decl):
    names: list[str]


@dataclass(eq=False, slots=True)
class PrintDecl(Decl):
    expr: Expr


@dataclass(eq=False, slots=True)
class IncludeDecl(Decl):
    path: str


@dataclass(eq=False, slots=True)
class GoChanDecl(Decl):
    """``gochan a, b[S] : T buffer k`` (Go layer)."""

    names: list[str]
    family: Expr | None
    elem: Expr
    capacity: Expr | None


@dataclass(eq=False, slots=True)
class GoObjectDecl(Decl):
    """``gomutex m``, ``gorwmutex m``, ``gowaitgroup wg``, ``goonce o`` (Go layer)."""

    kind: str  # mutex, rwmutex, waitgroup, once
    names: list[str]


@dataclass(eq=False, slots=True)
class GoContextDecl(Decl):
    """``gocontext c``, ``gocontext c : parent``, ``gocontext c : parent timeout`` (Go layer)."""

    names: list[str]
    parent: str | None
    timeout: bool


@dataclass(eq=False, slots=True)
class Script:
    decls: list[Decl]
    files: list[str]
