"""Message sequence charts of a :class:`~cspsim.trace.Trace` (a counterexample or a simulated run).

One vertical lifeline per component (``Trace.components``: the parallel leaves of a composition,
or the goroutines of a run), time running down. Each step is one row:

* an event performed by two or more components (``Step.movers``) is a bar joining their lifelines,
  with a dot on each component that took part — or an arrow from ``movers[0]`` to ``movers[1]``
  when ``Trace.annotations["arrows"]`` is true (a channel hand-off from sender to receiver);
* an event of one component is a mark on its lifeline; τ is grey, ✓ green;
* a step with no recorded movers spans the whole chart, dashed.

Below the lifelines, each component's final state (``Trace.final_states``) and, when known, why it
is blocked (``Trace.annotations["wait_reasons"]``: a list aligned with the components or a dict by
name). A lasso (``Trace.loop_index``) is bracketed on the left as "repeats forever". The chart is
drawn directly as SVG: no Graphviz needed.

SVG structure (for styling and tests): ``g.lifeline#lifeline-<i>``, ``g.step#step-<n>`` with class
``sync``/``local``/``global`` and ``tau``/``tick``, ``circle.mover`` per component that moved,
``g.final#final-<i>`` with class ``blocked`` when a wait reason is known.
"""

from __future__ import annotations

from typing import Any

from cspsim.render.svg import Svg, shorten, text_width
from cspsim.trace import Step, Trace

DEFAULT_MAX_STEPS = 200
LABEL_CHARS = 32
ROW = 26
TAU_COLOR = "#888888"
TICK_COLOR = "#2e7d32"
EVENT_COLOR = "#1565c0"
BLOCKED_COLOR = "#c62828"


def wait_reasons(trace: Trace) -> list[str]:
    """Per-component blocked reasons from the annotations, aligned with ``trace.components``."""
    raw: Any = trace.annotations.get("wait_reasons")
    names = trace.components or ["process"]
    if isinstance(raw, dict):
        return [str(raw.get(n, "")) for n in names]
    if isinstance(raw, (list, tuple)):
        return [str(r) if r else "" for r in raw] + [""] * (len(names) - len(raw))
    return [""] * len(names)


def ending(trace: Trace) -> str:
    """One line on how the trace ends, from the check's annotations."""
    ann = trace.annotations
    kind = ann.get("kind")
    if kind == "deadlock":
        return f"deadlock: refuses {ann.get('refuses', 'every event')}"
    if kind == "divergence":
        return "divergence: the bracketed τ steps repeat forever"
    if kind == "nondeterminism":
        return str(ann.get("explanation") or "nondeterminism")
    if ann.get("explanation"):
        return str(ann["explanation"])
    return str(kind) if kind else ""


def msc_svg(trace: Trace, *, title: str = "", max_steps: int = DEFAULT_MAX_STEPS) -> str:
    """The sequence chart of ``trace`` as an SVG document (at most ``max_steps`` rows)."""
    names = trace.components or ["process"]
    finals = list(trace.final_states) + [""] * (len(names) - len(trace.final_states))
    reasons = wait_reasons(trace)
    steps = trace.steps[:max_steps]
    hidden = len(trace.steps) - len(steps)

    label_w = max([text_width(shorten(_label(s), LABEL_CHARS)) for s in steps] + [0.0])
    name_w = max(text_width(shorten(n, 24)) for n in names)
    final_w = max([text_width(shorten(f, 28), 11) for f in finals + reasons] + [0.0])
    col = max(120.0, min(260.0, max(name_w, final_w, label_w) + 24))
    left = 96.0  # step numbers and the loop bracket
    width = left + col * len(names) + 20
    top = 34.0 if title else 12.0
    head_h = 28.0
    first_row = top + head_h + ROW
    bottom = first_row + ROW * (len(steps) + (1 if hidden else 0))
    caption = ending(trace)
    height = bottom + 56 + (22 if caption else 0)
    width = max(width, text_width(caption) + 40, text_width(title, 14) + 40)

    svg = Svg(width, height, title=title or "sequence chart", css_class="cspsim-msc")
    if title:
        svg.text(12, 22, title, font_size=14, font_weight="bold", class_="title")

    def x_of(i: int) -> float:
        return left + col * i + col / 2

    for i, name in enumerate(names):
        x = x_of(i)
        svg.open(id=f"lifeline-{i}", class_="lifeline")
        svg.element("line", x1=x, y1=top + head_h, x2=x, y2=bottom + 6, stroke="#9e9e9e", stroke_width=1.2)
        box_w = col - 16
        svg.element("rect", x=x - box_w / 2, y=top, width=box_w, height=head_h, rx=4, fill="#eceff1",
                    stroke="#607d8b")
        svg.text(x, top + 18, shorten(name, 24), tooltip=name, text_anchor="middle", font_weight="bold")
        svg.close()

    for n, step in enumerate(steps):
        _draw_step(svg, n, step, first_row + ROW * n, x_of, len(names), left, width,
                   bool(trace.annotations.get("arrows")))
    if hidden:
        svg.text(left - 8, first_row + ROW * len(steps) + 4, f"… {hidden} more step(s) not shown",
                 font_style="italic", class_="truncated")

    if trace.loop_index is not None and trace.loop_index < len(steps):
        y0 = first_row + ROW * trace.loop_index - ROW / 2
        y1 = first_row + ROW * (len(steps) - 1) + ROW / 2
        svg.open(class_="loop")
        svg.element("path", d=f"M {left - 10} {y0} h -8 V {y1} h 8", fill="none", stroke=BLOCKED_COLOR,
                    stroke_width=1.5)
        svg.text(left - 22, (y0 + y1) / 2 + 4, "repeats", text_anchor="end", font_size=10, fill=BLOCKED_COLOR)
        svg.close()

    for i, _ in enumerate(names):
        x = x_of(i)
        blocked = bool(reasons[i])
        svg.open(id=f"final-{i}", class_="final blocked" if blocked else "final")
        box_w = col - 16
        svg.element("rect", x=x - box_w / 2, y=bottom + 6, width=box_w, height=40 if blocked else 24, rx=3,
                    fill="#fdecea" if blocked else "#fafafa", stroke=BLOCKED_COLOR if blocked else "#9e9e9e")
        svg.text(x, bottom + 22, shorten(finals[i], 28), tooltip=finals[i], text_anchor="middle", font_size=11)
        if blocked:
            svg.text(x, bottom + 38, shorten(reasons[i], 28), tooltip=reasons[i], text_anchor="middle",
                     font_size=11, fill=BLOCKED_COLOR, class_="reason")
        svg.close()
    if caption:
        svg.text(12, height - 12, caption, fill=BLOCKED_COLOR, class_="caption")
    return str(svg)


def _draw_step(svg: Svg, n: int, step: Step, y: float, x_of: Any, n_lines: int, left: float, width: float,
               arrows: bool) -> None:
    movers = sorted({m for m in step.movers if 0 <= m < n_lines})
    kind = "global" if not movers else ("sync" if len(movers) > 1 else "local")
    flavour = " tau" if step.event_id == 0 else (" tick" if step.event_id == 1 else "")
    color = TAU_COLOR if step.event_id == 0 else (TICK_COLOR if step.event_id == 1 else EVENT_COLOR)
    label = shorten(_label(step), LABEL_CHARS)
    tip = f"step {n + 1}: {_label(step)}"
    svg.open(id=f"step-{n + 1}", class_=f"step {kind}{flavour}")
    svg.text(22, y + 4, str(n + 1), fill="#9e9e9e", font_size=10, text_anchor="end")
    dash = "4 3" if step.event_id == 0 else None
    if kind == "global":
        svg.element("line", x1=left, y1=y, x2=width - 20, y2=y, stroke=color, stroke_width=1.5,
                    stroke_dasharray="6 4", tooltip=tip)
        svg.text(left + 4, y - 5, label, tooltip=step.event, fill=color)
    elif kind == "local":
        x = x_of(movers[0])
        svg.element("rect", x=x - 5, y=y - 5, width=10, height=10, fill=color, class_="mover", tooltip=tip)
        svg.text(x + 9, y - 4, label, tooltip=step.event, fill=color, font_size=11)
    else:
        x0, x1 = x_of(movers[0]), x_of(movers[-1])
        if arrows and len(step.movers) == 2:
            src, dst = x_of(step.movers[0]), x_of(step.movers[1])
            head = -9 if dst > src else 9
            svg.element("line", x1=src, y1=y, x2=dst + head, y2=y, stroke=color, stroke_width=2,
                        stroke_dasharray=dash, tooltip=tip)
            svg.element("circle", cx=src, cy=y, r=4.5, fill=color, class_="mover", tooltip=tip)
            svg.element("path", d=f"M {dst} {y} l {head} -5 v 10 z", fill=color, class_="mover arrowhead",
                        tooltip=tip)
        else:
            svg.element("line", x1=x0, y1=y, x2=x1, y2=y, stroke=color, stroke_width=2, stroke_dasharray=dash,
                        tooltip=tip)
            for m in movers:
                svg.element("circle", cx=x_of(m), cy=y, r=4.5, fill=color, class_="mover", tooltip=tip)
        svg.text((x0 + x1) / 2, y - 6, label, tooltip=step.event, text_anchor="middle", fill=color)
    svg.close()


def _label(step: Step) -> str:
    """An invisible step is labelled with what it did (``τ (go WORKER(1))``) when known."""
    return f"{step.event} ({step.note})" if step.note else step.event
