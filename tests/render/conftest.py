"""Helpers for rendering tests: a renderer that must exist, SVG parsing, and small models."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

import cspsim
from cspsim.render.engine import INSTALL_HINT, Renderer, find_renderer

SVG = "{http://www.w3.org/2000/svg}"

# Events with dots, quotes, '<', '&' and a backslash; a deadlock (STOP), a divergence (hidden loop),
# termination (SKIP) and internal choice.
ODD_LABELS = r'''
channel msg : {"a<b", "q\"x", "&amp;", "&lt;", "back\\slash"}
channel x : {0..2}.{0..1}
channel a, b, c
LOOP = (a -> LOOP) \ {a}
P = msg?v -> (x.1.0 -> STOP |~| x.2.1 -> SKIP) [] b -> LOOP [] c -> P
assert P :[deadlock free [F]]
assert P :[divergence free]
'''


@pytest.fixture(scope="session")
def renderer() -> Renderer:
    """The Graphviz program; its absence FAILS the test (graphviz-pure is in the dev extra)."""
    found = find_renderer()
    if found is None:
        pytest.fail(f"no Graphviz renderer for the rendering tests: {INSTALL_HINT}")
    return found


@pytest.fixture
def odd_source() -> str:
    return ODD_LABELS


@pytest.fixture
def odd_model() -> cspsim.Model:
    return cspsim.load(ODD_LABELS)


class SvgTools:
    """SVG helpers, handed to tests by the ``svg`` fixture (tests cannot import conftest)."""

    @staticmethod
    def parse(data: str | bytes) -> ET.Element:
        """Parse an SVG document (Graphviz output has a DOCTYPE; ElementTree ignores it)."""
        root = ET.fromstring(data.encode("utf-8") if isinstance(data, str) else data)
        assert root.tag == f"{SVG}svg"
        return root

    @staticmethod
    def groups(root: ET.Element, css_class: str) -> list[ET.Element]:
        """``<g>`` elements whose class list contains ``css_class``."""
        return [g for g in root.iter(f"{SVG}g") if css_class in (g.get("class") or "").split()]

    @staticmethod
    def by_id(root: ET.Element, ident: str) -> ET.Element:
        found = [e for e in root.iter() if e.get("id") == ident]
        assert len(found) == 1, f"{len(found)} elements with id {ident!r}"
        return found[0]

    @staticmethod
    def texts(elem: ET.Element) -> list[str]:
        """The visible text of each ``<text>`` element (without its ``<title>`` tooltip)."""
        return [(t.text or "") + "".join(c.tail or "" for c in t) for t in elem.iter(f"{SVG}text")]

    @staticmethod
    def tooltips(elem: ET.Element) -> list[str]:
        return [t.text or "" for t in elem.iter(f"{SVG}title")]

    @staticmethod
    def shape_fills(g: ET.Element) -> set[str]:
        """Fill colours of the shapes drawn for a Graphviz node (ellipse or polygon)."""
        return {s.get("fill", "") for tag in ("ellipse", "polygon", "path") for s in g.iter(f"{SVG}{tag}")}


@pytest.fixture
def svg() -> type[SvgTools]:
    return SvgTools
