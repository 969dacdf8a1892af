"""The notebooks in notebooks/ run end to end, and what they compute is right.

Each notebook is a jupytext "percent" Python file. It is run twice:

* as a plain script in a subprocess, the way a Jupyter kernel runs it (working directory
  notebooks/, no ``__file__``), with matplotlib hidden so that the printed-table fallbacks run; the
  module-level ``RESULTS`` dict it leaves is written as JSON and checked below against values
  derived independently of cspsim (by hand, in the comments);
* in a real Jupyter kernel (jupytext -> nbformat -> nbclient, the ``notebooks`` extra), with
  matplotlib when it is installed: no cell may fail, pictures must display as SVG, plots as PNG,
  and the kernel must compute exactly the same ``RESULTS`` (same seeds, same numbers).

Every notebook also ``assert``s the claims of its own text, so a change in cspsim that makes the
text false fails here.
"""

from __future__ import annotations

import functools
import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

NB_DIR = Path(__file__).resolve().parents[2] / "notebooks"
NOTEBOOKS = sorted(p.name for p in NB_DIR.glob("*.py") if not p.name.startswith("_"))  # _support.py: helpers
TIMEOUT = 180  # seconds per notebook; each takes a few seconds on 2 cores

# Runs one notebook as a kernel would (no __file__, cwd = notebooks/), without matplotlib.
RUNNER = """
import json, sys
sys.modules["matplotlib"] = None  # the fallback without matplotlib runs here; the kernel test plots
path, out = sys.argv[1], sys.argv[2]
namespace = {"__name__": "__main__"}
exec(compile(open(path, encoding="utf-8").read(), path, "exec"), namespace)
with open(out, "w", encoding="utf-8") as f:
    json.dump(namespace["RESULTS"], f, default=str)
"""


def _normalise(results: Any) -> Any:
    """JSON round trip, so results from the script and from the kernel compare equal."""
    return json.loads(json.dumps(results, default=str))


@functools.cache
def run_script(name: str, out_dir: str) -> dict[str, Any]:
    out = Path(out_dir) / f"{name}.json"
    env = {**os.environ, "MPLBACKEND": "Agg"}
    proc = subprocess.run([sys.executable, "-c", RUNNER, str(NB_DIR / name), str(out)], cwd=NB_DIR, env=env,
                          capture_output=True, text=True, timeout=TIMEOUT)
    assert proc.returncode == 0, f"{name} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}"
    return json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory):
    out_dir = str(tmp_path_factory.mktemp("notebooks"))
    return lambda name: run_script(name, out_dir)


def test_the_notebooks_are_there() -> None:
    assert {"csp_vs_actors.py", "checking_go_patterns.py", "dining_philosophers.py"} <= set(NOTEBOOKS)
    readme = (NB_DIR / "README.md").read_text(encoding="utf-8")
    for name in NOTEBOOKS:
        text = (NB_DIR / name).read_text(encoding="utf-8")
        assert "format_name: percent" in text and "# %% [markdown]" in text, name
        assert name in readme, f"notebooks/README.md does not describe {name}"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_runs_as_a_script(results, name: str) -> None:
    assert results(name), f"{name} left an empty RESULTS"


def test_csp_vs_actors(results) -> None:
    r = results("csp_vs_actors.py")
    k, n, m = r["K"], r["N"], r["M"]
    bounded, actors, shed = "CSP, bounded", "actors", "CSP, shedding"
    # lossless designs serve everything; shedding serves what it did not drop
    assert r["served"][bounded] == r["served"][actors] == n
    assert r["dropped"][shed] > 0 and r["served"][shed] + r["dropped"][shed] == n
    # a bounded channel never holds more than its capacity; the mailbox does during the burst
    assert r["queue_max"][bounded] == r["queue_max"][shed] == k < r["queue_max"][actors]
    # only a blocking producer waits in a send
    assert r["producer_send_blocked_ms"][bounded] > 0
    assert r["producer_send_blocked_ms"][actors] == r["producer_send_blocked_ms"][shed] == 0
    # the single worker is the bottleneck either way
    assert math.isclose(r["makespan_ms"][bounded], r["makespan_ms"][actors], rel_tol=0.01)
    assert r["e2e_p99_ms"][shed] < r["e2e_p99_ms"][actors]
    # K-buffered channel: K sends without a receive, no more; the mailbox (capacity K + 2): all
    assert r["sends_ahead"] == {"channel": k, "mailbox": k + 2}
    # request/reply cycle over channels of capacity c holds at most 2c + 1 requests in flight,
    # so M requests deadlock exactly when M >= 2c + 2; checker and simulator must both say so
    expected = [c for c in range(5) if m >= 2 * c + 2]
    assert expected == [0, 1, 2]
    assert r["cycle_deadlocks_checker"] == r["cycle_deadlocks_sim"] == expected


def test_checking_go_patterns(results) -> None:
    r = results("checking_go_patterns.py")
    assert r["timeout_verdicts"] == ["pass", "fail", "pass", "pass"]
    assert r["timeout_leaked_reason"] == "chan send"
    one = r["leaks_one_seed"]
    assert one["LEAKY"] == one["timeouts"] > 0 and one["FIXED"] == 0
    # exponential work with mean 8 ms against a 10 ms timeout: P(leak) = exp(-10/8)
    assert math.isclose(r["leak_expected"], math.exp(-1.25))
    assert abs(r["leak_fraction"] - math.exp(-1.25)) < 0.03
    assert r["informer_verdicts"] == ["pass", "pass", "fail", "pass", "pass"]
    assert r["informer_sim_outcome"] == "deadlock"
    checker, sim = r["informer_reasons"]["checker"], r["informer_reasons"]["simulator"]
    assert set(checker) == set(sim) == {"main", "POP(0)", "RUN(0)", "POP(1)", "RUN(1)"}
    # the hung handler and the goroutines that are not in a select agree exactly
    for g in ("main", "RUN(0)", "RUN(1)"):
        assert checker[g] == sim[g]
    assert sim["RUN(0)"] == "select (no cases)" and sim["main"] == "chan send"
    delay = r["listener1_max_delay_ms"]
    assert delay["40"] < 1 < 20 * delay["40"] < delay["1"]


def test_dining_philosophers(results) -> None:
    r = results("dining_philosophers.py")
    for n, verdicts in r["verdicts"].items():
        assert verdicts == {"SYSTEM": "fail", "BUTLERED": "pass", "ASYM": "pass"}
        # shortest deadlock: every philosopher sits and takes its left fork
        assert r["counterexample_length"][n] == 2 * int(n)
        # the checker's state counts equal the notebook's brute-force enumeration
        assert r["states"][n]["BUTLERED"] == r["brute_force"][n]["BUTLERED"]
        assert r["states"][n]["ASYM"] == r["brute_force"][n]["ASYM"]
    # two philosophers, butler with one seat: the seated one goes round its 7 steps while the
    # other thinks (2 x 6 states with someone seated) + nobody seated = 13
    assert r["brute_force"]["2"]["BUTLERED"] == 13
    for table in ("butler", "asym"):
        assert all(v == 0 for key, v in r["deadlocks"].items() if key.startswith(table))
    assert r["deadlocks"]["naive reach=0"] == 0 < r["deadlocks"]["naive reach=1000000"] <= r["runs"]


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_runs_in_jupyter(results, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    reason = "needs the notebooks extra: pip install -e '.[notebooks]'"
    jupytext = pytest.importorskip("jupytext", reason=reason)
    nbclient = pytest.importorskip("nbclient", reason=reason)
    pytest.importorskip("ipykernel", reason=reason)
    nbformat = pytest.importorskip("nbformat", reason=reason)
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel's inline backend draws the plots

    nb = jupytext.read(NB_DIR / name)
    nb.cells.append(nbformat.v4.new_code_cell("import json; print(json.dumps(RESULTS, default=str))"))
    client = nbclient.NotebookClient(nb, timeout=TIMEOUT, kernel_name="python3",
                                     resources={"metadata": {"path": str(NB_DIR)}})
    client.execute()

    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.get("outputs", [])]
    errors = [o for o in outputs if o.output_type == "error"]
    assert not errors, "\n".join(f"{o.ename}: {o.evalue}" for o in errors)
    pictures = [o for o in outputs if "<svg" in o.get("data", {}).get("image/svg+xml", "")
                or "<svg" in o.get("data", {}).get("text/html", "")]
    assert pictures, f"{name} displayed no picture in Jupyter"
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        pass
    else:
        assert any("image/png" in o.get("data", {}) for o in outputs), f"{name} drew no plot in Jupyter"
    last = nb.cells[-1].outputs[-1]["text"]
    assert json.loads(last) == _normalise(results(name)), "the kernel computed different results"
