"""Actors on the same kernel: one goroutine per actor and an unbounded mailbox channel.

So that a notebook can compare a CSP design (rendezvous, bounded buffers, back-pressure) with an
actor design (fire-and-forget sends into unbounded mailboxes) under one scheduler, one cost model
and the same metrics. ``send`` never blocks (the mailbox has no bound); ``receive`` parks the actor
on its mailbox like a channel receive.

>>> from cspsim.sim import Sim
>>> sim = Sim(seed=1)
>>> def echo(me, out):
...     while True:
...         msg, ok = yield me.receive_ok()
...         if not ok:
...             return
...         out.append(msg * 2)
>>> got = []
>>> a = sim.actor(echo, got, name="echo")
>>> a.send(1); a.send(2); a.stop()
>>> sim.run().outcome, got
('done', [2, 4])
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cspsim.sim.chan import Chan
from cspsim.sim.core import G


class Actor:
    """An actor: ``actor.send(msg)`` (a plain call) from anywhere; inside its behaviour,
    ``msg = yield me.receive()`` or ``msg, ok = yield me.receive_ok()`` (ok is False once stopped)."""

    __slots__ = ("g", "mailbox", "name", "sim")

    def __init__(self, sim: Any, fn: Callable[..., Any], args: tuple[Any, ...], name: str) -> None:
        self.sim = sim
        self.name = name
        self.mailbox: Chan = sim.chan(float("inf"), name=f"{name}.mailbox")
        self.g: G = sim.go(fn, self, *args, name=name)

    def send(self, msg: Any) -> None:
        """Tell: put ``msg`` in the mailbox (never blocks)."""
        self.sim._send_now(self.mailbox, msg)

    def receive(self) -> tuple[int, Chan]:
        """The operation that takes the next message (yield it inside the actor)."""
        return self.mailbox.recv()

    def receive_ok(self) -> tuple[int, Chan]:
        return self.mailbox.recv_ok()

    def stop(self) -> None:
        """Close the mailbox: the actor drains it, then ``receive_ok`` says ``ok=False``."""
        self.mailbox.close()

    def __len__(self) -> int:
        return len(self.mailbox)

    def __repr__(self) -> str:
        return f"<actor {self.name} mailbox={len(self.mailbox)}>"
