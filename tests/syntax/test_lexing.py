"""Comments, newlines and the sequence brackets: the lexical rules libcspm's lexer implements."""

from __future__ import annotations

import pytest
from ast_shape import parse_expr
from lts_view import maximal

import cspsim
from cspsim.semantics.values import show


def test_line_and_nested_block_comments() -> None:
    model = cspsim.load(
        "-- a line comment\n"
        "channel a, b -- after a declaration\n"
        "{- a block comment\n"
        "   {- nested -} still inside\n"
        "-}\n"
        "P = a -> {- inline -} b -> STOP -- end\n"
        "x = 1 {- -} + {- {- -} -} 2\n"
        "--\n"
    )
    assert maximal(model, "P", 3) == {("a", "b")}
    assert model.evaluate("x") == 3


def test_comment_markers_inside_strings_are_text() -> None:
    model = cspsim.load('s = "a -- b {- c"\nn = #s\n')
    assert show(model.evaluate("s")) == '"a -- b {- c"'
    assert model.evaluate("n") == 11


def test_positions_after_comments_stay_exact() -> None:
    with pytest.raises(cspsim.CspsimError) as info:
        cspsim.load("{- two\nlines -} channel a\nP = a -> {- x -} Q\n")
    assert info.value.span.line == 3 and info.value.span.col == 18


CONTINUATIONS = [
    "a -> STOP\n    [] b -> STOP",
    "a -> STOP []\n    b -> STOP",
    "a ->\n    STOP [] b -> STOP",
    "a -> STOP\n    -- a comment between the lines\n\n    [] b -> STOP",
    "(a -> STOP\n [] b -> STOP)",
]


@pytest.mark.parametrize("text", CONTINUATIONS)
def test_expression_continues_before_or_after_an_operator(text: str) -> None:
    model = cspsim.load(f"channel a, b\nP = {text}\nQ = a -> STOP\n")
    assert maximal(model, "P", 2) == {("a",), ("b",)}
    assert maximal(model, "Q", 2) == {("a",)}


OPERATOR_LINES = [
    ("P\n |~| Q", "P |~| Q"), ("P |||\n Q", "P ||| Q"), ("P\n ; Q", "P ; Q"), ("P\n \\ A", "P \\ A"),
    ("P\n [| A |] Q", "P [| A |] Q"), ("P\n [A || B] Q", "P [A || B] Q"), ("P [A\n || B] Q", "P [A || B] Q"),
    ("P [| A |]\n Q", "P [| A |] Q"), ("P\n /\\ Q", "P /\\ Q"),
    ("P\n [> Q", "P [> Q"), ("g &\n P", "g & P"), ("if g\n then P\n else Q", "if g then P else Q"),
    ("let\n  Y = P\n  Z = Q\nwithin\n  Y", "let Y = P\n Z = Q within Y"), ("1\n + 2", "1 + 2"), ("1 +\n 2", "1 + 2"),
    ("x\n and y", "x and y"), ("f(1,\n 2)", "f(1, 2)"), ("{1,\n 2}", "{1, 2}"), ("<1\n , 2>", "<1, 2>"),
    ("c\n ?x\n -> P", "c?x -> P"), ("c!1\n -> P", "c!1 -> P"), ("P[[a <- b,\n c <- d]]", "P[[a <- b, c <- d]]"),
]


@pytest.mark.parametrize(("multi", "single"), OPERATOR_LINES, ids=[s for _, s in OPERATOR_LINES])
def test_newline_next_to_an_operator(multi: str, single: str) -> None:
    assert parse_expr(multi) == parse_expr(single)


def test_newline_after_a_complete_expression_ends_the_declaration() -> None:
    model = cspsim.load("x = 1\ny = (2)\nz = <3>\nw = x\n")
    assert [model.evaluate(n) for n in ("x", "y", "w")] == [1, 2, 1]
    with pytest.raises(cspsim.CspsimError):
        cspsim.load("x = 1\n2\n")  # a bare expression is not a declaration


SEQUENCES = [
    ("<>", "<>"), ("< >", "<>"), ("<1, 2> ^ <3>", "<1, 2, 3>"), ("#<1, 2> < 3", "true"), ("1<2", "true"),
    ("x<y", "true"), ("f(<1>)", "<1>"), ("<<1>, <>>", "<<1>, <>>"), ("<<>>", "<<>>"), ("<(1 > 0)>", "<true>"),
    ("<x | x <- <1..3>, (x > 1)>", "<2, 3>"), ("{x | x <- {0..3}, x > 1}", "{2, 3}"), ("<1> < <1, 2>", "true"),
    ("<(1, 2)>", "<(1, 2)>"), ("(<1>, <2>)", "(<1>, <2>)"), ("<1..3>", "<1, 2, 3>"), ("<x-1 | x <- <2>>", "<1>"),
    ("<{1}>", "<{1}>"), ("f(<1>)^<2>", "<1, 2>"), ("<1> == <1>", "true"), ("x < y and y > x", "true"),
]


@pytest.mark.parametrize(("expr", "value"), SEQUENCES, ids=[e for e, _ in SEQUENCES])
def test_sequence_brackets_and_less_than(expr: str, value: str) -> None:
    model = cspsim.load("x = 1\ny = 2\nf(s) = s\n")
    assert show(model.evaluate(expr)) == value


def test_greater_than_inside_a_sequence_needs_parentheses() -> None:
    """As in FDR, `>` closes the innermost open sequence."""
    with pytest.raises(cspsim.CspsimError) as info:
        cspsim.load("s = <x | x <- <1..3>, x > 1>\n")
    assert info.value.hint is not None and "parentheses" in info.value.hint
