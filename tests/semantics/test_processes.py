"""Process constructs: the traces (and, where choice matters, the stable acceptances) of small
processes, read off cspsim's LTS and compared with values worked out by hand from Roscoe's
semantics."""

from __future__ import annotations

import pytest
from lts_view import acceptances, divergences, load, maximal, traces

import cspsim

HEAD = """
datatype Col = Red | Green
channel a, b, done
channel c : {0..2}
channel d : {0..2}.{0..2}
channel e : Col
channel g : {0..1}.Bool.Col
"""


def m(body: str) -> cspsim.Model:
    return load(HEAD + body)


def fr(*events: str) -> frozenset[str]:
    return frozenset(events)


MAXIMAL = [
    # builtin processes
    ("STOP", {()}),
    ("SKIP", {("✓",)}),
    ("DIV", {()}),
    ("RUN({a})", {("a", "a", "a")}),
    ("CHAOS({a})", {("a", "a", "a")}),
    # prefix forms
    ("a -> b -> STOP", {("a", "b")}),
    ("c.1 -> STOP", {("c.1",)}),
    ("c!2 -> STOP", {("c.2",)}),
    ("c!1+1 -> STOP", {("c.2",)}),
    ("c?x -> STOP", {("c.0",), ("c.1",), ("c.2",)}),
    ("c?x:{1, 2} -> STOP", {("c.1",), ("c.2",)}),
    ("c?x:{y | y <- {0..2}, y != 1} -> STOP", {("c.0",), ("c.2",)}),
    ("c?x -> c!((x + 1) % 3) -> STOP", {("c.0", "c.1"), ("c.1", "c.2"), ("c.2", "c.0")}),
    ("d?x!x -> STOP", {("d.0.0",), ("d.1.1",), ("d.2.2",)}),
    ("d.1?y -> STOP", {("d.1.0",), ("d.1.1",), ("d.1.2",)}),
    ("d?x.y -> c!y -> STOP", {(f"d.{x}.{y}", f"c.{y}") for x in range(3) for y in range(3)}),
    ("d?z -> d.z -> STOP", {(f"d.{x}.{y}", f"d.{x}.{y}") for x in range(3) for y in range(3)}),
    ("g?x!true.Red -> STOP", {("g.0.true.Red",), ("g.1.true.Red",)}),
    ("g?x?y:{false}!Green -> STOP", {("g.0.false.Green",), ("g.1.false.Green",)}),
    ("g!0?y?z -> STOP", {(f"g.0.{y}.{z}",) for y in ("false", "true") for z in ("Red", "Green")}),
    ("e?x -> (x == Red & a -> STOP)", {("e.Red", "a"), ("e.Green",)}),
    # guards, if, choice operators
    ("true & a -> STOP", {("a",)}),
    ("false & a -> STOP", {()}),
    ("1 > 2 & a -> STOP [] b -> STOP", {("b",)}),
    ("if 1 < 2 then a -> STOP else b -> STOP", {("a",)}),
    ("a -> STOP [] b -> STOP", {("a",), ("b",)}),
    ("a -> STOP |~| b -> STOP", {("a",), ("b",)}),
    ("a -> STOP [> b -> STOP", {("a",), ("b",)}),
    ("a -> b -> STOP /\\ done -> STOP", {("a", "b", "done"), ("a", "done"), ("done",)}),
    ("a -> SKIP /\\ done -> STOP", {("a", "✓"), ("a", "done"), ("done",)}),
    ("(a -> SKIP) ; b -> STOP", {("a", "b")}),
    ("SKIP ; SKIP", {("✓",)}),
    ("STOP ; a -> STOP", {()}),
    # hiding and renaming
    ("(a -> b -> STOP) \\ {a}", {("b",)}),
    ("(c?x -> d!x!x -> STOP) \\ {| c |}", {("d.0.0",), ("d.1.1",), ("d.2.2",)}),
    ("(a -> b -> SKIP) \\ {a, b}", {("✓",)}),
    ("(a -> b -> STOP)[[a <- b]]", {("b", "b")}),
    ("(a -> STOP)[[a <- b, a <- done]]", {("b",), ("done",)}),
    ("(c?x -> STOP)[[c.0 <- a]]", {("a",), ("c.1",), ("c.2",)}),
    ("(c.1 -> STOP)[[c <- d.0]]", {("d.0.1",)}),
    ("(a -> b -> STOP)[[a <- b, b <- a]]", {("b", "a")}),
    ("(c?x -> STOP)[[c.x <- e.Red | x <- {0, 1}]]", {("e.Red",), ("c.2",)}),
    # parallel operators
    ("a -> SKIP ||| b -> SKIP", {("a", "b", "✓"), ("b", "a", "✓")}),
    ("a -> b -> STOP [| {b} |] b -> STOP", {("a", "b")}),
    ("a -> b -> STOP [| {a} |] b -> STOP", {("b",)}),
    ("a -> STOP [{a} || {b}] b -> STOP", {("a", "b"), ("b", "a")}),
    ("a -> b -> STOP [{a, b} || {b}] b -> STOP", {("a", "b")}),
    ("(a -> b -> STOP) [{a} || {b}] (b -> STOP)", {("a", "b"), ("b", "a")}),
    ("SKIP [| {a} |] a -> SKIP", {()}),
    ("SKIP ||| a -> SKIP", {("a", "✓")}),
    ("(a -> SKIP [| {a} |] a -> SKIP) ; b -> STOP", {("a", "b")}),
    # replicated operators
    ("[] x : {0, 1} @ c.x -> STOP", {("c.0",), ("c.1",)}),
    ("[] x : {} @ c.x -> STOP", {()}),
    ("|~| x : {0, 2} @ c.x -> STOP", {("c.0",), ("c.2",)}),
    ("||| x : {0, 1} @ c.x -> SKIP", {("c.0", "c.1", "✓"), ("c.1", "c.0", "✓")}),
    ("||| x : {} @ c.x -> SKIP", {("✓",)}),
    ("[| {a} |] x : {0, 1} @ c.x -> a -> STOP", {("c.0", "c.1", "a"), ("c.1", "c.0", "a")}),
    ("|| x : {0, 1} @ [{c.x, a}] c.x -> a -> STOP", {("c.0", "c.1", "a"), ("c.1", "c.0", "a")}),
    ("; x : <2, 0, 1> @ c.x -> SKIP", {("c.2", "c.0", "c.1")}),
    ("; x : <> @ c.x -> SKIP", {("✓",)}),
    ("[] x : {0..2}, x != 1 @ c.x -> STOP", {("c.0",), ("c.2",)}),
    ("[] (x, y) : {(0, 1), (2, 2)} @ d.x.y -> STOP", {("d.0.1",), ("d.2.2",)}),
    # local definitions
    ("let X = a -> b -> X within X", {("a", "b", "a")}),
    ("let Count(n) = n < 2 & c!n -> Count(n + 1) within Count(0)", {("c.0", "c.1")}),
]


@pytest.mark.parametrize(("process", "expected"), MAXIMAL, ids=[p for p, _ in MAXIMAL])
def test_maximal_traces(process: str, expected: set[tuple[str, ...]]) -> None:
    model = m(f"SYS = {process}\n")
    assert maximal(model, "SYS", 3) == expected


def test_replicated_seq_over_a_sequence_keeps_order_and_terminates() -> None:
    model = m("SYS = ; x : <2, 0, 1> @ c.x -> SKIP\n")
    assert ("c.2", "c.0", "c.1", "✓") in traces(model, "SYS", 4)


def test_external_and_internal_choice_differ_in_failures() -> None:
    model = m("E = a -> STOP [] b -> STOP\nI = a -> STOP |~| b -> STOP\nS = a -> STOP [> b -> STOP\n")
    assert acceptances(model, "E") == {fr("a", "b")}
    assert acceptances(model, "I") == {fr("a"), fr("b")}
    assert acceptances(model, "S") == {fr("b")}


def test_chaos_may_refuse_and_run_may_not() -> None:
    model = m("C = CHAOS({a, b})\nR = RUN({a, b})\n")
    assert fr() in acceptances(model, "C")  # CHAOS can refuse everything
    assert acceptances(model, "R") == {fr("a", "b")}


def test_hiding_a_loop_diverges_and_div_diverges() -> None:
    model = m("P = a -> P\nQ = b -> (P \\ {a})\n")
    assert divergences(model, "Q", 2) == {("b",)}
    assert divergences(model, "DIV", 1) == {()}
    assert divergences(model, "P", 2) == set()


def test_termination_needs_every_parallel_component() -> None:
    model = m("SYS = (a -> SKIP) [| {a} |] (a -> SKIP)\nT = (a -> SKIP) ||| STOP\n")
    assert traces(model, "SYS", 3) == {(), ("a",), ("a", "✓")}
    assert traces(model, "T", 3) == {(), ("a",)}


def test_recursion_with_parameters_and_mutual_recursion() -> None:
    model = m(
        "P(n) = if n == 0 then done -> STOP else c!n -> P(n - 1)\n"
        "Ping = a -> Pong\nPong = b -> Ping\n"
    )
    assert maximal(model, "P(2)", 4) == {("c.2", "c.1", "done")}
    assert maximal(model, "Ping", 3) == {("a", "b", "a")}


def test_interrupt_by_termination_and_sliding_choice_termination() -> None:
    model = m("P = (a -> STOP) /\\ SKIP\nQ = SKIP [> a -> STOP\n")
    assert traces(model, "P", 2) == {(), ("a",), ("✓",), ("a", "✓")}
    assert traces(model, "Q", 2) == {(), ("✓",), ("a",)}


def test_structured_values_in_events() -> None:
    """Datatype fields, nametype products and tuples as channel fields, taken apart by inputs."""
    model = load("""
datatype Msg = Req.{0..1} | Ack
nametype Pair = {0..1}.Bool
channel m, n : Msg
channel p : Pair
channel t : ({0..1}, Bool)
channel q : {0..1}
A = m?x -> n!x -> STOP
B = p?x -> p.x -> STOP
C = t?(x, y) -> (y & q!x -> STOP)
D = m?Req.x -> q!x -> STOP [] m.Ack -> STOP
E = [] v : Msg @ m.v -> STOP
F = p?x?y -> q.x -> STOP
G = m?x:{Req.1, Ack} -> STOP
""")
    assert maximal(model, "A", 2) == {("m.Ack", "n.Ack"), ("m.Req.0", "n.Req.0"), ("m.Req.1", "n.Req.1")}
    assert maximal(model, "B", 2) == {(f"p.{x}.{b}", f"p.{x}.{b}") for x in (0, 1) for b in ("false", "true")}
    assert maximal(model, "C", 2) == {("t.(0, false)",), ("t.(1, false)",), ("t.(0, true)", "q.0"),
                                      ("t.(1, true)", "q.1")}
    assert maximal(model, "D", 2) == {("m.Ack",), ("m.Req.0", "q.0"), ("m.Req.1", "q.1")}
    assert maximal(model, "E", 2) == {("m.Ack",), ("m.Req.0",), ("m.Req.1",)}
    assert maximal(model, "F", 2) == {(f"p.{x}.{b}", f"q.{x}") for x in (0, 1) for b in ("false", "true")}
    assert maximal(model, "G", 2) == {("m.Ack",), ("m.Req.1",)}
