"""Bad input gives a one-screen diagnostic, never a traceback: ``file:line:col: error[CODE]``, the
source line with a caret under the culprit, and what was expected or why.

Each case runs the CLI (``python -m cspsim check FILE``; exit code 2, diagnostic on stderr) and,
for the same text, the Python API (``cspsim.CspsimError`` from ``load``/``check_process``, or an
``error`` result from ``check``).
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import cspsim
from cspsim.cli import main


@dataclass
class Case:
    name: str
    text: str
    line: int
    col: int
    code: str
    says: tuple[str, ...]  # substrings of the message, expectation or hint
    args: tuple[str, ...] = ()


CASES = [
    Case("syntax", "channel a\nP = a -> STOP []\nQ = STOP\n", 3, 3, "E101",
         ("unexpected '='", "the line before ends with an operator")),
    Case("syntax_paren", "channel a\nP = (a -> STOP\n", 2, 15, "E101", ("expected: ')'", "never closed")),
    Case("unknown_name", "channel a\nP = a -> STP\nassert P :[deadlock free]\n", 2, 10, "E201",
         ("unknown name 'STP'", "did you mean 'STOP'?")),
    Case("type_plus_bool", "channel c : {0..3}\nP = c!(1 + true) -> STOP\nassert P :[deadlock free]\n", 2, 12,
         "E301", ("type mismatch", "found a Bool (true)", "expected: an Int")),
    Case("type_if_int", "channel a\nP = if 1 then a -> STOP else STOP\nassert P :[deadlock free]\n", 2, 8, "E301",
         ("found an Int (1)", "expected: a Bool")),
    Case("type_eq", "x = 1 == true\nchannel a\nP = x & a -> STOP\nassert P :[deadlock free]\n", 1, 10, "E301",
         ("type mismatch", "a Bool")),
    Case("infinite_set", "channel c : Int\nP = c?x -> STOP\nassert P :[deadlock free]\n", 2, 5, "E403",
         ("infinite", "upper bound")),
    Case("infinite_state", "channel a\nP = a -> (P ||| P)\nassert P :[deadlock free]\n", 3, 8, "E501",
         ("more than 300 states", "infinite-state"), ("--max-component-states", "300")),
    Case("unguarded", "channel a\nP = P [] a -> STOP\nassert P :[deadlock free]\n", 2, 5, "E404",
         ("'P' is defined in terms of itself", "prefix")),
    Case("division_by_zero", "channel c : {0..3}\nP = c!(1 / 0) -> STOP\nassert P :[deadlock free]\n", 2, 8,
         "E405", ("division by zero",)),
    Case("modulo_zero", "N = 0\nx = 5 % N\nchannel c : {0..9}\nP = c!x -> STOP\nassert P :[deadlock free]\n",
         2, 5, "E405", ("division by zero",)),
    Case("incomplete_event", "channel c : {0..1}.{0..1}\nP = c.1 -> STOP\nassert P :[deadlock free]\n", 2, 5,
         "E304", ("'c.1' lacks 1 field", "complete it")),
    Case("value_outside_type", "channel c : {0..3}\nP = c!7 -> STOP\nassert P :[deadlock free]\n", 2, 5, "E306",
         ("value 7 is not in the type of channel 'c'",)),
    Case("too_many_fields", "channel c : {0..3}\nP = c.1.2 -> STOP\nassert P :[deadlock free]\n", 2, 5, "E305",
         ("more fields",)),
    Case("unclosed_comment", "channel a\n{- never closed\nP = a -> STOP\n", 2, 1, "E102", ("never closed", "'-}'")),
    Case("duplicate", "channel a\nP = a -> STOP\nP = STOP\n", 3, 1, "E202", ("'P' is defined twice",)),
    Case("no_equation", "f(0) = 1\nchannel c : {0..3}\nP = c!f(2) -> STOP\nassert P :[deadlock free]\n", 3, 7,
         "E402", ("no equation of 'f' matches 2",)),
    Case("wrong_arity", "f(x) = x\nchannel c : {0..3}\nP = c!f(1, 2) -> STOP\nassert P :[deadlock free]\n", 3,
         7, "E302", ("'f' applied to 2 argument(s)", "1 argument(s)")),
    Case("empty_internal_choice", "channel c : {0..3}\nP = |~| x : {} @ c!x -> STOP\nassert P :[deadlock free]\n",
         2, 5, "E406", ("internal choice over an empty set",)),
    Case("missing_include", 'include "nothere.csp"\n', 1, 1, "E103", ("cannot read included file 'nothere.csp'",)),
]

LOCATION = re.compile(r"^(?P<file>[^\n]*?):(?P<line>\d+):(?P<col>\d+): error\[(?P<code>E\d+)\]", re.M)


def _check_rendered(text: str, case: Case, path: str) -> None:
    """One diagnostic: location and code, the source line, a caret under the column, the words."""
    assert "Traceback" not in text
    m = LOCATION.search(text)
    assert m is not None, text
    assert (m["file"], int(m["line"]), int(m["col"]), m["code"]) == (path, case.line, case.col, case.code), text
    source_line = case.text.split("\n")[case.line - 1]
    lines = text.split("\n")
    shown = [i for i, ln in enumerate(lines) if ln.startswith(f" {case.line} | ") and ln.endswith(source_line)]
    assert shown, text
    caret = lines[shown[0] + 1]
    assert caret.index("^") - caret.index("|") - 2 == case.col - 1, text
    for words in case.says:
        assert words in text, (words, text)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_cli_diagnostic(case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / f"{case.name}.csp"
    path.write_text(case.text)
    code = main(["check", str(path), *case.args])
    out, err = capsys.readouterr()
    assert code == 2, out + err
    _check_rendered(err, case, str(path))
    assert len(err.strip().split("\n")) <= 24  # one screen
    assert "Traceback" not in out


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_api_diagnostic(case: Case) -> None:
    """The API raises (loading) or reports an ``error`` result (checking), with the same rendering."""
    name = f"{case.name}.csp"
    try:
        model = cspsim.load(case.text, name=name)
    except cspsim.CspsimError as err:
        assert err.code == case.code
        _check_rendered(str(err), case, name)
        return
    limits = cspsim.Limits(max_component_states=300)
    results = model.check_all(limits)
    errors = [r for r in results if r.status == "error"]
    assert errors, [r.status for r in results]
    error = errors[0].error
    assert error is not None and error["code"] == case.code
    _check_rendered(str(error["rendered"]), case, name)
    assert error["span"]["line"] == case.line and error["span"]["column"] == case.col


def test_check_process_raises_the_same_diagnostic() -> None:
    model = cspsim.load("channel c : Int\nP = c?x -> STOP\n", name="inf.csp")
    with pytest.raises(cspsim.CspsimError) as info:
        model.check_process("P", "deadlock free")
    assert info.value.code == "E403" and (info.value.span.line, info.value.span.col) == (2, 5)


def test_include_cycle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.csp").write_text('include "b.csp"\n')
    (tmp_path / "b.csp").write_text('channel x\ninclude "a.csp"\n')
    assert main(["check", str(tmp_path / "a.csp")]) == 2
    err = capsys.readouterr().err
    assert f"{tmp_path / 'b.csp'}:2:1: error[E104]" in err and "includes itself" in err


def test_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "/nonexistent/model.csp"]) == 2
    err = capsys.readouterr().err
    assert "error[E105]" in err and "/nonexistent/model.csp" in err


def test_no_traceback_from_a_fresh_process(tmp_path: Path) -> None:
    """The real command line, in a separate interpreter: exit code 2 and a clean stderr."""
    path = tmp_path / "bad.csp"
    path.write_text("channel a\nP = a -> STP\nassert P :[deadlock free]\n")
    run = subprocess.run([sys.executable, "-m", "cspsim", "check", str(path)], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr + run.stdout
    assert f"{path}:2:10: error[E201]: unknown name 'STP'" in run.stderr
    path.write_text("channel c : {0..3}\nP = c!(1 / 0) -> STOP\nassert P :[deadlock free]\n")
    run = subprocess.run([sys.executable, "-m", "cspsim", "check", str(path)], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr + run.stdout
    assert f"{path}:2:8: error[E405]: division by zero" in run.stderr


def test_no_continuation_hint_when_the_line_before_is_complete() -> None:
    """Regression: the 'line before ends with an operator' hint was given for any stray token."""
    with pytest.raises(cspsim.CspsimError) as info:
        cspsim.load("channel a\nP = a -> STOP]\n")
    assert info.value.code == "E101" and info.value.hint is None
    with pytest.raises(cspsim.CspsimError) as info:
        cspsim.load("channel a\nP = a -> STOP |~|\n  -- a comment\n\nQ = STOP\n")
    assert info.value.hint is not None and "ends with an operator" in info.value.hint
