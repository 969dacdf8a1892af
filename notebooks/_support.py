"""Helpers shared by the notebooks in this folder (not a notebook itself).

A notebook imports this from its own folder: Jupyter runs a notebook with that folder as the
working directory, and ``python notebooks/x.py`` puts the script's folder on ``sys.path``.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

try:  # in Jupyter, pictures are displayed; as a plain script, their text is printed instead
    from IPython import get_ipython
    from IPython.display import HTML, SVG, display

    IN_JUPYTER = get_ipython() is not None
except ImportError:
    IN_JUPYTER = False

try:  # plots are optional: without matplotlib the same figures are printed as tables
    import matplotlib.pyplot as plt
except ImportError:
    plt = None


def show(obj: Any, text: str = "") -> None:
    """Display a picture (an object with a Jupyter repr, or SVG text) in Jupyter. As a script,
    still draw it — a picture that fails to draw fails the run — and print ``text`` instead."""
    if isinstance(obj, str):
        picture = obj
        if IN_JUPYTER:
            display(SVG(obj))
    else:
        picture = obj._repr_html_() if hasattr(obj, "_repr_html_") else obj._repr_svg_()
        if IN_JUPYTER:
            display(HTML(picture) if hasattr(obj, "_repr_html_") else obj)
    assert "<svg" in picture, "every picture here is SVG"
    if not IN_JUPYTER:
        print(text or f"[picture: {len(picture):,} characters of SVG]")


def done_with(fig: Any) -> None:
    """Show a matplotlib figure in Jupyter; as a script, draw it off screen and close it."""
    if IN_JUPYTER:
        plt.show()
    else:
        fig.savefig(io.BytesIO(), format="png")
        plt.close(fig)


def models_dir() -> Path:
    """models/ of this checkout (this file lives in its notebooks/ folder)."""
    models = Path(__file__).resolve().parent.parent / "models"
    if not (models / "philosophers.csp").is_file():
        raise FileNotFoundError("run the notebooks from inside the cspsim checkout")
    return models


def wait_reason(state: str) -> str:
    """A goroutine's final state as the checker prints it, '[chan send] rep!i -> ...' -> 'chan send'."""
    return state[1 : state.index("]")] if state.startswith("[") else state
