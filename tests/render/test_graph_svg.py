"""State graphs rendered by the real Graphviz program, checked structurally in the SVG."""

from __future__ import annotations

import time

import pytest

import cspsim
from cspsim.render.engine import Renderer, choose_layout
from cspsim.render.graph import DEADLOCK_FILL, DIVERGENT_FILL, PATH_COLOR, lts_dot, path_of_trace

SVG_NS = "{http://www.w3.org/2000/svg}"


def _render(renderer: Renderer, lts: cspsim.LTS, **kw: object) -> bytes:
    layout = str(kw.pop("layout", choose_layout(lts.n_states)))
    return renderer.run(lts_dot(lts, layout=layout, **kw), "svg", layout)  # type: ignore[arg-type]


def test_nodes_edges_and_colours(renderer: Renderer, odd_model: cspsim.Model, svg: type) -> None:
    lts = odd_model.lts("P")
    root = svg.parse(_render(renderer, lts))
    states = svg.groups(root, "state")
    assert len(states) == lts.n_states
    assert sorted(int(g.get("id")[1:]) for g in states) == list(range(lts.n_states))
    assert len(svg.groups(root, "transition")) == lts.n_transitions
    dead = svg.groups(root, "deadlock")
    assert [lts.state_labels[int(g.get("id")[1:])] for g in dead] == ["STOP"]
    assert DEADLOCK_FILL in svg.shape_fills(dead[0])
    divergent = svg.groups(root, "divergent")
    assert len(divergent) == 1 and DIVERGENT_FILL in svg.shape_fills(divergent[0])
    for g in states:
        if "deadlock" not in g.get("class") and "divergent" not in g.get("class"):
            assert DEADLOCK_FILL not in svg.shape_fills(g)
    for g in svg.groups(root, "tau"):
        paths = [p for p in g.iter(f"{SVG_NS}path")]
        assert paths and all(p.get("stroke-dasharray") for p in paths)
    assert svg.by_id(root, "start") is not None


def test_labels_are_escaped_text(renderer: Renderer, odd_model: cspsim.Model, svg: type) -> None:
    lts = odd_model.lts("P")
    data = _render(renderer, lts)
    root = svg.parse(data)  # would raise on a raw '<' or '&'
    shown = {t for g in svg.groups(root, "transition") for t in svg.texts(g)}
    assert {'msg."a<b"', 'msg."q"x"', 'msg."&amp;"', 'msg."&lt;"', 'msg."back\\slash"', "x.1.0", "x.2.1"} <= shown
    assert b"&lt;b" in data and b"&amp;amp;" in data


def test_counterexample_edges_highlighted(renderer: Renderer, odd_model: cspsim.Model, svg: type) -> None:
    lts = odd_model.lts("P")
    result = odd_model.check(1)
    assert result.counterexample is not None
    path = path_of_trace(lts, result.counterexample)
    root = svg.parse(_render(renderer, lts, path=path))
    highlighted = svg.groups(root, "path")
    edges = [g for g in highlighted if "transition" in g.get("class")]
    assert sorted(int(g.get("id")[1:]) for g in edges) == sorted(path.transitions)
    for g in edges:
        strokes = {p.get("stroke") for p in g.iter() if p.get("stroke") not in (None, "none")}
        assert strokes == {PATH_COLOR}
    others = [g for g in svg.groups(root, "transition") if "path" not in g.get("class")]
    assert others and all(PATH_COLOR not in {p.get("stroke") for p in g.iter()} for g in others)


def test_sizes_and_layouts_render_quickly(renderer: Renderer, svg: type) -> None:
    """A 100-state labelled LTS (neato) and a 40-state one (dot) each render within seconds."""
    for a, b in ((4, 10), (10, 10)):
        model = cspsim.load(f"channel l : {{0..{a - 1}}}\nchannel r : {{0..{b - 1}}}\n"
                            f"P(i) = l.i -> P((i + 1) % {a})\nQ(j) = r.j -> Q((j + 1) % {b})\nS = P(0) ||| Q(0)")
        lts = model.lts("S")
        start = time.perf_counter()
        root = svg.parse(_render(renderer, lts))
        assert time.perf_counter() - start < 10
        assert len(svg.groups(root, "state")) == a * b
        assert len(svg.groups(root, "transition")) == 2 * a * b


def test_rendering_is_deterministic(renderer: Renderer, odd_model: cspsim.Model) -> None:
    lts = odd_model.lts("P")
    assert _render(renderer, lts) == _render(renderer, lts)
    big = cspsim.load("channel l : {0..9}\nchannel r : {0..7}\nP(i) = l.i -> P((i+1)%10)\n"
                      "Q(j) = r.j -> Q((j+1)%8)\nS = P(0) ||| Q(0)").lts("S")
    assert choose_layout(big.n_states) != "dot"
    assert _render(renderer, big) == _render(renderer, big)


@pytest.mark.parametrize("fmt", ["png"])
def test_png_output(renderer: Renderer, fmt: str) -> None:
    lts = cspsim.load("channel a\nP = a -> P").lts("P")
    data = renderer.run(lts_dot(lts), fmt, "dot")
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
