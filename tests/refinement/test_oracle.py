"""Refinement and determinism verdicts agree with the independent denotational calculator.

Random finite processes (SKIP, DIV, prefix, [], |~|, ;, [>, hiding, [| |], |||, renaming) are
printed as CSPM, checked by cspsim, and compared with the traces / stable failures / divergences
computed by ``refinement_oracle`` from the definitions. Every counterexample cspsim reports is
also validated against the oracle: it must be a behaviour of the implementation that the
specification does not have.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from refinement_oracle import HEADER, SIGMA_T, TICK, cspm, den, deterministic, processes, refines

import cspsim

MODELS = ("T", "F", "FD")
SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _script(lines: list[str]) -> cspsim.Model:
    return cspsim.load(HEADER + "\n".join(lines) + "\n")


def _trace(events: list[str]) -> tuple[str, ...]:
    return tuple(events)


def validate(result: cspsim.Result, spec: tuple, impl: tuple, model: str) -> None:
    """The counterexample is an implementation behaviour the specification lacks."""
    s, i = den(spec), den(impl)
    cex = result.counterexample
    assert cex is not None
    kind = cex.annotations["kind"]
    trace = _trace(cex.events)
    masked = model == "FD" and s.diverges_by(trace[:-1] if kind == "trace" else trace)
    assert not masked, "a counterexample after the specification diverged"
    if kind == "trace":
        assert trace in i.traces and trace not in s.traces
        assert model != "FD" or not s.diverges_by(trace)
    elif kind == "refusal":
        assert model in ("F", "FD")
        refusal = frozenset(SIGMA_T) - frozenset(cex.annotations["acceptance"])
        assert i.refuses(trace, refusal)
        assert not s.refuses(trace, refusal)
    else:
        assert kind == "divergence" and model == "FD"
        assert cex.loop_index is not None and all(st.event_id == 0 for st in cex.steps[cex.loop_index:])
        assert i.diverges_by(trace) and not s.diverges_by(trace)


@SETTINGS
@given(processes(), processes())
def test_refinement_agrees_with_denotational_semantics(spec: tuple, impl: tuple) -> None:
    m = _script([f"S = {cspm(spec)}", f"I = {cspm(impl)}"] + [f"assert S [{x}= I" for x in MODELS])
    for model, result in zip(MODELS, m.check_all()):
        expected = refines(den(spec), den(impl), model)
        assert result.holds is expected, (model, cspm(spec), cspm(impl), result.message)
        if not expected:
            validate(result, spec, impl, model)


@SETTINGS
@given(processes(max_leaves=5), processes(max_leaves=5))
def test_related_processes_agree(p: tuple, q: tuple) -> None:
    """Pairs built from the same parts refine each other more often, exercising the pass side."""
    for spec, impl in [(("int", p, q), p), (p, ("ext", p, q)), (("ext", p, q), ("int", q, p)),
                       (("hide", p, frozenset("a")), ("hide", ("int", p, q), frozenset("a")))]:
        m = _script([f"S = {cspm(spec)}", f"I = {cspm(impl)}"] + [f"assert S [{x}= I" for x in MODELS])
        for model, result in zip(MODELS, m.check_all()):
            expected = refines(den(spec), den(impl), model)
            assert result.holds is expected, (model, cspm(spec), cspm(impl))
            if not expected:
                validate(result, spec, impl, model)


@SETTINGS
@given(processes())
def test_determinism_agrees_with_denotational_semantics(p: tuple) -> None:
    m = _script([f"P = {cspm(p)}", "assert P :[deterministic [F]]", "assert P :[deterministic [FD]]"])
    d = den(p)
    for model, result in zip(("F", "FD"), m.check_all()):
        assert result.holds is deterministic(d, model), (model, cspm(p))
        if result.holds is False and result.counterexample.annotations["kind"] == "nondeterminism":
            cex = result.counterexample
            trace = _trace(cex.events)
            event = cex.annotations["event"]
            assert trace + (event,) in d.traces
            assert d.refuses(trace, frozenset([event]))


@SETTINGS
@given(processes(), st.lists(st.sampled_from(("a", "b", "c")), max_size=4))
def test_has_trace_agrees_with_denotational_traces(p: tuple, trace: list[str]) -> None:
    text = "<" + ", ".join(trace) + ">"
    (result,) = _script([f"P = {cspm(p)}", f"assert P :[has trace]: {text}"]).check_all()
    assert result.holds is (tuple(trace) in den(p).traces)


def test_oracle_tick_semantics_matches_fdr_convention() -> None:
    """The oracle itself: ``SKIP [] a -> STOP`` may refuse a (FDR 3/4, Roscoe's UCS)."""
    d = den(("ext", ("SKIP",), ("prefix", "a", ("STOP",))))
    assert d.refuses((), frozenset("abc"))
    assert not d.refuses((), frozenset([TICK]))
