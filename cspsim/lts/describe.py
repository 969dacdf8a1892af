"""Short human-readable descriptions of process terms, for state labels and counterexamples."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from cspsim.errors import source_text
from cspsim.semantics import terms as T
from cspsim.semantics.values import ordered, show

if TYPE_CHECKING:
    from cspsim.lts.operational import Semantics

_MAX = 80


def describe_term(term: T.Term, sem: Semantics | None = None, depth: int = 0) -> str:
    if term.name is not None:
        return term.name
    if depth > 3:
        return "…"
    k = term.kind
    d = depth + 1
    if k in (T.PREFIX, T.DELAY):
        assert term.node is not None and term.env is not None
        text = source_text(term.node.span) or "prefix"
        text = re.sub(r"\s+", " ", text)
        if len(text) > _MAX:
            text = text[: _MAX - 1] + "…"
        if term.env:
            binds = ", ".join(f"{k}={_short(v)}" for k, v in sorted(term.env.items()))
            text += f"  [{binds}]"
        return text
    if k == T.EVPREFIX:
        return f"{show(term.args[0])} -> {describe_term(term.args[1], sem, d)}"
    if k in (T.EXT, T.INT):
        return "(" + f" {k} ".join(describe_term(p, sem, d) for p in term.args) + ")"
    if k == T.SEQ:
        return f"({describe_term(term.args[0], sem, d)} ; {describe_term(term.args[1], sem, d)})"
    if k == T.HIDE:
        return f"({describe_term(term.args[0], sem, d)} \\ {_short(term.args[1])})"
    if k == T.RENAME:
        return f"{describe_term(term.args[0], sem, d)}[[…]]"
    if k == T.GPAR:
        children, sync = term.args
        op = " ||| " if not sync else f" [|{_short(sync)}|] "
        return "(" + op.join(describe_term(c, sem, d) for c in children) + ")"
    if k == T.APAR:
        return "(" + " || ".join(describe_term(c, sem, d) for c in term.args[0]) + ")"
    if k in (T.INTERRUPT, T.TIMEOUT):
        return f"({describe_term(term.args[0], sem, d)} {k} {describe_term(term.args[1], sem, d)})"
    if k == T.GOWORLD:
        gs = term.args[0]
        return "GO[" + " | ".join(describe_term(g, sem, d) for g in gs) + "]"
    if k == T.GOSPAWN:
        return f"go({describe_term(term.args[0], sem, d)})"
    if k == T.GOWOKEN:
        return f"{show(term.args[0])} -> {describe_term(term.args[2], sem, d)}"
    if k == T.GOCANCELLING:
        return f"cancel() ; {describe_term(term.args[1], sem, d)}"
    if k == T.GOPARKED:
        return describe_term(term.args[0], sem, d)
    if k == T.GOPENDING:
        return f"{show(term.args[0])} -> {describe_term(term.args[1], sem, d)}"
    if k == T.EXPLICIT:
        return str(term.args[0].describe(term.args[1]))
    if k == T.COMPRESS:
        return f"{term.args[0]}({describe_term(term.args[1], sem, d)})"
    if k in (T.RUN, T.CHAOS):
        return f"{k}({_short(term.args[0])})"
    return k


def _short(v: Any) -> str:
    if type(v) is frozenset and len(v) > 4:
        items = ordered(v)
        return "{" + ", ".join(show(x) for x in items[:3]) + f", … ({len(items)} events)}}"
    if isinstance(v, T.Term):
        return describe_term(v, None, 3)
    text = show(v)
    return text if len(text) <= 40 else text[:39] + "…"
