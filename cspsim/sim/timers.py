"""Virtual time: ``time.Sleep``, ``time.After``, ``NewTimer``, ``AfterFunc``, tickers.

Timers live in the kernel's heap and fire when the scheduler looks (``checkTimers`` at each trip
through the scheduler, or when the P is idle and jumps to the next timer). A fired sleep readies
its goroutine (``runnext``); a channel timer does a non-blocking send of its expiry time; an
``AfterFunc`` timer starts a goroutine.

The Go version decides channel timers (``time/sleep.go``, ``runtime/time.go``):

* 1.19–1.22: the channel has a 1-slot buffer; a pending timer keeps ``checkdead`` quiet even if no
  one ever receives; after ``Stop``/``Reset`` a value already sent stays in the buffer.
* 1.23: ``len``/``cap`` read 0; ``Stop``/``Reset`` discard an unreceived value; a timer counts for
  deadlock detection only while a goroutine is blocked on its channel; a receive runs a due timer.
"""

from __future__ import annotations

from typing import Any

from cspsim.sim.chan import NIL, Chan
from cspsim.sim.core import OP_SLEEP, R_SLEEP, G, GoPanic
from cspsim.sim.sched import Timer


class _TimerHandle:
    """What ``*time.Timer`` and ``*time.Ticker`` share: the runtime timer and the channel ``c``."""

    __slots__ = ("_r", "_sim", "c")

    def __init__(self, sim: Any, r: Timer, c: Chan) -> None:
        self._sim = sim
        self._r = r
        self.c = c

    @property
    def C(self) -> Chan:
        return self.c


class GoTimer(_TimerHandle):
    """``*time.Timer``: ``t.c`` is its channel (``NIL`` for an ``AfterFunc`` timer)."""

    __slots__ = ()

    def stop(self) -> bool:
        """Stop the timer; True if it was pending (Go 1.23: also if its value was never received)."""
        return self._sim._stop_timer(self._r)

    def reset(self, d: int) -> bool:
        """Re-arm for ``d`` ns from now; returns what ``stop`` would have."""
        was = self._sim._stop_timer(self._r)
        self._r.when = self._sim.now + max(d, 0)
        self._sim._add_timer(self._r)
        return was


class Ticker(_TimerHandle):
    """``*time.Ticker``: ``tk.c`` receives the tick times; slow receivers miss ticks."""

    __slots__ = ()

    def stop(self) -> None:
        self._sim._stop_timer(self._r)

    def reset(self, d: int) -> None:
        if d <= 0:
            raise GoPanic("non-positive interval for Ticker.Reset")
        self._sim._stop_timer(self._r)
        self._r.period = d
        self._r.when = self._sim.now + d
        self._sim._add_timer(self._r)


class TimerOps:
    """Timer operations of the kernel (mixed into :class:`cspsim.sim.Sim`)."""

    now: int
    _minor: int
    _c_timer: int

    def sleep(self, d: int) -> tuple[int, int]:
        """``time.Sleep(d)``: yield it. ``d`` in nanoseconds (see ``MS``, ``US``, ``S``)."""
        return (OP_SLEEP, d)

    def _op_sleep(self, g: G, op: tuple[Any, ...]) -> Any:
        d = op[1]
        if d <= 0:
            return None
        self.now += self._c_timer
        t = Timer(self, "sleep", self.now + d)
        t.g = g
        self._add_timer(t)
        return self._park(g, R_SLEEP, t)

    def _chan_timer(self, d: int, period: int, name: str) -> tuple[Timer, Chan]:
        self.now += self._c_timer
        ch = self.chan(1, name=name)
        t = Timer(self, "chan", self.now + max(d, 0), period)
        t.ch = ch
        if self._minor >= 23:
            ch.timer = t
        self._add_timer(t)
        return t, ch

    def new_timer(self, d: int) -> GoTimer:
        """``time.NewTimer(d)``."""
        t, ch = self._chan_timer(d, 0, f"timer{self._tseq + 1}.C")
        return GoTimer(self, t, ch)

    def after(self, d: int) -> Chan:
        """``time.After(d)``: a channel that receives the expiry time once."""
        return self.new_timer(d).c

    def after_func(self, d: int, fn: Any, *args: Any) -> GoTimer:
        """``time.AfterFunc(d, f)``: after ``d``, ``go fn(*args)``."""
        self.now += self._c_timer
        t = Timer(self, "func", self.now + max(d, 0))
        t.fn = fn
        t.args = args
        self._add_timer(t)
        return GoTimer(self, t, NIL)

    def new_ticker(self, d: int) -> Ticker:
        """``time.NewTicker(d)``."""
        if d <= 0:
            raise GoPanic("non-positive interval for NewTicker")
        t, ch = self._chan_timer(d, d, f"ticker{self._tseq + 1}.C")
        return Ticker(self, t, ch)

    def tick(self, d: int) -> Chan:
        """``time.Tick(d)``: a ticker's channel, or the nil channel if ``d <= 0``."""
        return self.new_ticker(d).c if d > 0 else NIL

    def _stop_timer(self, t: Timer) -> bool:
        self.now += self._c_timer
        was = self._del_timer(t)
        if t.kind == "chan" and self._minor >= 23 and t.ch.buf:
            t.ch.buf.clear()  # 1.23: no stale value after Stop/Reset
            was = True
        return was

    def _timer_chan_due(self, ch: Chan) -> bool:
        """Go 1.23 ``maybeRunChan``: a receive on a timer channel runs the timer if it is due."""
        t = ch.timer
        if not t.live or t.when > self.now:
            return False
        when = t.when
        if t.period > 0:
            t.when = when + t.period * (1 + (self.now - when) // t.period)
            self._add_timer(t)
        else:
            t.live = False
        self._fire(t, when)
        return bool(ch.buf)
