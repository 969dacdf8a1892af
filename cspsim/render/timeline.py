"""Timelines of simulated runs: what each goroutine was doing over (virtual) time.

The simulator reports state changes as :class:`TimelineRecord` values: "from ``time`` on,
``goroutine`` is ``state`` (because ``reason``)". A goroutine stays in a state until its next
record or the end of the run. Each goroutine gets one row (in order of first appearance) of
coloured segments: running (green), runnable — ready but waiting for a processor (amber), blocked
(red, labelled with the wait reason, e.g. ``chan send``, ``select``, ``sync.Mutex.Lock``), done
(no bar after it). The picture is written directly as SVG; no Graphviz is needed.

SVG structure: ``g.goroutine#goroutine-<i>`` per row, ``rect.segment.<state>`` per segment with a
tooltip ``name: state (reason) from t0 to t1``, ``g.axis`` for the time axis.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from cspsim.render.svg import Svg, shorten, text_width

RUNNING = "running"
RUNNABLE = "runnable"
BLOCKED = "blocked"
DONE = "done"
STATES = (RUNNING, RUNNABLE, BLOCKED, DONE)
COLORS = {RUNNING: "#66bb6a", RUNNABLE: "#ffca28", BLOCKED: "#ef5350", DONE: "#eeeeee"}


@dataclass(frozen=True)
class TimelineRecord:
    """From ``time`` on, ``goroutine`` is in ``state`` (one of :data:`STATES`) for ``reason``.

    ``reason`` matters for ``blocked`` (Go's wait reason: ``chan receive``, ``select``, ...);
    ``time`` is in the simulator's virtual time unit (the axis is labelled with ``unit``).
    """

    time: float
    goroutine: str
    state: str
    reason: str = ""


@dataclass(frozen=True)
class Segment:
    goroutine: str
    state: str
    reason: str
    start: float
    end: float


def segments(records: Iterable[TimelineRecord], end: float | None = None) -> tuple[list[str], list[Segment]]:
    """Goroutines in order of first appearance and their state segments (``done`` ones dropped).

    Records are taken in time order (stable for equal times, so a later record at the same instant
    wins). A run's end is ``end`` or, by default, the last record's time. Raises ValueError for an
    unknown state or a record after ``end``.
    """
    ordered = sorted(records, key=lambda r: r.time)
    for r in ordered:
        if r.state not in STATES:
            raise ValueError(f"unknown goroutine state {r.state!r} (expected one of {', '.join(STATES)})")
    stop = end if end is not None else (ordered[-1].time if ordered else 0.0)
    if ordered and ordered[-1].time > stop:
        raise ValueError(f"record at time {ordered[-1].time} is after the end of the run ({stop})")
    names: list[str] = []
    current: dict[str, TimelineRecord] = {}
    out: list[Segment] = []

    def flush(rec: TimelineRecord, until: float) -> None:
        if rec.state != DONE and until > rec.time:
            out.append(Segment(rec.goroutine, rec.state, rec.reason, rec.time, until))

    for r in ordered:
        if r.goroutine not in current:
            names.append(r.goroutine)
        else:
            flush(current[r.goroutine], r.time)
        current[r.goroutine] = r
    for name in names:
        flush(current[name], stop)
    return names, out


def _ticks(stop: float, count: int = 8) -> list[float]:
    """Round tick positions (1, 2 or 5 times a power of ten) from 0 to ``stop``."""
    if stop <= 0:
        return [0.0]
    raw = stop / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return [i * step for i in range(int(stop / step + 1e-9) + 1)]


def _fmt_time(t: float) -> str:
    return f"{t:g}"


def timeline_svg(records: Iterable[TimelineRecord], *, end: float | None = None, title: str = "",
                 unit: str = "", width: float = 900.0) -> str:
    """The goroutine-state timeline of a run as an SVG document."""
    names, segs = segments(records, end)
    stop = end if end is not None else max([s.end for s in segs] + [0.0])
    row, bar = 26.0, 16.0
    name_w = min(200.0, max([text_width(shorten(n, 28)) for n in names] + [40.0]) + 16)
    top = 34.0 if title else 12.0
    plot_x, plot_w = name_w + 10, width - name_w - 30
    height = top + row * len(names) + 70
    scale = plot_w / stop if stop > 0 else 0.0
    svg = Svg(width, height, title=title or "goroutine timeline", css_class="cspsim-timeline")
    if title:
        svg.text(12, 22, title, font_size=14, font_weight="bold", class_="title")

    by_name: dict[str, list[Segment]] = {n: [] for n in names}
    for s in segs:
        by_name[s.goroutine].append(s)
    for i, name in enumerate(names):
        y = top + row * i
        svg.open(id=f"goroutine-{i}", class_="goroutine")
        svg.text(plot_x - 8, y + row / 2 + 4, shorten(name, 28), tooltip=name, text_anchor="end")
        svg.element("line", x1=plot_x, y1=y + row / 2, x2=plot_x + plot_w, y2=y + row / 2, stroke="#e0e0e0")
        for s in by_name[name]:
            x0, w = plot_x + s.start * scale, max((s.end - s.start) * scale, 0.5)
            why = f" ({s.reason})" if s.reason else ""
            tip = f"{name}: {s.state}{why} from {_fmt_time(s.start)} to {_fmt_time(s.end)}{unit and ' ' + unit}"
            svg.element("rect", x=x0, y=y + (row - bar) / 2, width=w, height=bar, fill=COLORS[s.state],
                        stroke="white", stroke_width=0.5, class_=f"segment {s.state}", tooltip=tip)
            if s.state == BLOCKED and s.reason and w > text_width(s.reason, 10) + 6:
                svg.text(x0 + 3, y + row / 2 + 4, s.reason, font_size=10, fill="white", class_="reason")
        svg.close()

    axis_y = top + row * len(names) + 6
    svg.open(class_="axis")
    svg.element("line", x1=plot_x, y1=axis_y, x2=plot_x + plot_w, y2=axis_y, stroke="#424242")
    for t in _ticks(stop):
        x = plot_x + t * scale
        svg.element("line", x1=x, y1=axis_y, x2=x, y2=axis_y + 4, stroke="#424242")
        svg.text(x, axis_y + 16, _fmt_time(t), font_size=10, text_anchor="middle")
    if unit:
        svg.text(plot_x + plot_w, axis_y + 30, f"time ({unit})", font_size=10, text_anchor="end")
    svg.close()

    legend_y = height - 14
    x = plot_x
    svg.open(class_="legend")
    for state in (RUNNING, RUNNABLE, BLOCKED):
        svg.element("rect", x=x, y=legend_y - 10, width=12, height=12, fill=COLORS[state])
        svg.text(x + 16, legend_y, state, font_size=11)
        x += 24 + text_width(state, 11)
    svg.close()
    return str(svg)
