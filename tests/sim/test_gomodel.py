"""Go-layer models run in the simulator (``cspsim simulate``), and agree with the checker."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import cspsim
from cspsim.check.golang import outcomes
from cspsim.sim.gomodel import simulate
from cspsim.sim.timeline import timeline

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "models"
CONFORMANCE = ROOT / "tests" / "golang" / "conformance"


def _run(model_file: str, process: str, **kw: object):  # type: ignore[no-untyped-def]
    m = cspsim.load(MODELS / model_file)
    return simulate(m.semantics, m.process(process), **kw)


def test_producer_consumer_prints_in_order_and_exits() -> None:
    run = _run("go_producer_consumer.csp", "PROGRAM")
    assert run.result.outcome == "exit"
    assert run.output == ["out.0", "out.1", "out.2"]
    assert run.result.leaks == []


def test_buffer_deadlock_is_reported_as_go_does() -> None:
    r = _run("go_buffer_deadlock.csp", "GO(MAIN)").result
    assert r.outcome == "deadlock"
    assert r.message == "fatal error: all goroutines are asleep - deadlock!"
    (main,) = r.leaks
    assert main.state == "chan send" and main.located.endswith("go_buffer_deadlock.csp:11")


def test_panics_and_once() -> None:
    assert _run("go_close_contract.csp", "GO(DOUBLE_CLOSE)").result.message == "panic: close of closed channel"
    assert _run("go_close_contract.csp", "GO(SEND_AFTER_CLOSE)").result.message == "panic: send on closed channel"
    safe = _run("go_close_contract.csp", "GO(SAFE_CLOSE)").result
    assert safe.outcome == "exit"


def test_bounded_informer_deadlocks_unbounded_does_not() -> None:
    bounded = _run("go_informer.csp", "BOUNDED").result
    assert bounded.outcome == "deadlock"
    assert {g.state for g in bounded.leaks} >= {"chan send", "chan receive", "select (no cases)"}
    assert _run("go_informer.csp", "UNBOUNDED").result.outcome == "exit"


def test_same_seed_same_run() -> None:
    a = _run("go_pubsub.csp", "NONBLOCKING", seed=7)
    b = _run("go_pubsub.csp", "NONBLOCKING", seed=7)
    assert a.output == b.output and a.result.choices == b.result.choices


def test_following_a_counterexample_reproduces_the_leak(tmp_path: Path) -> None:
    check = subprocess.run([sys.executable, "-m", "cspsim", "check", "models/go_timeout_leak.csp", "--json",
                            "--assert", "2"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    (tmp_path / "leak.json").write_text(check.stdout)
    proc = subprocess.run(
        [sys.executable, "-m", "cspsim", "simulate", "models/go_timeout_leak.csp", "LEAKY", "--follow",
         str(tmp_path / "leak.json"), "--until", "20", "--json", "--svg", str(tmp_path / "run.svg")],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    doc = json.loads(proc.stdout)
    assert doc["output"] == ["gaveup"]  # the caller timed out, as in the counterexample
    assert doc["followed"] == {"events": 1, "of": 1}
    assert any(leak["goroutine"] == "WORKER(result)" and leak["state"] == "chan send"
               and leak["where"].endswith("go_timeout_leak.csp:19") for leak in doc["leaks"])
    assert proc.returncode == 3  # stopped by --until: the server runs forever
    svg = ET.parse(tmp_path / "run.svg").getroot()
    rows = [g for g in svg.iter("{http://www.w3.org/2000/svg}g") if "goroutine" in (g.get("class") or "")]
    assert rows, "the timeline has one row per goroutine"


def test_timeline_records_follow_the_run() -> None:
    r = _run("go_informer.csp", "BOUNDED").result
    records = timeline(r)
    assert records[0][1] == "g1 main"
    assert all(st in ("running", "runnable", "blocked", "done") for _, _, st, _ in records)
    assert any(st == "blocked" and reason == "chan send" for _, _, st, reason in records)


@pytest.mark.parametrize("case", sorted(p.stem for p in CONFORMANCE.glob("*.csp")))
def test_simulated_outcome_is_one_the_checker_allows(case: str) -> None:
    """Soundness of the checker against the simulator: whatever a run does, the checker said it could."""
    m = cspsim.load(CONFORMANCE / f"{case}.csp")
    allowed = set(outcomes(m.machine("PROGRAM"), m.semantics))
    for seed in range(3):
        r = simulate(m.semantics, m.process("PROGRAM"), seed=seed).result
        got = {"exit": "exit", "deadlock": "deadlock"}.get(r.outcome, r.message)
        assert got in allowed, f"{case} seed {seed}: simulator {got!r}, checker {sorted(allowed)}"
