"""The oracle checked on its own: textbook answers, and its two semantics against each other.

These tests do not involve cspsim. They make sure that when the engine and the oracle disagree,
the oracle is the one to trust.
"""

from __future__ import annotations

import csp_opsem as O
from csp_ast import (
    APar,
    Binary,
    Call,
    Chaos,
    Definition,
    Div,
    EvSet,
    GPar,
    Hide,
    In,
    Lit,
    Out,
    Prefix,
    Rename,
    Rep,
    Run,
    Script,
    Skip,
    Stop,
    Var,
    show_proc,
    show_script,
)
from csp_gen import scripts
from csp_traces import HidingUnsupported, TraceSemantics
from hypothesis import assume, given
from oracle_settings import oracle_settings

A = ("a",)
B = ("b",)


def g(p, defs=()):
    return O.build_graph(Script(tuple(defs), p))


def pre(ch, cont, *fields):
    return Prefix(ch, tuple(fields), cont)


def test_basic_processes() -> None:
    assert O.traces(g(Stop()), 3) == {()}
    assert O.traces(g(Skip()), 3) == {(), ("✓",)}
    assert not O.can_deadlock(g(Skip()))  # termination is not deadlock
    assert O.can_deadlock(g(Stop()))
    assert O.can_diverge(g(Div())) and not O.can_deadlock(g(Div()))
    assert O.failures(g(Div()), 2) == {(): frozenset()}  # DIV has no stable failures


def test_choice_failures_distinguish_internal_and_external() -> None:
    ext = Binary("[]", pre("a", Stop()), pre("b", Stop()))
    intc = Binary("|~|", pre("a", Stop()), pre("b", Stop()))
    assert O.traces(g(ext), 2) == O.traces(g(intc), 2)
    assert O.failures(g(ext), 1)[()] == {frozenset({"a", "b"})}
    assert O.failures(g(intc), 1)[()] == {frozenset({"a"}), frozenset({"b"})}
    assert O.deterministic_f(g(ext)) and not O.deterministic_f(g(intc))


def test_sliding_choice_and_interrupt() -> None:
    slide = Binary("[>", pre("a", Stop()), pre("b", Stop()))
    # P [> Q: the initial state is unstable, so only Q's acceptance is a stable one.
    assert O.failures(g(slide), 1)[()] == {frozenset({"b"})}
    assert not O.deterministic_f(g(slide))
    intr = Binary("/\\", pre("a", Skip()), pre("b", Stop()))
    assert O.traces(g(intr), 3) == {(), ("a",), ("b",), ("a", "b"), ("a", "✓")}


def test_hiding_a_loop_diverges() -> None:
    loop = Definition("P", (), pre("a", Call("P", ())))
    assert O.can_diverge(g(Hide(Call("P", ()), EvSet((A,))), [loop]))
    assert not O.can_diverge(g(Call("P", ()), [loop]))


def test_parallel_termination_and_synchronisation() -> None:
    both = Binary("|||", pre("a", Skip()), pre("b", Skip()))
    assert ("a", "b", "✓") in O.traces(g(both), 3)
    assert ("a", "✓") not in O.traces(g(both), 3)  # ✓ needs every side terminated
    sync = GPar(pre("a", Stop()), EvSet((A,)), pre("b", Stop()))
    assert O.traces(g(sync), 2) == {(), ("b",)}
    alpha = APar(pre("a", pre("b", Stop())), EvSet((A,)), EvSet((B,)), pre("b", Stop()))
    # The left side does a alone, then may not do b (outside its alphabet); the right does b.
    assert O.traces(g(alpha), 3) == {(), ("a",), ("b",), ("a", "b"), ("b", "a")}


def test_renaming_one_to_many_and_chaos() -> None:
    r = Rename(pre("a", Stop()), (("a", "b"), (A, ("c", 0))))
    assert O.traces(g(r), 1) == {(), ("b",), ("c.0",)}
    ch = g(Chaos(EvSet((A,))))
    assert O.traces(ch, 2) == {(), ("a",), ("a", "a")}
    assert O.can_deadlock(ch) and not O.deterministic_f(ch)
    assert O.deterministic_f(g(Run(EvSet((A, B)))))


def test_inputs_bind_variables() -> None:
    p = pre("c", pre("f", Stop(), Out(Var("x"))), In("x"))
    assert O.traces(g(p), 2) == {(), ("c.0",), ("c.1",), ("c.0", "f.0"), ("c.1", "f.1")}
    whole = pre("d", pre("d", Stop(), Out(Var("z"))), In("z", rest=True))
    assert ("d.1.true", "d.1.true") in O.traces(g(whole), 2)


def test_tick_axiom_variant() -> None:
    p = Binary("[]", Skip(), pre("a", Stop()))
    assert O.deterministic_f(g(p))  # stable-state reading
    assert not O.deterministic_f(g(p), tick_axiom=True)  # with Roscoe's (s, Σ) axiom


def test_printer_uses_cspm_precedence() -> None:
    p = Hide(Binary("[]", pre("a", Stop()), pre("b", Stop())), EvSet((A,)))
    assert show_proc(p, minimal=True) == "a -> STOP [] b -> STOP \\ {a}"
    q = Binary(";", Binary("[]", Skip(), Stop()), pre("a", Stop()))
    assert show_proc(q, minimal=True) == "(SKIP [] STOP) ; a -> STOP"
    rep = Rep("||", "x", (0, 1), Stop(), alphas=(EvSet((A,)), EvSet((B,))))
    assert show_proc(rep) == "(|| x : {0, 1} @ [if x == 0 then {a} else {b}] STOP)"
    assert "SYS = a -> STOP" in show_script(Script((), pre("a", Stop())))
    assert show_proc(pre("d", Stop(), In("x"), Out(Lit(True), dot=True))) == "d?x.true -> STOP"


@oracle_settings(200)
@given(scripts())
def test_operational_traces_match_denotational_traces(script: Script) -> None:
    """Two independent semantics of the oracle agree (on processes without hiding)."""
    try:
        graph = O.build_graph(script)
        den = TraceSemantics(script).labels(script.system, 4)
    except (O.TooBig, HidingUnsupported):
        assume(False)
        return
    assert den == O.traces(graph, 4), show_script(script)
