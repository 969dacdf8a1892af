"""The outcome of checking one assertion, shared by the API, the CLI and JSON output."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cspsim.errors import Span
from cspsim.trace import Trace

PASS = "pass"
FAIL = "fail"
LIMIT = "limit"
ERROR = "error"


@dataclass
class Stats:
    states: int = 0
    transitions: int = 0
    seconds: float = 0.0
    peak_memory_mb: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Result:
    """``status`` is ``pass``, ``fail``, ``limit`` (stopped by --max-states/--timeout) or ``error``.

    For ``assert not ...`` the status is already inverted: ``pass`` means the property fails, as
    the script says it should. ``holds`` tells whether the property itself held.
    """

    assertion: str
    status: str
    prop: str = ""
    model: str | None = None
    holds: bool | None = None
    negated: bool = False
    span: Span | None = None
    stats: Stats = field(default_factory=Stats)
    counterexample: Trace | None = None
    message: str = ""
    error: dict[str, Any] | None = None

    @property
    def passed(self) -> bool:
        return self.status == PASS

    def to_json(self) -> dict[str, Any]:
        doc = {
            "assertion": self.assertion,
            "property": self.prop,
            "model": self.model,
            "negated": self.negated,
            "status": self.status,
            "holds": self.holds,
            "message": self.message,
            "states": self.stats.states,
            "transitions": self.stats.transitions,
            "seconds": round(self.stats.seconds, 6),
            "peak_memory_mb": round(self.stats.peak_memory_mb, 1),
            "counterexample": self.counterexample.to_json() if self.counterexample else None,
            "span": self.span.to_json() if self.span else None,
            "error": self.error,
        }
        if self.stats.extra.get("compression"):
            # components replaced by smaller bisimilar ones: "states" counts the compressed product
            doc["compression"] = self.stats.extra["compression"]
        return doc

    def _repr_html_(self) -> str:
        """Jupyter display: verdict and the counterexample's sequence chart (rendering imported only here)."""
        from cspsim.render.notebook import result_html

        return result_html(self)
