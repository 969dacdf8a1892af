"""The shape of a parsed expression with source positions left out, to compare parse trees."""

from __future__ import annotations

import dataclasses
from typing import Any

from cspsim.syntax import ast as A
from cspsim.syntax.parser import parse_text


def shape(node: Any) -> Any:
    if isinstance(node, A.Node) and dataclasses.is_dataclass(node):
        return (type(node).__name__,) + tuple(
            shape(getattr(node, f.name)) for f in dataclasses.fields(node) if f.name != "span"
        )
    if isinstance(node, (list, tuple)):
        return tuple(shape(x) for x in node)
    return node


def parse_expr(text: str) -> Any:
    """The shape of the right-hand side of ``X = text``."""
    script = parse_text(f"X = {text}\n", "<test>")
    (decl,) = script.decls
    assert isinstance(decl, A.Definition)
    return shape(decl.clauses[0].body)
