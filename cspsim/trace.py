"""The one counterexample / run type shared by checks, the simulator, rendering and JSON.

A :class:`Trace` is a replayable path from the initial state (stateright's idea): each
:class:`Step` names the event, the components that moved, and the index of the transition taken
among the state's successors in the engine's deterministic order, so the same path drives the
report, the picture and a replay.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Step:
    event: str  # display label: "pick.0.1", "τ", "✓"
    event_id: int  # id in the model's event table (0 = τ, 1 = ✓)
    movers: tuple[int, ...] = ()  # indices of the components that took part
    choice: int = -1  # index of this transition among the successors of the previous state
    note: str = ""  # what an invisible step did, e.g. "go WORKER(1)", "select default"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"event": self.event, "movers": list(self.movers), "choice": self.choice}
        if self.note:
            out["note"] = self.note
        return out


@dataclass
class Trace:
    """A path from the initial state, with what is known about its last state.

    ``loop_index``: for a lasso (divergence, livelock), ``steps[loop_index:]`` repeat forever.
    ``components``: names of the components (parallel leaves or goroutines), indexed by ``movers``.
    ``final_states``: the state of each component at the end, as text.
    ``annotations``: what the check wants to say about the end (refusals, acceptances, wait reasons).
    """

    steps: list[Step] = field(default_factory=list)
    loop_index: int | None = None
    components: list[str] = field(default_factory=list)
    final_states: list[str] = field(default_factory=list)
    annotations: dict[str, Any] = field(default_factory=dict)

    @property
    def events(self) -> list[str]:
        """The visible events of the path (τ removed), as FDR shows a trace."""
        return [s.event for s in self.steps if s.event_id != 0]

    @property
    def choices(self) -> list[int]:
        return [s.choice for s in self.steps]

    def __len__(self) -> int:
        return len(self.steps)

    def to_json(self) -> dict[str, Any]:
        return {
            "events": self.events,
            "steps": [s.to_json() for s in self.steps],
            "loop_index": self.loop_index,
            "components": [
                {"name": n, "state": s} for n, s in zip(self.components, self.final_states)
            ],
            "annotations": _jsonable(self.annotations),
        }

    def describe(self) -> str:
        """One line: ``<a, b, c>`` with τ steps counted, and the loop if any."""
        text = "<" + ", ".join(self.events) + ">"
        taus = sum(1 for s in self.steps if s.event_id == 0)
        if self.loop_index is not None:
            loop = [s.event for s in self.steps[self.loop_index :]]
            text += " then forever (" + ", ".join(loop) + ")"
        if taus:
            text += f"  [{len(self.steps)} steps, {taus} τ]"
        return text

    def _repr_svg_(self) -> str:
        """Jupyter display: the message sequence chart (rendering is imported only here)."""
        from cspsim.render.msc import msc_svg

        return msc_svg(self)


def _jsonable(v: Any) -> Any:
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, (list, tuple, set, frozenset)):
        items = [_jsonable(x) for x in v]
        return sorted(items, key=str) if isinstance(v, (set, frozenset)) else items
    if isinstance(v, (str, int, float, bool)) or v is None:
        return v
    return str(v)
