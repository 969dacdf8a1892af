"""Declarations: channels, datatypes, nametypes, subtypes, functions with several equations,
``include``, and the ``assert`` forms."""

from __future__ import annotations

from pathlib import Path

import pytest
from lts_view import maximal

import cspsim
from cspsim.semantics.values import show


def events(model: cspsim.Model, production: str) -> str:
    return show(model.evaluate(production))


def test_channel_declarations() -> None:
    model = cspsim.load("""
datatype Col = Red | Green
nametype Pair = {0..1}.Bool
channel a, b
channel c, c2 : {0..1}
channel d : {0..1}.Bool
channel e : Col
channel p : Pair
channel t : ({0..1}, Bool)
channel s : Col.{0..1}.Col
""")
    assert events(model, "{| a, b |}") == "{a, b}"
    assert events(model, "{| c |}") == "{c.0, c.1}"
    assert events(model, "{| c2 |}") == "{c2.0, c2.1}"
    assert events(model, "{| d |}") == "{d.0.false, d.0.true, d.1.false, d.1.true}"
    assert events(model, "{| e |}") == "{e.Red, e.Green}"
    assert events(model, "{| p |}") == "{p.0.false, p.0.true, p.1.false, p.1.true}"
    assert events(model, "{| t |}") == "{t.(0, false), t.(0, true), t.(1, false), t.(1, true)}"
    assert model.evaluate("card({| s |})") == 8
    assert model.evaluate("card(Events)") == 2 + 4 + 4 + 2 + 4 + 4 + 8


def test_datatype_with_fields_as_channel_type() -> None:
    model = cspsim.load("""
datatype Msg = Req.{0..1} | Ack | Data.Bool.{0..1}
channel m : Msg
P = m?Req.x -> m!Data.true.x -> m.Ack -> STOP
""")
    assert model.evaluate("card(Msg)") == 2 + 1 + 4
    assert events(model, "{| m.Req |}") == "{m.Req.0, m.Req.1}"
    assert maximal(model, "P", 3) == {("m.Req.0", "m.Data.true.0", "m.Ack"), ("m.Req.1", "m.Data.true.1", "m.Ack")}


def test_nametype_and_subtype() -> None:
    model = cspsim.load("""
datatype T = A.{0..2} | B | C
nametype Small = {0..1}
subtype AB = A.{0..1} | B
subtype OnlyC = C
channel x : Small
""")
    assert events(model, "Small") == "{0, 1}"
    assert model.evaluate("AB == {A.0, A.1, B}") is True
    assert events(model, "OnlyC") == "{C}"
    assert events(model, "{| x |}") == "{x.0, x.1}"


def test_functions_with_several_pattern_equations() -> None:
    model = cspsim.load("""
datatype Shape = Circle.{0..9} | Square.{0..9}.{0..9} | Dot
area(Circle.r) = 3 * r * r
area(Square.w.h) = w * h
area(Dot) = 0
fib(0) = 0
fib(1) = 1
fib(n) = fib(n - 1) + fib(n - 2)
zip(<>, _) = <>
zip(_, <>) = <>
zip(<x>^xs, <y>^ys) = <(x, y)>^zip(xs, ys)
channel out : {0..100}
Emit(<>) = SKIP
Emit(<v>^vs) = out!v -> Emit(vs)
""")
    assert [model.evaluate(f"area({s})") for s in ("Circle.2", "Square.3.4", "Dot")] == [12, 12, 0]
    assert model.evaluate("fib(10)") == 55
    assert show(model.evaluate("zip(<1, 2, 3>, <true, false>)")) == "<(1, true), (2, false)>"
    assert maximal(model, "Emit(<3, 1>)", 4) == {("out.3", "out.1", "✓")}


def test_include_relative_to_the_including_file(tmp_path: Path) -> None:
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "channels.csp").write_text('channel a, b\ninclude "more.csp"\n')
    (tmp_path / "lib" / "more.csp").write_text("Q = b -> STOP\n")
    main = tmp_path / "main.csp"
    main.write_text('include "lib/channels.csp"\nP = a -> Q\nassert P :[deadlock free [F]]\n')
    model = cspsim.load(str(main))
    assert maximal(model, "P", 2) == {("a", "b")}
    assert [r.status for r in model.check_all()] == ["fail"]
    assert sorted(Path(f).name for f in model.script.files) == ["channels.csp", "main.csp", "more.csp"]


def test_assert_not_inverts_the_verdict() -> None:
    model = cspsim.load("channel a\nassert not STOP :[deadlock free]\nassert not SKIP :[deadlock free]\n")
    assert [r.status for r in model.check_all()] == ["pass", "fail"]


def test_refinement_assertions_parse() -> None:
    model = cspsim.load("channel a\nP = a -> P\nassert P [T= P\nassert P [F= P\nassert P [FD= P\n")
    assert [(a.decl.kind, a.decl.model) for a in model.assertions] == [("refine", "T"), ("refine", "F"),
                                                                        ("refine", "FD")]
    assert len(model.check_all()) == 3  # checking them (a separate issue) never raises


@pytest.mark.parametrize("spelling", ["deadlock free", "deadlock-free", "deadlock free [F]", "deadlock free [FD]",
                                      "divergence free", "divergence-free", "livelock free", "livelock-free",
                                      "deterministic", "deterministic [F]", "deterministic [FD]"])
def test_property_spellings(spelling: str) -> None:
    model = cspsim.load(f"channel a\nP = a -> P\nassert P :[{spelling}]\n")
    assert [r.status for r in model.check_all()] == ["pass"]
