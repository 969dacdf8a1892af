"""Classic verdicts, the example models' pinned verdicts, Lazić's determinism check, and the CLI/JSON
presentation of refinement counterexamples."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from refinement_oracle import cspm, processes

import cspsim
from cspsim.cli import main

MODELS_DIR = Path(__file__).resolve().parents[2] / "models"

BUFFERS = """
T = {0, 1}
channel left, right, mid : T
COPY = left?x -> right!x -> COPY
BUFF(s) =
  if #s == 0 then left?x -> BUFF(<x>)
  else if #s < 2 then (left?x -> BUFF(s ^ <x>) [] right!head(s) -> BUFF(tail(s)))
  else right!head(s) -> BUFF(tail(s))
PIPE = (COPY[[right <- mid]] [| {| mid |} |] COPY[[left <- mid]]) \\ {| mid |}
"""


def test_two_copies_in_a_pipeline_are_a_two_place_buffer() -> None:
    m = cspsim.load(BUFFERS)
    for model in ("T", "F", "FD"):
        assert m.refines("BUFF(<>)", "PIPE", model).passed
        assert m.refines("PIPE", "BUFF(<>)", model).passed
    r = m.refines("BUFF(<>)", "COPY", "F")
    assert r.counterexample.events == ["left.0"]
    assert r.counterexample.annotations["acceptance"] == ["right.0"]
    assert r.counterexample.annotations["refuses"] == ["left.0", "left.1"]


def test_hiding_a_loop_diverges() -> None:
    m = cspsim.load("channel a\nP = a -> P")
    assert m.check_process("P \\ {a}", "divergence free").status == "fail"
    r = m.refines("STOP", "P \\ {a}", "FD")
    cex = r.counterexample
    assert r.status == "fail" and cex.annotations["kind"] == "divergence"
    assert cex.loop_index == 0 and [s.event for s in cex.steps] == ["τ"]
    assert m.refines("DIV", "P \\ {a}", "FD").passed  # DIV is the bottom of FD
    assert m.refines("STOP", "P \\ {a}", "F").passed  # no stable failures at all
    r = m.refines("a -> STOP", "a -> (P \\ {a})", "FD")
    assert r.counterexample.events == ["a"] and r.counterexample.loop_index == 1


def test_internal_choice_is_not_deterministic() -> None:
    m = cspsim.load("channel a, b")
    for model in ("F", "FD"):
        r = m.check_process("a -> STOP |~| b -> STOP", "deterministic", model)
        assert r.status == "fail" and r.counterexample.annotations["kind"] == "nondeterminism"
        assert m.check_process("a -> STOP [] b -> STOP", "deterministic", model).passed


def test_example_models_verdicts() -> None:
    expected = {
        "buffer_refinement.csp": (8, {7: ["left.0"], 8: ["left.0", "left.0"]}),
        "failures_divergences.csp": (15, {3: [], 10: ["b"], 11: ["b"], 14: [], 15: []}),
    }
    for name, (count, failing) in expected.items():
        results = cspsim.load(str(MODELS_DIR / name)).check_all()
        assert len(results) == count
        assert all(r.status == "pass" for r in results), [(r.assertion, r.status) for r in results]
        for index, events in failing.items():
            r = results[index - 1]
            assert r.negated and r.holds is False
            assert r.counterexample is not None and r.counterexample.events == events, (name, index)


# Lazić: P is deterministic iff two copies run in lock-step (one copy performs x, then the other
# must be able to follow with x) never refuse to follow.
LAZIC = """
channel a, b, c
channel one, two : {0..2}
P = {p}
ONE = P [[a <- one.0, b <- one.1, c <- one.2]]
TWO = P [[a <- two.0, b <- two.1, c <- two.2]]
REG = one?x -> two!x -> REG
LZ = (ONE ||| TWO) [| {{| one, two |}} |] REG
SPEC = STOP |~| (|~| x : {{0..2}} @ one.x -> two.x -> SPEC)
assert SPEC [FD= LZ
assert P :[deterministic [FD]]
"""


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(processes(skip=False))
def test_fd_determinism_agrees_with_lazic(p: tuple) -> None:
    lazic, det = cspsim.load(LAZIC.replace('{p}', cspm(p)).replace('{{', '{').replace('}}', '}')).check_all()
    assert lazic.holds is det.holds, cspm(p)


def _run(tmp_path: Path, text: str, *args: str) -> tuple[int, str]:
    path = tmp_path / "m.csp"
    path.write_text(text)
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["check", str(path), "--stable", *args])
    return code, out.getvalue()


CLI_MODEL = """channel a, b
P = a -> P
assert a -> STOP [] b -> STOP [F= a -> STOP |~| b -> STOP
assert a -> b -> STOP [T= a -> a -> STOP
assert STOP [FD= P \\ {a}
assert a -> STOP [FD= a -> STOP
"""


def test_cli_text_shows_counterexample_parts(tmp_path: Path) -> None:
    code, text = _run(tmp_path, CLI_MODEL)
    assert code == 1
    assert "then a stable state accepting {a}" in text
    assert "specification's minimal acceptances: {a, b}" in text
    assert "the specification cannot perform a after <a> (it offers {b})" in text
    assert "then diverges: τ forever" in text and "then forever (τ)" in text


def test_cli_json_reports_model_kind_and_sets(tmp_path: Path) -> None:
    code, text = _run(tmp_path, CLI_MODEL, "--json")
    assert code == 1
    results = json.loads(text)["results"]
    assert [r["model"] for r in results] == ["F", "T", "FD", "FD"]
    assert [r["status"] for r in results] == ["fail", "fail", "fail", "pass"]
    refusal, trace, divergence = (r["counterexample"] for r in results[:3])
    assert refusal["annotations"]["kind"] == "refusal"
    assert refusal["annotations"]["acceptance"] == ["a"]
    assert refusal["annotations"]["spec_acceptances"] == [["a", "b"]]
    assert trace["annotations"]["kind"] == "trace" and trace["events"] == ["a", "a"]
    assert divergence["annotations"]["kind"] == "divergence" and divergence["loop_index"] == 0


def test_unsupported_refinement_options_are_input_errors(tmp_path: Path) -> None:
    code, text = _run(tmp_path, "channel a\nassert STOP [T= a -> STOP :[tau priority]: {a}\n", "--json")
    assert code == 2
    assert "not supported yet" in json.loads(text)["results"][0]["message"]
    code, text = _run(tmp_path, "channel a\nassert STOP [R= a -> STOP\n", "--json")
    assert code == 2
    assert "[R=" in json.loads(text)["results"][0]["message"]


def test_pair_limit_gives_no_verdict(tmp_path: Path) -> None:
    code, text = _run(tmp_path, BUFFERS + "assert BUFF(<>) [FD= PIPE\n", "--json", "--max-states", "3")
    assert code == 3
    (result,) = json.loads(text)["results"]
    assert result["status"] == "limit" and result["states"] == 3
