"""Channels: ``hchan`` with its ring buffer and its send/receive wait queues, and the algorithms of
``src/runtime/chan.go`` and ``select.go`` (Go 1.19) that decide who gets which value when.

* send: closed → panic; a parked receiver gets the value directly (even on a buffered channel);
  else the buffer; else park on ``sendq``.
* receive: a parked sender on a full buffer → take the head, the sender's value goes to the tail;
  on an unbuffered channel → take the sender's value; else the buffer; else closed → zero value;
  else park on ``recvq``.
* close: all receivers (zero value, ok=false), then all senders (they will panic), readied in
  reverse (Go pushes them on a stack) — with ``runnext`` the first parked runs first.
* select: nil cases dropped; a uniformly random ready case wins (Go's random poll order);
  otherwise default, or park a wait record on every case: the first dequeued wins and the others
  are unlinked at once.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any

from cspsim.sim.core import (
    OP_RECV,
    OP_RECV2,
    OP_SEND,
    R_CHAN_RECV,
    R_CHAN_RECV_NIL,
    R_CHAN_SEND,
    R_CHAN_SEND_NIL,
    R_SELECT,
    R_SELECT_NO_CASES,
    SWITCH,
    G,
    Sig,
    Sudog,
    close_of_closed,
    close_of_nil,
    send_on_closed,
    throw,
)

if TYPE_CHECKING:
    from cspsim.sim.metrics import ChanStats


class Chan:
    """A Go channel. ``yield ch.send(v)``, ``v = yield ch.recv()``, ``v, ok = yield ch.recv_ok()``,
    ``ch.close()`` (a plain call), ``len(ch)``, ``ch.cap``."""

    __slots__ = ("buf", "closed", "id", "m", "name", "nil", "qcap", "recvq", "sendq", "sim", "timer", "zero")

    def __init__(self, sim: Any, cap: float, name: str, zero: Any = None, cid: int = 0) -> None:
        if cap < 0:
            raise ValueError("makechan: size out of range")
        self.sim = sim
        self.qcap = cap
        self.name = name
        self.zero = zero
        self.id = cid
        self.buf: deque[Any] = deque()
        self.recvq: deque[Sudog | G] = deque()  # a G waits as its own record
        self.sendq: deque[Sudog | G] = deque()
        self.closed = False
        self.nil = False
        self.timer: Any = None  # Go 1.23 timer channel: its timer (len and cap read 0)
        self.m: ChanStats | None = None

    def send(self, v: Any) -> tuple[int, Chan, Any]:
        """The operation ``ch <- v``; yield it."""
        return (OP_SEND, self, v)

    def recv(self) -> tuple[int, Chan]:
        """The operation ``<-ch``; yield it to get the value (the zero value once closed)."""
        return (OP_RECV, self)

    def recv_ok(self) -> tuple[int, Chan]:
        """The operation ``v, ok := <-ch``; yield it to get ``(value, ok)``."""
        return (OP_RECV2, self)

    def close(self) -> None:
        """``close(ch)``: a plain call (it never blocks). Panics as Go does."""
        if self.nil:
            raise close_of_nil()
        self.sim._close(self)

    @property
    def cap(self) -> int:
        return 0 if self.timer is not None else self.qcap  # type: ignore[return-value]

    def __len__(self) -> int:
        return 0 if self.timer is not None else len(self.buf)

    def __repr__(self) -> str:
        return f"<chan {self.name} {len(self.buf)}/{self.qcap}{' closed' if self.closed else ''}>"

    def __str__(self) -> str:
        return self.name


def _make_nil() -> Chan:
    ch = Chan(None, 0, "nil")
    ch.nil = True
    return ch


NIL = _make_nil()
"""The nil channel: sends and receives block forever, ``close`` panics, select ignores it."""


def _shape(mode: int, case: int, v: Any, ok: bool) -> Any:
    """The result a receiver asked for: 0 the value, 1 ``(value, ok)``, 2 ``(case, value, ok)``."""
    if mode == 0:
        return v
    if mode == 1:
        return (v, ok)
    return (case, v, ok)


class ChanOps:
    """Channel operations of the kernel (mixed into :class:`cspsim.sim.Sim`)."""

    # The methods used but not defined here (_ready, _park, _choose, _shuffle, _timer_chan_due)
    # come from the Scheduler and the timer mixin.
    now: int
    _rec: bool
    _log: list[tuple[Any, ...]]
    _cur: G | None
    _c_chan: int
    _c_select: int

    def _op_send(self, g: G, op: tuple[Any, ...]) -> Any:
        return self._send(g, op[1], op[2], 0, -1)

    def _op_recv(self, g: G, op: tuple[Any, ...]) -> Any:
        return self._recv(g, op[1], op[0] - OP_RECV, -1)

    def _send(self, g: G, ch: Chan, v: Any, mode: int, case: int) -> Any:
        self.now += self._c_chan
        if ch.closed:
            return throw(send_on_closed())
        rq = ch.recvq
        if rq:  # a parked receiver takes the value directly (chan.go send())
            sd = rq.popleft()
            if sd.sel is not None:
                self._unlink_select(sd)
            r = sd.g
            m = sd.mode
            r.val = v if m == 0 else ((v, True) if m == 1 else (sd.case, v, True))
            if self._rec:
                self._log.append((self.now, "xfer", g.id, ch, v, r.id))
            if ch.m is not None:
                ch.m.hand.append((self.now, 0))
            self._ready(r)
            return None if mode == 0 else (case, None, True)
        buf = ch.buf
        if len(buf) < ch.qcap:
            buf.append(v)
            if self._rec:
                self._log.append((self.now, "send", g.id, ch, v, None))
            if ch.m is not None:
                ch.m.ops.append(self.now)
            return None if mode == 0 else (case, None, True)
        if ch.nil:
            return self._park(g, R_CHAN_SEND_NIL, ch)
        g.elem = v  # the goroutine is its own wait record
        g.mode = mode
        g.t = self.now
        ch.sendq.append(g)
        return self._park(g, R_CHAN_SEND, ch)

    def _recv(self, g: G, ch: Chan, mode: int, case: int) -> Any:
        self.now += self._c_chan
        sq = ch.sendq
        if sq:  # a parked sender (chan.go recv())
            sd = sq.popleft()
            if sd.sel is not None:
                self._unlink_select(sd)
            s = sd.g
            buf = ch.buf
            if buf:  # full buffer: take the head, the sender's value becomes the tail
                v = buf.popleft()
                buf.append(sd.elem)
                if self._rec:
                    self._log.append((self.now, "recv", g.id, ch, v, None))
                    self._log.append((self.now, "send", s.id, ch, sd.elem, None))
                if ch.m is not None:
                    ch.m.rotate(self.now, sd.t)
            else:
                v = sd.elem
                if self._rec:
                    self._log.append((self.now, "xfer", s.id, ch, v, g.id))
                if ch.m is not None:
                    ch.m.hand.append((self.now, self.now - sd.t))
            s.val = None if sd.mode == 0 else (sd.case, None, True)
            self._ready(s)
            return v if mode == 0 else ((v, True) if mode == 1 else (case, v, True))
        buf = ch.buf
        if buf:
            v = buf.popleft()
            if self._rec:
                self._log.append((self.now, "recv", g.id, ch, v, None))
            if ch.m is not None:
                ch.m.ops.append(~self.now)
            return v if mode == 0 else ((v, True) if mode == 1 else (case, v, True))
        if ch.closed:
            if self._rec:
                self._log.append((self.now, "recv-closed", g.id, ch, ch.zero, None))
            return _shape(mode, case, ch.zero, False)
        if ch.timer is not None and self._timer_chan_due(ch):  # Go 1.23 runs a due timer on receive
            return self._recv(g, ch, mode, case)
        if ch.nil:
            return self._park(g, R_CHAN_RECV_NIL, ch)
        g.mode = mode
        g.t = self.now
        ch.recvq.append(g)
        return self._park(g, R_CHAN_RECV, ch)

    def _close(self, ch: Chan) -> None:
        """``closechan``: wake all receivers then all senders, readied in reverse (a stack)."""
        if ch.nil:
            raise close_of_nil()
        if ch.closed:
            raise close_of_closed()
        self.now += self._c_chan
        ch.closed = True
        if self._rec:
            self._log.append((self.now, "close", self._cur.id if self._cur is not None else 0, ch, None, None))
        glist: list[G] = []
        zero = ch.zero
        rq = ch.recvq
        while rq:
            sd = rq.popleft()
            if sd.sel is not None:
                self._unlink_select(sd)
            r = sd.g
            r.val = _shape(sd.mode, sd.case, zero, False)
            glist.append(r)
        sq = ch.sendq
        while sq:
            sd = sq.popleft()
            if sd.sel is not None:
                self._unlink_select(sd)
            sd.g.val = throw(send_on_closed())
            glist.append(sd.g)
        for r in reversed(glist):
            self._ready(r)

    def _unlink_select(self, won: Sudog) -> None:
        """A select's record was dequeued: it wins; take its other records off their queues."""
        for o in won.sel:  # type: ignore[union-attr]
            if o is not won:
                (o.ch.sendq if o.is_send else o.ch.recvq).remove(o)

    def _op_select(self, g: G, op: tuple[Any, ...]) -> Any:
        cases, has_default = op[1], op[2]
        n = len(cases)
        if n == 1 and not has_default:  # the compiler lowers a one-case select to the plain op
            c = cases[0]
            if c[0] == OP_SEND:
                return self._send(g, c[1], c[2], 2, 0)
            return self._recv(g, c[1], 2, 0)
        self.now += self._c_select
        ready = []
        live = 0
        for i, c in enumerate(cases):
            ch = c[1]
            if ch.nil:
                continue
            live += 1
            if c[0] == OP_SEND:
                if ch.closed or ch.recvq or len(ch.buf) < ch.qcap:
                    ready.append(i)
            elif ch.sendq or ch.buf or ch.closed or (ch.timer is not None and self._timer_chan_due(ch)):
                ready.append(i)
        if ready:
            i = ready[0] if len(ready) == 1 else ready[self._choose(len(ready), "select")]
            if self._rec:
                self._log.append((self.now, "select", g.id, None, i, len(ready)))
            c = cases[i]
            if c[0] == OP_SEND:
                return self._send(g, c[1], c[2], 2, i)
            return self._recv(g, c[1], 2, i)
        if has_default:
            if self._rec:
                self._log.append((self.now, "select", g.id, None, -1, 0))
            return (-1, None, False)
        if n == 0:
            return self._park(g, R_SELECT_NO_CASES, None)
        order = [i for i in range(n) if not cases[i][1].nil]
        if len({(id(cases[i][1]), cases[i][0] == OP_SEND) for i in order}) < live:
            order = self._shuffle(order, "select enqueue order")  # duplicates: Go's lock order is random
        sel: list[Sudog] = []
        now = self.now
        for i in order:
            c = cases[i]
            is_send = c[0] == OP_SEND
            sd = Sudog(g, c[2] if is_send else None, 2, now, c[1], is_send)
            sd.case = i
            sd.sel = sel
            sel.append(sd)
            (c[1].sendq if is_send else c[1].recvq).append(sd)
        return self._park(g, R_SELECT, [c[1] for c in cases])

    def _timer_send(self, ch: Chan, value: Any) -> None:
        """A timer's ``sendTime``: a non-blocking send of the expiry time."""
        rq = ch.recvq
        if rq:
            sd = rq.popleft()
            if sd.sel is not None:
                self._unlink_select(sd)
            r = sd.g
            r.val = _shape(sd.mode, sd.case, value, True)
            if self._rec:
                self._log.append((self.now, "xfer", 0, ch, value, r.id))
            if ch.m is not None:
                ch.m.hand.append((self.now, 0))
            self._ready(r)
        elif len(ch.buf) < ch.qcap:
            ch.buf.append(value)
            if self._rec:
                self._log.append((self.now, "send", 0, ch, value, None))
            if ch.m is not None:
                ch.m.ops.append(self.now)

    def _send_now(self, ch: Chan, v: Any) -> None:
        """A send from a plain call (an actor's mailbox, which never fills): must not park."""
        g = self._cur
        r = self._send(g, ch, v, 0, -1) if g is not None else self._send(_OUTSIDE, ch, v, 0, -1)
        if r.__class__ is Sig:
            if r is SWITCH:
                raise RuntimeError(f"a send on {ch.name} from a plain call would block")
            raise r.exc  # type: ignore[misc]



_OUTSIDE = G(0, "outside", None, -1, 0, 0)  # the sender of values sent before the run starts
