"""End to end: ``cspsim graph`` and ``cspsim check --svg DIR``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import cspsim
from cspsim.cli import main
from cspsim.render.engine import ENV_VAR, INSTALL_HINT, Renderer
from cspsim.render.graph import DEADLOCK_FILL

MODEL = r"""
channel a, b, c
channel pick, put : {0..3}.{0..3}
channel msg : {"a<b", "q&"}
P = a -> (b -> STOP |~| c -> SKIP) [] msg?x -> P
R = a -> R [] a -> R2
R2 = a -> R2
L = (a -> L) \ {a}
PHIL(i) = pick.i.i -> pick.i.((i+1)%4) -> put.i.i -> put.i.((i+1)%4) -> PHIL(i)
FORK(j) = pick.j.j -> put.j.j -> FORK(j) [] pick.((j-1+4)%4).j -> put.((j-1+4)%4).j -> FORK(j)
SYS = (||| i : {0..3} @ PHIL(i)) [| {| pick, put |} |] (||| j : {0..3} @ FORK(j))
assert P :[deadlock free [F]]
assert a -> L :[divergence free]
assert R :[deadlock free]
assert SYS :[deadlock free [F]]
assert not P :[deadlock free [F]]
"""


@pytest.fixture
def model_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "m.csp"
    path.write_text(MODEL)
    return path


def test_graph_svg(model_file: Path, renderer: Renderer, svg: type, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", str(model_file), "P", "-o", "out/p.svg"]) == 0
    lts = cspsim.load(str(model_file)).lts("P")
    root = svg.parse((model_file.parent / "out" / "p.svg").read_bytes())
    assert len(svg.groups(root, "state")) == lts.n_states == 7
    assert len(svg.groups(root, "transition")) == lts.n_transitions
    (dead,) = svg.groups(root, "deadlock")
    assert DEADLOCK_FILL in svg.shape_fills(dead)
    assert "wrote out/p.svg" in capsys.readouterr().err


def test_graph_default_name_png_and_dot(model_file: Path, renderer: Renderer) -> None:
    assert main(["graph", str(model_file), "PHIL(0)"]) == 0
    assert (model_file.parent / "PHIL_0.svg").read_bytes().lstrip().startswith(b"<?xml")
    assert main(["graph", str(model_file), "P", "-o", "p.png"]) == 0
    assert (model_file.parent / "p.png").read_bytes().startswith(b"\x89PNG")
    assert main(["graph", str(model_file), "P", "--format", "dot", "-o", "p.gv"]) == 0
    assert (model_file.parent / "p.gv").read_text().startswith("digraph LTS {")


def test_graph_compress_sbisim(model_file: Path, renderer: Renderer, svg: type) -> None:
    assert cspsim.load(str(model_file)).lts("R").n_states == 2
    assert main(["graph", str(model_file), "R", "--compress", "sbisim", "-o", "r.svg"]) == 0
    root = svg.parse((model_file.parent / "r.svg").read_bytes())
    assert len(svg.groups(root, "state")) == 1
    assert any("compressed by sbisim: 1 states (from 2)" in t for t in svg.texts(root))


@pytest.mark.parametrize(("name", "states"), [("normal", 2), ("wbisim", 1), ("diamond", 2), ("tau_loop_factor", 2)])
def test_graph_compress_by_every_script_compression(name: str, states: int, model_file: Path,
                                                    renderer: Renderer, svg: type) -> None:
    # R has two strongly bisimilar states; normal form keeps the node reached after the first a.
    assert main(["graph", str(model_file), "R", "--compress", name, "-o", "r.svg"]) == 0
    root = svg.parse((model_file.parent / "r.svg").read_bytes())
    assert len(svg.groups(root, "state")) == states
    assert any(f"compressed by {name}: {states} states (from 2)" in t for t in svg.texts(root))


def test_graph_errors(model_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", str(model_file), "SYS", "--max-states", "50"]) == 3
    err = capsys.readouterr().err
    assert "E601" in err and "more than 50 states" in err and "--compress sbisim" in err
    assert main(["graph", str(model_file), "P", "--compress", "bisimm"]) == 2
    assert "unknown compression 'bisimm'" in capsys.readouterr().err
    assert main(["graph", str(model_file), "PP"]) == 2
    assert "no process named 'PP'" in capsys.readouterr().err
    assert not list(model_file.parent.glob("*.svg"))


def test_graph_without_renderer_writes_dot_and_one_hint(model_file: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(ENV_VAR, "none")
    assert main(["graph", str(model_file), "P", "-o", "p.svg"]) == 2
    assert not (model_file.parent / "p.svg").exists()
    assert (model_file.parent / "p.dot").read_text().startswith("digraph LTS {")
    assert capsys.readouterr().err.count(INSTALL_HINT) == 1


def test_check_svg(model_file: Path, renderer: Renderer, svg: type, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["check", str(model_file), "--json", "--svg", "pics"])
    out = capsys.readouterr()
    assert code == 1  # the verification verdict, not the pictures, decides
    assert json.loads(out.out)["exit_code"] == 1
    pics = model_file.parent / "pics"
    names = sorted(p.name for p in pics.iterdir())
    # 1 fails (deadlock), 2 fails (divergence), 3 passes, 4 fails (deadlock), 5 passes with a witness
    assert names == [f"assert-{i}-{kind}.svg" for i in (1, 2, 4, 5) for kind in ("graph", "sequence")]
    model = cspsim.load(str(model_file))
    result = model.check(1)
    assert result.counterexample is not None
    root = svg.parse((pics / "assert-1-graph.svg").read_bytes())
    lts = model.lts("P")
    assert len(svg.groups(root, "state")) == lts.n_states
    path_edges = [g for g in svg.groups(root, "path") if "transition" in g.get("class")]
    assert len(path_edges) == len(result.counterexample.steps)
    assert len(svg.groups(root, "path-end")) == 1 and svg.groups(root, "path-end")[0] in svg.groups(root, "deadlock")
    loop = [g for g in svg.groups(svg.parse((pics / "assert-2-graph.svg").read_bytes()), "loop")]
    assert loop, "the divergence's τ-loop is highlighted"
    chart = svg.parse((pics / "assert-1-sequence.svg").read_bytes())
    assert len(svg.groups(chart, "step")) == len(result.counterexample.steps)
    assert "wrote pics/assert-1-sequence.svg" in out.err


def test_check_svg_large_process_draws_the_neighbourhood(model_file: Path, renderer: Renderer, svg: type,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("cspsim.render.engine.DEFAULT_MAX_STATES", 20)
    assert main(["check", str(model_file), "--assert", "4", "--svg", "pics", "-q"]) == 1
    model = cspsim.load(str(model_file))
    trace = model.check(4).counterexample
    assert trace is not None and model.lts("SYS").n_states > 20
    root = svg.parse((model_file.parent / "pics" / "assert-4-graph.svg").read_bytes())
    states = svg.groups(root, "state")
    frontier = svg.groups(root, "frontier")
    on_path = [g for g in states if "path" in g.get("class").split()]
    assert len(on_path) == len(trace.steps) + 1
    assert frontier and len(states) == len(on_path) + len(frontier)
    assert not set(map(id, frontier)) & set(map(id, svg.groups(root, "deadlock")))
    assert any("the counterexample and its next states" in t for t in svg.texts(root))


def test_check_svg_without_renderer(model_file: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv(ENV_VAR, "none")
    assert main(["check", str(model_file), "--svg", "pics", "-q"]) == 1
    names = sorted(p.name for p in (model_file.parent / "pics").iterdir())
    assert names == sorted([f"assert-{i}-graph.dot" for i in (1, 2, 4, 5)]
                           + [f"assert-{i}-sequence.svg" for i in (1, 2, 4, 5)])
    assert capsys.readouterr().err.count(INSTALL_HINT) == 1
