"""``sync`` primitives built as Go builds them: on runtime semaphores (``src/runtime/sema.go``) and
with the algorithms of ``src/sync`` (Go 1.19), so waiters wake in Go's order.

* A semaphore keeps a count and a FIFO of waiters (a LIFO insert for a mutex waiter that already
  waited once). ``semrelease`` readies the first waiter (``runnext``); the waiter re-checks the
  count when it runs and queues again if someone else took it (barging), unless the release
  handed the count over (a starving mutex), in which case the releaser yields its P at once.
* Mutex: the state word (locked, woken, starving, waiter count) of mutex.go: a woken waiter
  competes with newcomers; after waiting over 1 ms the mutex turns to starvation mode and is
  handed over directly. No spinning: Go does not spin with GOMAXPROCS=1.
* RWMutex, WaitGroup, Cond (ticketed notify list), Once: the same algorithms and panics.

Blocking calls are operations to yield (``yield mu.lock()``, ``yield wg.wait()``,
``yield cond.wait()``, ``yield once.do(f)``); the others are plain calls (``mu.unlock()``,
``wg.add(1)``, ``wg.done()``, ``cond.signal()``).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from typing import Any

from cspsim.sim.core import (
    OP_CALL,
    OP_LOCK,
    OP_NOTIFY_WAIT,
    OP_RLOCK,
    OP_SEMACQUIRE,
    R_COND_WAIT,
    G,
    GoFatal,
    GoPanic,
)

MUTEX_LOCKED = 1
MUTEX_WOKEN = 2
MUTEX_STARVING = 4
MUTEX_WAITER_SHIFT = 3
STARVATION_NS = 1_000_000
RWMUTEX_MAX_READERS = 1 << 30


class Sema:
    """A runtime semaphore: a count and its waiters (one ``semaRoot`` list for one address)."""

    __slots__ = ("name", "value", "waiters")

    def __init__(self, name: str, value: int = 0) -> None:
        self.name = name
        self.value = value
        self.waiters: deque[G] = deque()

    def __repr__(self) -> str:
        return f"<sema {self.name} {self.value} waiters={len(self.waiters)}>"


def semacquire(sema: Sema, lifo: bool, reason: str) -> Iterator[Any]:
    """``semacquire1``: take a unit, or wait; a woken waiter takes the unit only if it is still
    there when it runs (or was handed over), else it queues again."""
    while True:
        ticket = yield (OP_SEMACQUIRE, sema, lifo, reason)
        if ticket:  # True: taken at once; 1: handed over by a starving release
            return
        if sema.value > 0:
            sema.value -= 1
            return


class Mutex:
    """``sync.Mutex``. ``yield mu.lock()``; ``mu.unlock()``."""

    __slots__ = ("name", "sema", "sim", "state")

    def __init__(self, sim: Any, name: str) -> None:
        self.sim = sim
        self.name = name
        self.state = 0
        self.sema = Sema(name)

    def lock(self) -> tuple[int, Mutex]:
        return (OP_LOCK, self)

    def try_lock(self) -> bool:
        """``TryLock`` (Go 1.18+): take the lock only if it is free and not being handed over."""
        old = self.state
        if old & (MUTEX_LOCKED | MUTEX_STARVING):
            return False
        self.state = old | MUTEX_LOCKED
        return True

    def unlock(self) -> None:
        sim = self.sim
        sim.now += sim._c_sync
        new = self.state - MUTEX_LOCKED
        self.state = new
        if new != 0:
            self._unlock_slow(new)

    def _unlock_slow(self, new: int) -> None:
        if (new + MUTEX_LOCKED) & MUTEX_LOCKED == 0:
            raise GoFatal("sync: unlock of unlocked mutex")
        if new & MUTEX_STARVING == 0:
            old = new
            if old >> MUTEX_WAITER_SHIFT == 0 or old & (MUTEX_LOCKED | MUTEX_WOKEN | MUTEX_STARVING):
                return
            self.state = (old - (1 << MUTEX_WAITER_SHIFT)) | MUTEX_WOKEN
            self.sim._semrelease(self.sema, False)
        else:
            self.sim._semrelease(self.sema, True)

    def _lock_slow(self, reason: str) -> Iterator[Any]:
        """mutex.go ``lockSlow`` without spinning (every CAS succeeds: the kernel is sequential)."""
        sim = self.sim
        wait_start = -1
        starving = False
        awoke = False
        old = self.state
        while True:
            new = old
            if old & MUTEX_STARVING == 0:
                new |= MUTEX_LOCKED
            if old & (MUTEX_LOCKED | MUTEX_STARVING):
                new += 1 << MUTEX_WAITER_SHIFT
            if starving and old & MUTEX_LOCKED:
                new |= MUTEX_STARVING
            if awoke:
                new &= ~MUTEX_WOKEN
            self.state = new
            if old & (MUTEX_LOCKED | MUTEX_STARVING) == 0:
                return
            lifo = wait_start >= 0
            if wait_start < 0:
                wait_start = sim.now
            yield from semacquire(self.sema, lifo, reason)
            starving = starving or sim.now - wait_start > STARVATION_NS
            old = self.state
            if old & MUTEX_STARVING:
                delta = MUTEX_LOCKED - (1 << MUTEX_WAITER_SHIFT)
                if not starving or old >> MUTEX_WAITER_SHIFT == 1:
                    delta -= MUTEX_STARVING
                self.state += delta
                return
            awoke = True
            old = self.state

    def __repr__(self) -> str:
        return f"<Mutex {self.name} state={self.state}>"


class RWMutex:
    """``sync.RWMutex``. ``yield rw.rlock()`` / ``rw.runlock()``; ``yield rw.lock()`` / ``rw.unlock()``.
    A pending writer blocks new readers, so a recursive read lock can deadlock, as in Go."""

    __slots__ = ("name", "reader_count", "reader_sem", "reader_wait", "sim", "w", "writer_sem")

    def __init__(self, sim: Any, name: str) -> None:
        self.sim = sim
        self.name = name
        self.w = Mutex(sim, name + ".w")
        self.writer_sem = Sema(name + ".writerSem")
        self.reader_sem = Sema(name + ".readerSem")
        self.reader_count = 0
        self.reader_wait = 0

    def rlock(self) -> tuple[int, RWMutex]:
        return (OP_RLOCK, self)

    def runlock(self) -> None:
        sim = self.sim
        sim.now += sim._c_sync
        self.reader_count -= 1
        r = self.reader_count
        if r < 0:
            if r + 1 == 0 or r + 1 == -RWMUTEX_MAX_READERS:
                raise GoFatal("sync: RUnlock of unlocked RWMutex")
            self.reader_wait -= 1
            if self.reader_wait == 0:
                sim._semrelease(self.writer_sem, False)

    def lock(self) -> tuple[int, Any]:
        return (OP_CALL, self._lock())

    def _lock(self) -> Iterator[Any]:
        yield self.w.lock()
        self.reader_count -= RWMUTEX_MAX_READERS
        r = self.reader_count + RWMUTEX_MAX_READERS
        if r != 0:
            self.reader_wait += r
            if self.reader_wait != 0:
                yield from semacquire(self.writer_sem, False, self.sim._sync_reasons["wlock"])

    def unlock(self) -> None:
        sim = self.sim
        sim.now += sim._c_sync
        self.reader_count += RWMUTEX_MAX_READERS
        r = self.reader_count
        if r >= RWMUTEX_MAX_READERS:
            raise GoFatal("sync: Unlock of unlocked RWMutex")
        for _ in range(r):
            sim._semrelease(self.reader_sem, False)
        self.w.unlock()

    def rlocker(self) -> _RLocker:
        """``RLocker()``: a Locker whose lock/unlock are rlock/runlock (for a Cond)."""
        return _RLocker(self)

    def __repr__(self) -> str:
        return f"<RWMutex {self.name} readers={self.reader_count}>"


class _RLocker:
    __slots__ = ("rw",)

    def __init__(self, rw: RWMutex) -> None:
        self.rw = rw

    def lock(self) -> tuple[int, RWMutex]:
        return self.rw.rlock()

    def unlock(self) -> None:
        self.rw.runlock()


class WaitGroup:
    """``sync.WaitGroup``. ``wg.add(n)``, ``wg.done()``, ``yield wg.wait()``."""

    __slots__ = ("name", "sema", "sim", "v", "w")

    def __init__(self, sim: Any, name: str) -> None:
        self.sim = sim
        self.name = name
        self.v = 0  # counter
        self.w = 0  # waiters
        self.sema = Sema(name)

    def add(self, delta: int) -> None:
        sim = self.sim
        sim.now += sim._c_sync
        self.v += delta
        v, w = self.v, self.w
        if v < 0:
            raise GoPanic("sync: negative WaitGroup counter")
        if w != 0 and delta > 0 and v == delta:
            raise GoPanic("sync: WaitGroup misuse: Add called concurrently with Wait")
        if v > 0 or w == 0:
            return
        self.w = 0
        for _ in range(w):
            sim._semrelease(self.sema, False)

    def done(self) -> None:
        self.add(-1)

    def wait(self) -> tuple[int, Any]:
        return (OP_CALL, self._wait())

    def _wait(self) -> Iterator[Any]:
        if self.v == 0:
            return
        self.w += 1
        yield from semacquire(self.sema, False, self.sim._sync_reasons["wg"])
        if self.v != 0 or self.w != 0:
            raise GoPanic("sync: WaitGroup is reused before previous Wait has returned")

    def __repr__(self) -> str:
        return f"<WaitGroup {self.name} counter={self.v} waiters={self.w}>"


class Cond:
    """``sync.Cond`` over a Locker (``Mutex``, ``RWMutex`` or ``rw.rlocker()``).
    ``yield cond.wait()`` (unlock, wait for a signal, lock again), ``cond.signal()``, ``cond.broadcast()``."""

    __slots__ = ("L", "name", "notify", "sim", "ticket", "waiters")

    def __init__(self, sim: Any, lock: Any, name: str) -> None:
        self.sim = sim
        self.L = lock
        self.name = name
        self.ticket = 0  # notifyList.wait: next ticket to hand out
        self.notify = 0  # notifyList.notify: next ticket to notify
        self.waiters: deque[G] = deque()

    def wait(self) -> tuple[int, Any]:
        return (OP_CALL, self._wait())

    def _wait(self) -> Iterator[Any]:
        t = self.ticket
        self.ticket += 1
        self.L.unlock()
        yield (OP_NOTIFY_WAIT, self, t)
        yield self.L.lock()

    def signal(self) -> None:
        """``notifyListNotifyOne``: wake the waiter holding the next ticket, if it is waiting."""
        self.sim.now += self.sim._c_sync
        if self.ticket == self.notify:
            return
        t = self.notify
        self.notify += 1
        for sd in self.waiters:
            if sd.elem == t:
                self.waiters.remove(sd)
                self.sim._ready(sd.g)
                return

    def broadcast(self) -> None:
        """``notifyListNotifyAll``: wake every waiter, in the order they queued."""
        self.sim.now += self.sim._c_sync
        if self.ticket == self.notify:
            return
        waiting = list(self.waiters)
        self.waiters.clear()
        self.notify = self.ticket
        for sd in waiting:
            self.sim._ready(sd.g)

    def __repr__(self) -> str:
        return f"<Cond {self.name} waiters={len(self.waiters)}>"


class Once:
    """``sync.Once``. ``yield once.do(f, *args)``: f may be a generator function (it can block)."""

    __slots__ = ("done", "m", "name")

    def __init__(self, sim: Any, name: str) -> None:
        self.name = name
        self.done = False
        self.m = Mutex(sim, name + ".m")

    def do(self, f: Callable[..., Any], *args: Any) -> tuple[int, Any]:
        return (OP_CALL, self._do(f, args))

    def _do(self, f: Callable[..., Any], args: tuple[Any, ...]) -> Iterator[Any]:
        if self.done:
            return
        yield self.m.lock()
        try:
            if not self.done:
                try:
                    r = f(*args)
                    if isinstance(r, Iterator):
                        yield from r
                finally:
                    self.done = True
        finally:
            self.m.unlock()


class SyncOps:
    """Semaphore operations of the kernel (mixed into :class:`cspsim.sim.Sim`)."""

    now: int
    _c_sync: int
    _sync_reasons: dict[str, str]

    def _op_semacquire(self, g: G, op: tuple[Any, ...]) -> Any:
        sema = op[1]
        if sema.value > 0:
            sema.value -= 1
            return True
        if op[2]:
            sema.waiters.appendleft(g)
        else:
            sema.waiters.append(g)
        return self._park(g, op[3], sema)

    def _semrelease(self, sema: Sema, handoff: bool) -> None:
        """``semrelease1``: one more unit; ready the first waiter (``runnext``). With ``handoff``
        the unit goes to the waiter and the caller yields its P (``goyield``) before going on."""
        sema.value += 1
        if not sema.waiters:
            return
        sd = sema.waiters.popleft()
        ticket = 0
        if handoff and sema.value > 0:
            sema.value -= 1
            ticket = 1
        sd.g.val = ticket
        self._ready(sd.g)
        if ticket == 1 and self._cur is not None:
            self._yield_now = True
            self._deadline = -1

    def _op_lock(self, g: G, op: tuple[Any, ...]) -> Any:
        m = op[1]
        self.now += self._c_sync
        if m.state == 0:
            m.state = MUTEX_LOCKED
            return None
        g.stack.append(g.gen)
        g.gen = m._lock_slow(self._sync_reasons["mutex"])
        return None

    def _op_rlock(self, g: G, op: tuple[Any, ...]) -> Any:
        rw = op[1]
        self.now += self._c_sync
        rw.reader_count += 1
        if rw.reader_count < 0:  # a writer is pending
            g.stack.append(g.gen)
            g.gen = semacquire(rw.reader_sem, False, self._sync_reasons["rlock"])
        return None

    def _op_notify_wait(self, g: G, op: tuple[Any, ...]) -> Any:
        cond, t = op[1], op[2]
        if t < cond.notify:
            return None
        g.elem = t
        cond.waiters.append(g)
        return self._park(g, R_COND_WAIT, cond)
