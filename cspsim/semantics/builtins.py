"""CSPM's built-in values and functions (the libcspm Prelude subset cspsim supports)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cspsim import errors
from cspsim.errors import Span
from cspsim.semantics.values import Seq, kind_name, ordered, show

if TYPE_CHECKING:
    from cspsim.semantics.evaluator import Evaluator


class InfiniteSet:
    """``Int`` or ``{m..}``: supports membership, refuses enumeration."""

    __slots__ = ("lo",)
    kind_name = "an infinite set"

    def __init__(self, lo: int | None) -> None:
        self.lo = lo

    def __contains__(self, v: object) -> bool:
        return type(v) is int and (self.lo is None or v >= self.lo)

    def __eq__(self, other: object) -> bool:
        return type(other) is InfiniteSet and other.lo == self.lo

    def __hash__(self) -> int:
        return hash(("InfiniteSet", self.lo))

    def __repr__(self) -> str:
        return "Int" if self.lo is None else f"{{{self.lo}..}}"


class Builtin:
    """A built-in function; ``arity`` None means any number of arguments."""

    __slots__ = ("arity", "fn", "name")
    kind_name = "a built-in function"

    def __init__(self, name: str, arity: int | None, fn: Callable[..., Any]) -> None:
        self.name = name
        self.arity = arity
        self.fn = fn

    def call(self, ev: Evaluator, args: tuple[Any, ...], span: Span) -> Any:
        if self.arity is not None and len(args) != self.arity:
            raise errors.wrong_arity(span, self.name, self.arity, len(args))
        return self.fn(ev, span, *args)

    def sort_key(self) -> tuple[str]:
        return (self.name,)

    def __repr__(self) -> str:
        return self.name


def _set(v: Any, span: Span, ev: Evaluator) -> frozenset[Any]:
    if type(v) is frozenset:
        return v
    if isinstance(v, InfiniteSet):
        raise errors.infinite_set(span)
    raise errors.type_mismatch(span, "a set", kind_name(v), show(v))


def _seq(v: Any, span: Span) -> Seq:
    if type(v) is not Seq:
        raise errors.type_mismatch(span, "a sequence", kind_name(v), show(v))
    return v


def _member(ev: Evaluator, span: Span, x: Any, s: Any) -> bool:
    if isinstance(s, InfiniteSet):
        return x in s
    return x in _set(s, span, ev)


def _head(ev: Evaluator, span: Span, s: Any) -> Any:
    items = _seq(s, span).items
    if not items:
        raise errors.eval_error(span, "head of the empty sequence")
    return items[0]


def _tail(ev: Evaluator, span: Span, s: Any) -> Seq:
    items = _seq(s, span).items
    if not items:
        raise errors.eval_error(span, "tail of the empty sequence")
    return Seq(items[1:])


def _powerset(ev: Evaluator, span: Span, s: Any) -> frozenset[Any]:
    items = ordered(_set(s, span, ev))
    if len(items) > 20:
        raise errors.eval_error(span, f"Set() of a set of {len(items)} elements is too large to enumerate")
    return frozenset(
        frozenset(c) for r in range(len(items) + 1) for c in itertools.combinations(items, r)
    )


def _union_all(ev: Evaluator, span: Span, s: Any) -> frozenset[Any]:
    out: frozenset[Any] = frozenset()
    for x in ordered(_set(s, span, ev)):
        out = out | _set(x, span, ev)
    return out


def _inter_all(ev: Evaluator, span: Span, s: Any) -> frozenset[Any]:
    sets = [_set(x, span, ev) for x in ordered(_set(s, span, ev))]
    if not sets:
        raise errors.eval_error(span, "Inter of an empty set of sets")
    out = sets[0]
    for x in sets[1:]:
        out = out & x
    return out


def _concat(ev: Evaluator, span: Span, s: Any) -> Seq:
    out: tuple[Any, ...] = ()
    for x in _seq(s, span).items:
        out += _seq(x, span).items
    return Seq(out)


def _error(ev: Evaluator, span: Span, msg: Any) -> Any:
    text = "".join(c.ch for c in msg.items) if type(msg) is Seq else show(msg)
    raise errors.user_error(span, text)


def _run(ev: Evaluator, span: Span, events: Any) -> Any:
    return ev.terms.run(_event_set(ev, span, events))


def _chaos(ev: Evaluator, span: Span, events: Any) -> Any:
    return ev.terms.chaos(_event_set(ev, span, events))


def _event_set(ev: Evaluator, span: Span, value: Any) -> frozenset[Any]:
    s = _set(value, span, ev)
    from cspsim.semantics.evaluator import _looks_like_event

    for v in s:
        if not _looks_like_event(v):
            raise errors.type_mismatch(span, "a set of events", f"a set containing {show(v)}")
    return s


def _go_world(ev: Evaluator, span: Span, main: Any) -> Any:
    return ev.terms.goworld((ev.term_of(main, span),), ev.go.initial_state())


def _go_spawn(ev: Evaluator, span: Span, p: Any) -> Any:
    return ev.terms.gospawn(ev.term_of(p, span))


def _go_once(ev: Evaluator, span: Span, o: Any, body: Any) -> Any:
    from cspsim.semantics.golang import once_term
    from cspsim.semantics.values import atoms_of

    obj = ev.go_object(atoms_of(o)) if ev.go.objects else None
    if obj is None or obj.kind != "once":
        raise errors.go_not_an_object(span, "ONCE", show(o))
    return once_term(ev, obj, ev.term_of(body, span))


def _go_end(direction: str) -> Callable[..., Any]:
    def end(ev: Evaluator, span: Span, c: Any) -> Any:
        from cspsim.semantics.golang import GoEnd
        from cspsim.semantics.values import atoms_of

        if type(c) is GoEnd:
            if c.direction != direction:
                raise errors.go_wrong_direction(span, c.obj.name, c.direction)
            return c
        obj = ev.go_object(atoms_of(c)) if ev.go.objects else None
        if obj is None or obj.kind != "chan" or atoms_of(c) != obj.prefix:
            raise errors.go_not_an_object(span, f"{direction}only", show(c))
        return GoEnd(obj, direction)

    return end
# FDR's compression functions: each is the identity on the process's semantics (see docs/refinement.md).
COMPRESSIONS = ("normal", "sbisim", "wbisim", "tau_loop_factor", "diamond", "sbdia", "explicate")


def _compression(how: str) -> Builtin:
    return Builtin(how, 1, lambda ev, sp, p: ev.terms.compress(how, ev.term_of(p, sp)))


def builtin_functions() -> list[Builtin]:
    return [
        Builtin("union", 2, lambda ev, sp, a, b: _set(a, sp, ev) | _set(b, sp, ev)),
        Builtin("inter", 2, lambda ev, sp, a, b: _set(a, sp, ev) & _set(b, sp, ev)),
        Builtin("diff", 2, lambda ev, sp, a, b: _set(a, sp, ev) - _set(b, sp, ev)),
        Builtin("Union", 1, _union_all),
        Builtin("Inter", 1, _inter_all),
        Builtin("member", 2, _member),
        Builtin("card", 1, lambda ev, sp, a: len(_set(a, sp, ev))),
        Builtin("empty", 1, lambda ev, sp, a: not _set(a, sp, ev)),
        Builtin("set", 1, lambda ev, sp, s: frozenset(_seq(s, sp).items)),
        Builtin("Set", 1, _powerset),
        Builtin("seq", 1, lambda ev, sp, a: Seq(tuple(ordered(_set(a, sp, ev))))),
        Builtin("length", 1, lambda ev, sp, s: len(_seq(s, sp).items)),
        Builtin("null", 1, lambda ev, sp, s: not _seq(s, sp).items),
        Builtin("head", 1, _head),
        Builtin("tail", 1, _tail),
        Builtin("concat", 1, _concat),
        Builtin("elem", 2, lambda ev, sp, x, s: x in _seq(s, sp).items),
        Builtin("error", 1, _error),
        Builtin("productions", 1, lambda ev, sp, x: ev.productions(x, sp)),
        Builtin("RUN", 1, _run),
        Builtin("CHAOS", 1, _chaos),
        Builtin("GO", 1, _go_world),
        Builtin("go", 1, _go_spawn),
        Builtin("ONCE", 2, _go_once),
        Builtin("sendonly", 1, _go_end("send")),
        Builtin("recvonly", 1, _go_end("recv")),
        *[_compression(how) for how in COMPRESSIONS],
    ]


def builtin_values(ev: Evaluator) -> dict[str, Any]:
    values: dict[str, Any] = {b.name: b for b in builtin_functions()}
    values.update(
        {
            "STOP": ev.terms.stop,
            "SKIP": ev.terms.skip,
            "DIV": ev.terms.div,
            "Bool": frozenset({True, False}),
            "Int": InfiniteSet(None),
        }
    )
    return values
