"""Compression functions: each is equivalent to its argument in T, F and FD, and never larger.

Equivalence is checked with the refinement checker (itself checked against the denotational
oracle in test_oracle.py) in both directions, on random finite and recursive processes, both for
the compressed process alone and used as a component (under parallel and hiding).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from refinement_oracle import HEADER, any_process, cspm, den, processes, refines

import cspsim

COMPRESSIONS = ("normal", "sbisim", "wbisim", "tau_loop_factor", "diamond", "sbdia", "explicate")
ALL = ("T", "F", "FD")
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(any_process("X"))
def test_compressions_preserve_semantics_and_never_grow(p: tuple[list[str], str]) -> None:
    defs = p[0] + [f"PP = {p[1]}"]
    checks = []
    for c in COMPRESSIONS:
        for m in ALL:
            checks += [f"assert {c}(PP) [{m}= PP", f"assert PP [{m}= {c}(PP)",
                       f"assert {c}(PP) [| {{a}} |] PP [{m}= PP [| {{a}} |] PP",
                       f"assert (PP [| {{a}} |] PP) \\ {{b}} [{m}= ({c}(PP) [| {{a}} |] PP) \\ {{b}}"]
    model = cspsim.load(HEADER + "\n".join(defs + checks) + "\n")
    for check, result in zip(checks, model.check_all()):
        assert result.status == "pass", (check, defs, result.message)
    original = model.lts("PP").n_states
    for c in COMPRESSIONS:
        assert model.lts(f"{c}(PP)").n_states <= original, (c, defs)


@settings(max_examples=60, deadline=None)
@given(processes())
def test_compressed_processes_match_the_oracle(p: tuple) -> None:
    """A compressed process has the oracle's semantics of the original (independent check)."""
    d = den(p)
    lines = [f"P = {cspm(p)}"]
    # P itself as the spec or impl of refinements against itself compressed, checked against the oracle
    checks = [f"assert {c}(P) [{m}= STOP" for c in COMPRESSIONS for m in ALL]
    checks += [f"assert STOP [{m}= {c}(P)" for c in COMPRESSIONS for m in ALL]
    results = cspsim.load(HEADER + "\n".join(lines + checks) + "\n").check_all()
    stop = den(("STOP",))
    expected = [refines(d, stop, m) for _ in COMPRESSIONS for m in ALL]
    expected += [refines(stop, d, m) for _ in COMPRESSIONS for m in ALL]
    for check, result, want in zip(checks, results, expected):
        assert result.holds is want, (check, cspm(p))


NORMAL_BLOWUP = """
channel a, b
P = a -> P [] b -> P [] a -> C(4)
C(0) = STOP
C(n) = a -> C(n-1) [] b -> C(n-1)
"""


def test_normal_never_grows_even_when_the_subset_construction_would() -> None:
    m = cspsim.load(NORMAL_BLOWUP)
    assert m.lts("P").n_states == 6
    assert m.lts("normal(P)").n_states <= 6
    for model in ALL:
        assert m.refines("P", "normal(P)", model).passed
        assert m.refines("normal(P)", "P", model).passed


PIPELINE = """
channel left, right, mid : {0..1}
COPY = left?x -> right!x -> COPY
L = COPY[[right <- mid]]
R = COPY[[left <- mid]]
SYS = (L [| {| mid |} |] R) \\ {| mid |}
NDET = (left.0 -> STOP |~| left.0 -> STOP) |~| (left.1 -> STOP [] left.0 -> STOP)
"""


@pytest.mark.parametrize(
    ("process", "compression", "states"),
    [
        ("SYS", "normal", 7),  # a deterministic 2-place buffer: 1 + 2 + 4 contents
        ("SYS", "wbisim", 7),
        ("SYS", "diamond", 7),
        ("SYS", "sbdia", 7),
        ("SYS", "sbisim", 9),
        ("SYS", "tau_loop_factor", 9),
        ("SYS", "explicate", 9),
        ("NDET", "sbisim", 4),  # of 5
        ("NDET", "normal", 3),  # an unstable node, its stable witness accepting {left.0}, and STOP
    ],
)
def test_compressions_reduce_known_processes(process: str, compression: str, states: int) -> None:
    m = cspsim.load(PIPELINE)
    assert m.lts(f"{compression}({process})").n_states == states
    for model in ALL:
        assert m.refines(process, f"{compression}({process})", model).passed
        assert m.refines(f"{compression}({process})", process, model).passed


def test_hidden_divergence_survives_compression() -> None:
    m = cspsim.load("channel a\nP = a -> P\nQ = P \\ {a}")
    for c in COMPRESSIONS:
        r = m.refines("STOP", f"{c}(Q)", "FD")
        assert r.status == "fail" and r.counterexample.annotations["kind"] == "divergence", c
        assert m.refines("STOP", f"{c}(Q)", "F").passed, c
        assert m.lts(f"{c}(Q)").n_states <= m.lts("Q").n_states


def test_compressing_an_unbounded_process_is_a_user_error() -> None:
    m = cspsim.load("channel a\nP = a -> (P ||| P)\nassert normal(P) [T= STOP")
    (r,) = m.check_all(cspsim.Limits(max_component_states=500))
    assert r.status == "error" and r.error["code"] == "E501"


def test_compressions_work_with_fdr_declarations_and_can_be_shadowed() -> None:
    m = cspsim.load("transparent normal, diamond\nchannel a\nP = a -> P\nassert normal(P) [FD= diamond(P)")
    assert [r.status for r in m.check_all()] == ["pass"]
    m = cspsim.load("channel a\ndiamond(x) = x [] STOP\nP = a -> P\nassert diamond(P) [FD= P")
    assert [r.status for r in m.check_all()] == ["pass"]
    assert m.lts("diamond(P)").n_states == 1
