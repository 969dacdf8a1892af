"""Jupyter displays of LTS, Trace and Result, and the rule that the core never imports render."""

from __future__ import annotations

import subprocess
import sys

import pytest

import cspsim
from cspsim.render.engine import ENV_VAR, INSTALL_HINT, Renderer


def test_lts_repr_svg(renderer: Renderer, odd_model: cspsim.Model, svg: type) -> None:
    lts = odd_model.lts("P")
    root = svg.parse(lts._repr_svg_())
    assert len(svg.groups(root, "state")) == lts.n_states
    assert len(svg.groups(root, "deadlock")) == 1


def test_lts_repr_svg_notices(monkeypatch: pytest.MonkeyPatch, svg: type) -> None:
    lts = cspsim.load("channel c : {0..600}\nP(i) = c.i -> P((i + 1) % 601)").lts("P(0)")
    notice = svg.parse(lts._repr_svg_())
    assert notice.get("class") == "cspsim-notice"
    assert any("601 states, more than 500" in t for t in svg.texts(notice))
    monkeypatch.setenv(ENV_VAR, "none")
    small = cspsim.load("channel a\nP = a -> P").lts("P")
    notice = svg.parse(small._repr_svg_())
    assert INSTALL_HINT in svg.texts(notice)


def test_trace_and_result_reprs(svg: type) -> None:
    model = cspsim.load("channel a, b\nP = a -> b -> STOP ||| b -> STOP\nassert P :[deadlock free]")
    (result,) = model.check_all()
    assert result.counterexample is not None
    chart = svg.parse(result.counterexample._repr_svg_())
    assert len(svg.groups(chart, "step")) == len(result.counterexample.steps)
    page = result._repr_html_()
    assert page.startswith('<div class="cspsim-result">') and "FAIL" in page
    assert "<svg" in page and "<?xml" not in page
    passing = cspsim.load("channel a\nP = a -> P\nassert P :[deadlock free]").check_all()[0]
    assert "PASS" in passing._repr_html_() and "<svg" not in passing._repr_html_()


def test_core_does_not_import_render() -> None:
    code = ("import sys, cspsim\n"
            "m = cspsim.load('channel a\\nP = a -> STOP\\nassert P :[deadlock free]')\n"
            "r = m.check_all(); m.lts('P')\n"
            "print(sorted(k for k in sys.modules if k.startswith('cspsim.render')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
