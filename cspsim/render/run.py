"""One picture of a simulated run: the goroutine timeline above the run's sequence chart.

This is what ``cspsim simulate --svg out.svg`` writes (wired by the simulator's CLI): the
simulator hands over the run as a :class:`~cspsim.trace.Trace` (components = goroutines,
``Step.movers`` = goroutines that took part, ``annotations["arrows"] = True`` when ``movers[0]``
sent to ``movers[1]``, ``annotations["wait_reasons"]`` for the goroutines still blocked at the end)
and its state changes as :class:`~cspsim.render.timeline.TimelineRecord` values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from cspsim.render.msc import DEFAULT_MAX_STEPS, msc_svg
from cspsim.render.timeline import TimelineRecord, timeline_svg
from cspsim.trace import Trace

_SIZE = re.compile(r'<svg [^>]*?width="([\d.]+)" height="([\d.]+)"')


def run_svg(trace: Trace, records: Iterable[TimelineRecord], *, title: str = "", unit: str = "",
            end: float | None = None, max_steps: int = DEFAULT_MAX_STEPS) -> str:
    """Timeline (top) and sequence chart of the first ``max_steps`` steps (bottom) in one SVG."""
    records = list(records)
    parts = []
    if records:
        parts.append(timeline_svg(records, end=end, title=title, unit=unit))
    parts.append(msc_svg(trace, title="" if records else title, max_steps=max_steps))
    sizes = []
    for part in parts:
        m = _SIZE.match(part)
        assert m is not None, "render's own SVG always starts with its size"
        sizes.append((float(m.group(1)), float(m.group(2))))
    width = max(w for w, _ in sizes)
    height = sum(h for _, h in sizes)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{height:g}" '
           f'viewBox="0 0 {width:g} {height:g}" class="cspsim-run">']
    y = 0.0
    for part, (_, h) in zip(parts, sizes):
        out.append(part.replace("<svg ", f'<svg x="0" y="{y:g}" ', 1).rstrip("\n"))
        y += h
    out.append("</svg>")
    return "\n".join(out) + "\n"
