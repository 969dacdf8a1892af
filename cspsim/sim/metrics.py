"""Measurements of a run, as plain records (lists of dicts), with optional pandas DataFrames.

Collected only when ``Sim(metrics=True)`` (the default): per channel the occupancy over time,
message counts and each message's latency (from the start of its send to its receipt); per
goroutine the time spent running, runnable and blocked by wait reason; the number of live
goroutines over time; and throughput in messages per virtual second.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any


class ChanStats:
    """Per-channel accumulators, updated by the kernel on every transfer."""

    __slots__ = ("bt", "created", "lat", "max_len", "occ", "recvs", "sends")

    def __init__(self, now: int) -> None:
        self.created = now
        self.sends = 0
        self.recvs = 0
        self.max_len = 0
        self.occ: list[tuple[int, int]] = [(now, 0)]
        self.bt: deque[int] = deque()  # send start time of each buffered value
        self.lat: list[int] = []

    def _set(self, now: int, n: int) -> None:
        occ = self.occ
        if occ[-1][0] == now:
            occ[-1] = (now, n)
        else:
            occ.append((now, n))
        if n > self.max_len:
            self.max_len = n

    def put(self, now: int, n: int) -> None:
        self.sends += 1
        self.bt.append(now)
        self._set(now, n)

    def get(self, now: int, n: int) -> None:
        self.recvs += 1
        self.lat.append(now - self.bt.popleft())
        self._set(now, n)

    def handoff(self, now: int, t0: int) -> None:
        self.sends += 1
        self.recvs += 1
        self.lat.append(now - t0)

    def rotate(self, now: int, t_sender: int) -> None:
        """A receive from a full buffer with a parked sender: head out, sender's value in."""
        self.sends += 1
        self.recvs += 1
        self.lat.append(now - self.bt.popleft())
        self.bt.append(t_sender)


def _quantile(xs: list[int], q: float) -> float:
    """Nearest-rank quantile of sorted ``xs``."""
    if not xs:
        return 0.0
    k = min(len(xs) - 1, max(0, round(q * (len(xs) - 1))))
    return float(xs[k])


def latency_summary(lat: list[int]) -> dict[str, float]:
    """count, mean, min, p50, p90, p99, max of a list of latencies (ns)."""
    xs = sorted(lat)
    if not xs:
        return {"count": 0, "mean": 0.0, "min": 0.0, "p50": 0.0, "p90": 0.0, "p99": 0.0, "max": 0.0}
    return {
        "count": len(xs),
        "mean": sum(xs) / len(xs),
        "min": float(xs[0]),
        "p50": _quantile(xs, 0.5),
        "p90": _quantile(xs, 0.9),
        "p99": _quantile(xs, 0.99),
        "max": float(xs[-1]),
    }


def mean_occupancy(occ: list[tuple[int, int]], end: int) -> float:
    """Time-weighted mean of a step function given as (time, value) change points."""
    if not occ:
        return 0.0
    t0 = occ[0][0]
    span = end - t0
    if span <= 0:
        return float(occ[-1][1])
    area = 0
    for (t, n), (t2, _) in zip(occ, occ[1:] + [(end, 0)]):
        area += n * (min(t2, end) - t)
    return area / span


@dataclass
class Metrics:
    """What a run measured. Each attribute is a list of plain dicts (or pairs)."""

    duration_ns: int = 0
    channels: list[dict[str, Any]] = field(default_factory=list)
    goroutines: list[dict[str, Any]] = field(default_factory=list)
    goroutine_count: list[tuple[int, int]] = field(default_factory=list)
    occupancy: dict[str, list[tuple[int, int]]] = field(default_factory=dict)
    latencies: dict[str, list[int]] = field(default_factory=dict)
    operations: int = 0

    @property
    def messages(self) -> int:
        return sum(c["received"] for c in self.channels)

    @property
    def throughput(self) -> float:
        """Messages received per virtual second, all channels together."""
        return self.messages / (self.duration_ns / 1e9) if self.duration_ns > 0 else 0.0

    def blocked_by_reason(self) -> dict[str, int]:
        """Total blocked time (ns) over all goroutines, by wait reason."""
        out: dict[str, int] = {}
        for g in self.goroutines:
            for r, ns in g["blocked"].items():
                out[r] = out.get(r, 0) + ns
        return dict(sorted(out.items()))

    def dataframe(self, what: str = "channels") -> Any:
        """A pandas DataFrame of ``channels``, ``goroutines``, ``goroutine_count``, ``occupancy``
        or ``latency`` (pandas is optional: ``pip install pandas``)."""
        try:
            import pandas as pd
        except ImportError as e:  # pragma: no cover - depends on the environment
            raise ImportError("Metrics.dataframe needs pandas: pip install pandas") from e
        if what == "channels":
            return pd.DataFrame(self.channels)
        if what == "goroutines":
            rows = [{k: v for k, v in g.items() if k != "blocked"}
                    | {f"blocked:{r}": ns for r, ns in g["blocked"].items()} for g in self.goroutines]
            return pd.DataFrame(rows)
        if what == "goroutine_count":
            return pd.DataFrame(self.goroutine_count, columns=["t_ns", "goroutines"])
        if what == "occupancy":
            rows = [{"channel": c, "t_ns": t, "len": n} for c, occ in self.occupancy.items() for t, n in occ]
            return pd.DataFrame(rows)
        if what == "latency":
            rows = [{"channel": c, "latency_ns": x} for c, lat in self.latencies.items() for x in lat]
            return pd.DataFrame(rows)
        raise ValueError(f"unknown table {what!r}")

    def summary(self) -> str:
        """A few lines for a terminal or a notebook."""
        lines = [f"virtual time {self.duration_ns / 1e6:.3f} ms, {self.messages} messages, "
                 f"{self.throughput:,.0f} msg/s, {self.operations} operations"]
        for c in self.channels:
            lat = c["latency"]
            lines.append(f"  chan {c['name']} cap={c['cap']}: {c['received']} msgs, mean len {c['mean_len']:.2f}, "
                         f"max len {c['max_len']}, latency p50 {lat['p50']:.0f} ns p99 {lat['p99']:.0f} ns")
        for r, ns in self.blocked_by_reason().items():
            lines.append(f"  blocked [{r}]: {ns / 1e6:.3f} ms total")
        return "\n".join(lines)


def collect(sim: Any) -> Metrics:
    """Build the :class:`Metrics` of a finished run from the kernel's accumulators."""
    end = sim.now
    m = Metrics(duration_ns=end, operations=sim._ops)
    for ch in sim._chans:
        st: ChanStats | None = ch.m
        if st is None:
            continue
        m.channels.append({
            "name": ch.name,
            "cap": ch.qcap if ch.qcap != float("inf") else -1,
            "sent": st.sends,
            "received": st.recvs,
            "max_len": st.max_len,
            "mean_len": mean_occupancy(st.occ, end),
            "throughput": st.recvs / ((end - st.created) / 1e9) if end > st.created else 0.0,
            "latency": latency_summary(st.lat),
        })
        m.occupancy[ch.name] = list(st.occ)
        m.latencies[ch.name] = list(st.lat)
    for g in sim._all:
        if g.system:
            continue
        blocked = dict(g.blocked)
        if g.status == "waiting" and g.reason:
            blocked[g.reason] = blocked.get(g.reason, 0) + end - g.park_t
        stop = g.ended if g.ended is not None else end
        life = stop - g.created
        runnable = g.runnable_ns + (end - g.ready_t if g.status == "runnable" else 0)
        m.goroutines.append({
            "id": g.id,
            "name": g.name,
            "created_ns": g.created,
            "ended_ns": g.ended,
            "state": g.status if g.status != "waiting" else g.reason,
            "running_ns": max(0, life - sum(blocked.values()) - runnable),
            "runnable_ns": runnable,
            "blocked_ns": sum(blocked.values()),
            "blocked": blocked,
        })
    m.goroutine_count = list(sim._gcount)
    return m
