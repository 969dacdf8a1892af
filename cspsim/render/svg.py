"""A very small SVG writer for the pictures drawn without Graphviz (sequence charts, timelines).

Those pictures have a fixed geometry (lifelines in columns, time on an axis), so no layout engine
is needed: they are written directly, work on every machine and come out byte-for-byte the same
for the same input. All text and attribute values are XML-escaped here and nowhere else.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

FONT = "Helvetica, Arial, sans-serif"
CHAR_WIDTH = 7.0  # average width of a 12px character, for sizing boxes without font metrics


def text_width(text: str, size: float = 12.0) -> float:
    return len(text) * CHAR_WIDTH * size / 12.0


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis (the full text goes in a tooltip)."""
    return text if len(text) <= limit else text[: max(1, limit - 1)] + "…"


def _fmt(v: object) -> str:
    if isinstance(v, float):
        return f"{v:.2f}".rstrip("0").rstrip(".")
    return str(v)


class Svg:
    """Elements appended in drawing order; ``str()`` gives the document."""

    def __init__(self, width: float, height: float, *, title: str = "", css_class: str = "") -> None:
        self.width = width
        self.height = height
        self.title = title
        self.css_class = css_class
        self.parts: list[str] = []

    @staticmethod
    def _attrs(attrs: dict[str, object]) -> str:
        out = []
        for k, v in attrs.items():
            if v is None:
                continue
            name = k.rstrip("_").replace("_", "-")  # class_ -> class, font_size -> font-size
            out.append(f" {name}={quoteattr(_fmt(v))}")
        return "".join(out)

    def open(self, tag: str = "g", **attrs: object) -> None:
        self.parts.append(f"<{tag}{self._attrs(attrs)}>")

    def close(self, tag: str = "g") -> None:
        self.parts.append(f"</{tag}>")

    def element(self, tag: str, *, tooltip: str | None = None, **attrs: object) -> None:
        if tooltip:
            self.parts.append(f"<{tag}{self._attrs(attrs)}><title>{escape(tooltip)}</title></{tag}>")
        else:
            self.parts.append(f"<{tag}{self._attrs(attrs)}/>")

    def text(self, x: float, y: float, content: str, *, tooltip: str | None = None, **attrs: object) -> None:
        attrs.setdefault("font_family", FONT)
        attrs.setdefault("font_size", 12)
        inner = escape(content)
        if tooltip and tooltip != content:
            inner = f"<title>{escape(tooltip)}</title>{inner}"
        self.parts.append(f"<text{self._attrs({'x': x, 'y': y, **attrs})}>{inner}</text>")

    def __str__(self) -> str:
        head = (f'<svg xmlns="http://www.w3.org/2000/svg" width="{_fmt(self.width)}" height="{_fmt(self.height)}" '
                f'viewBox="0 0 {_fmt(self.width)} {_fmt(self.height)}"'
                + (f" class={quoteattr(self.css_class)}" if self.css_class else "") + ">")
        title = f"<title>{escape(self.title)}</title>" if self.title else ""
        background = f'<rect x="0" y="0" width="{_fmt(self.width)}" height="{_fmt(self.height)}" fill="white"/>'
        return "\n".join([head, title, background, *self.parts, "</svg>"]) + "\n"


def notice_svg(lines: list[str], *, css_class: str = "cspsim-notice") -> str:
    """A small picture that says why the real one could not be drawn (for notebooks)."""
    width = max(text_width(line) for line in lines) + 24 if lines else 100
    svg = Svg(width, 16 + 18 * len(lines), title=lines[0] if lines else "", css_class=css_class)
    svg.element("rect", x=1, y=1, width=width - 2, height=14 + 18 * len(lines), fill="#fff8e1",
                stroke="#f9a825", rx=4)
    for i, line in enumerate(lines):
        svg.text(12, 22 + 18 * i, line)
    return str(svg)
