"""The checker's verdict on a Go-layer model equals what the equivalent Go program does.

Each ``conformance/NAME.go`` has a model ``conformance/NAME.csp`` defining ``PROGRAM``. The Go
programs were chosen so that their outcome does not depend on scheduling: they exit normally,
die with "all goroutines are asleep - deadlock!", or die with a named panic / fatal error. The
checker must find exactly one possible outcome for the model, and it must be the one real Go
(Debian's golang-go) produces.
"""

from __future__ import annotations

import os
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import cspsim
from cspsim.check.golang import outcomes

HERE = Path(__file__).resolve().parent / "conformance"
CASES = sorted(p.stem for p in HERE.glob("*.go"))


def test_enough_programs() -> None:
    assert len(CASES) >= 20
    assert all((HERE / f"{c}.csp").exists() for c in CASES)


@pytest.fixture(scope="module")
def go_outcomes(go_binary: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Build every program once (in parallel) and record how each run ends."""
    out_dir = tmp_path_factory.mktemp("gobin")
    env = {**os.environ, "GOMAXPROCS": "1", "GO111MODULE": "off", "GOFLAGS": ""}

    def run(case: str) -> tuple[str, str]:
        exe = out_dir / case
        build = subprocess.run([go_binary, "build", "-o", str(exe), str(HERE / f"{case}.go")],
                               capture_output=True, text=True, env=env, timeout=300)
        assert build.returncode == 0, build.stderr
        proc = subprocess.run([str(exe)], capture_output=True, text=True, env=env, timeout=60)
        return case, _outcome(proc.returncode, proc.stderr)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(run, CASES))


def _outcome(code: int, stderr: str) -> str:
    if code == 0:
        return "exit"
    first = stderr.strip().splitlines()[0] if stderr.strip() else f"exit status {code}"
    if first == "fatal error: all goroutines are asleep - deadlock!":
        return "deadlock"
    return first


@pytest.mark.parametrize("case", CASES)
def test_verdict_matches_go(case: str, go_outcomes: dict[str, str]) -> None:
    model = cspsim.load(HERE / f"{case}.csp")
    found = outcomes(model.machine("PROGRAM"), model.semantics)
    assert set(found) == {go_outcomes[case]}, f"{case}: model {sorted(found)}, Go {go_outcomes[case]!r}"
