"""The functional sub-language: each expression evaluated by ``model.evaluate`` and shown as FDR
prints values. Expected values are worked out by hand from the CSPM semantics (libcspm's Prelude
and evaluator: ``/`` and ``%`` are Haskell's ``div`` and ``mod``; sets print in value order)."""

from __future__ import annotations

import pytest

import cspsim
from cspsim.semantics.values import Dot, Name, Seq, show

SCRIPT = """
datatype Col = Red | Green | Blue
datatype T = A.{0..1} | B.Bool | C
nametype Small = {0..2}
nametype Pair = Small.Bool
subtype Warm = Red | Green
subtype TA = A.{1}
channel a, b
channel c : {0..2}
channel d : Small.Bool
channel t : T
N = 3
xs = <1, 2, 3>
fact(0) = 1
fact(n) = n * fact(n - 1)
sum(<>) = 0
sum(<x>^s) = x + sum(s)
last(s^<x>) = x
swap((x, y)) = (y, x)
k(A.x) = x
k(B.v) = if v then 10 else 20
k(C) = 30
first({x}) = x
both(p @@ (x, _)) = (p, x)
lit(0) = "zero"
lit(_) = "other"
sq = \\ x @ x * x
add(x)(y) = x + y
id(x) = x
(u, w) = (4, 5)
"""


@pytest.fixture(scope="module")
def model() -> cspsim.Model:
    return cspsim.load(SCRIPT)


CASES = [
    # Int and Bool
    ("1 + 2 * 3", "7"), ("(1 + 2) * 3", "9"), ("2 - 3 - 4", "-5"), ("7 / 2", "3"), ("7 % 3", "1"),
    ("(-7) / 2", "-4"), ("(-7) % 3", "2"), ("7 % -3", "-2"), ("-3 + 5", "2"), ("2 * -3", "-6"), ("- (2)", "-2"),
    ("N * N", "9"), ("1 < 2", "true"), ("2 <= 2", "true"), ("3 > 4", "false"), ("3 >= 4", "false"),
    ("3 == 3", "true"), ("3 != 3", "false"), ("true and false or true", "true"), ("not true or true", "true"),
    ("not (true or true)", "false"), ("1 < 2 and 2 < 3", "true"), ("true == false", "false"),
    # tuples and dotted values
    ("(1, true)", "(1, true)"), ("((1, 2), <>)", "((1, 2), <>)"), ("A.1", "A.1"), ("t.A.1", "t.A.1"),
    ("(A.1) == (A.1)", "true"), ("d.0.true", "d.0.true"), ("swap((1, 2))", "(2, 1)"),
    # functions, patterns, let, if, lambda
    ("fact(5)", "120"), ("sum(xs)", "6"), ("last(xs)", "3"), ("k(A.1)", "1"), ("k(B.false)", "20"),
    ("k(C)", "30"), ("first({7})", "7"), ("both((1, 2))", "((1, 2), 1)"), ('lit(0) == "zero"', "true"),
    ("lit(3)", '"other"'), ("sq(7)", "49"), ("add(2)(3)", "5"), ("(u, w)", "(4, 5)"),
    ("(\\ x, y @ x + y)(1, 2)", "3"), ("let x = 2\n    y = 3\nwithin x * y", "6"),
    ("let f(0) = 1\n    f(n) = n * f(n - 1)\nwithin f(4)", "24"), ("if 1 < 2 then 3 else 4", "3"),
    ("if false then 3 else if true then 5 else 6", "5"),
    # sets
    ("{}", "{}"), ("{2, 1, 2}", "{1, 2}"), ("{1, 2} == {2, 1}", "true"), ("{0..3}", "{0, 1, 2, 3}"),
    ("{3..1}", "{}"), ("{x * 2 | x <- {0..3}, x > 0}", "{2, 4, 6}"),
    ("{(x, y) | x <- {0..1}, y <- {x..1}}", "{(0, 0), (0, 1), (1, 1)}"), ("{x | x : {1, 2}}", "{1, 2}"),
    ("union({1}, {2})", "{1, 2}"), ("inter({1, 2}, {2, 3})", "{2}"), ("diff({1, 2}, {2})", "{1}"),
    ("member(1, {1})", "true"), ("member(3, {0..})", "true"), ("member(3, Int)", "true"), ("card({1, 2, 2})", "2"),
    ("empty({})", "true"), ("empty({1})", "false"), ("Union({{1}, {2}, {}})", "{1, 2}"),
    ("Inter({{1, 2}, {2, 3}})", "{2}"), ("Set({1, 2})", "{{}, {1}, {1, 2}, {2}}"), ("{1} <= {1, 2}", "true"),
    ("{1, 2} < {1, 2}", "false"), ("Bool", "{false, true}"),
    # sequences
    ("<>", "<>"), ("< >", "<>"), ("<1, 2>", "<1, 2>"), ("<1..4>", "<1, 2, 3, 4>"), ("<1, 2> ^ <3>", "<1, 2, 3>"),
    ("#<1, 2, 3>", "3"), ("#<>", "0"), ("head(<4, 5>)", "4"), ("tail(<4, 5>)", "<5>"), ("length(<1, 2>)", "2"),
    ("null(<>)", "true"), ("null(<1>)", "false"), ("elem(2, <1, 2>)", "true"), ("elem(3, <1, 2>)", "false"),
    ("concat(<<1>, <>, <2, 3>>)", "<1, 2, 3>"), ("seq({3, 1, 2})", "<1, 2, 3>"), ("set(<1, 1, 2>)", "{1, 2}"),
    ("<x | x <- <1..5>, x % 2 == 0>", "<2, 4>"), ("<x * 10 | x <- xs>", "<10, 20, 30>"), ("<<>>", "<<>>"),
    ("<1> <= <1, 2>", "true"), ("<2> <= <1, 2>", "false"), ("<1, 2> == <1, 2>", "true"), ('"ab" ^ "c"', '"abc"'),
    ("#<1>^<2>", "2"), ("#xs + 1", "4"),
    # types, datatypes, nametypes, subtypes
    ("Col", "{Red, Green, Blue}"), ("T == {C, B.true, B.false, A.1, A.0}", "true"), ("card(T)", "5"),
    ("Small", "{0, 1, 2}"),
    ("Pair", "{0.false, 0.true, 1.false, 1.true, 2.false, 2.true}"), ("Warm", "{Red, Green}"), ("TA", "{A.1}"),
    ("member(Blue, Warm)", "false"),
    # events and productions
    ("{| c |}", "{c.0, c.1, c.2}"), ("{| d.1 |}", "{d.1.false, d.1.true}"), ("{| c, a |}", "{a, c.0, c.1, c.2}"),
    ("{| t.A |}", "{t.A.0, t.A.1}"), ("{| c.x | x <- {0, 2} |}", "{c.0, c.2}"), ("productions(c)", "{c.0, c.1, c.2}"),
    ("card(Events)", str(2 + 3 + 6 + 5)), ("member(t.C, Events)", "true"),
]


@pytest.mark.parametrize(("expr", "expected"), CASES, ids=[c[0] for c in CASES])
def test_expression_value(model: cspsim.Model, expr: str, expected: str) -> None:
    assert show(model.evaluate(expr)) == expected


def test_value_types(model: cspsim.Model) -> None:
    """Values come back as the documented Python types."""
    assert model.evaluate("1 + 1") == 2 and type(model.evaluate("1 < 2")) is bool
    assert model.evaluate("{1, 2}") == frozenset({1, 2})
    assert model.evaluate("(1, 2)") == (1, 2)
    assert isinstance(model.evaluate("<1>"), Seq)
    assert isinstance(model.evaluate("A.1"), Dot)
    assert isinstance(model.evaluate("Red"), Name)


def test_true_and_one_are_different_arguments(model: cspsim.Model) -> None:
    """Regression: function results were cached by argument, and Python has True == 1."""
    assert show(model.evaluate("(id(1), id(true), id(0), id(false))")) == "(1, true, 0, false)"
    assert show(model.evaluate("(id({true}), id({1}), id(<1>), id(<true>))")) == "({true}, {1}, <1>, <true>)"
    assert show(model.evaluate("let h(y) = (y, y) within (h(true), h(1))")) == "((true, true), (1, 1))"
    m = cspsim.load("channel ci : {0..1}\nchannel cb : Bool\nid(x) = x\nP = ci!id(1) -> cb!id(true) -> STOP")
    lts = m.lts("P")
    assert {lts.event_labels[e] for s in range(lts.n_states) for e, _ in lts.successors(s)} == {"ci.1", "cb.true"}
