"""The explicit labelled transition system type shared by checks, rendering and the API."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from cspsim.lts.events import TAU, TICK


@dataclass
class LTS:
    """States ``0..n-1`` (``initial`` first), transitions in compressed-row form.

    ``offsets[s]:offsets[s+1]`` index the transitions leaving ``s`` in ``events`` and ``targets``.
    ``event_labels[e]`` is the text of event id ``e`` (0 = τ, 1 = ✓). ``state_labels[s]``
    describes state ``s``; ``terminated`` lists states reached by ✓ (Ω), which are not deadlocks.
    """

    initial: int
    offsets: list[int]
    events: list[int]
    targets: list[int]
    event_labels: list[str]
    state_labels: Sequence[str]
    terminated: frozenset[int] = field(default_factory=frozenset)
    name: str = ""

    @property
    def n_states(self) -> int:
        return len(self.offsets) - 1

    @property
    def n_transitions(self) -> int:
        return len(self.events)

    def successors(self, s: int) -> Iterator[tuple[int, int]]:
        lo, hi = self.offsets[s], self.offsets[s + 1]
        return zip(self.events[lo:hi], self.targets[lo:hi])

    def label(self, eid: int) -> str:
        return self.event_labels[eid]

    def alphabet(self) -> set[int]:
        return {e for e in self.events if e not in (TAU, TICK)}

    @classmethod
    def from_edges(
        cls,
        n_states: int,
        edges: list[list[tuple[int, int]]],
        event_labels: list[str],
        state_labels: Sequence[str],
        terminated: frozenset[int] = frozenset(),
        name: str = "",
    ) -> LTS:
        offsets = [0]
        events: list[int] = []
        targets: list[int] = []
        for s in range(n_states):
            for e, t in edges[s]:
                events.append(e)
                targets.append(t)
            offsets.append(len(events))
        return cls(0, offsets, events, targets, event_labels, state_labels, terminated, name)

    def to_networkx(self) -> Any:
        """A ``networkx.MultiDiGraph``: nodes carry ``label``, edges ``event`` and ``tau``."""
        import networkx as nx

        g = nx.MultiDiGraph(name=self.name)
        for s in range(self.n_states):
            g.add_node(s, label=self.state_labels[s], initial=s == self.initial,
                       terminated=s in self.terminated)
        for s in range(self.n_states):
            for e, t in self.successors(s):
                g.add_edge(s, t, event=self.event_labels[e], tau=e == TAU, tick=e == TICK)
        return g

    def to_aut(self) -> str:
        """The Aldebaran ``.aut`` format read by CADP and mCRL2 (τ written as ``i``)."""
        lines = [f"des ({self.initial}, {self.n_transitions}, {self.n_states})"]
        for s in range(self.n_states):
            for e, t in self.successors(s):
                label = "i" if e == TAU else self.event_labels[e].replace('"', '\\"')
                lines.append(f'({s}, "{label}", {t})')
        return "\n".join(lines) + "\n"

    def _repr_svg_(self) -> str | None:
        try:
            from cspsim.render import lts_svg
        except ImportError:
            return None
        return lts_svg(self)
