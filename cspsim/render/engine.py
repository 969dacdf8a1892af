"""Finding a Graphviz program and running it, with a timeout.

Resolution order (first match wins), documented in docs/rendering.md:

1. ``$CSPSIM_GRAPHVIZ``: a path to a Graphviz-compatible program, or ``none`` to pretend none is
   installed (used by tests and by people who only want ``.dot`` files);
2. ``dot`` on ``PATH`` (Debian's ``graphviz`` package, Homebrew, ...);
3. ``graphviz-pure`` on ``PATH`` or in ``sys.prefix/bin`` — the static binary shipped by the PyPI
   wheel ``graphviz-pure`` (the ``render`` and ``dev`` extras), so ``pip install 'cspsim[render]'``
   is enough on a fresh machine. Its command is not called ``dot``, which is why the ``graphviz``
   Python package cannot find it by itself.

Nothing else is tried: when none is found the caller writes the ``.dot`` text and prints
:data:`INSTALL_HINT` once. The layout engine is chosen per drawing with ``-K`` (see
:func:`choose_layout`), because hierarchical ``dot`` layout of a labelled 200-state graph takes
minutes while ``neato``/``sfdp`` take about a second (shared/notes/python-stack.md §1).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from cspsim import errors

INSTALL_HINT = ("no Graphviz renderer found: install one with  pip install 'cspsim[render]'  "
                "(or apt-get install graphviz), or open the .dot file with any Graphviz viewer")
ENV_VAR = "CSPSIM_GRAPHVIZ"
DEFAULT_TIMEOUT = 60.0
FORMATS = ("svg", "png")

# Largest graph (states) laid out hierarchically with `dot`; above it a force-directed engine.
# Measured with graphviz-pure 0.2.2 (bench/render_times.py): `dot` on a labelled LTS takes
# 0.1 s at 50 states but tens of seconds from ~150 states; neato stays under 1 s at 200.
DOT_LAYOUT_MAX_STATES = 60
NEATO_LAYOUT_MAX_STATES = 150
# Largest graph drawn by default (`cspsim graph --max-states`, notebooks): sfdp lays out 500
# labelled states in 1-3 s; beyond that drawings take longer and stop being readable anyway.
DEFAULT_MAX_STATES = 500


@dataclass(frozen=True)
class Renderer:
    """A Graphviz-compatible program: ``dot`` or ``graphviz-pure`` (same command-line flags)."""

    path: str
    name: str  # how it was found: "dot", "graphviz-pure" or "$CSPSIM_GRAPHVIZ"

    def run(self, dot_text: str, fmt: str = "svg", layout: str = "dot",
            timeout: float = DEFAULT_TIMEOUT) -> bytes:
        """Lay out and draw ``dot_text``; raises a diagnostic on timeout or failure."""
        if fmt not in FORMATS:
            raise ValueError(f"unknown output format {fmt!r}")
        cmd = [self.path, f"-T{fmt}", f"-K{layout}"]
        try:
            proc = subprocess.run(cmd, input=dot_text.encode("utf-8"), capture_output=True,
                                  timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            raise errors.render_timeout(self.name, layout, timeout) from None
        except OSError as exc:
            raise errors.render_failed(self.name, str(exc)) from None
        if proc.returncode != 0 or not proc.stdout:
            raise errors.render_failed(self.name, proc.stderr.decode("utf-8", "replace"))
        return proc.stdout


def find_renderer() -> Renderer | None:
    """The first Graphviz program in the documented order, or None."""
    forced = os.environ.get(ENV_VAR)
    if forced:
        if forced.lower() == "none":
            return None
        found = shutil.which(forced)
        if found is None:
            raise errors.renderer_not_found(ENV_VAR, forced)
        return Renderer(found, f"${ENV_VAR}")
    dot = shutil.which("dot")
    if dot:
        return Renderer(dot, "dot")
    pure = shutil.which("graphviz-pure")
    if pure is None:
        for folder in ("bin", "Scripts"):  # Scripts: Windows virtual environments
            candidate = Path(sys.prefix) / folder / "graphviz-pure"
            if candidate.is_file() and os.access(candidate, os.X_OK):
                pure = str(candidate)
                break
    if pure:
        return Renderer(pure, "graphviz-pure")
    return None


def choose_layout(n_nodes: int) -> str:
    """``dot`` for small graphs (readable, ranked), ``neato`` then ``sfdp`` as they grow."""
    if n_nodes <= DOT_LAYOUT_MAX_STATES:
        return "dot"
    if n_nodes <= NEATO_LAYOUT_MAX_STATES:
        return "neato"
    return "sfdp"


def render_dot(dot_text: str, fmt: str = "svg", layout: str = "dot",
               timeout: float = DEFAULT_TIMEOUT) -> bytes | None:
    """Draw ``dot_text`` with the first renderer found; None when there is none."""
    renderer = find_renderer()
    if renderer is None:
        return None
    return renderer.run(dot_text, fmt, layout, timeout)
