"""Writing DOT text by hand: quoting and attribute lists.

The ``graphviz`` Python package could build the same text, but it is an optional dependency and
adds nothing here beyond quoting; writing DOT directly keeps the output byte-for-byte stable and
lets every test of the DOT text run without any Graphviz installed.
"""

from __future__ import annotations

import html


def quote(text: str) -> str:
    """A DOT double-quoted string showing ``text`` literally.

    Backslashes are doubled so Graphviz's escapes (``\\N``, ``\\l``, ...) never fire; quotes are
    escaped; newlines become ``\\n`` (a centred line break); ``&`` becomes ``&amp;`` because
    Graphviz reads character entities in every string (``"&lt;"`` would be drawn as ``<``).
    Graphviz itself escapes ``<``, ``&`` and quotes when it writes SVG, so event labels such as
    ``msg."a<b"`` come out as text.
    """
    text = text.replace("&", "&amp;").replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return f'"{text}"'


def attrs(**values: str | float | int | None) -> str:
    """`` [a="x", b="y"]`` with keys in the given order; None values are left out."""
    parts = [f"{k}={quote(str(v))}" for k, v in values.items() if v is not None]
    return f" [{', '.join(parts)}]" if parts else ""


def html_text(text: str) -> str:
    """Text for inside an HTML-like label ``<...>`` (legends)."""
    return html.escape(text, quote=True)
