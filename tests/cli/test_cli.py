"""The command line, written as documentation: what a user types and what they get back."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "models"


def cspsim(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cspsim", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


def test_all_assertions_hold_exit_0() -> None:
    proc = cspsim("check", "models/buffers.csp")
    assert proc.returncode == 0, proc.stderr
    assert "8 assertion(s)" in proc.stdout
    assert "FAIL" not in proc.stdout


def test_a_failing_assertion_exits_1_and_prints_its_counterexample(tmp_path: Path) -> None:
    script = tmp_path / "stop.csp"
    script.write_text("channel a\nP = a -> STOP\nassert P :[deadlock free]\n")
    proc = cspsim("check", str(script))
    assert proc.returncode == 1
    assert "FAIL" in proc.stdout
    assert "trace: <a>" in proc.stdout
    assert "then deadlock" in proc.stdout


def test_only_chosen_assertions_with_assert_option() -> None:
    proc = cspsim("check", "models/philosophers.csp", "--assert", "6", "--json")
    doc = json.loads(proc.stdout)
    assert [r["property"] for r in doc["results"]] == ["has trace"]
    bad = cspsim("check", "models/philosophers.csp", "--assert", "99")
    assert bad.returncode == 2 and "there is no assertion 99" in bad.stderr


def test_json_document() -> None:
    proc = cspsim("check", "models/philosophers.csp", "--json", "--assert", "1")
    assert proc.returncode == 0
    doc = json.loads(proc.stdout)  # stdout holds exactly one JSON document
    assert doc["schema_version"] == 1 and doc["exit_code"] == 0
    (r,) = doc["results"]
    for key in ("assertion", "status", "states", "transitions", "seconds", "counterexample"):
        assert key in r
    assert r["status"] == "pass" and r["holds"] is False and r["negated"] is True
    cex = r["counterexample"]
    assert len(cex["events"]) == 10
    assert all(isinstance(s["choice"], int) and s["choice"] >= 0 for s in cex["steps"])
    assert cex["annotations"]["kind"] == "deadlock"
    assert r["span"]["line"] > 0


def test_limit_reached_exits_3_with_what_was_explored() -> None:
    proc = cspsim("check", "models/philosophers.csp", "--assert", "2", "--max-states", "100")
    assert proc.returncode == 3
    assert "LIMIT" in proc.stdout
    assert "stopped by --max-states after 100 states" in proc.stdout


def test_same_input_same_output_byte_for_byte() -> None:
    first = cspsim("check", "models/go_informer.csp", "--json", "--stable")
    second = cspsim("check", "models/go_informer.csp", "--json", "--stable")
    assert first.stdout == second.stdout
    assert "seconds" not in first.stdout


def test_syntax_error_is_one_screen_without_traceback(tmp_path: Path) -> None:
    script = tmp_path / "bad.csp"
    script.write_text("channel a\nP = (a -> STOP\nQ = STOP\n")
    proc = cspsim("check", str(script))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert f"{script}:2:15: error[E101]: unexpected end of line" in proc.stderr
    assert "hint: a '(' is never closed" in proc.stderr
    assert len(proc.stderr.splitlines()) <= 8


def test_missing_file() -> None:
    proc = cspsim("check", "no/such/file.csp")
    assert proc.returncode == 2
    assert "cannot read 'no/such/file.csp'" in proc.stderr


def test_python_dash_m_and_console_script_are_the_same() -> None:
    proc = cspsim("--version")
    assert proc.returncode == 0 and proc.stdout.startswith("cspsim ")
