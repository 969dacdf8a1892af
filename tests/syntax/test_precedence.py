"""Operator precedence and associativity as in libcspm's grammar (Parser.ppy), loosest first:
``\\`` < ``|||`` < ``[| |]``, ``[ || ]`` < ``|~|`` < ``[]`` < ``/\\`` < ``[>`` < ``;`` < ``&``, ``->``
(right) < ``? !`` < ``.`` < ``or`` < ``and`` < ``not`` < comparisons < ``+ -`` < ``* / %`` < ``#``
< ``^``; ``if``, ``let``, lambda and replicated operators extend as far right as possible.

Each case parses an expression without parentheses and the same expression with the parentheses
that the precedence rules imply; the parse trees must be equal.
"""

from __future__ import annotations

import pytest
from ast_shape import parse_expr

import cspsim
from cspsim.semantics.values import show

SAME = [
    ("a -> P [] b -> Q \\ A", "((a -> P) [] (b -> Q)) \\ A"),
    ("P ||| Q \\ A", "(P ||| Q) \\ A"),
    ("P \\ A \\ B", "(P \\ A) \\ B"),
    ("P [| A |] Q ||| R", "(P [| A |] Q) ||| R"),
    ("P [A || B] Q ||| R", "(P [A || B] Q) ||| R"),
    ("P ||| Q ||| R", "(P ||| Q) ||| R"),
    ("P |~| Q [| A |] R", "(P |~| Q) [| A |] R"),
    ("P [| A |] Q |~| R", "P [| A |] (Q |~| R)"),
    ("P [] Q |~| R", "(P [] Q) |~| R"),
    ("P |~| Q [] R", "P |~| (Q [] R)"),
    ("P [] Q [] R", "(P [] Q) [] R"),
    ("P /\\ Q [] R", "(P /\\ Q) [] R"),
    ("P [] Q /\\ R", "P [] (Q /\\ R)"),
    ("P [> Q /\\ R", "(P [> Q) /\\ R"),
    ("P ; Q [> R", "(P ; Q) [> R"),
    ("P ; Q ; R", "(P ; Q) ; R"),
    ("a -> P ; Q", "(a -> P) ; Q"),
    ("P ; a -> Q", "P ; (a -> Q)"),
    ("a -> b -> P", "a -> (b -> P)"),
    ("g & a -> P [] Q", "(g & (a -> P)) [] Q"),
    ("a -> g & P", "a -> (g & P)"),
    ("x == 1 & P", "(x == 1) & P"),
    ("c?x -> P [] Q", "(c?x -> P) [] Q"),
    ("c!x+1 -> P", "c!(x+1) -> P"),
    ("c!x.y -> P", "c!(x.y) -> P"),
    ("P[[a <- b]] [] Q", "(P[[a <- b]]) [] Q"),
    ("a -> P[[a <- b]]", "a -> (P[[a <- b]])"),
    ("if g then P else Q [] R", "if g then P else (Q [] R)"),
    ("let Y = P within Y [] Q", "let Y = P within (Y [] Q)"),
    ("[] x : S @ P [] Q", "[] x : S @ (P [] Q)"),
    ("||| x : S @ P ; Q", "||| x : S @ (P ; Q)"),
    ("\\ x @ x + 1", "\\ x @ (x + 1)"),
    ("1 + 2 * 3", "1 + (2 * 3)"),
    ("1 - 2 - 3", "(1 - 2) - 3"),
    ("6 / 3 % 2", "(6 / 3) % 2"),
    ("a or b and c", "a or (b and c)"),
    ("not a and b", "(not a) and b"),
    ("x == y and z", "(x == y) and z"),
    ("x < y + 1", "x < (y + 1)"),
    ("#s + 1", "(#s) + 1"),
    ("#s ^ t", "#(s ^ t)"),
    ("s ^ t ^ u", "(s ^ t) ^ u"),
    ("x.y == z", "x.(y == z)"),
    ("f(x)(y)", "(f(x))(y)"),
]


@pytest.mark.parametrize(("bare", "bracketed"), SAME, ids=[s for s, _ in SAME])
def test_precedence(bare: str, bracketed: str) -> None:
    assert parse_expr(bare) == parse_expr(bracketed)


DIFFERENT = [
    ("P [] Q |~| R", "P [] (Q |~| R)"),
    ("a -> P [] Q", "a -> (P [] Q)"),
    ("P ||| Q \\ A", "P ||| (Q \\ A)"),
]


@pytest.mark.parametrize(("bare", "other"), DIFFERENT, ids=[s for s, _ in DIFFERENT])
def test_parentheses_matter(bare: str, other: str) -> None:
    """The comparison above is not vacuous: other bracketings give other trees."""
    assert parse_expr(bare) != parse_expr(other)


def test_precedence_changes_behaviour() -> None:
    """`a -> P [] b -> Q \\ A` hides in both branches, as FDR reads it."""
    model = cspsim.load("channel a, b, c\nX = a -> c -> STOP [] b -> c -> STOP \\ {c}\n")
    lts = model.lts("X")
    labels = {lts.event_labels[e] for s in range(lts.n_states) for e, _ in lts.successors(s)}
    assert labels == {"a", "b", "τ"}


def test_arithmetic_precedence_values() -> None:
    model = cspsim.load("x = 1\n")
    assert show(model.evaluate("2 + 3 * 4 - 6 / 2 % 2")) == "13"
    assert show(model.evaluate("not false and false")) == "false"
    with pytest.raises(cspsim.CspsimError):
        model.evaluate("1 < 2 == true")  # comparisons do not chain (non-associative in libcspm)
