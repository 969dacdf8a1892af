"""``Sim``: the public face of the kernel, for notebooks and tests.

>>> from cspsim.sim import Sim
>>> sim = Sim(seed=7)
>>> def main():
...     ch = sim.chan()                     # unbuffered
...     def worker(i):
...         yield ch.send(i * i)
...     for i in range(3):
...         sim.go(worker, i)
...     for _ in range(3):
...         v = yield ch.recv()
...         sim.print("got", v)
>>> r = sim.run(main)
>>> r.lines                                 # runnext: the last goroutine started runs first
['got 4', 'got 0', 'got 1']
>>> r.outcome, r.exit_code
('exit', 0)
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from typing import Any

from cspsim.sim.actors import Actor
from cspsim.sim.chan import NIL, Chan, ChanOps
from cspsim.sim.context import ContextOps
from cspsim.sim.core import (
    OP_BLOCK,
    OP_CALL,
    OP_GOSCHED,
    OP_LOCK,
    OP_NOTIFY_WAIT,
    OP_RECV,
    OP_RECV2,
    OP_RLOCK,
    OP_SELECT,
    OP_SEMACQUIRE,
    OP_SEND,
    OP_SLEEP,
    OP_WORK,
    R_SELECT_NO_CASES,
    Goexit,
    GoPanic,
)
from cspsim.sim.gofmt import go_print_text, go_sprint
from cspsim.sim.metrics import ChanStats
from cspsim.sim.result import RunResult, build
from cspsim.sim.sched import Scheduler
from cspsim.sim.sync import Cond, Mutex, Once, RWMutex, SyncOps, WaitGroup
from cspsim.sim.timers import TimerOps

_CHAN_OPS = (OP_SEND, OP_RECV, OP_RECV2)


class Sim(ChanOps, TimerOps, SyncOps, ContextOps, Scheduler):
    """A deterministic discrete-event simulation of Go goroutines and channels.

    ``Sim(seed=0, gomaxprocs=1, go_version="1.19", cost=Cost(), record=True, metrics=True,
    replay=None, preempt=True, echo=False, locator=None)``

    * ``seed``: every random choice (select, steal order, context children) comes from it and is
      logged in ``RunResult.choices``; ``replay=`` those choices (or a ``Trace``) re-runs the same path.
    * ``go_version``: "1.19" … "1.23" (timer channels and sync wait reasons differ).
    * ``record``: keep the event log and build the ``Trace``; ``metrics``: collect measurements.
      Turn both off for the fastest runs.
    * ``echo``: also write ``sim.print`` output to the real stdout as it happens.
    * ``locator``: ``f(goroutine) -> str | None`` telling where a live goroutine is in the model's
      own source (for a model compiled to generators, whose Python frames are the interpreter's);
      by default the innermost model frame of its generator stack is reported.

    A Sim runs once: build the model, call :meth:`run`, read the :class:`RunResult`.
    """

    def __init__(self, seed: int = 0, **options: Any) -> None:
        super().__init__(seed, **options)
        h = self._handlers
        h[OP_SEND] = self._op_send
        h[OP_RECV] = self._op_recv
        h[OP_RECV2] = self._op_recv
        h[OP_SELECT] = self._op_select
        h[OP_SLEEP] = self._op_sleep
        h[OP_GOSCHED] = self._op_gosched
        h[OP_WORK] = self._op_work
        h[OP_CALL] = self._op_call
        h[OP_SEMACQUIRE] = self._op_semacquire
        h[OP_NOTIFY_WAIT] = self._op_notify_wait
        h[OP_BLOCK] = self._op_block
        h[OP_LOCK] = self._op_lock
        h[OP_RLOCK] = self._op_rlock
        self._names: dict[str, int] = {}

    def _name(self, base: str, name: str | None) -> str:
        if name is not None:
            return name
        n = self._names.get(base, 0)
        self._names[base] = n + 1
        return f"{base}{n}"

    # ------------------------------------------------------------ channels

    def chan(self, cap: float = 0, name: str | None = None, zero: Any = None) -> Chan:
        """``make(chan T, cap)``. ``zero`` is what a receive on the closed channel returns
        (Go's zero value of T; ``None`` prints as ``<nil>``, so use 0 or "" to mimic int/string)."""
        ch = Chan(self, cap, self._name("ch", name), zero, len(self._chans))
        if self._metrics:
            ch.m = ChanStats(self.now)
        self._chans.append(ch)
        return ch

    @property
    def current(self) -> Any:
        """The goroutine running now (its ``id``, ``name``, ``status``), None outside goroutines."""
        return self._cur

    @property
    def nil(self) -> Chan:
        """The nil channel."""
        return NIL

    def select(self, *cases: tuple[Any, ...], default: bool = False) -> tuple[int, tuple[Any, ...], bool]:
        """A ``select`` over channel operations (``ch.send(v)``, ``ch.recv()``); yield it to get
        ``(index, value, ok)``; with ``default=True`` the index is -1 when no case is ready."""
        for c in cases:
            if type(c) is not tuple or not c or c[0] not in _CHAN_OPS:
                raise TypeError(f"select cases must be ch.send(v) or ch.recv() operations, not {c!r}")
        return (OP_SELECT, cases, default)

    def block(self) -> tuple[int, str]:
        """``select {}``: park forever."""
        return (OP_BLOCK, R_SELECT_NO_CASES)

    # ------------------------------------------------------------ goroutine control

    def gosched(self) -> tuple[int]:
        """``runtime.Gosched()``: yield it; the goroutine goes to the global run queue."""
        return (OP_GOSCHED,)

    def work(self, ns: int) -> tuple[int, int]:
        """Computation that takes ``ns`` of virtual time while holding the P; yield it."""
        return (OP_WORK, ns)

    def goexit(self) -> None:
        """``runtime.Goexit()``: raise it inside a goroutine (``finally`` blocks run)."""
        raise Goexit()

    def panic(self, value: Any) -> None:
        """``panic(value)``; ``except GoPanic as p`` is ``recover()`` (``p.value``)."""
        raise GoPanic(value)

    def print(self, *args: Any) -> None:
        """``fmt.Println(args...)`` into the run's stdout."""
        self.write_text(go_sprint(*args) + "\n")

    def write(self, *args: Any) -> None:
        """``fmt.Print(args...)`` (spaces only between non-string operands)."""
        self.write_text(go_print_text(*args))

    def write_text(self, text: str) -> None:
        self._out.append(text)
        if self._rec:
            self._log.append((self.now, "print", self._cur.id if self._cur is not None else 0, None, text, None))
        if self._echo:
            sys.stdout.write(text)

    # ------------------------------------------------------------ sync, actors

    def mutex(self, name: str | None = None) -> Mutex:
        return Mutex(self, self._name("mu", name))

    def rwmutex(self, name: str | None = None) -> RWMutex:
        return RWMutex(self, self._name("rw", name))

    def waitgroup(self, name: str | None = None) -> WaitGroup:
        return WaitGroup(self, self._name("wg", name))

    def cond(self, lock: Any, name: str | None = None) -> Cond:
        """``sync.NewCond(lock)``."""
        return Cond(self, lock, self._name("cond", name))

    def once(self, name: str | None = None) -> Once:
        return Once(self, self._name("once", name))

    def actor(self, fn: Callable[..., Any], *args: Any, name: str | None = None) -> Actor:
        """Start an actor running ``fn(me, *args)``, with an unbounded mailbox."""
        return Actor(self, fn, args, self._name(getattr(fn, "__name__", "actor"), name))

    # ------------------------------------------------------------ running

    def run(
        self,
        main: Callable[..., Any] | None = None,
        *args: Any,
        until: int | None = None,
        max_ops: int | None = None,
    ) -> RunResult:
        """Run the program. With ``main`` (a generator function, called with ``args``) it runs as
        goroutine 1 and the run ends when it returns, as a Go program does; without, the
        goroutines started with :meth:`go` run until they all finish or block.

        ``until``: stop at this virtual time (ns); ``max_ops``: stop after this many operations.

        Python's cyclic garbage collector is paused during the run (reference counting still
        frees everything): the kernel makes millions of short-lived records, and the collector's
        passes over them cost more than the simulation itself.
        """
        if self._ran:
            raise RuntimeError("a Sim runs once; build a new Sim for another run")
        self._ran = True
        self._until = until
        self._max_ops = max_ops
        if main is not None:
            self._start_main(main, args)
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            self._run()
            return build(self)
        finally:
            if was_enabled:
                gc.enable()


NS = 1
US = 1_000
MS = 1_000_000
S = 1_000_000_000
