"""The scheduler: Ps with a ``runnext`` slot and a 256-slot local run queue, the global run queue,
the timer heap, virtual time, seeded choices, and the loop that runs goroutines.

It follows ``src/runtime/proc.go`` (Go 1.19) where that decides observable order:

* ``ready`` (a goroutine woken by a channel, a semaphore or a timer) and ``go`` put the goroutine
  in the current P's ``runnext``; the previous occupant goes to the tail of the local queue
  (``runqput(pp, gp, next=true)``). A full local queue moves half of itself plus the goroutine to
  the global queue (``runqputslow``).
* ``findRunnable``: run due timers; every 61st scheduler tick take one goroutine from the global
  queue; then ``runnext`` (which inherits the time slice: no tick), the local queue, the global
  queue (``globrunqget``: a batch, the rest moved to the local queue); with several Ps, steal.
* ``Gosched`` and preemption (a time slice longer than 10 ms) put the goroutine on the global queue.
* Deadlock (``checkdead``): nothing runnable and no timer that counts → fatal error.

With ``gomaxprocs=1`` (the default) a goroutine runs until it parks, exactly as on one P. With
more Ps each P has its own clock and the kernel interleaves single operations in virtual-time
order; that is an approximation of real parallelism (see docs/simulator.md).
"""

from __future__ import annotations

import heapq
import inspect
import random
import types
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from cspsim.sim.core import (
    DEAD,
    N_OPS,
    OP_BLOCK,
    OP_CALL,
    RUNNABLE,
    RUNNING,
    SWITCH,
    WAITING,
    G,
    Goexit,
    GoFatal,
    GoPanic,
    Sig,
    go_minor,
    sync_wait_reasons,
    throw,
)
from cspsim.sim.cost import Cost

RUNQ_SIZE = 256  # len(p.runq) in runtime2.go
PREEMPT_NS = 10_000_000  # forcePreemptNS in proc.go
FIRST_USER_GOID = 6  # Go 1.19 with fmt imported: g2 forcegc, g3 bgsweep, g4 bgscavenge, g5 finalizer


class ReplayError(Exception):
    """A replayed run asked for a choice the recorded run did not make."""


class P:
    """A processor: ``runnext``, the local run queue, the scheduler tick, its clock."""

    __slots__ = ("clock", "cur", "idle", "idx", "runnext", "runq", "schedtick", "slice_start")

    def __init__(self, idx: int) -> None:
        self.idx = idx
        self.runnext: G | None = None
        self.runq: deque[G] = deque()
        self.schedtick = 0
        self.clock = 0
        self.cur: G | None = None
        self.slice_start = 0
        self.idle = False


class Timer:
    """A runtime timer. ``kind`` is "sleep" (ready ``g``), "chan" (non-blocking send of the
    expiry time on ``ch``) or "func" (``go fn(*args)``); ``period`` > 0 re-arms it (tickers)."""

    __slots__ = ("args", "ch", "fn", "g", "kind", "live", "period", "seq", "sim", "when")

    def __init__(self, sim: Scheduler, kind: str, when: int, period: int = 0) -> None:
        self.sim = sim
        self.kind = kind
        self.when = when
        self.period = period
        self.live = False
        self.seq = 0
        self.g: G | None = None
        self.ch: Any = None
        self.fn: Any = None
        self.args: tuple[Any, ...] = ()


class Scheduler:
    """Kernel state and the run loop; the operations live in the mixins of :class:`cspsim.sim.Sim`."""

    def __init__(
        self,
        seed: int = 0,
        *,
        gomaxprocs: int = 1,
        go_version: str = "1.19",
        cost: Cost | None = None,
        record: bool = True,
        metrics: bool = True,
        replay: Iterable[int] | Any | None = None,
        preempt: bool = True,
        echo: bool = False,
        locator: Callable[[G], str | None] | None = None,
    ) -> None:
        if gomaxprocs < 1:
            raise ValueError("gomaxprocs must be >= 1")
        self.seed = seed
        self.gomaxprocs = gomaxprocs
        self.go_version = go_version
        self._minor = go_minor(go_version)
        self._sync_reasons = sync_wait_reasons(self._minor)
        self.cost = cost if cost is not None else Cost()
        c = self.cost
        self._c_chan, self._c_select, self._c_park = c.chan_op, c.select, c.park
        self._c_switch, self._c_go, self._c_sync, self._c_timer = c.switch, c.go, c.sync_op, c.timer
        self._c_step = c.step
        self._preempt_ns = PREEMPT_NS if preempt else None
        self._echo = echo
        self.locator = locator
        self.now = 0
        self._ps = [P(i) for i in range(gomaxprocs)]
        self._p = self._ps[0]
        self._gq: deque[G] = deque()
        self._timers: list[tuple[int, int, Timer]] = []
        self._tseq = 0
        self._all: list[G] = []
        self._cur: G | None = None
        self._main: G | None = None
        self._main_goexit = False
        self._next_goid = 1
        self._rng = random.Random(seed)
        self._choices: list[int] = []
        self._choice_log: list[tuple[str, int, int]] = []
        self._replay: Iterator[int] | None = None
        if replay is not None:
            seq = replay.annotations["choices"] if hasattr(replay, "annotations") else replay
            self._replay = iter(list(seq))
        self._log: list[tuple[Any, ...]] | None = [] if record else None
        self._rec = record
        self._metrics = metrics
        self._out: list[str] = []
        self._chans: list[Any] = []
        self._gcount: list[tuple[int, int]] = []
        self._live = 0
        self._ops = 0
        self._max_ops: int | None = None
        self._until: int | None = None
        self._stopped = False
        self._ran = False
        self._deadline = 1 << 62
        self._yield_now = False
        self.outcome = ""
        self.exit_code = 0
        self.message = ""
        self._crashed: G | None = None
        self._handlers: list[Callable[[G, tuple[Any, ...]], Any]] = [self._bad_op] * N_OPS
        self._ready: Callable[[G], None] = self._ready_mp if gomaxprocs > 1 else self._ready1

    # ------------------------------------------------------------ choices (the only randomness)

    def _choose(self, n: int, what: str) -> int:
        """A uniform choice in ``range(n)``, logged; in a replay, the recorded one."""
        if self._replay is not None:
            try:
                k = next(self._replay)
            except StopIteration:
                raise ReplayError(f"the replayed run needs more choices than recorded (at a {what})") from None
            if not 0 <= k < n:
                raise ReplayError(f"recorded choice {k} is not among the {n} options of a {what}")
        else:
            k = self._rng.randrange(n)
        self._choices.append(k)
        self._choice_log.append((what, n, k))
        return k

    def _shuffle(self, items: list[Any], what: str) -> list[Any]:
        """A uniformly random permutation built from logged choices (Fisher-Yates)."""
        out = list(items)
        for i in range(len(out) - 1, 0, -1):
            j = self._choose(i + 1, what)
            out[i], out[j] = out[j], out[i]
        return out

    # ------------------------------------------------------------ goroutines

    def go(self, fn: Callable[..., Any], *args: Any, name: str | None = None) -> G:
        """``go fn(*args)``: a new goroutine, put in the current P's ``runnext`` (Go's newproc).

        ``fn`` is normally a generator function; a plain function (or one returning a generator)
        also works and is called when the goroutine first runs. Arguments are evaluated now.
        """
        if inspect.isgeneratorfunction(fn):
            gen = fn(*args)
        else:
            gen = _deferred(fn, args)
        return self._spawn(gen, name or getattr(fn, "__name__", "func"))

    def _spawn(self, gen: Any, name: str, system: bool = False, goid: int | None = None) -> G:
        if goid is None:
            goid = self._next_goid
            self._next_goid += 1
        cur = self._cur
        g = G(goid, name, gen, len(self._all), self.now, cur.id if cur is not None else 0)
        g.system = system
        self._all.append(g)
        self.now += self._c_go
        if not system:
            self._live += 1
            if self._metrics:
                self._gcount.append((self.now, self._live))
        if self._rec:
            self._log.append((self.now, "go", cur.id if cur is not None else 0, name, g.id, None))
        self._runqput(self._p, g, True)
        return g

    def _ready1(self, g: G) -> None:
        """``goready``: runnable, into ``runnext``; the old ``runnext`` to the local queue's tail."""
        g.status = RUNNABLE
        if self._metrics:
            r = g.reason
            if r:
                b = g.blocked
                b[r] = b.get(r, 0) + self.now - g.park_t
            g.ready_t = self.now
        p = self._p
        old = p.runnext
        p.runnext = g
        if old is not None:
            if len(p.runq) < RUNQ_SIZE:
                p.runq.append(old)
            else:
                self._runqputslow(p, old)

    def _ready_mp(self, g: G) -> None:
        g.status = RUNNABLE
        if self._metrics:
            self._account_wake(g)
        g.ready_t = self.now
        self._runqput(self._p, g, True)

    def _account_wake(self, g: G) -> None:
        if g.reason:
            g.blocked[g.reason] = g.blocked.get(g.reason, 0) + self.now - g.park_t
        g.ready_t = self.now

    def _runqput(self, p: P, g: G, nxt: bool) -> None:
        g.status = RUNNABLE
        g.ready_t = self.now
        if nxt:
            old = p.runnext
            p.runnext = g
            if old is None:
                self._wakep()
                return
            g = old
        if len(p.runq) < RUNQ_SIZE:
            p.runq.append(g)
        else:
            self._runqputslow(p, g)
        self._wakep()

    def _runqputslow(self, p: P, g: G) -> None:
        """Move the first half of a full local queue, then ``g``, to the global queue."""
        batch = [p.runq.popleft() for _ in range(RUNQ_SIZE // 2)]
        batch.append(g)
        self._gq.extend(batch)

    def _globrunqget(self, p: P, limit: int) -> G | None:
        gq = self._gq
        if not gq:
            return None
        n = min(len(gq) // self.gomaxprocs + 1, len(gq))
        if limit > 0:
            n = min(n, limit)
        n = min(n, RUNQ_SIZE // 2)
        g = gq.popleft()
        for _ in range(n - 1):
            self._runqput(p, gq.popleft(), False)
        return g

    def _wakep(self) -> None:
        """With several Ps, wake an idle one so it can steal the new work (Go's wakep)."""
        if self.gomaxprocs == 1:
            return
        for q in self._ps:
            if q.idle and q.cur is None:
                q.idle = False
                if q.clock < self.now:
                    q.clock = self.now
                return

    def _park(self, g: G, reason: str, obj: Any) -> Sig:
        """Block ``g`` (gopark). The caller has already put its wait record where a waker finds it."""
        g.status = WAITING
        g.reason = reason
        g.wait_obj = obj
        self.now += self._c_park
        g.waitsince = g.park_t = self.now
        if self._rec:
            self._log.append((self.now, "park", g.id, reason, None, None))
        return SWITCH

    # ------------------------------------------------------------ operations handled here

    def _op_gosched(self, g: G, op: tuple[Any, ...]) -> Sig:
        """``runtime.Gosched``: to the tail of the global run queue."""
        g.status = RUNNABLE
        g.reason = ""
        g.ready_t = self.now
        self._gq.append(g)
        if self._rec:
            self._log.append((self.now, "gosched", g.id, None, None, None))
        return SWITCH

    def _op_work(self, g: G, op: tuple[Any, ...]) -> None:
        """``work(ns)``: the goroutine computes; virtual time passes while it holds its P."""
        ns = op[1]
        if ns > 0:
            self.now += ns
        return None

    def _op_call(self, g: G, op: tuple[Any, ...]) -> Any:
        """Run a kernel-side generator (a sync algorithm) on ``g``'s stack."""
        g.stack.append(g.gen)
        g.gen = op[1]
        return None

    def _op_block(self, g: G, op: tuple[Any, ...]) -> Sig:
        """``select {}`` and other waits that no one can end."""
        return self._park(g, op[1], None)

    def _bad_op(self, g: G, op: Any) -> Any:
        if isinstance(op, types.GeneratorType):  # `yield gen` where `yield from gen` was meant
            return self._op_call(g, (OP_CALL, op))
        hint = ""
        if op is None:
            hint = (" (close/unlock/done/add/signal and sim.go are plain calls: write ch.close(),"
                    " not yield ch.close())")
        return throw(TypeError(f"goroutine {g.id} ({g.name}) yielded {op!r}, not a simulator operation{hint}"))

    # ------------------------------------------------------------ timers

    def _add_timer(self, t: Timer) -> None:
        self._tseq += 1
        t.seq = self._tseq
        t.live = True
        heapq.heappush(self._timers, (t.when, t.seq, t))

    def _del_timer(self, t: Timer) -> bool:
        """Stop ``t``; True if it was pending. Its heap entry is dropped lazily."""
        was = t.live
        t.live = False
        return was

    def _run_timers(self) -> None:
        """``checkTimers``: fire every live timer that is due, earliest first."""
        heap = self._timers
        now = self.now
        while heap and heap[0][0] <= now:
            when, seq, t = heapq.heappop(heap)
            if not t.live or t.seq != seq:
                continue
            if t.period > 0:
                t.when = when + t.period * (1 + (now - when) // t.period)
                self._tseq += 1
                t.seq = self._tseq
                heapq.heappush(heap, (t.when, t.seq, t))
            else:
                t.live = False
            self.now += self._c_timer
            self._fire(t, when)
            now = self.now

    def _fire(self, t: Timer, when: int) -> None:
        if self._rec:
            self._log.append((self.now, "timer", 0, t.kind, when, t.g.id if t.g is not None else None))
        if t.kind == "sleep":
            g = t.g
            assert g is not None
            self._ready(g)
        elif t.kind == "chan":
            self._timer_send(t.ch, when)
        else:
            saved = self._cur
            self._cur = None
            self.go(t.fn, *t.args, name=getattr(t.fn, "__name__", "timer func"))
            self._cur = saved

    def _timer_counts(self, t: Timer) -> bool:
        """Does a pending timer keep ``checkdead`` quiet? Go 1.23 keeps channel timers out of the
        heap unless a goroutine is blocked on the channel (time.go ``needsAdd``)."""
        if t.kind == "chan" and self._minor >= 23:
            return bool(t.ch.recvq)
        return True

    def _next_timer(self) -> int | None:
        """When the earliest counting timer is due, or None."""
        heap = self._timers
        while heap and (not heap[0][2].live or heap[0][2].seq != heap[0][1]):
            heapq.heappop(heap)
        best = None
        for when, seq, t in heap:
            if t.live and t.seq == seq and self._timer_counts(t) and (best is None or when < best):
                best = when
        return best

    # ------------------------------------------------------------ the run loop

    def _start_main(self, main: Callable[..., Any], args: tuple[Any, ...]) -> None:
        """Go's start-up as seen by main.main (measured on Go 1.19, see docs): main is goroutine 1,
        the scheduler has ticked four times (main is locked to its thread during init, so each
        of its two wake-ups there counts a tick), and the finalizer goroutine (created by package os's init)
        sits in ``runnext``; user goroutines are numbered from 6."""
        gen = main(*args) if inspect.isgeneratorfunction(main) else _deferred(main, args)
        now, rec, self._rec = self.now, self._rec, False
        self._main = self._spawn(gen, "main", goid=1)
        self._p.runnext = None
        fing = self._spawn(_park_forever_gen(), "runtime.runfinq", system=True, goid=FIRST_USER_GOID - 1)
        self.now, self._rec = now, rec
        self._next_goid = FIRST_USER_GOID
        p = self._p
        p.runnext = fing
        p.schedtick = 4
        p.cur = self._main
        self._main.status = RUNNABLE

    def _run(self) -> None:
        if self.gomaxprocs == 1:
            self._loop1()
        else:
            self._loop_mp()

    def _loop1(self) -> None:
        """GOMAXPROCS=1: the slow half of the scheduler (timers, global queue, idling, ``until``);
        :meth:`_exec` switches between goroutines itself while ``runnext``/the local queue serve."""
        p = self._p
        main = self._main
        if main is not None and p.cur is main:  # main.main starts running on the P
            p.cur = None
            p.slice_start = self.now
            if self._exec(main, p):
                return
        while not self._stopped:
            if self._until is not None and self.now >= self._until:
                self._finish("until")
                return
            g, inherit = self._findrunnable(p)
            if g is None:
                if not self._idle_advance():
                    return
                continue
            if not inherit:
                p.schedtick += 1
                p.slice_start = self.now
            self.now += self._c_switch
            if self._exec(g, p):
                return

    def _findrunnable(self, p: P) -> tuple[G | None, bool]:
        timers = self._timers
        if timers and timers[0][0] <= self.now:
            self._run_timers()
        gq = self._gq
        if gq and p.schedtick % 61 == 0:
            return self._globrunqget(p, 1), False
        g = p.runnext
        if g is not None:
            p.runnext = None
            return g, True
        if p.runq:
            return p.runq.popleft(), False
        if gq:
            return self._globrunqget(p, 0), False
        if self.gomaxprocs > 1:
            return self._steal(p)
        return None, False

    def _steal(self, p: P) -> tuple[G | None, bool]:
        """``stealWork``: visit the other Ps from a random start; take half of a local queue (the
        last one taken runs), or a ``runnext`` if the queue is empty."""
        others = [q for q in self._ps if q is not p]
        start = self._choose(len(others), "steal order") if len(others) > 1 else 0
        for i in range(len(others)):
            v = others[(start + i) % len(others)]
            if v.runq:
                n = len(v.runq) - len(v.runq) // 2
                got = [v.runq.popleft() for _ in range(n)]
                g = got.pop()
                for x in got:
                    self._runqput(p, x, False)
            elif v.runnext is not None:
                g, v.runnext = v.runnext, None
            else:
                continue
            if p.clock < g.ready_t:
                p.clock = self.now = g.ready_t
            return g, False
        return None, False

    def _idle_advance(self) -> bool:
        """Nothing can run: jump to the next timer, or end the run (checkdead)."""
        when = self._next_timer()
        if when is None:
            self._checkdead()
            return False
        t = max(self.now, when + self.cost.timer_wake)
        if self._until is not None and t > self._until:
            self.now = max(self.now, self._until)
            self._finish("until")
            return False
        self.now = t
        for p in self._ps:  # sysmon measures time slices of running Ps only
            p.slice_start = t
        return True

    def _checkdead(self) -> None:
        waiting = [g for g in self._all if not g.system and g.status == WAITING]
        if self._main is None and not waiting:
            self._finish("done")
        elif not waiting and self._main_goexit:
            self._fatal_end("no goroutines (main called runtime.Goexit) - deadlock!", None)
        else:
            self._fatal_end("all goroutines are asleep - deadlock!", None)

    def _exec(self, g: G, p: P, budget: int | None = None) -> bool:
        """Run goroutines on ``p``; True if the run ended.

        The hot loop: resume the generator, dispatch the yielded operation on its code, repeat.
        When the goroutine deschedules, on one P (``budget`` None) the next one is taken from
        ``runnext`` or the local queue right here, without returning; anything else (due timers,
        the 61st tick, the global queue, idling) returns to :meth:`_loop1`. With several Ps
        (``budget`` 1) it runs one operation and returns. Preemption (a time slice over 10 ms)
        and a pending ``goyield`` are noticed between a yield and its dispatch, by comparing the
        clock with ``_deadline``.
        """
        handlers = self._handlers
        send = self._send
        recv = self._recv
        step = self._c_step
        timers = self._timers
        gq = self._gq
        runq = p.runq
        until = self._until if self._until is not None else 1 << 62
        preempt_ns = self._preempt_ns if self._preempt_ns is not None else 1 << 62
        metrics = self._metrics
        while True:
            self._cur = g
            if g.status is not RUNNING:
                g.status = RUNNING
                if metrics:
                    g.runnable_ns += self.now - g.ready_t
            val = g.val
            g.val = None
            exc: BaseException | None = None
            if val.__class__ is Sig:
                exc = val.exc
                val = None
            pending = g.pending
            g.pending = None
            limit = budget if budget is not None else (
                self._max_ops - self._ops if self._max_ops is not None else 1 << 62)
            self._deadline = p.slice_start + preempt_ns
            n = 0
            while True:
                if pending is None:
                    try:
                        if exc is None:
                            op = g.gen.send(val)
                        else:
                            e, exc = exc, None
                            op = g.gen.throw(e)
                    except StopIteration as stop:
                        if g.stack:
                            g.gen = g.stack.pop()
                            val = stop.value
                            continue
                        self._ops += n
                        if self._goexit(g, normal=True):
                            return True
                        break
                    except (GoPanic, GoFatal, Goexit, Exception) as err:
                        if g.stack:
                            g.gen = g.stack.pop()
                            exc = err
                            val = None
                            continue
                        self._ops += n
                        if self._escaped(g, err):
                            return True
                        break
                    if self.now >= self._deadline:
                        self._ops += n
                        self._interrupt(g, p, op)
                        break
                else:
                    op, pending = pending, None
                n += 1
                if step:
                    self.now += step
                try:
                    code = op[0]
                    if code == 0:
                        val = send(g, op[1], op[2], 0, -1)
                    elif code <= 2:
                        val = recv(g, op[1], code - 1, -1)
                    else:
                        val = handlers[code](g, op)
                except (TypeError, IndexError, KeyError, AttributeError):
                    if isinstance(op, tuple) and op and type(op[0]) is int and 0 <= op[0] < len(handlers):
                        raise  # a bug in a handler, not a bad operation
                    val = self._bad_op(g, op)
                if val.__class__ is Sig:
                    if val is SWITCH:
                        self._ops += n
                        if self._stopped:
                            return True
                        break
                    exc = val.exc
                    val = None
                if n >= limit:
                    self._ops += n
                    g.val = val if exc is None else throw(exc)
                    if budget is not None:  # several Ps: one operation at a time
                        return False
                    self._finish("limit")
                    return True
            if budget is not None:
                return self._stopped
            # One P: take the next goroutine here unless the scheduler's slow path is needed.
            if (timers and timers[0][0] <= self.now) or self.now >= until or (gq and p.schedtick % 61 == 0):
                return False
            nxt = p.runnext
            if nxt is not None:
                p.runnext = None
            elif runq:
                nxt = runq.popleft()
                p.schedtick += 1
                p.slice_start = self.now
            else:
                return False
            self.now += self._c_switch
            g = nxt

    def _interrupt(self, g: G, p: P, op: Any) -> bool:
        """Take the P from ``g`` before it runs ``op``: a ``goyield`` (local queue) after a
        starving mutex's hand-off, or sysmon's preemption (global queue)."""
        g.pending = op
        g.status = RUNNABLE
        g.ready_t = self.now
        if self._yield_now:
            self._yield_now = False
            self._runqput(p, g, False)
            return False
        self._gq.append(g)
        if self._rec:
            self._log.append((self.now, "preempt", g.id, None, None, None))
        return False

    def _goexit(self, g: G, normal: bool) -> bool:
        g.status = DEAD
        g.reason = ""
        g.ended = self.now
        if not g.system:
            self._live -= 1
            if self._metrics:
                self._gcount.append((self.now, self._live))
        if self._rec:
            self._log.append((self.now, "exit", g.id, None, None, None))
        if g is self._main:
            if normal:
                self._finish("exit")
                return True
            self._main_goexit = True
        return False

    def _escaped(self, g: G, err: BaseException) -> bool:
        """An exception left the goroutine's outermost generator."""
        if isinstance(err, Goexit):
            return self._goexit(g, normal=False)
        if isinstance(err, GoPanic):
            g.status = RUNNING
            self._crashed = g
            self.outcome, self.exit_code, self.message = "panic", 2, err.message
            if self._rec:
                self._log.append((self.now, "panic", g.id, err.message, None, None))
            self._stopped = True
            return True
        if isinstance(err, GoFatal):
            self._fatal_end(err.text, g)
            return True
        if isinstance(err, KeyboardInterrupt):
            raise err
        err.add_note(f"(in goroutine {g.id} '{g.name}' at virtual time {self.now} ns)")
        raise err

    def _fatal_end(self, text: str, g: G | None) -> None:
        self._crashed = g
        self.outcome = "deadlock" if "deadlock" in text else "fatal"
        self.exit_code = 2
        self.message = "fatal error: " + text
        if self._rec:
            self._log.append((self.now, "fatal", g.id if g is not None else 0, text, None, None))
        self._stopped = True

    def _finish(self, outcome: str) -> None:
        self.outcome = outcome
        self.exit_code = 0
        self._stopped = True

    # ------------------------------------------------------------ several Ps

    def _loop_mp(self) -> None:
        """GOMAXPROCS > 1: the P with the earliest clock does its next step (one operation of its
        goroutine, or a trip through the scheduler). Ties go to the lowest P index."""
        ps = self._ps
        main = self._main
        if main is not None and ps[0].cur is main:
            ps[0].slice_start = self.now
        while not self._stopped:
            best = None
            for q in ps:
                if q.cur is None and (q.idle or not self._has_work(q)):
                    continue
                if best is None or q.clock < best.clock:
                    best = q
            if best is None:
                for q in ps:
                    q.idle = True
                self.now = max(q.clock for q in ps)
                if not self._idle_advance():
                    return
                ps[0].idle = False
                ps[0].clock = max(ps[0].clock, self.now)
                continue
            p = self._p = best
            self.now = p.clock
            if self._until is not None and self.now >= self._until:
                self._finish("until")
                return
            if p.cur is None:
                g, inherit = self._findrunnable(p)
                if g is None:
                    p.idle = True
                    continue
                if not inherit:
                    p.schedtick += 1
                    p.slice_start = self.now
                self.now += self._c_switch
                p.cur = g
            g = p.cur
            ended = self._exec(g, p, budget=1)
            if g.status != RUNNING:
                p.cur = None
            p.clock = self.now
            if ended:
                return

    def _has_work(self, p: P) -> bool:
        if p.runnext is not None or p.runq or self._gq:
            return True
        if self._timers and self._timers[0][0] <= p.clock:
            return True
        return any(q.runq or q.runnext is not None for q in self._ps if q is not p)


def _deferred(fn: Callable[..., Any], args: tuple[Any, ...]) -> Iterator[Any]:
    """Call a plain function when its goroutine first runs; follow it if it returns a generator."""
    r = fn(*args)
    if isinstance(r, types.GeneratorType):
        return (yield from r)
    return r


def _park_forever_gen() -> Iterator[Any]:
    """The finalizer goroutine: parks at once (``finalizer wait``) and is never woken here."""
    yield (OP_BLOCK, "finalizer wait")


