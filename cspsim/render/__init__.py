"""Pictures of state graphs, counterexamples and runs (SVG, PNG or DOT).

Only faces (the CLI, notebook reprs) import this package; it imports ``lts``, ``trace`` and
``result``, never the other way round. State graphs are laid out by Graphviz (found as described
in :mod:`cspsim.render.engine`); sequence charts and timelines are drawn directly as SVG.

>>> import cspsim
>>> from cspsim.render import lts_dot
>>> lts = cspsim.load("channel a\\nP = a -> STOP").lts("P")
>>> print(lts_dot(lts).count(" -> "))  # the entry arrow and one transition
2
"""

from __future__ import annotations

from cspsim.render.compress import COMPRESSIONS, compress
from cspsim.render.engine import (
    DEFAULT_MAX_STATES,
    INSTALL_HINT,
    Renderer,
    choose_layout,
    find_renderer,
    render_dot,
)
from cspsim.render.graph import Path, StateKinds, classify, lts_dot, path_of_trace
from cspsim.render.msc import msc_svg
from cspsim.render.neighbourhood import counterexample_view
from cspsim.render.notebook import lts_svg, result_html, trace_svg
from cspsim.render.run import run_svg
from cspsim.render.timeline import TimelineRecord, timeline_svg

__all__ = [
    "COMPRESSIONS",
    "DEFAULT_MAX_STATES",
    "INSTALL_HINT",
    "Path",
    "Renderer",
    "StateKinds",
    "TimelineRecord",
    "choose_layout",
    "classify",
    "compress",
    "counterexample_view",
    "find_renderer",
    "lts_dot",
    "lts_svg",
    "msc_svg",
    "path_of_trace",
    "render_dot",
    "result_html",
    "run_svg",
    "timeline_svg",
    "trace_svg",
]
