"""Process terms: the values that processes evaluate to.

A term is an operator applied to sub-terms and values (event sets, renamings), or a *prefix
closure*: a ``Prefix`` syntax node together with the values of its free local variables. Terms are
hash-consed by :class:`TermFactory`: structurally equal terms are the same object, so a term can
serve directly as the identity of a state while a component is compiled to an explicit LTS.

The smart constructors apply only laws that hold in every CSP model (STOP is the unit of ``[]``,
``[]`` and ``|~|`` are idempotent and associative, hiding nothing is the identity, Ω absorbs
hiding and renaming), to keep component state spaces small.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from cspsim.semantics.values import strict_key
from cspsim.syntax import ast as A

# Term kinds.
STOP = "STOP"
SKIP = "SKIP"
OMEGA = "OMEGA"  # the state after termination (Ω)
DIV = "DIV"
PREFIX = "prefix"  # closure: (node, env key)
EVPREFIX = "evprefix"  # (event value, continuation)
EXT = "[]"
INT = "|~|"
SEQ = ";"
HIDE = "\\"
RENAME = "[[]]"
GPAR = "[||]"  # generalised parallel of n children over one synchronisation set
APAR = "||"  # alphabetised parallel of n children, each with its alphabet
INTERRUPT = "/\\"
TIMEOUT = "[>"
RUN = "RUN"
CHAOS = "CHAOS"
DELAY = "delay"  # an expression evaluated when first needed: the right side of P ; Q
GOWORLD = "GO"  # a Go program: (goroutines, object states)
GOSPAWN = "go"  # go(P): spawn P as a goroutine, then terminate
GOPENDING = "gopending"  # a goroutine that has been handed a value and will complete its receive
GOWOKEN = "gowoken"  # a WaitGroup waiter released by the counter reaching 0: (event, wg index, continuation)
GOCANCELLING = "gocancelling"  # a goroutine inside cancel(): (contexts still to cancel, continuation)
GOPARKED = "goparked"  # a goroutine that arrived at a channel operation it could not complete, and parked
COMPRESS = "compress"  # (compression name, argument term): compressed when first expanded
EXPLICIT = "explicit"  # (table, state): a state of a stored LTS (a compressed process)


class Term:
    """An interned process term. Compare with ``is``; hashing is by identity."""

    __slots__ = ("args", "env", "id", "kind", "name", "node", "trans")

    def __init__(self, kind: str, args: tuple[Any, ...], tid: int) -> None:
        self.kind = kind
        self.args = args
        self.id = tid
        self.name: str | None = None  # display name, e.g. "PHIL(2)"
        self.node: A.Prefix | A.Expr | None = None
        self.env: dict[str, Any] | None = None
        self.trans: list[tuple[int, Term]] | None = None  # cached by the operational semantics

    kind_name = "a process"

    def sort_key(self) -> tuple[int]:
        return (self.id,)

    def __repr__(self) -> str:
        return self.name or f"<{self.kind} #{self.id}>"


class TermFactory:
    """Creates and interns the terms of one model."""

    def __init__(self) -> None:
        self._table: dict[tuple[Any, ...], Term] = {}
        self.forced: dict[Term, Term] = {}  # DELAY closure -> the term it evaluated to
        self.stop = self._make(STOP, ())
        self.stop.name = "STOP"
        self.skip = self._make(SKIP, ())
        self.skip.name = "SKIP"
        self.omega = self._make(OMEGA, ())
        self.omega.name = "Ω"
        self.div = self._make(DIV, ())
        self.div.name = "DIV"

    def __len__(self) -> int:
        return len(self._table)

    def _make(self, kind: str, args: tuple[Any, ...]) -> Term:
        key = (kind, args)
        term = self._table.get(key)
        if term is None:
            term = Term(kind, args, len(self._table))
            self._table[key] = term
        return term

    # -- leaves

    def prefix(self, node: A.Prefix, env: dict[str, Any]) -> Term:
        key = tuple(sorted((k, strict_key(v)) for k, v in env.items()))
        term = self._make(PREFIX, (id(node), key))
        if term.node is None:
            term.node = node
            term.env = env
        return term

    def delay(self, node: A.Expr, env: dict[str, Any]) -> Term:
        """A closure evaluated on demand, so that ``P = SKIP ; P`` or a loop ``Q ; LOOP`` is
        well defined (the recursion is guarded by the τ of termination)."""
        key = tuple(sorted(env.items()))
        term = self._make(DELAY, (id(node), key))
        if term.node is None:
            term.node = node  # type: ignore[assignment]
            term.env = env
        return term

    def evprefix(self, event: Any, cont: Term) -> Term:
        return self._make(EVPREFIX, (event, cont))

    def run(self, events: frozenset[Any]) -> Term:
        return self._make(RUN, (events,))

    def chaos(self, events: frozenset[Any]) -> Term:
        return self._make(CHAOS, (events,))

    def compress(self, how: str, p: Term) -> Term:
        """``how(p)`` for a compression function (``normal``, ``sbisim`` ...): a lazy term, since
        compressing needs the process's LTS, which the operational layer builds on first use."""
        term = self._make(COMPRESS, (how, p))
        if term.name is None:
            term.name = f"{how}({p.name})" if p.name else None
        return term

    def explicit(self, table: Any, state: int) -> Term:
        """State ``state`` of an explicit LTS ``table`` (opaque here; see cspsim.lts.compress)."""
        return self._make(EXPLICIT, (table, state))

    # -- operators

    def ext(self, terms: Iterable[Term]) -> Term:
        flat = _flatten(EXT, terms, drop=self.stop)
        if not flat:
            return self.stop
        if len(flat) == 1:
            return flat[0]
        return self._make(EXT, tuple(flat))

    def int(self, terms: Iterable[Term]) -> Term:
        flat = _flatten(INT, terms, drop=None)
        if len(flat) == 1:
            return flat[0]
        return self._make(INT, tuple(flat))

    def seq(self, p: Term, q: Term) -> Term:
        if p is self.stop:
            return p
        return self._make(SEQ, (p, q))

    def hide(self, p: Term, events: frozenset[Any]) -> Term:
        if not events or p is self.stop or p is self.omega:
            return p
        if p.kind == HIDE:
            return self._make(HIDE, (p.args[0], p.args[1] | events))
        return self._make(HIDE, (p, events))

    def rename(self, p: Term, relation: frozenset[tuple[Any, Any]]) -> Term:
        if not relation or p is self.stop or p is self.omega:
            return p
        return self._make(RENAME, (p, relation))

    def gpar(self, children: Sequence[Term], sync: frozenset[Any]) -> Term:
        if len(children) == 1:
            return children[0]
        return self._make(GPAR, (tuple(children), sync))

    def apar(self, children: Sequence[Term], alphabets: Sequence[frozenset[Any]]) -> Term:
        if len(children) == 1:
            # One process restricted to its alphabet: events outside it are blocked.
            return self._make(APAR, ((children[0],), (alphabets[0],)))
        return self._make(APAR, (tuple(children), tuple(alphabets)))

    def interrupt(self, p: Term, q: Term) -> Term:
        if q is self.stop:
            return p
        return self._make(INTERRUPT, (p, q))

    def timeout(self, p: Term, q: Term) -> Term:
        return self._make(TIMEOUT, (p, q))

    def goworld(self, goroutines: tuple[Term, ...], objects: tuple[Any, ...]) -> Term:
        return self._make(GOWORLD, (goroutines, objects))

    def gospawn(self, p: Term) -> Term:
        return self._make(GOSPAWN, (p,))

    def gopending(self, event: Any, cont: Term) -> Term:
        return self._make(GOPENDING, (event, cont))

    def gowoken(self, event: Any, wg_index: int, cont: Term) -> Term:
        return self._make(GOWOKEN, (event, wg_index, cont))

    def gocancelling(self, todo: tuple[int, ...], cont: Term) -> Term:
        return self._make(GOCANCELLING, (todo, cont))

    def goparked(self, waiting: Term) -> Term:
        return self._make(GOPARKED, (waiting,))

    def replace(self, term: Term, args: tuple[Any, ...]) -> Term:
        """The same operator with new arguments (used by the firing rules)."""
        kind = term.kind
        if kind == EXT:
            return self.ext(args)
        if kind == SEQ:
            return self.seq(*args)
        if kind == HIDE:
            return self.hide(*args)
        if kind == RENAME:
            return self.rename(*args)
        if kind == GPAR:
            return self.gpar(*args)
        if kind == APAR:
            return self._make(APAR, args)
        if kind == INTERRUPT:
            return self.interrupt(*args)
        if kind == TIMEOUT:
            return self.timeout(*args)
        return self._make(kind, args)


def _flatten(kind: str, terms: Iterable[Term], drop: Term | None) -> list[Term]:
    out: list[Term] = []
    seen: set[int] = set()
    for t in terms:
        parts = t.args if t.kind == kind else (t,)
        for p in parts:
            if p is drop or p.id in seen:
                continue
            seen.add(p.id)
            out.append(p)
    return out
