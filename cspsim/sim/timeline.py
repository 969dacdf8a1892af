"""Goroutine states over time, for timeline pictures of a simulated run."""

from __future__ import annotations

from cspsim.sim.result import RunResult


def timeline(result: RunResult, names: dict[int, str] | None = None) -> list[tuple[int, str, str, str]]:
    """Goroutine states over time, derived from the run's event log, as
    ``(time ns, goroutine, state, wait reason)`` with states running / runnable / blocked / done.

    A goroutine is runnable from its creation or from the event that wakes it (a hand-off to it,
    its timer), running from its own next operation, blocked from the moment it parks. The log
    does not record every wake-up (e.g. by ``close``), so such a goroutine shows as blocked until
    it next runs.
    """
    label: dict[int, str] = {1: "g1 main", **(names or {})}
    out: list[tuple[int, str, str, str]] = []
    state: dict[int, str] = {}

    def name(g: int) -> str:
        return label.get(g, f"g{g}")

    def put(t: int, g: int, st: str, reason: str = "") -> None:
        if g <= 0 or (state.get(g) == st and st != "blocked"):
            return
        state[g] = st
        out.append((t, name(g), st, reason))

    for ev in result.events:
        if ev.kind == "go":
            if ev.obj:
                label.setdefault(ev.value, f"g{ev.value} {ev.obj}")
            put(ev.t, ev.g, "running")
            put(ev.t, ev.value, "runnable")
            continue
        if ev.kind == "park":
            put(ev.t, ev.g, "blocked", str(ev.obj or ""))
            continue
        if ev.kind == "exit":
            put(ev.t, ev.g, "done")
            continue
        if ev.kind == "timer":
            if isinstance(ev.peer, int):
                put(ev.t, ev.peer, "runnable")
            continue
        put(ev.t, ev.g, "running")
        if ev.kind == "xfer" and isinstance(ev.peer, int) and state.get(ev.peer) == "blocked":
            put(ev.t, ev.peer, "runnable")
    return out
