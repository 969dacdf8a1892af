"""Integer numbering of events: τ is 0, ✓ is 1, visible events from 2 in order of discovery."""

from __future__ import annotations

from typing import Any

from cspsim.semantics.values import ordered, show

TAU = 0
TICK = 1


class EventTable:
    """Maps event values to dense integer ids and back."""

    def __init__(self) -> None:
        self.values: list[Any] = [None, None]
        self.labels: list[str] = ["τ", "✓"]
        self._ids: dict[Any, int] = {}
        self._set_cache: dict[int, tuple[frozenset[Any], frozenset[int]]] = {}

    def __len__(self) -> int:
        return len(self.values)

    def id(self, value: Any) -> int:
        eid = self._ids.get(value)
        if eid is None:
            eid = len(self.values)
            self._ids[value] = eid
            self.values.append(value)
            self.labels.append(show(value))
        return eid

    def lookup(self, value: Any) -> int | None:
        return self._ids.get(value)

    def ids_of(self, values: frozenset[Any]) -> frozenset[int]:
        """Ids of a set of event values (every value gets an id)."""
        entry = self._set_cache.get(id(values))
        if entry is not None and entry[0] is values:
            return entry[1]
        # In canonical order, so that the ids of events first met here do not depend on hashing.
        ids = frozenset(self.id(v) for v in ordered(values))
        self._set_cache[id(values)] = (values, ids)
        return ids

    def label(self, eid: int) -> str:
        return self.labels[eid]
