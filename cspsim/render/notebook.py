"""Rich displays for Jupyter: what ``_repr_svg_`` / ``_repr_html_`` of the core types return.

The core types call these lazily from their repr methods (``LTS._repr_svg_``,
``Trace._repr_svg_``, ``Result._repr_html_``), so importing cspsim never imports rendering. A
display never raises: when a graph is too large or no Graphviz program is installed, it shows a
short notice saying so and what to do instead.
"""

from __future__ import annotations

import html

from cspsim.errors import CspsimError
from cspsim.lts.lts import LTS
from cspsim.render.engine import DEFAULT_MAX_STATES, INSTALL_HINT, choose_layout, find_renderer
from cspsim.render.graph import Path, lts_dot
from cspsim.render.msc import msc_svg
from cspsim.render.svg import notice_svg
from cspsim.result import FAIL, PASS, Result
from cspsim.trace import Trace

NOTEBOOK_TIMEOUT = 30.0
_STATUS_COLOR = {PASS: "#2e7d32", FAIL: "#c62828"}


def lts_svg(lts: LTS, *, path: Path | None = None, max_states: int = DEFAULT_MAX_STATES) -> str:
    """The state graph of ``lts`` as SVG text, or a notice explaining why it was not drawn."""
    if lts.n_states > max_states:
        return notice_svg([f"{lts.name or 'LTS'}: {lts.n_states} states, more than {max_states}: not drawn.",
                           "Compress it first: cspsim.lts.bisim.strong_bisimulation(lts)[0],",
                           "hide internal events, or call lts_svg(lts, max_states=N)."])
    try:
        renderer = find_renderer()
        if renderer is None:
            return notice_svg([f"{lts.name or 'LTS'}: {lts.n_states} states (not drawn)", INSTALL_HINT])
        layout = choose_layout(lts.n_states)
        return renderer.run(lts_dot(lts, path=path, layout=layout), "svg", layout, NOTEBOOK_TIMEOUT).decode("utf-8")
    except CspsimError as err:
        return notice_svg([f"{lts.name or 'LTS'}: {lts.n_states} states (not drawn)", err.message])


def trace_svg(trace: Trace, title: str = "") -> str:
    """The message sequence chart of a counterexample or run."""
    return msc_svg(trace, title=title)


def inline_svg(svg: str) -> str:
    """An SVG document without its XML prolog and DOCTYPE, to embed in HTML."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


def result_html(result: Result) -> str:
    """A result as an HTML block: verdict, statistics, and the counterexample's sequence chart."""
    color = _STATUS_COLOR.get(result.status, "#ef6c00")
    esc = html.escape
    parts = [
        '<div class="cspsim-result">',
        f'<div><code>{esc(result.assertion)}</code>: <b style="color:{color}">{esc(result.status.upper())}</b>'
        + (f" — {esc(result.message)}" if result.message else "") + "</div>",
        f"<div style=\"color:#616161\">{result.stats.states:,} states, {result.stats.transitions:,} transitions, "
        f"{result.stats.seconds:.2f} s</div>",
    ]
    trace = result.counterexample
    if trace is not None:
        parts.append(f"<pre>{esc(trace.describe())}</pre>")
        parts.append(inline_svg(msc_svg(trace)))
    parts.append("</div>")
    return "\n".join(parts)
