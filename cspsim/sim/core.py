"""Shared records of the simulator kernel: goroutines, wait records, operation codes, Go's errors.

Goroutines are Python generators. Each blocking step yields an *operation record*, a plain tuple
whose first item is one of the ``OP_*`` codes below (tuples are the cheapest records CPython can
build and index; the kernel dispatches on the code through a list). Everything that can only be
told apart by the Go runtime's bookkeeping lives here: the goroutine record :class:`G` (Go's ``g``),
the wait record :class:`Sudog` (Go's ``sudog``, one per channel queue a goroutine waits in), the
wait-reason strings of the traceback, and the panics and fatal errors with Go's exact messages.
"""

from __future__ import annotations

from typing import Any

# ---------------------------------------------------------------- operation codes (first tuple item)

OP_SEND = 0  # (OP_SEND, chan, value)
OP_RECV = 1  # (OP_RECV, chan)           -> value
OP_RECV2 = 2  # (OP_RECV2, chan)         -> (value, ok)
OP_SELECT = 3  # (OP_SELECT, cases, has_default) -> (index, value, ok); index -1 = default
OP_SLEEP = 4  # (OP_SLEEP, ns)
OP_GOSCHED = 5  # (OP_GOSCHED,)
OP_WORK = 6  # (OP_WORK, ns): the goroutine computes for ns of virtual time, holding its P
OP_CALL = 7  # (OP_CALL, generator): run a kernel-side generator on this goroutine's stack
OP_SEMACQUIRE = 8  # (OP_SEMACQUIRE, sema, lifo, reason)
OP_NOTIFY_WAIT = 9  # (OP_NOTIFY_WAIT, notify_list, ticket)
OP_BLOCK = 10  # (OP_BLOCK, reason): park forever (``select {}``)
OP_LOCK = 11  # (OP_LOCK, mutex)
OP_RLOCK = 12  # (OP_RLOCK, rwmutex)
N_OPS = 13

# Goroutine states (Go's _Grunnable, _Grunning, _Gwaiting, _Gdead).
RUNNABLE = "runnable"
RUNNING = "running"
WAITING = "waiting"
DEAD = "dead"

# ---------------------------------------------------------------- wait reasons (runtime2.go waitReasonStrings)

R_CHAN_SEND = "chan send"
R_CHAN_RECV = "chan receive"
R_CHAN_SEND_NIL = "chan send (nil chan)"
R_CHAN_RECV_NIL = "chan receive (nil chan)"
R_SELECT = "select"
R_SELECT_NO_CASES = "select (no cases)"
R_SLEEP = "sleep"
R_SEMACQUIRE = "semacquire"
R_COND_WAIT = "sync.Cond.Wait"
R_FINALIZER = "finalizer wait"

SUPPORTED_GO_VERSIONS = ("1.19", "1.20", "1.21", "1.22", "1.23")


def go_minor(version: str) -> int:
    """The minor number of a supported Go version string (``"1.19"`` -> 19)."""
    if version not in SUPPORTED_GO_VERSIONS:
        raise ValueError(f"go_version must be one of {', '.join(SUPPORTED_GO_VERSIONS)}, not {version!r}")
    return int(version.split(".")[1])


def sync_wait_reasons(minor: int) -> dict[str, str]:
    """Traceback wait reasons of the sync package's semaphores for one Go version.

    Go 1.19 parks Mutex, RWMutex and WaitGroup waiters with the generic ``semacquire``; Go 1.20
    added ``sync.Mutex.Lock``, ``sync.RWMutex.RLock`` and ``sync.RWMutex.Lock`` (runtime2.go);
    WaitGroup stays ``semacquire`` through 1.23.
    """
    if minor < 20:
        return {"mutex": R_SEMACQUIRE, "rlock": R_SEMACQUIRE, "wlock": R_SEMACQUIRE, "wg": R_SEMACQUIRE}
    return {
        "mutex": "sync.Mutex.Lock",
        "rlock": "sync.RWMutex.RLock",
        "wlock": "sync.RWMutex.Lock",
        "wg": R_SEMACQUIRE,
    }


# ---------------------------------------------------------------- Go's errors


class GoPanic(Exception):
    """A Go panic. Raised inside the goroutine, so ``try/finally`` acts as ``defer`` and
    ``except GoPanic`` as ``recover()``; if it escapes the goroutine the program crashes."""

    def __init__(self, value: Any) -> None:
        super().__init__(value)
        self.value = value

    @property
    def message(self) -> str:
        from cspsim.sim.gofmt import go_str

        return "panic: " + go_str(self.value)


class GoFatal(BaseException):
    """An unrecoverable runtime error (``fatal error: ...``), e.g. unlocking an unlocked mutex.

    It derives from ``BaseException`` so an ``except Exception`` in model code cannot swallow it.
    """

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

    @property
    def message(self) -> str:
        return "fatal error: " + self.text


class Goexit(BaseException):
    """``runtime.Goexit()``: unwinds the goroutine, running its ``finally`` blocks."""


def send_on_closed() -> GoPanic:
    return GoPanic(_RuntimeError("send on closed channel"))


def close_of_closed() -> GoPanic:
    return GoPanic(_RuntimeError("close of closed channel"))


def close_of_nil() -> GoPanic:
    return GoPanic(_RuntimeError("close of nil channel"))


class _RuntimeError(str):
    """A runtime error value (Go's ``plainError``): printed without quotes."""

    __slots__ = ()


# ---------------------------------------------------------------- records


class G:
    """One goroutine (Go's ``g``). ``gen`` is the running generator; ``stack`` holds the callers
    suspended by ``OP_CALL`` (kernel-side algorithms such as ``Mutex.lockSlow``).

    A goroutine in a plain (non-select) wait is its own wait record: it has the fields of a
    :class:`Sudog` (``g`` is itself, ``sel`` is None, ``case`` is 0), which saves an allocation on
    every park; a select needs real :class:`Sudog` records, one per case.
    """

    __slots__ = (
        "blocked",
        "case",
        "ch",
        "created",
        "elem",
        "ended",
        "g",
        "gen",
        "id",
        "index",
        "is_send",
        "mode",
        "name",
        "parent",
        "park_t",
        "pending",
        "ready_t",
        "reason",
        "runnable_ns",
        "sel",
        "stack",
        "status",
        "system",
        "t",
        "val",
        "wait_obj",
        "waitsince",
    )

    def __init__(self, gid: int, name: str, gen: Any, index: int, now: int, parent: int) -> None:
        self.id = gid
        self.name = name
        self.gen = gen
        self.stack: list[Any] = []
        self.g = self
        self.elem: Any = None
        self.mode = 0
        self.t = 0
        self.sel = None
        self.case = 0
        self.ch: Any = None
        self.is_send = False
        self.val: Any = None
        self.pending: Any = None  # an operation yielded but not yet run (preempted before it)
        self.status = RUNNABLE
        self.reason = ""
        self.wait_obj: Any = None  # what it waits on (a channel, a sema, ...), for leak reports
        self.index = index  # position in the run's component list (Trace.movers)
        self.created = now
        self.ended: int | None = None
        self.parent = parent
        self.system = False  # runtime goroutine: hidden from deadlock detection and reports
        self.park_t = 0
        self.ready_t = now
        self.waitsince = 0
        self.runnable_ns = 0
        self.blocked: dict[str, int] = {}

    def __repr__(self) -> str:
        return f"<goroutine {self.id} {self.name} {self.status} {self.reason}>"


class Sudog:
    """A wait record on one channel queue (Go's ``sudog``).

    ``sel`` is ``None`` for a plain send/receive, else the list of all the records of one
    ``select`` (the first to be dequeued wins, and the kernel unlinks the others at once, which is
    what Go's ``selectDone`` flag plus pass 3 achieve). ``mode`` says how the receiver wants its
    result: 0 the value, 1 ``(value, ok)``, 2 ``(case, value, ok)``.
    """

    __slots__ = ("case", "ch", "elem", "g", "is_send", "mode", "sel", "t")

    def __init__(self, g: G, elem: Any, mode: int, t: int, ch: Any = None, is_send: bool = False) -> None:
        self.g = g
        self.elem = elem
        self.mode = mode
        self.t = t
        self.sel: list[Sudog] | None = None
        self.case = -1
        self.ch = ch
        self.is_send = is_send


class Sig:
    """A kernel signal returned by an operation handler instead of a value."""

    __slots__ = ("exc", "name")

    def __init__(self, name: str, exc: BaseException | None = None) -> None:
        self.name = name
        self.exc = exc

    def __repr__(self) -> str:
        return f"<{self.name}>"


# The handler descheduled the goroutine (it parked, yielded or was preempted).
SWITCH = Sig("switch")


def throw(exc: BaseException) -> Sig:
    """Resume the goroutine by raising ``exc`` at its ``yield`` (a panic inside Go code)."""
    return Sig("throw", exc)
