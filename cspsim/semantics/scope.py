"""Scope pass: every name used in the script must be bound, before anything is evaluated.

Pass contract — needs: a parsed Script and the set of global names (declarations and built-ins).
Provides: nothing but the guarantee; raises an ``unknown name`` diagnostic (with a suggestion) at
the first use of an unbound name, so a typo is reported even in code no assertion reaches.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator

from cspsim import errors
from cspsim.semantics.freevars import free_vars
from cspsim.syntax import ast as A


def check_scopes(script: A.Script, global_names: Iterable[str]) -> None:
    known = set(global_names)
    for decl in script.decls:
        for root in _roots(decl):
            unknown = free_vars(root) - known
            if isinstance(root, A.Clause):
                unknown = _clause_free(root) - known
            if unknown:
                name = min(unknown)
                node = _first_use(root, name)
                span = node.span if node is not None else decl.span
                raise errors.unknown_name(span, name, known)


def _roots(decl: A.Decl) -> list[A.Node]:
    if isinstance(decl, A.Definition):
        return list(decl.clauses)
    if isinstance(decl, A.PatternDef):
        return [decl.expr]
    if isinstance(decl, A.ChannelDecl):
        return [decl.type_expr] if decl.type_expr is not None else []
    if isinstance(decl, (A.DataTypeDecl, A.SubTypeDecl)):
        return [f for c in decl.ctors for f in c.fields]
    if isinstance(decl, A.NameTypeDecl):
        return [decl.expr]
    if isinstance(decl, A.AssertDecl):
        roots: list[A.Node] = [decl.left]
        if decl.right is not None:
            roots.append(decl.right)
        if decl.trace is not None:
            roots.append(decl.trace)
        roots.extend(e for _, e in decl.options if e is not None)
        return roots
    if isinstance(decl, A.PrintDecl):
        return [decl.expr]
    return []


def _clause_free(clause: A.Clause) -> frozenset[str]:
    from cspsim.semantics.freevars import pattern_names

    params: set[str] = set()
    for group in clause.params:
        for p in group:
            params |= pattern_names(p)
    return free_vars(clause.body) - params


def _first_use(node: A.Node, name: str) -> A.Var | None:
    for n in _walk(node):
        if isinstance(n, A.Var) and n.name == name:
            return n
    return None


def _walk(node: object) -> Iterator[A.Node]:
    if isinstance(node, A.Node):
        yield node
        if dataclasses.is_dataclass(node):
            for f in dataclasses.fields(node):
                yield from _walk(getattr(node, f.name))
    elif isinstance(node, (list, tuple)):
        for item in node:
            yield from _walk(item)
