"""Renderer resolution order, timeouts and failures, with fake Graphviz programs."""

from __future__ import annotations

import os
import shutil
import stat
import sys
from pathlib import Path

import pytest

from cspsim.errors import CspsimError
from cspsim.render import engine

CAT, SLEEP = shutil.which("cat"), shutil.which("sleep")  # resolved before a test empties PATH


def _program(folder: Path, name: str, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"#!/bin/sh\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.fixture
def isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No Graphviz anywhere: empty PATH, an empty sys.prefix, no override."""
    monkeypatch.delenv(engine.ENV_VAR, raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "path"))
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "prefix"))
    return tmp_path


def test_nothing_found(isolated: Path) -> None:
    assert engine.find_renderer() is None
    assert engine.render_dot("digraph { a }") is None


def test_graphviz_pure_in_prefix_then_on_path_then_dot(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    in_prefix = _program(isolated / "prefix" / "bin", "graphviz-pure", "exit 0")
    assert engine.find_renderer() == engine.Renderer(str(in_prefix), "graphviz-pure")
    on_path = _program(isolated / "path", "graphviz-pure", "exit 0")
    assert engine.find_renderer() == engine.Renderer(str(on_path), "graphviz-pure")
    dot = _program(isolated / "path", "dot", "exit 0")
    assert engine.find_renderer() == engine.Renderer(str(dot), "dot")
    monkeypatch.setenv(engine.ENV_VAR, str(in_prefix))
    assert engine.find_renderer() == engine.Renderer(str(in_prefix), f"${engine.ENV_VAR}")
    monkeypatch.setenv(engine.ENV_VAR, "none")
    assert engine.find_renderer() is None
    monkeypatch.setenv(engine.ENV_VAR, str(isolated / "missing"))
    with pytest.raises(CspsimError) as err:
        engine.find_renderer()
    assert err.value.code == "E604"


def test_arguments_and_output(isolated: Path) -> None:
    fake = _program(isolated / "path", "dot", f'echo "$@"; exec {CAT}')
    out = engine.Renderer(str(fake), "dot").run("digraph { a }", "svg", "neato")
    assert out == b"-Tsvg -Kneato\ndigraph { a }"


def test_timeout_and_failure_are_diagnostics(isolated: Path) -> None:
    slow = engine.Renderer(str(_program(isolated / "a", "slow", f"exec {SLEEP} 5")), "slow")
    with pytest.raises(CspsimError) as err:
        slow.run("digraph {}", timeout=0.3)
    assert err.value.code == "E605" and err.value.kind == "limit"
    broken = engine.Renderer(str(_program(isolated / "b", "broken", "echo 'syntax error in line 1' >&2; exit 1")),
                             "broken")
    with pytest.raises(CspsimError) as err:
        broken.run("digraph {}")
    assert err.value.code == "E606" and "syntax error in line 1" in err.value.message


def test_real_renderer_is_installed(renderer: engine.Renderer) -> None:
    """The dev extra installs graphviz-pure, so CI always has a renderer (this fails otherwise)."""
    assert os.access(renderer.path, os.X_OK)
    assert renderer.run("digraph { a -> b }", "svg", "dot").lstrip().startswith(b"<?xml")
