"""The cost model: how much virtual time each runtime operation takes.

The kernel is exact about *order*; the cost model is what makes its *times* (throughput, latency,
blocked time) mean something. Every figure is in nanoseconds of virtual time and can be replaced:
``Sim(cost=Cost(chan_op=100))``, or ``Cost.zero()`` for pure ordering. The defaults were measured
with ``GOMAXPROCS=1 go run bench/go_costs.go`` (Go 1.19, the development machine: a shared
2-core x86-64 VM) and rounded; they are a starting point, not a promise about another machine:
buffered send or receive 21 ns; a message between two goroutines that park in turn 170-210 ns
(two channel operations + park + switch); ``go`` plus the goroutine's exit 0.9-1.4 µs;
Lock or Unlock 7 ns; a two-case select 54 ns beyond its channel operation; NewTimer or Stop
130-150 ns; a 1 ms sleep woke 80 µs late on average.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any


@dataclass(frozen=True)
class Cost:
    """Virtual nanoseconds charged to the running goroutine's P for each kind of step.

    ``chan_op``: one send, receive or close that does not park (buffer access or hand-off).
    ``select``: one select statement's poll of its cases (the case taken adds ``chan_op``).
    ``park``: a goroutine parking (gopark and the trip through the scheduler).
    ``switch``: the scheduler starting a goroutine other than the one that ran last.
    ``go``: a ``go`` statement (newproc), charged to the spawner.
    ``sync_op``: one Lock/Unlock/RLock/RUnlock/Add/Done/Signal/Once without parking.
    ``timer``: creating, stopping or resetting a timer, and firing one.
    ``timer_wake``: how late an idle P notices that a timer is due (Go sleeps in epoll with
    millisecond timeouts; measured wake-ups were 20 µs to 1 ms late). Timers due within this
    window fire together, which is what decides their goroutines' order (runnext).
    ``step``: charged on every yielded operation, for the goroutine's own code between operations.
    """

    chan_op: int = 20
    select: int = 50
    park: int = 100
    switch: int = 50
    go: int = 800
    sync_op: int = 10
    timer: int = 140
    timer_wake: int = 80_000
    step: int = 0

    @staticmethod
    def zero() -> Cost:
        """No time passes except by sleeps, timers and ``work``: ordering only."""
        return Cost(**{f.name: 0 for f in fields(Cost)})

    def but(self, **changes: Any) -> Cost:
        """A copy with some figures changed: ``Cost().but(chan_op=100)``."""
        return replace(self, **changes)

    def to_json(self) -> dict[str, int]:
        return asdict(self)
