"""cspsim: check CSPM models (deadlock, divergence, determinism, traces) with shortest counterexamples.

Public API::

    import cspsim
    model = cspsim.load("models/philosophers.csp")   # or CSPM text
    for result in model.check_all():
        print(result.assertion, result.status)
    lts = model.lts("PHIL(0)")                        # explicit LTS of a process
    graph = lts.to_networkx()
"""

from __future__ import annotations

__version__ = "0.1.0"

from cspsim.errors import CspsimError, Span  # noqa: E402
from cspsim.lts.explore import Limits  # noqa: E402
from cspsim.lts.lts import LTS  # noqa: E402
from cspsim.model import Assertion, Model, load  # noqa: E402
from cspsim.result import Result, Stats  # noqa: E402
from cspsim.trace import Step, Trace  # noqa: E402

__all__ = [
    "Assertion",
    "CspsimError",
    "LTS",
    "Limits",
    "Model",
    "Result",
    "Span",
    "Stats",
    "Step",
    "Trace",
    "load",
    "__version__",
]
