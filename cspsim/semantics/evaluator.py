"""Evaluation of CSPM: declarations, the functional language, and processes to terms.

Pass contract — needs: a scope-checked :class:`~cspsim.syntax.ast.Script`. Provides: an
:class:`Evaluator` that gives the value of any global name, builds process terms
(:mod:`cspsim.semantics.terms`), and expands a prefix closure into its (event, continuation) pairs,
which is all the operational semantics needs from the functional language.

Names and environments: top-level names live in :attr:`Evaluator.globals` as lazily evaluated
thunks. Local environments are small dicts holding only locally bound names (function parameters,
``let`` bindings, inputs, generators), so a prefix closure captures exactly the locals it uses and
two closures with the same code and the same values are the same term. A ``let``-bound name is
stored as a :class:`LetThunk` whose identity is (its ``let`` block, the block's free values), which
keeps recursive local processes finite and hashable.

Evaluation checks kinds where CSPM's type checker would (an ``Int`` where a ``Bool`` is needed, a
set where a sequence is needed...) and raises diagnostics from :mod:`cspsim.errors` with the
position of the offending expression.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable, Iterator
from typing import Any

from cspsim import errors
from cspsim.errors import CspsimError, Span
from cspsim.semantics import builtins as B
from cspsim.semantics import golang as G
from cspsim.semantics import terms as T
from cspsim.semantics.freevars import free_vars
from cspsim.semantics.values import (
    EMPTY_SEQ,
    Char,
    Dot,
    Name,
    Seq,
    atoms_of,
    kind_name,
    make_dot,
    ordered,
    show,
    strict_key,
    unit_length,
)
from cspsim.syntax import ast as A

Env = dict[str, Any]

sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))


class Thunk:
    """A lazily evaluated global definition."""

    __slots__ = ("expr", "name", "span", "state", "value")

    def __init__(self, name: str, expr: A.Expr | None, span: Span, value: Any = None) -> None:
        self.name = name
        self.expr = expr
        self.span = span
        self.value = value
        self.state = 2 if expr is None else 0  # 0 unevaluated, 1 in progress, 2 done


class LetThunk:
    """A ``let``-bound name: lazily evaluated, identified by (block instance, name)."""

    __slots__ = ("_hash", "decl", "env", "frame", "name", "state", "value")

    def __init__(self, frame: tuple[Any, ...], name: str, decl: A.Decl, env: Env) -> None:
        self.frame = frame
        self.name = name
        self.decl = decl
        self.env = env
        self.value: Any = None
        self.state = 0
        self._hash = hash((frame, name))

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return type(other) is LetThunk and other.frame == self.frame and other.name == self.name

    def sort_key(self) -> tuple[Any, ...]:
        return (self.name, self._hash)


class Function:
    """A user-defined function (top level, ``let``-bound or lambda) with its equations."""

    __slots__ = ("_hash", "clauses", "env", "groups", "key", "name")
    kind_name = "a function"

    def __init__(self, name: str, clauses: list[A.Clause], env: Env, key: tuple[Any, ...]) -> None:
        self.name = name
        self.clauses = clauses
        self.env = env
        self.key = key
        self.groups = len(clauses[0].params)
        self._hash = hash(key)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return type(other) is Function and other.key == self.key

    def sort_key(self) -> tuple[Any, ...]:
        return (self.name,)

    def __repr__(self) -> str:
        return self.name


class Partial:
    """A curried function applied to its first argument lists."""

    __slots__ = ("_hash", "fn", "groups")
    kind_name = "a function"

    def __init__(self, fn: Function, groups: tuple[tuple[Any, ...], ...]) -> None:
        self.fn = fn
        self.groups = groups
        self._hash = hash((fn, groups))

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return type(other) is Partial and other.fn == self.fn and other.groups == self.groups

    def sort_key(self) -> tuple[Any, ...]:
        return (self.fn.name,)


class Evaluator:
    """Evaluates one script. See the module docstring."""

    def __init__(self, script: A.Script, max_call_depth: int = 8000) -> None:
        self.script = script
        self.terms = T.TermFactory()
        self.globals: dict[str, Thunk] = {}
        self.names: dict[str, Name] = {}  # channels and constructors
        self.channels: list[Name] = []
        self.datatypes: dict[str, list[Name]] = {}
        self.nametypes: dict[str, A.Expr] = {}
        self._type_products: dict[str, list[Any]] = {}
        self._calls: dict[tuple[Any, ...], Any] = {}
        self._calling: set[tuple[Any, ...]] = set()
        self._productions: dict[Any, frozenset[Any]] = {}
        self._events: frozenset[Any] | None = None
        self._depth = 0
        self._max_depth = max_call_depth
        self._order = itertools.count()
        self.go = G.GoLayout()
        self._dispatch: dict[type, Callable[[Any, Env], Any]] = {
            A.Var: self._var,
            A.Lit: self._lit,
            A.CharLit: lambda n, env: Char(n.value),
            A.Wildcard: self._wildcard,
            A.TupleExpr: lambda n, env: tuple(self.eval(i, env) for i in n.items),
            A.DotExpr: self._dot,
            A.SetLit: lambda n, env: frozenset(self.eval(i, env) for i in n.items),
            A.SetRange: self._set_range,
            A.SetComp: self._set_comp,
            A.Production: self._production,
            A.SeqLit: lambda n, env: Seq(tuple(self.eval(i, env) for i in n.items)),
            A.SeqRange: self._seq_range,
            A.SeqComp: self._seq_comp,
            A.BinOp: self._binop,
            A.UnOp: self._unop,
            A.Call: self._call,
            A.If: self._if,
            A.Let: self._let,
            A.Lambda: self._lambda,
            A.Prefix: self._prefix,
            A.Guard: self._guard,
            A.ProcBin: self._procbin,
            A.GenPar: self._genpar,
            A.AlphaPar: self._alphapar,
            A.Hide: self._hide,
            A.Rename: self._rename,
            A.Replicated: self._replicated,
        }
        self._declare(script.decls)

    # ================================================================ declarations

    def _define(self, name: str, thunk: Thunk, span: Span) -> None:
        old = self.globals.get(name)
        if old is not None and old.span is not errors.NO_SPAN:  # a script's own name, not a built-in
            raise errors.duplicate_definition(span, name, old.span)
        self.globals[name] = thunk  # a script's definition shadows a built-in of the same name

    def _declare(self, decls: list[A.Decl]) -> None:
        for name, value in B.builtin_values(self).items():
            self.globals[name] = Thunk(name, None, errors.NO_SPAN, value)
        self.globals["Events"] = _DeferredThunk("Events", errors.NO_SPAN, lambda _: self.all_events(), None)
        go_decls: list[A.Decl] = []
        for decl in decls:
            if isinstance(decl, (A.GoChanDecl, A.GoObjectDecl, A.GoContextDecl)):
                go_decls.append(decl)
            if isinstance(decl, A.ChannelDecl):
                arity = len(_type_items(decl.type_expr)) if decl.type_expr is not None else 0
                for cname in decl.names:
                    ch = Name(cname, "channel", next(self._order), arity)
                    self.names[cname] = ch
                    self.channels.append(ch)
                    self._define(cname, Thunk(cname, None, decl.span, ch), decl.span)
            elif isinstance(decl, A.DataTypeDecl):
                ctors = []
                for c in decl.ctors:
                    ctor = Name(c.name, "constructor", next(self._order), len(c.fields), decl.name)
                    self.names[c.name] = ctor
                    ctors.append(ctor)
                    self._define(c.name, Thunk(c.name, None, c.span, ctor), c.span)
                self.datatypes[decl.name] = ctors
                self._define(decl.name, _DeferredThunk(decl.name, decl.span, self._datatype_set, decl), decl.span)
            elif isinstance(decl, A.SubTypeDecl):
                self._define(decl.name, _DeferredThunk(decl.name, decl.span, self._subtype_set, decl), decl.span)
            elif isinstance(decl, A.NameTypeDecl):
                self.nametypes[decl.name] = decl.expr
                self._define(decl.name, _DeferredThunk(decl.name, decl.span, self._nametype_set, decl), decl.span)
            elif isinstance(decl, A.Definition):
                if decl.clauses[0].params:
                    fn = Function(decl.name, decl.clauses, {}, ("global", decl.name))
                    self._define(decl.name, Thunk(decl.name, None, decl.span, fn), decl.span)
                else:
                    self._define(decl.name, Thunk(decl.name, decl.clauses[0].body, decl.span), decl.span)
            elif isinstance(decl, A.PatternDef):
                holder = _DeferredThunk("pattern", decl.span, self._pattern_def, decl)
                for var in _pattern_vars(decl.pattern, self.names):
                    self._define(var, _PatternVarThunk(var, decl.span, holder), decl.span)
        if go_decls:
            self._declare_go(go_decls)

    # -- the Go layer

    def _declare_go(self, decls: list[A.Decl]) -> None:
        layout = self.go
        for name, value in G.declare_go_names(self, layout, self._order).items():
            existing = self.globals.get(name)
            if existing is not None and existing.span is not errors.NO_SPAN:
                raise errors.go_reserved_name(existing.span, name)
            self.globals[name] = Thunk(name, None, errors.NO_SPAN, value)
            self.names[name] = value
            if value.kind == "channel":
                self.channels.append(value)
        nil = G.GoObject("chan", "nilchan", len(layout.objects), (), frozenset([0]), nil=True)
        self._add_go_channel(nil, "nilchan", errors.NO_SPAN, family=None)
        contexts: dict[str, G.GoObject] = {}
        for decl in decls:
            if isinstance(decl, A.GoChanDecl):
                elem = self.set_of(decl.elem, {})
                cap = 0
                if decl.capacity is not None:
                    cap = self.int_of(self.eval(decl.capacity, {}), decl.capacity.span)
                    if cap < 0:
                        raise errors.go_negative_capacity(decl.capacity.span, cap)
                family = self.set_of(decl.family, {}) if decl.family is not None else None
                for cname in decl.names:
                    proto = G.GoObject("chan", cname, 0, (), elem, cap, G.zero_value(elem), span=decl.span)
                    self._add_go_channel(proto, cname, decl.span, family)
            elif isinstance(decl, A.GoObjectDecl):
                for oname in decl.names:
                    obj = G.GoObject(decl.kind, oname, 0, (), span=decl.span)
                    self._add_go_channel(obj, oname, decl.span, family=None)
            elif isinstance(decl, A.GoContextDecl):
                parent = None
                if decl.parent is not None:
                    parent = contexts.get(decl.parent)
                    if parent is None:
                        raise errors.unknown_name(decl.span, decl.parent, contexts)
                for oname in decl.names:
                    obj = G.GoObject("context", oname, 0, (), timeout=decl.timeout, span=decl.span,
                                     parent=parent.index if parent is not None else -1)
                    self._add_go_channel(obj, oname, decl.span, family=None)
                    created = layout.objects[-1]
                    contexts[oname] = created
                    if parent is not None:
                        parent.children.append(created.index)

    def _add_go_channel(self, proto: G.GoObject, cname: str, span: Span, family: frozenset[Any] | None) -> None:
        """Declare the CSPM channel of a Go object (or family) and create its object(s)."""
        layout = self.go
        arity = 2 if family is not None else 1
        ch = Name(cname, "channel", next(self._order), arity)
        members = ordered(family) if family is not None else [None]
        objs = []
        for member in members:
            obj = G.GoObject(
                proto.kind, cname if member is None else f"{cname}.{show(member)}", len(layout.objects),
                (ch,) if member is None else (ch, member), proto.elem, proto.capacity, proto.zero,
                proto.parent, proto.timeout, proto.nil, span,
            )
            layout.objects.append(obj)
            objs.append(obj)
        ops = G.op_field_set(layout, objs[0]) if not proto.nil else frozenset()
        ch.field_sets = (family, ops) if family is not None else (ops,)
        if proto.nil:
            ch.field_sets = (G.ANY,)
        layout.by_channel[ch] = objs
        self.names[cname] = ch
        if not proto.nil:
            self.channels.append(ch)
        self._define(cname, Thunk(cname, None, span, ch), span)

    def go_object(self, atoms: tuple[Any, ...]) -> G.GoObject | None:
        """The Go object whose events start with ``atoms`` (a channel or family member), if any."""
        objs = self.go.by_channel.get(atoms[0])
        if objs is None:
            return None
        for obj in objs:
            if obj.prefix == atoms[: len(obj.prefix)]:
                return obj
        return None

    # -- types of channels and constructors

    def field_sets(self, name: Name) -> tuple[Any, ...]:
        """The value sets of a channel's or constructor's fields (evaluated once)."""
        if name.field_sets is None:
            decl_expr = self._field_type_expr(name)
            if decl_expr is None:
                name.field_sets = ()
            else:
                name.field_sets = ()  # provisional, so recursion through a datatype is caught below
                name.field_sets = tuple(self._type_sets(decl_expr, {}))
        return name.field_sets

    def _field_type_expr(self, name: Name) -> A.Expr | list[A.Expr] | None:
        for decl in self.script.decls:
            if isinstance(decl, A.ChannelDecl) and name.kind == "channel" and name.name in decl.names:
                return decl.type_expr
            if isinstance(decl, A.DataTypeDecl) and name.kind == "constructor":
                for c in decl.ctors:
                    if c.name == name.name:
                        return c.fields or None
        return None

    def _type_sets(self, expr: A.Expr | list[A.Expr], env: Env) -> list[Any]:
        """A type expression ``T1.T2.(T3, T4)`` as the list of its field value sets."""
        out: list[Any] = []
        for item in _type_items(expr):
            if isinstance(item, A.Var) and item.name in self.nametypes and item.name not in env:
                out.extend(self._nametype_product(item.name, item.span))
            elif isinstance(item, A.TupleExpr):
                parts = [self._as_set(self._type_value(i, env), i.span) for i in item.items]
                out.append(frozenset(itertools.product(*[ordered(p) for p in parts])))
            else:
                out.append(self._type_value(item, env))
        return out

    def _type_value(self, item: A.Expr, env: Env) -> Any:
        value = self.eval(item, env)
        if type(value) is not frozenset and not isinstance(value, B.InfiniteSet):
            raise errors.type_mismatch(item.span, "a set of values (a type)", kind_name(value), show(value))
        return value

    def _nametype_product(self, name: str, span: Span) -> list[Any]:
        if name not in self._type_products:
            self._type_products[name] = []  # guards against a nametype defined through itself
            self._type_products[name] = self._type_sets(self.nametypes[name], {})
        return self._type_products[name]

    def _nametype_set(self, decl: A.NameTypeDecl) -> Any:
        sets = self._nametype_product(decl.name, decl.span)
        if len(sets) == 1:
            return sets[0]
        return frozenset(make_dot(c) for c in itertools.product(*[self._iter(s, decl.span) for s in sets]))

    def _datatype_set(self, decl: A.DataTypeDecl) -> frozenset[Any]:
        values: list[Any] = []
        for ctor in self.datatypes[decl.name]:
            values.extend(self._complete(ctor, decl.span))
        return frozenset(values)

    def _subtype_set(self, decl: A.SubTypeDecl) -> frozenset[Any]:
        values: list[Any] = []
        for c in decl.ctors:
            ctor = self.names.get(c.name)
            if ctor is None or ctor.kind != "constructor":
                raise errors.unknown_name(c.span, c.name, self.names)
            if c.fields:
                sets = self._type_sets(c.fields, {})
                for combo in itertools.product(*[self._iter(s, c.span) for s in sets]):
                    values.append(make_dot((ctor,) + combo))
            else:
                values.extend(self._complete(ctor, c.span))
        return frozenset(values)

    def _complete(self, ctor: Name, span: Span) -> list[Any]:
        """All complete values built from a constructor (or events of a channel)."""
        sets = self.field_sets(ctor)
        if not sets:
            return [ctor]
        return [make_dot((ctor,) + combo) for combo in itertools.product(*[self._iter(s, span) for s in sets])]

    def _pattern_def(self, decl: A.PatternDef) -> Env:
        value = self.eval(decl.expr, {})
        out: Env = {}
        if not self.match(decl.pattern, value, out):
            raise errors.eval_error(decl.span, f"the value {show(value)} does not match the pattern")
        return out

    # ================================================================ names

    def global_value(self, name: str, span: Span) -> Any:
        thunk = self.globals.get(name)
        if thunk is None:
            raise errors.unknown_name(span, name, self.globals)
        if thunk.state == 2:
            return thunk.value
        if thunk.state == 1:
            if isinstance(thunk, _DeferredThunk):
                raise errors.eval_error(
                    span, f"'{name}' is defined in terms of itself",
                    hint="a recursive datatype has infinitely many values, so it cannot be enumerated",
                )
            raise errors.unguarded_recursion(span, name)
        thunk.state = 1
        try:
            if isinstance(thunk, _DeferredThunk):
                value = thunk.compute()
            else:
                assert thunk.expr is not None
                value = self.eval(thunk.expr, {})
                if isinstance(value, T.Term) and value.name is None:
                    value.name = name
        except BaseException:
            thunk.state = 0
            raise
        thunk.value = value
        thunk.state = 2
        return value

    def _var(self, node: A.Var, env: Env) -> Any:
        name = node.name
        if name in env:
            value = env[name]
            if type(value) is LetThunk:
                return self._force(value, node.span)
            return value
        return self.global_value(name, node.span)

    def _wildcard(self, node: A.Wildcard, env: Env) -> Any:
        raise errors.eval_error(node.span, "'_' can only be used in a pattern")

    def _force(self, thunk: LetThunk, span: Span) -> Any:
        if thunk.state == 2:
            return thunk.value
        if thunk.state == 1:
            raise errors.unguarded_recursion(span, thunk.name)
        thunk.state = 1
        try:
            decl = thunk.decl
            if isinstance(decl, A.Definition):
                if decl.clauses[0].params:
                    value: Any = Function(decl.name, decl.clauses, thunk.env, thunk.frame + (decl.name,))
                else:
                    value = self.eval(decl.clauses[0].body, thunk.env)
                    if isinstance(value, T.Term) and value.name is None:
                        value.name = decl.name
            else:
                assert isinstance(decl, A.PatternDef)
                whole = self.eval(decl.expr, thunk.env)
                out: Env = {}
                if not self.match(decl.pattern, whole, out):
                    raise errors.eval_error(decl.span, f"the value {show(whole)} does not match the pattern")
                value = out[thunk.name]
        except BaseException:
            thunk.state = 0
            raise
        thunk.value = value
        thunk.state = 2
        return value

    # ================================================================ expressions

    def eval(self, node: A.Expr, env: Env) -> Any:
        try:
            method = self._dispatch[type(node)]
        except KeyError:
            raise errors.eval_error(node.span, f"cannot evaluate {type(node).__name__}") from None
        return method(node, env)

    def _lit(self, node: A.Lit, env: Env) -> Any:
        v = node.value
        if type(v) is str:
            return Seq(tuple(Char(c) for c in v))
        return v

    def _dot(self, node: A.DotExpr, env: Env) -> Any:
        return make_dot(self.eval(i, env) for i in node.items)

    def int_of(self, value: Any, span: Span) -> int:
        if type(value) is not int:
            raise errors.type_mismatch(span, "an Int", kind_name(value), show(value))
        return value

    def bool_of(self, value: Any, span: Span) -> bool:
        if type(value) is not bool:
            raise errors.type_mismatch(span, "a Bool", kind_name(value), show(value))
        return value

    def _as_set(self, value: Any, span: Span) -> Any:
        if type(value) is frozenset or isinstance(value, B.InfiniteSet):
            return value
        raise errors.type_mismatch(span, "a set", kind_name(value), show(value))

    def set_of(self, node: A.Expr, env: Env) -> frozenset[Any]:
        value = self.eval(node, env)
        if type(value) is frozenset:
            return value
        if isinstance(value, B.InfiniteSet):
            raise errors.infinite_set(node.span)
        raise errors.type_mismatch(node.span, "a set", kind_name(value), show(value))

    def seq_of(self, value: Any, span: Span) -> Seq:
        if type(value) is not Seq:
            raise errors.type_mismatch(span, "a sequence", kind_name(value), show(value))
        return value

    def term_of(self, value: Any, span: Span) -> T.Term:
        if type(value) is not T.Term:
            raise errors.type_mismatch(span, "a process", kind_name(value), show(value))
        return value

    def _iter(self, value: Any, span: Span) -> list[Any]:
        if type(value) is frozenset:
            return ordered(value)
        if type(value) is Seq:
            return list(value.items)
        if isinstance(value, B.InfiniteSet):
            raise errors.infinite_set(span)
        raise errors.type_mismatch(span, "a set or a sequence", kind_name(value), show(value))

    def _set_range(self, node: A.SetRange, env: Env) -> Any:
        lo = self.int_of(self.eval(node.lo, env), node.lo.span)
        if node.hi is None:
            return B.InfiniteSet(lo)
        hi = self.int_of(self.eval(node.hi, env), node.hi.span)
        return frozenset(range(lo, hi + 1))

    def _seq_range(self, node: A.SeqRange, env: Env) -> Any:
        lo = self.int_of(self.eval(node.lo, env), node.lo.span)
        if node.hi is None:
            raise errors.infinite_set(node.span)
        hi = self.int_of(self.eval(node.hi, env), node.hi.span)
        return Seq(tuple(range(lo, hi + 1)))

    def bindings(self, stmts: list[A.Stmt], env: Env) -> Iterator[Env]:
        """The environments produced by comprehension statements, in canonical order."""
        if not stmts:
            yield env
            return
        first, rest = stmts[0], stmts[1:]
        if isinstance(first, A.Filter):
            if self.bool_of(self.eval(first.cond, env), first.cond.span):
                yield from self.bindings(rest, env)
            return
        assert isinstance(first, A.Generator)
        source = self.eval(first.source, env)
        for value in self._iter(source, first.source.span):
            out: Env = {}
            if self.match(first.pattern, value, out):
                yield from self.bindings(rest, {**env, **out} if out else env)

    def _set_comp(self, node: A.SetComp, env: Env) -> frozenset[Any]:
        return frozenset(self.eval(node.item, e) for e in self.bindings(node.stmts, env))

    def _seq_comp(self, node: A.SeqComp, env: Env) -> Seq:
        for stmt in node.stmts:
            if isinstance(stmt, A.Generator):
                src = self.eval(stmt.source, env)
                if type(src) is not Seq:
                    raise errors.type_mismatch(stmt.source.span, "a sequence", kind_name(src), show(src))
        return Seq(tuple(self.eval(node.item, e) for e in self.bindings(node.stmts, env)))

    def _production(self, node: A.Production, env: Env) -> frozenset[Any]:
        out: set[Any] = set()
        envs = self.bindings(node.stmts, env) if node.stmts is not None else iter([env])
        for e in envs:
            for item in node.items:
                out |= self.productions(self.eval(item, e), item.span)
        return frozenset(out)

    def productions(self, value: Any, span: Span) -> frozenset[Any]:
        """All events that extend ``value`` (a channel, a partial event, or an event)."""
        cached = self._productions.get(value)
        if cached is not None:
            return cached
        atoms = atoms_of(value)
        head = atoms[0]
        if type(head) is not Name or head.kind != "channel":
            raise errors.type_mismatch(span, "a channel or an event", kind_name(value), show(value))
        slots = self.remaining_slots(head, atoms, span)
        if slots is None:
            raise errors.event_too_long(span, show(value))
        if not slots:
            result = frozenset([value])
        else:
            result = frozenset(
                make_dot(atoms + combo) for combo in itertools.product(*[self._iter(s, span) for s in slots])
            )
        self._productions[value] = result
        return result

    def all_events(self) -> frozenset[Any]:
        if self._events is None:
            out: set[Any] = set()
            for ch in self.channels:
                out |= self.productions(ch, errors.NO_SPAN)
            self._events = frozenset(out)
        return self._events

    def remaining_slots(self, channel: Name, atoms: tuple[Any, ...], span: Span) -> list[Any] | None:
        """Value sets of the fields still missing after ``atoms``; None if there are too many."""
        pending = list(self.field_sets(channel))
        for a in atoms[1:]:
            if not pending:
                return None
            slot = pending.pop(0)
            if type(a) is Name and a.kind == "constructor" and a.arity:
                args = list(self.field_sets(a))
                if any(x is G.ANY for x in args):
                    # A shared Go operation (send.v): its argument's type is the object's.
                    args = [frozenset(make_dot(atoms_of(v)[1:]) for v in slot
                                      if type(v) is Dot and v.atoms[0] == a)]
                pending[0:0] = args
        return pending

    # -- operators

    def _binop(self, node: A.BinOp, env: Env) -> Any:
        op = node.op
        if op == "and":
            return self.bool_of(self.eval(node.left, env), node.left.span) and self.bool_of(
                self.eval(node.right, env), node.right.span
            )
        if op == "or":
            return self.bool_of(self.eval(node.left, env), node.left.span) or self.bool_of(
                self.eval(node.right, env), node.right.span
            )
        left = self.eval(node.left, env)
        right = self.eval(node.right, env)
        if op in ("+", "-", "*", "/", "%"):
            a = self.int_of(left, node.left.span)
            b = self.int_of(right, node.right.span)
            if op == "+":
                return a + b
            if op == "-":
                return a - b
            if op == "*":
                return a * b
            if b == 0:
                raise errors.division_by_zero(node.span)
            # libcspm uses Haskell's div and mod, which round towards minus infinity like Python.
            return a // b if op == "/" else a % b
        if op == "^":
            return Seq(self.seq_of(left, node.left.span).items + self.seq_of(right, node.right.span).items)
        if op == "==":
            self._same_kind(left, right, node)
            return left == right
        if op == "!=":
            self._same_kind(left, right, node)
            return left != right
        return self._order_compare(op, left, right, node)

    def _same_kind(self, a: Any, b: Any, node: A.BinOp) -> None:
        if (type(a) is bool) != (type(b) is bool) or (type(a) is int) != (type(b) is int):
            raise errors.type_mismatch(node.right.span, kind_name(a), kind_name(b), show(b))

    def _order_compare(self, op: str, a: Any, b: Any, node: A.BinOp) -> bool:
        if type(a) is int and type(b) is int:
            pass
        elif type(a) is frozenset and type(b) is frozenset:
            pass  # subset order, as CSPM's Ord on sets
        elif type(a) is Seq and type(b) is Seq:
            a_items, b_items = a.items, b.items
            if op == "<=":
                return b_items[: len(a_items)] == a_items
            if op == "<":
                return len(a_items) < len(b_items) and b_items[: len(a_items)] == a_items
            if op == ">=":
                return a_items[: len(b_items)] == b_items
            return len(b_items) < len(a_items) and a_items[: len(b_items)] == b_items
        else:
            raise errors.type_mismatch(
                node.span, "two Ints, two sets or two sequences", f"{kind_name(a)} and {kind_name(b)}"
            )
        if op == "<":
            return a < b
        if op == ">":
            return a > b
        if op == "<=":
            return a <= b
        return a >= b

    def _unop(self, node: A.UnOp, env: Env) -> Any:
        value = self.eval(node.operand, env)
        if node.op == "neg":
            return -self.int_of(value, node.operand.span)
        if node.op == "not":
            return not self.bool_of(value, node.operand.span)
        if type(value) is Seq:
            return len(value.items)
        raise errors.type_mismatch(node.operand.span, "a sequence", kind_name(value), show(value))

    def _if(self, node: A.If, env: Env) -> Any:
        if self.bool_of(self.eval(node.cond, env), node.cond.span):
            return self.eval(node.then, env)
        return self.eval(node.orelse, env)

    def _let(self, node: A.Let, env: Env) -> Any:
        fv = free_vars(node)
        frame = (id(node), tuple(sorted((k, strict_key(env[k])) for k in fv if k in env)))
        inner: Env = dict(env)
        for decl in node.decls:
            if isinstance(decl, A.Definition):
                inner[decl.name] = LetThunk(frame, decl.name, decl, inner)
            elif isinstance(decl, A.PatternDef):
                for var in _pattern_vars(decl.pattern, self.names):
                    inner[var] = LetThunk(frame, var, decl, inner)
            else:
                raise errors.eval_error(decl.span, "only definitions may appear inside 'let'")
        return self.eval(node.body, inner)

    def _lambda(self, node: A.Lambda, env: Env) -> Function:
        fv = free_vars(node)
        captured = {k: env[k] for k in fv if k in env}
        clause = A.Clause(node.span, [node.params], node.body)
        key = ("lambda", id(node), tuple(sorted((k, strict_key(v)) for k, v in captured.items())))
        return Function("lambda", [clause], captured, key)

    # -- application

    def _call(self, node: A.Call, env: Env) -> Any:
        fn = self.eval(node.fn, env)
        args = tuple(self.eval(a, env) for a in node.args)
        return self.apply(fn, args, node.span)

    def apply(self, fn: Any, args: tuple[Any, ...], span: Span) -> Any:
        if type(fn) is B.Builtin:
            return fn.call(self, args, span)
        if type(fn) is Function:
            if fn.groups > 1:
                return Partial(fn, (args,))
            return self._invoke(fn, (args,), span)
        if type(fn) is Partial:
            groups = fn.groups + (args,)
            if len(groups) < fn.fn.groups:
                return Partial(fn.fn, groups)
            return self._invoke(fn.fn, groups, span)
        raise errors.not_a_function(span, kind_name(fn))

    def _invoke(self, fn: Function, groups: tuple[tuple[Any, ...], ...], span: Span) -> Any:
        key = (fn, tuple(tuple(strict_key(a) for a in g) for g in groups))
        cached = self._calls.get(key)
        if cached is not None:
            return cached
        if key in self._calling:
            raise errors.unguarded_recursion(span, _call_text(fn, groups))
        self._depth += 1
        if self._depth > self._max_depth:
            self._depth = 0
            raise errors.evaluation_too_deep(span)
        self._calling.add(key)
        try:
            result = self._run_clauses(fn, groups, span)
        finally:
            self._calling.discard(key)
            self._depth -= 1
        if type(result) is T.Term and result.name is None and fn.key[0] == "global":
            result.name = _call_text(fn, groups)
        self._calls[key] = result
        return result

    def _run_clauses(self, fn: Function, groups: tuple[tuple[Any, ...], ...], span: Span) -> Any:
        for clause in fn.clauses:
            if len(clause.params) != len(groups):
                continue
            bound: Env = {}
            ok = True
            for pats, args in zip(clause.params, groups):
                if len(pats) != len(args):
                    raise errors.wrong_arity(span, fn.name, len(pats), len(args))
                for p, v in zip(pats, args):
                    if not self.match(p, v, bound):
                        ok = False
                        break
                if not ok:
                    break
            if ok:
                env = {**fn.env, **bound} if fn.env else bound
                return self.eval(clause.body, env)
        raise errors.no_matching_clause(span, fn.name, ", ".join(show(a) for g in groups for a in g))

    # ================================================================ patterns

    def match(self, pat: A.Pattern, value: Any, out: Env) -> bool:
        t = type(pat)
        if t is A.PVar:
            name = self.names.get(pat.name)
            if name is not None and pat.name not in out:
                return value == name
            out[pat.name] = value
            return True
        if t is A.PWild:
            return True
        if t is A.PLit:
            lit = pat.value
            if type(lit) is str:
                return type(value) is Char and value.ch == lit
            return type(value) is type(lit) and value == lit
        if t is A.PTuple:
            return (
                type(value) is tuple
                and len(value) == len(pat.items)
                and all(self.match(p, v, out) for p, v in zip(pat.items, value))
            )
        if t is A.PDot:
            return self._match_dot(pat.items, atoms_of(value), out)
        if t is A.PSeq:
            return (
                type(value) is Seq
                and len(value.items) == len(pat.items)
                and all(self.match(p, v, out) for p, v in zip(pat.items, value.items))
            )
        if t is A.PConcat:
            return self._match_concat(pat, value, out)
        if t is A.PSet:
            if type(value) is not frozenset or len(value) != len(pat.items):
                return False
            return not pat.items or self.match(pat.items[0], next(iter(value)), out)
        if t is A.PAs:
            return self.match(pat.left, value, out) and self.match(pat.right, value, out)
        raise errors.bad_pattern(pat.span, type(pat).__name__)

    def _match_dot(self, items: list[A.Pattern], atoms: tuple[Any, ...], out: Env) -> bool:
        i = 0
        for j, p in enumerate(items):
            if i >= len(atoms):
                return False
            if j == len(items) - 1:
                return self.match(p, make_dot(atoms[i:]), out)
            if (type(p) is A.PVar and p.name in self.names) or type(p) is A.PLit:
                if not self.match(p, atoms[i], out):
                    return False
                i += 1
                continue
            n = unit_length(atoms, i)
            if n < 0:
                return False
            if not self.match(p, make_dot(atoms[i : i + n]), out):
                return False
            i += n
        return i == len(atoms)

    def _match_concat(self, pat: A.PConcat, value: Any, out: Env) -> bool:
        if type(value) is not Seq:
            return False
        items = value.items
        fixed_left = _fixed_length(pat.left)
        if fixed_left is not None:
            if len(items) < fixed_left:
                return False
            return self.match(pat.left, Seq(items[:fixed_left]), out) and self.match(
                pat.right, Seq(items[fixed_left:]), out
            )
        fixed_right = _fixed_length(pat.right)
        if fixed_right is not None:
            if len(items) < fixed_right:
                return False
            cut = len(items) - fixed_right
            return self.match(pat.left, Seq(items[:cut]), out) and self.match(pat.right, Seq(items[cut:]), out)
        raise errors.eval_error(pat.span, "one side of '^' in a pattern must have a fixed length")

    # ================================================================ processes

    def _prefix(self, node: A.Prefix, env: Env) -> T.Term:
        for fld in node.fields:
            if fld.kind == "$":
                raise errors.unsupported(fld.span, "nondeterministic input '$'", "use '|~| x:S @ c!x -> P'")
        if env:
            fv = free_vars(node)
            env = {k: env[k] for k in fv if k in env}
        return self.terms.prefix(node, env)

    def force(self, term: T.Term) -> T.Term:
        """The process a delayed closure stands for (evaluated once)."""
        if term.kind != T.DELAY:
            return term
        forced = self.terms.forced.get(term)
        if forced is None:
            node = term.node
            assert node is not None and term.env is not None
            forced = self.force(self.term_of(self.eval(node, term.env), node.span))
            if forced.name is None and isinstance(node, A.Var):
                forced.name = node.name
            self.terms.forced[term] = forced
        return forced

    def _guard(self, node: A.Guard, env: Env) -> T.Term:
        if self.bool_of(self.eval(node.cond, env), node.cond.span):
            return self.term_of(self.eval(node.body, env), node.body.span)
        return self.terms.stop

    def _procbin(self, node: A.ProcBin, env: Env) -> T.Term:
        p = self.term_of(self.eval(node.left, env), node.left.span)
        op = node.op
        f = self.terms
        if op == ";":
            # Q is needed only once P terminates: evaluate it then (see TermFactory.delay).
            captured = {k: env[k] for k in free_vars(node.right) if k in env} if env else {}
            return f.seq(p, f.delay(node.right, captured))
        q = self.term_of(self.eval(node.right, env), node.right.span)
        if op == "[]":
            return f.ext((p, q))
        if op == "|~|":
            return f.int((p, q))
        if op == ";":
            return f.seq(p, q)
        if op == "/\\":
            return f.interrupt(p, q)
        if op == "[>":
            return f.timeout(p, q)
        if op == "|||":
            return f.gpar((p, q), frozenset())
        raise errors.eval_error(node.span, f"unknown operator {op}")

    def event_set(self, node: A.Expr, env: Env) -> frozenset[Any]:
        value = self.set_of(node, env)
        for v in value:
            if type(v) not in (Name, Dot) or not _looks_like_event(v):
                raise errors.type_mismatch(node.span, "a set of events", f"a set containing {show(v)}")
        return value

    def _genpar(self, node: A.GenPar, env: Env) -> T.Term:
        p = self.term_of(self.eval(node.left, env), node.left.span)
        sync = self.event_set(node.sync, env)
        q = self.term_of(self.eval(node.right, env), node.right.span)
        return self.terms.gpar((p, q), sync)

    def _alphapar(self, node: A.AlphaPar, env: Env) -> T.Term:
        p = self.term_of(self.eval(node.left, env), node.left.span)
        a = self.event_set(node.left_alpha, env)
        b = self.event_set(node.right_alpha, env)
        q = self.term_of(self.eval(node.right, env), node.right.span)
        return self.terms.apar((p, q), (a, b))

    def _hide(self, node: A.Hide, env: Env) -> T.Term:
        p = self.term_of(self.eval(node.proc, env), node.proc.span)
        return self.terms.hide(p, self.event_set(node.events, env))

    def _rename(self, node: A.Rename, env: Env) -> T.Term:
        p = self.term_of(self.eval(node.proc, env), node.proc.span)
        pairs: set[tuple[Any, Any]] = set()
        envs = self.bindings(node.stmts, env) if node.stmts is not None else iter([env])
        for e in envs:
            for old_expr, new_expr in node.pairs:
                old = self.eval(old_expr, e)
                new = self.eval(new_expr, e)
                for event in ordered(self.productions(old, old_expr.span)):
                    suffix = atoms_of(event)[len(atoms_of(old)) :]
                    target = make_dot(atoms_of(new) + suffix)
                    self._check_event(target, new_expr.span)
                    pairs.add((event, target))
        return self.terms.rename(p, frozenset(pairs))

    def _replicated(self, node: A.Replicated, env: Env) -> T.Term:
        f = self.terms
        op = node.op
        if op == ";":
            gen = node.stmts[0] if node.stmts else None
            if isinstance(gen, A.Generator):
                src = self.eval(gen.source, env)
                if type(src) is not Seq:
                    raise errors.type_mismatch(
                        gen.source.span, "a sequence (replicated ';' is ordered)", kind_name(src), show(src)
                    )
        envs = list(self.bindings(node.stmts, env))
        if op == "||":
            assert node.param is not None
            children = [self.term_of(self.eval(node.body, e), node.body.span) for e in envs]
            alphas = [self.event_set(node.param, e) for e in envs]
            return f.apar(children, alphas) if children else f.skip
        bodies = [self.term_of(self.eval(node.body, e), node.body.span) for e in envs]
        if op == "[]":
            return f.ext(bodies)
        if op == "|~|":
            if not bodies:
                raise errors.empty_internal_choice(node.span)
            return f.int(bodies)
        if op == "|||":
            return f.gpar(bodies, frozenset()) if bodies else f.skip
        if op == "[||]":
            assert node.param is not None
            sync = self.event_set(node.param, env)
            return f.gpar(bodies, sync) if bodies else f.skip
        if op == ";":
            if not bodies:
                return f.skip
            result = bodies[-1]
            for b in reversed(bodies[:-1]):
                result = f.seq(b, result)
            return result
        raise errors.eval_error(node.span, f"unknown replicated operator {op}")

    # -- prefix expansion (used by the operational semantics)

    def prefix_transitions(self, term: T.Term) -> list[tuple[Any, T.Term]]:
        """The (event, continuation) pairs of a prefix closure, in canonical order."""
        node = term.node
        env = term.env
        assert node is not None and env is not None
        head = self.eval(node.head, env)
        atoms = atoms_of(head)
        if type(atoms[0]) is G.GoEnd:
            atoms = self._through_end(node, atoms)
        channel = atoms[0]
        if type(channel) is not Name or channel.kind != "channel":
            raise errors.not_an_event(node.head.span, f"{kind_name(head)} ({show(head)})")
        out: list[tuple[Any, T.Term]] = []
        obj = self.go_object(atoms) if self.go.objects else None
        if obj is not None and obj.kind == "chan" and len(atoms) == len(obj.prefix) and node.fields:
            self._go_chan_prefix(node, env, obj, out)
        else:
            self._expand_fields(node, env, channel, atoms, 0, out)
        return out

    def _through_end(self, node: A.Prefix, atoms: tuple[Any, ...]) -> tuple[Any, ...]:
        """Check an operation on a directional channel end, then use the channel itself."""
        end: G.GoEnd = atoms[0]
        ops = self.go.ops
        if len(atoms) > 1:
            op = atoms[1]
            receives = op in (ops["recv"], ops["recvclosed"])
        elif node.fields:
            receives = node.fields[0].kind == "?"
        else:
            receives = False
        closes = len(atoms) > 1 and atoms[1] is ops["close"]
        if (end.direction == "send" and receives) or (end.direction == "recv" and not receives) or (
            end.direction == "recv" and closes
        ):
            raise errors.go_wrong_direction(node.head.span, end.obj.name, end.direction)
        return end.obj.prefix + atoms[1:]

    def _go_chan_prefix(self, node: A.Prefix, env: Env, obj: G.GoObject, out: list[tuple[Any, T.Term]]) -> None:
        """``c!v -> P`` (send), ``c?x -> P`` and ``c?x?ok -> P`` (receive) on a Go channel."""
        fields = node.fields
        ops = self.go.ops
        first = fields[0]
        if first.kind == "!":
            if len(fields) != 1:
                raise errors.go_bad_operation(fields[1].span, obj.name)
            assert first.expr is not None
            value = self.eval(first.expr, env)
            if not obj.nil and value not in obj.elem:
                raise errors.value_not_in_type(first.expr.span, show(value), obj.name)
            cont = self.term_of(self.eval(node.body, env), node.body.span)
            out.append((obj.event(ops["send"], value), cont))
            return
        if len(fields) > 2 or any(f.kind != "?" for f in fields) or first.restrict is not None:
            raise errors.go_bad_operation(first.span, obj.name)
        assert first.pattern is not None
        ok_pattern = fields[1].pattern if len(fields) == 2 else None
        values = [] if obj.nil else ordered(obj.elem)
        for value, ok in [(v, True) for v in values] + [(obj.zero, False)]:
            bound: Env = {}
            if not self.match(first.pattern, value, bound):
                continue
            if ok_pattern is not None and not self.match(ok_pattern, ok, bound):
                continue
            cont = self.term_of(self.eval(node.body, {**env, **bound}), node.body.span)
            event = obj.event(ops["recv"], value) if ok else obj.event(ops["recvclosed"])
            out.append((event, cont))

    def _expand_fields(
        self, node: A.Prefix, env: Env, channel: Name, atoms: tuple[Any, ...], i: int,
        out: list[tuple[Any, T.Term]],
    ) -> None:
        fields = node.fields
        if i == len(fields):
            slots = self.remaining_slots(channel, atoms, node.head.span)
            if slots is None:
                raise errors.event_too_long(node.head.span, show(make_dot(atoms)))
            if slots:
                raise errors.event_incomplete(node.span, show(make_dot(atoms)), len(slots))
            event = make_dot(atoms)
            self._check_event(event, node.head.span if not fields else fields[-1].span)
            cont = self.term_of(self.eval(node.body, env), node.body.span)
            out.append((event, cont))
            return
        fld = fields[i]
        if fld.kind == "!":
            assert fld.expr is not None
            value = self.eval(fld.expr, env)
            self._expand_fields(node, env, channel, atoms + atoms_of(value), i + 1, out)
            return
        assert fld.pattern is not None
        slots = self.remaining_slots(channel, atoms, fld.span)
        if not slots:
            raise errors.event_too_long(fld.span, show(make_dot(atoms)) + "?...")
        if fld.restrict is not None:
            candidates = self._iter(self._as_set(self.eval(fld.restrict, env), fld.restrict.span), fld.restrict.span)
        elif i == len(fields) - 1 and type(fld.pattern) in (A.PVar, A.PWild) and len(slots) > 1 and not (
            type(fld.pattern) is A.PVar and fld.pattern.name in self.names
        ):
            # The last input takes all remaining fields, as in FDR.
            candidates = [make_dot(c) for c in itertools.product(*[self._iter(s, fld.span) for s in slots])]
        elif type(fld.pattern) is A.PDot:
            # A dotted pattern `c?x.y` spans several fields (all the remaining ones when last).
            n = len(slots) if i == len(fields) - 1 else min(self._field_units(fld.pattern), len(slots))
            candidates = [make_dot(c) for c in itertools.product(*[self._iter(s, fld.span) for s in slots[:n]])]
        else:
            candidates = self._iter(slots[0], fld.span)
        for value in candidates:
            bound: Env = {}
            if self.match(fld.pattern, value, bound):
                env2 = {**env, **bound} if bound else env
                self._expand_fields(node, env2, channel, atoms + atoms_of(value), i + 1, out)

    def _field_units(self, pat: A.PDot) -> int:
        """How many channel fields a dotted input pattern covers: a constructor takes its own
        arguments with it (``A.x`` is one field when ``A`` has one argument)."""
        count = i = 0
        while i < len(pat.items):
            p = pat.items[i]
            name = self.names.get(p.name) if type(p) is A.PVar else None
            i += 1 + (name.arity if name is not None and name.kind == "constructor" else 0)
            count += 1
        return count

    def _check_event(self, event: Any, span: Span) -> None:
        atoms = atoms_of(event)
        channel = atoms[0]
        if type(channel) is not Name or channel.kind != "channel":
            raise errors.not_an_event(span, show(event))
        pending = list(self.field_sets(channel))
        i = 1
        while i < len(atoms):
            if not pending:
                raise errors.event_too_long(span, show(event))
            allowed = pending.pop(0)
            n = unit_length(atoms, i)
            if n < 0:
                raise errors.event_incomplete(span, show(event), 1)
            value = make_dot(atoms[i : i + n])
            if value not in allowed or (type(value) is bool) != any(type(x) is bool for x in _sample(allowed)):
                raise errors.value_not_in_type(span, show(value), channel.name)
            i += n
        if pending:
            raise errors.event_incomplete(span, show(event), len(pending))


class _DeferredThunk(Thunk):
    """A global whose value is computed by a method rather than by evaluating one expression."""

    __slots__ = ("decl", "fn")

    def __init__(self, name: str, span: Span, fn: Callable[[Any], Any], decl: Any) -> None:
        super().__init__(name, None, span)
        self.state = 0
        self.fn = fn
        self.decl = decl

    def compute(self) -> Any:
        return self.fn(self.decl)


class _PatternVarThunk(_DeferredThunk):
    """One variable of a top-level pattern definition ``(a, b) = ...``."""

    __slots__ = ()

    def __init__(self, name: str, span: Span, holder: _DeferredThunk) -> None:
        super().__init__(name, span, self._pick, holder)

    def _pick(self, holder: _DeferredThunk) -> Any:
        if holder.state != 2:
            holder.value = holder.compute()
            holder.state = 2
        return holder.value[self.name]


def _type_items(expr: A.Expr | list[A.Expr] | None) -> list[A.Expr]:
    if expr is None:
        return []
    if isinstance(expr, list):
        out: list[A.Expr] = []
        for e in expr:
            out.extend(_type_items(e))
        return out
    if isinstance(expr, A.DotExpr):
        return list(expr.items)
    return [expr]


def _pattern_vars(pat: A.Pattern, names: dict[str, Name]) -> list[str]:
    if isinstance(pat, A.PVar):
        return [] if pat.name in names else [pat.name]
    out: list[str] = []
    for child in _pattern_children(pat):
        out.extend(_pattern_vars(child, names))
    return out


def _pattern_children(pat: A.Pattern) -> list[A.Pattern]:
    if isinstance(pat, (A.PTuple, A.PDot, A.PSeq, A.PSet)):
        return list(pat.items)
    if isinstance(pat, (A.PConcat, A.PAs)):
        return [pat.left, pat.right]
    return []


def _fixed_length(pat: A.Pattern) -> int | None:
    if isinstance(pat, A.PSeq):
        return len(pat.items)
    if isinstance(pat, A.PConcat):
        left, right = _fixed_length(pat.left), _fixed_length(pat.right)
        if left is not None and right is not None:
            return left + right
    return None


def _call_text(fn: Function, groups: tuple[tuple[Any, ...], ...]) -> str:
    return fn.name + "".join("(" + ", ".join(show(a) for a in g) + ")" for g in groups)


def _looks_like_event(v: Any) -> bool:
    head = atoms_of(v)[0]
    return type(head) is Name and head.kind == "channel"


def _sample(s: Any) -> list[Any]:
    if type(s) is frozenset:
        for x in s:
            return [x]
        return []
    return [0]


__all__ = ["EMPTY_SEQ", "CspsimError", "Evaluator", "Function"]
