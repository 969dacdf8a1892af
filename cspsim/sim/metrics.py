"""Measurements of a run, as plain records (lists of dicts), with optional pandas DataFrames.

Collected only when ``Sim(metrics=True)`` (the default): per channel the occupancy over time,
message counts and each message's latency (from the start of its send to its receipt); per
goroutine the time spent running, runnable and blocked by wait reason; the number of live
goroutines over time; and throughput in messages per virtual second.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np


class ChanStats:
    """Per-channel records, appended to by the kernel on the hot path (one list append per
    operation); occupancy, counts and latencies are derived with numpy when asked for.

    ``ops``, in execution order: ``t`` when a value entered the buffer at instant t, ``~t``
    (negative) when one left it. The buffer is FIFO: the k-th value out is the k-th value in.
    ``starts``: position in ``ops`` → send start, for a value that entered the buffer from a
    parked sender (its send started before it got in). ``hand``: ``(instant, latency)`` of each
    value handed directly to a receiver, never buffered.
    """

    __slots__ = ("created", "hand", "ops", "starts")

    def __init__(self, now: int) -> None:
        self.created = now
        self.ops: list[int] = []
        self.starts: dict[int, int] = {}
        self.hand: list[tuple[int, int]] = []

    def rotate(self, now: int, t_sender: int) -> None:
        """A receive from a full buffer with a parked sender: head out, sender's value in."""
        ops = self.ops
        ops.append(~now)
        self.starts[len(ops)] = t_sender
        ops.append(now)

    def analyze(self) -> tuple[int, np.ndarray, np.ndarray]:
        """``(sent, latencies in order of receipt, occupancy)``: occupancy is an array of
        ``(instant, buffer length)`` rows, one per change, from ``(created, 0)`` (with several
        Ps the clocks are merged in execution order, so an instant never goes backwards)."""
        import numpy as np  # only when metrics are read: keeps `import cspsim` light

        ops = np.asarray(self.ops, dtype=np.int64)
        put = ops >= 0
        t = np.maximum.accumulate(np.where(put, ops, ~ops)) if len(ops) else ops
        n = np.cumsum(np.where(put, 1, -1))
        # latencies: k-th get minus the send start of the k-th put
        start = t.copy()
        for pos, st in self.starts.items():
            start[pos] = st
        got_t = t[~put]
        lat = got_t - start[put][: len(got_t)]
        if self.hand:
            h = np.asarray(self.hand, dtype=np.int64).reshape(-1, 2)
            times = np.concatenate([got_t, h[:, 0]])
            lat = np.concatenate([lat, h[:, 1]])[np.argsort(times, kind="stable")]
        # timeline: the value after the last operation of each instant, changes only
        last = np.ones(len(t), dtype=bool)
        last[:-1] = t[1:] != t[:-1]
        tt = np.concatenate([[self.created], t[last]]).astype(np.int64)
        nn = np.concatenate([[0], n[last]]).astype(np.int64)
        keep = np.ones(len(nn), dtype=bool)
        keep[1:] = nn[1:] != nn[:-1]
        return int(put.sum()) + len(self.hand), lat, np.stack([tt[keep], nn[keep]], axis=1)


def latency_summary(lat: np.ndarray) -> dict[str, float]:
    """count, mean, min, p50, p90, p99, max of latencies (ns); quantiles by nearest rank."""
    import numpy as np

    if len(lat) == 0:
        return {"count": 0, "mean": 0.0, "min": 0.0, "p50": 0.0, "p90": 0.0, "p99": 0.0, "max": 0.0}
    xs = np.sort(lat)
    q = {f"p{int(p * 100)}": float(xs[min(len(xs) - 1, round(p * (len(xs) - 1)))]) for p in (0.5, 0.9, 0.99)}
    return {"count": len(xs), "mean": float(xs.mean()), "min": float(xs[0]), **q, "max": float(xs[-1])}


def mean_occupancy(occ: np.ndarray, end: int) -> float:
    """Time-weighted mean of a step function given as ``(instant, value)`` change rows."""
    import numpy as np

    t, n = occ[:, 0], occ[:, 1]
    span = end - t[0]
    if span <= 0:
        return float(n[-1])
    widths = np.diff(np.append(t, max(end, t[-1])))
    return float((n * widths).sum() / span)


@dataclass
class Metrics:
    """What a run measured, as plain records: ``channels`` and ``goroutines`` are lists of
    dicts; ``goroutine_count`` is ``[(t_ns, live goroutines)]``; ``occupancy[name]`` is
    ``[(t_ns, buffer length)]`` at each change; ``latencies[name]`` the latency of each message
    in order of receipt (both built on first access from compact arrays)."""

    duration_ns: int = 0
    channels: list[dict[str, Any]] = field(default_factory=list)
    goroutines: list[dict[str, Any]] = field(default_factory=list)
    goroutine_count: list[tuple[int, int]] = field(default_factory=list)
    operations: int = 0
    _occ: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    _lat: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    @cached_property
    def occupancy(self) -> dict[str, list[tuple[int, int]]]:
        return {name: [(int(t), int(n)) for t, n in a.tolist()] for name, a in self._occ.items()}

    @cached_property
    def latencies(self) -> dict[str, list[int]]:
        return {name: a.tolist() for name, a in self._lat.items()}

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
        sent, lat, occ = st.analyze()
        received = len(lat)
        m.channels.append({
            "name": ch.name,
            "cap": ch.qcap if ch.qcap != float("inf") else -1,
            "sent": sent,
            "received": received,
            "max_len": int(occ[:, 1].max()),
            "mean_len": mean_occupancy(occ, end),
            "throughput": received / ((end - st.created) / 1e9) if end > st.created else 0.0,
            "latency": latency_summary(lat),
        })
        m._occ[ch.name] = occ
        m._lat[ch.name] = lat
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
