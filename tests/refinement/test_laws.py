"""Algebraic laws of CSP, checked by the refinement checker on random processes.

Each equation is checked in both directions in every model where it holds; one-way laws in the
direction they hold. Processes are random finite processes and random recursive systems. Known
non-laws are checked to produce a counterexample of the expected kind.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from refinement_oracle import HEADER, any_process

import cspsim

ALL = ("T", "F", "FD")
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# (left, right, models where left = right)
EQUATIONS = [
    ("{P} [] {Q}", "{Q} [] {P}", ALL),
    ("{P} |~| {Q}", "{Q} |~| {P}", ALL),
    ("({P} [] {Q}) [] {R}", "{P} [] ({Q} [] {R})", ALL),
    ("({P} |~| {Q}) |~| {R}", "{P} |~| ({Q} |~| {R})", ALL),
    ("{P} |~| {P}", "{P}", ALL),
    ("{P} [] {P}", "{P}", ALL),
    ("{P} [] STOP", "{P}", ALL),
    ("{P} ||| {Q}", "{Q} ||| {P}", ALL),
    ("{P} [| {a} |] ({Q} |~| {R})", "({P} [| {a} |] {Q}) |~| ({P} [| {a} |] {R})", ALL),
    ("({P} |~| {Q}) \\ {a}", "({P} \\ {a}) |~| ({Q} \\ {a})", ALL),
    ("({P} \\ {a}) \\ {b}", "{P} \\ {a, b}", ALL),
    ("a -> ({P} |~| {Q})", "(a -> {P}) |~| (a -> {Q})", ALL),
    ("SKIP ; {P}", "{P}", ALL),
    ("{P} ; SKIP", "{P}", ALL),
    ("{P} [] SKIP", "{P} [> SKIP", ALL),  # FDR 3/4's ✓: a process that can terminate may refuse the rest
    ("{P} |~| STOP", "{P}", ("T",)),
    ("{P} |~| DIV", "{P}", ("T", "F")),
]

# (spec, impl, models where spec [X= impl always holds)
REFINEMENTS = [
    ("{P} |~| {Q}", "{P}", ALL),
    ("{P} |~| {Q}", "{P} [] {Q}", ALL),
    ("{P} [> {Q}", "{P} [] {Q}", ALL),  # P [> Q = (P [] Q) |~| Q
    ("{P} |~| STOP", "{P}", ALL),
    ("DIV", "{P}", ("FD",)),
    ("{P}", "DIV", ("T", "F")),
    ("{P}", "STOP", ("T",)),
]


def _load(defs: list[str], assertions: list[str]) -> list[cspsim.Result]:
    return cspsim.load(HEADER + "\n".join(defs + assertions) + "\n").check_all()


def _fill(template: str, names: dict[str, str]) -> str:
    out = template
    for k, v in names.items():
        out = out.replace("{" + k + "}", v)
    return out


@SETTINGS
@given(any_process("X"), any_process("Y"), any_process("Z"))
def test_laws_hold(p: tuple[list[str], str], q: tuple[list[str], str], r: tuple[list[str], str]) -> None:
    defs = p[0] + q[0] + r[0] + [f"PP = {p[1]}", f"QQ = {q[1]}", f"RR = {r[1]}"]
    names = {"P": "PP", "Q": "QQ", "R": "RR"}
    checks: list[str] = []
    for left, right, models in EQUATIONS:
        for m in models:
            checks.append(f"assert {_fill(left, names)} [{m}= {_fill(right, names)}")
            checks.append(f"assert {_fill(right, names)} [{m}= {_fill(left, names)}")
    for spec, impl, models in REFINEMENTS:
        checks.extend(f"assert {_fill(spec, names)} [{m}= {_fill(impl, names)}" for m in models)
    for check, result in zip(checks, _load(defs, checks)):
        assert result.status == "pass", (check, defs, result.message)


@SETTINGS
@given(any_process("X", skip=False))
def test_interleaving_stop_is_the_identity_without_termination(p: tuple[list[str], str]) -> None:
    checks = [f"assert PP ||| STOP [{m}= PP" for m in ALL] + [f"assert PP [{m}= PP ||| STOP" for m in ALL]
    for check, result in zip(checks, _load(p[0] + [f"PP = {p[1]}"], checks)):
        assert result.status == "pass", (check, p)


@SETTINGS
@given(any_process("X"), any_process("Y"))
def test_external_choice_refining_internal_fails_only_on_refusals(p: tuple[list[str], str],
                                                                   q: tuple[list[str], str]) -> None:
    """``P [] Q [F= P |~| Q`` is not a law; when it fails the traces agree, so it is a refusal."""
    checks = ["assert PP [] QQ [T= PP |~| QQ", "assert PP [] QQ [F= PP |~| QQ"]
    t, f = _load(p[0] + q[0] + [f"PP = {p[1]}", f"QQ = {q[1]}"], checks)
    assert t.status == "pass"
    if f.status == "fail":
        assert f.counterexample is not None and f.counterexample.annotations["kind"] == "refusal"


NON_LAWS = [
    # (spec, impl, model, counterexample kind, trace)
    ("a -> STOP [] b -> STOP", "a -> STOP |~| b -> STOP", "F", "refusal", []),
    ("a -> STOP", "a -> STOP |~| STOP", "F", "refusal", []),
    ("SKIP", "SKIP ||| STOP", "F", "refusal", []),
    ("SKIP ||| STOP", "SKIP", "T", "trace", ["✓"]),
    ("a -> STOP [] b -> STOP", "a -> STOP [> b -> STOP", "F", "refusal", []),
    ("STOP", "DIV", "FD", "divergence", []),
    ("a -> STOP", "a -> DIV", "FD", "divergence", ["a"]),
    ("(a -> STOP) \\ {a}", "a -> STOP", "T", "trace", ["a"]),
]


def test_non_laws_give_counterexamples() -> None:
    checks = [f"assert {s} [{m}= {i}" for s, i, m, _, _ in NON_LAWS]
    for (_, _, _, kind, trace), check, result in zip(NON_LAWS, checks, _load([], checks)):
        assert result.status == "fail", check
        assert result.counterexample is not None
        assert result.counterexample.annotations["kind"] == kind, check
        assert result.counterexample.events == trace, check
