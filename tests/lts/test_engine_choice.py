"""Choosing the engine: every shipped model checks the same with both; limits and progress work."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

import cspsim
from cspsim.errors import LimitReached
from cspsim.lts.explore import Limits
from cspsim.lts.fastexplore import search

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = sorted([*ROOT.glob("models/*.csp"), *ROOT.glob("tests/models/pass/*.csp"),
                  *ROOT.glob("tests/models/fail/*.csp"), *ROOT.glob("bench/models/*.csp")])


def _plain(results: list[cspsim.Result]) -> list[dict[str, object]]:
    return [r.to_json() | {"seconds": 0, "peak_memory_mb": 0} for r in results]


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_shipped_models_same_results_with_both_engines(path: Path) -> None:
    model = cspsim.load(str(path))
    ref = model.check_all(Limits(engine="reference"))
    fast = model.check_all(Limits(engine="fast", compress="off"))
    assert _plain(fast) == _plain(ref)
    compressed = model.check_all(Limits(engine="fast", compress="auto"))
    assert [r.status for r in compressed] == [r.status for r in ref]
    for c, r in zip(compressed, ref):
        if r.counterexample is not None and r.prop != "has trace":
            assert c.counterexample is not None
            assert len(c.counterexample.events) == len(r.counterexample.events)


def test_cli_engine_option_gives_identical_json() -> None:
    def run(*extra: str) -> dict[str, object]:
        proc = subprocess.run([sys.executable, "-m", "cspsim", "check", "models/philosophers.csp", "--json",
                               "--stable", *extra], capture_output=True, text=True, cwd=ROOT, timeout=300)
        assert proc.returncode in (0, 1), proc.stderr
        return json.loads(proc.stdout)

    assert run("--engine", "reference") == run("--compress", "off") == run("--compress", "off", "--workers", "2")


def test_deadline_stops_the_fast_engine_with_a_limit() -> None:
    model = cspsim.load(str(ROOT / "bench/models/philosophers.csp"))
    with pytest.raises(LimitReached) as info:
        search(model.machine("SYSTEM"), limits=Limits(deadline=time.perf_counter() - 1))
    assert info.value.what == "timeout"
    result = model.check(1, Limits(engine="fast", timeout=1e-9))
    assert result.status == "limit"
    assert "timeout" in result.message


def test_progress_reports_growing_counts() -> None:
    model = cspsim.load(str(ROOT / "models/abp.csp"))
    seen: list[tuple[int, int, int]] = []
    result = model.check(1, Limits(engine="fast"), lambda s, t, d: seen.append((s, t, d)))
    assert result.status == "pass"
    assert len(seen) >= 3
    assert [d for _s, _t, d in seen] == list(range(len(seen)))
    assert all(a[0] <= b[0] and a[1] <= b[1] for a, b in itertools.pairwise(seen))
