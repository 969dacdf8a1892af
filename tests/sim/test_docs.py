"""The example at the top of docs/simulator.md runs and does what it says."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[2] / "docs" / "simulator.md"


def test_first_example_runs() -> None:
    code = re.search(r"```python\n(.*?)```", DOC.read_text(), re.S)
    assert code is not None
    scope: dict[str, object] = {}
    with contextlib.redirect_stdout(io.StringIO()) as out:
        exec(compile(code.group(1), str(DOC), "exec"), scope)
    r = scope["r"]
    assert r.outcome == "exit"  # type: ignore[attr-defined]
    assert sorted(int(line.split()[-1].strip("]")) for line in r.lines) == list(range(9))  # type: ignore[attr-defined]
    assert "outcome: exit" in out.getvalue() and "chan jobs cap=4" in out.getvalue()
