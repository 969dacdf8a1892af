"""cspsim: check CSPM models (deadlock, divergence, determinism, traces) with shortest counterexamples.

Public API::

    import cspsim
    model = cspsim.load("models/philosophers.csp")   # or CSPM text
    for result in model.check_all():
        print(result.assertion, result.status)
    lts = model.lts("PHIL(0)")                        # explicit LTS of a process
    graph = lts.to_networkx()

    sim = cspsim.sim.Sim(seed=1)                      # Go-style goroutines in virtual time
"""

from __future__ import annotations

__version__ = "0.1.0"

from cspsim import sim  # the discrete-event simulator: cspsim.sim.Sim (docs/simulator.md)
from cspsim.errors import CspsimError, Span
from cspsim.lts.explore import Limits
from cspsim.lts.lts import LTS
from cspsim.model import Assertion, Model, load
from cspsim.result import Result, Stats
from cspsim.trace import Step, Trace

__all__ = [
    "LTS",
    "Assertion",
    "CspsimError",
    "Limits",
    "Model",
    "Result",
    "Span",
    "Stats",
    "Step",
    "Trace",
    "__version__",
    "load",
    "sim",
]
