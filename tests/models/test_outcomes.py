"""Regression scripts sorted by expected outcome (the P language's layout).

* ``pass/``: every assertion holds (exit 0).
* ``fail/``: the assertions listed in the first line (``-- fails: 1, 3``) fail, the others hold (exit 1).
* ``error/``: the CLI reports the diagnostic named in the first line (``-- error: E201 at 4:10``)
  with ``file:line:col``, the source line and a caret, exit code 2, and no Python traceback.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import cspsim

HERE = Path(__file__).resolve().parent


def _files(kind: str) -> list[Path]:
    return sorted((HERE / kind).glob("*.csp"))


@pytest.mark.parametrize("path", _files("pass"), ids=lambda p: p.name)
def test_pass(path: Path) -> None:
    results = cspsim.load(path).check_all()
    assert results
    assert [r.status for r in results] == ["pass"] * len(results)


@pytest.mark.parametrize("path", _files("fail"), ids=lambda p: p.name)
def test_fail(path: Path) -> None:
    header = path.read_text().splitlines()[0]
    m = re.match(r"-- fails: ([\d, ]+)$", header)
    assert m, f"{path.name} must start with '-- fails: N, M'"
    failing = {int(x) for x in m.group(1).split(",")}
    results = cspsim.load(path).check_all()
    expected = ["fail" if i in failing else "pass" for i in range(1, len(results) + 1)]
    assert [r.status for r in results] == expected
    for i in failing:
        assert results[i - 1].counterexample is not None


@pytest.mark.parametrize("path", _files("error"), ids=lambda p: p.name)
def test_error(path: Path) -> None:
    header = path.read_text().splitlines()[0]
    m = re.match(r"-- error: (E\d+) at (\d+):(\d+)$", header)
    assert m, f"{path.name} must start with '-- error: EXXX at LINE:COL'"
    code, line, col = m.groups()
    proc = subprocess.run(
        [sys.executable, "-m", "cspsim", "check", str(path)], capture_output=True, text=True, timeout=120
    )
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2, out
    assert "Traceback" not in out
    assert f"{path}:{line}:{col}: error[{code}]" in out, out
    assert re.search(rf"^ +{line} \| ", out, re.M), out  # the source line is quoted
    assert re.search(r"^ +\| +\^", out, re.M), out  # with a caret under the offending text
