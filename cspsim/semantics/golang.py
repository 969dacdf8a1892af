"""The Go layer's declarations and values (cspsim's extension of CSPM).

A Go object (channel, mutex, RWMutex, WaitGroup, Once, context) is declared at top level::

    gochan jobs : {0..2} buffer 4          -- chan int with capacity 4 (unbuffered without `buffer`)
    gochan fork[{0..4}] : {0} buffer 1     -- a family: fork(i), or fork.i in events
    gomutex mu
    gorwmutex rw
    gowaitgroup wg
    goonce once
    gocontext ctx                          -- context.WithCancel(context.Background())
    gocontext req : ctx                    -- a child: cancelled when ctx is
    gocontext job : ctx timeout            -- a child whose deadline may pass at any moment

Each object is also a CSPM channel whose events are its operations, so goroutines are ordinary
CSPM processes and every CSP assertion applies::

    jobs.send.v  jobs.recv.v  jobs.recvclosed  jobs.close
    mu.lock  mu.unlock      rw.rlock  rw.runlock  rw.lock  rw.unlock
    wg.add.n  wg.done  wg.wait      once.do  once.done  once.skip
    ctx.cancel  ctx.done  ctx.deadline      after  sleep  panic.K

``jobs!v -> P`` sends and ``jobs?x -> P`` / ``jobs?x?ok -> P`` receive on a Go channel (a receive
from a closed, drained channel binds the zero value and performs ``jobs.recvclosed``). What these
events *mean* — buffers, hand-off, blocking, panics — is given by the Go world ``GO(MAIN)``
(:mod:`cspsim.lts.goworld`), which runs ``MAIN`` as the main goroutine. ``go(P)`` spawns a goroutine
and terminates; ``default`` is the default case of a select (an external choice of Go operations);
``ONCE(once, P)`` is ``once.Do(P)``; ``nilchan`` is a nil channel.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cspsim import errors
from cspsim.errors import Span
from cspsim.semantics.values import Dot, Name, atoms_of, make_dot, ordered

if TYPE_CHECKING:
    from cspsim.semantics.evaluator import Evaluator

# Operation constructors shared by all Go objects (arity 1 takes a value).
OPS_WITH_VALUE = ("send", "recv", "add")
OPS_PLAIN = ("recvclosed", "close", "lock", "unlock", "rlock", "runlock", "done", "wait", "do", "skip",
             "cancel", "deadline")
SPECIAL_EVENTS = ("after", "sleep", "default")

WAITGROUP_RANGE = range(-16, 17)

# What Go prints when the program dies, by the constructor naming it in `panic.K` events.
# Channel misuse and a negative WaitGroup counter panic; misusing a mutex is a fatal error
# (sync/mutex.go and rwmutex.go call fatal/throw), which no recover() can catch.
PANICS = {
    "send_on_closed_channel": "panic: send on closed channel",
    "close_of_closed_channel": "panic: close of closed channel",
    "close_of_nil_channel": "panic: close of nil channel",
    "negative_waitgroup_counter": "panic: sync: negative WaitGroup counter",
    "waitgroup_reused": "panic: sync: WaitGroup is reused before previous Wait has returned",
    "unlock_of_unlocked_mutex": "fatal error: sync: unlock of unlocked mutex",
    "runlock_of_unlocked_rwmutex": "fatal error: sync: RUnlock of unlocked RWMutex",
    "unlock_of_unlocked_rwmutex": "fatal error: sync: Unlock of unlocked RWMutex",
}

GO_NAMES = set(OPS_WITH_VALUE) | set(OPS_PLAIN) | set(SPECIAL_EVENTS) | {"panic", "nilchan"} | set(PANICS)


class AnySet:
    """Field type of a shared operation constructor: its values depend on the object."""

    kind_name = "a set of values of any type"

    def __contains__(self, v: object) -> bool:
        return True

    def __repr__(self) -> str:
        return "<any>"


ANY = AnySet()


@dataclass(eq=False)
class GoObject:
    """One Go object. ``index`` is its slot in a Go world's object state."""

    kind: str  # chan, mutex, rwmutex, waitgroup, once, context
    name: str  # as shown: "jobs", "fork.2"
    index: int
    prefix: tuple[Any, ...]  # event atoms before the operation: (jobs,) or (fork, 2)
    elem: frozenset[Any] = frozenset()
    capacity: int = 0
    zero: Any = 0
    parent: int = -1  # contexts: index of the parent context
    timeout: bool = False
    nil: bool = False
    span: Span = errors.NO_SPAN
    children: list[int] = field(default_factory=list)

    kind_name = "a Go object"

    def __hash__(self) -> int:
        return hash(("GoObject", self.index))

    def sort_key(self) -> tuple[int]:
        return (self.index,)

    def __repr__(self) -> str:
        return self.name

    def event(self, op: Name, value: Any = None) -> Any:
        atoms = self.prefix + (op,) if value is None else self.prefix + (op, value)
        return make_dot(atoms)


@dataclass
class GoLayout:
    """All Go objects of a script, and the names that make up their events."""

    objects: list[GoObject] = field(default_factory=list)
    by_channel: dict[Name, list[GoObject]] = field(default_factory=dict)  # family: several
    ops: dict[str, Name] = field(default_factory=dict)
    specials: dict[str, Name] = field(default_factory=dict)
    panic_channel: Name | None = None
    panic_kinds: dict[str, Name] = field(default_factory=dict)

    @property
    def enabled(self) -> bool:
        return bool(self.objects)

    def initial_state(self) -> tuple[Any, ...]:
        out: list[Any] = []
        for obj in self.objects:
            if obj.kind == "chan":
                out.append(None if obj.nil else ((), False))
            elif obj.kind == "rwmutex":
                out.append((False, -1, 0))  # writer active, pending writer, readers
            elif obj.kind in ("mutex", "context"):
                out.append(False)
            else:  # waitgroup counter, once state
                out.append(0)
        return tuple(out)

    def object_of(self, event: Any) -> tuple[GoObject, Name, Any] | None:
        """(object, operation, value) of a Go operation event, or None for other events."""
        atoms = atoms_of(event)
        objs = self.by_channel.get(atoms[0])
        if objs is None:
            return None
        if len(objs) == 1 and len(objs[0].prefix) == 1:
            obj = objs[0]
        else:
            obj = next((o for o in objs if o.prefix == atoms[: len(o.prefix)]), None)
            if obj is None:
                return None
        rest = atoms[len(obj.prefix) :]
        if not rest:
            return None
        op = rest[0]
        value = make_dot(rest[1:]) if len(rest) > 1 else None
        return obj, op, value

    def panic_event(self, kind: str) -> Any:
        assert self.panic_channel is not None
        return Dot((self.panic_channel, self.panic_kinds[kind]))


def declare_go_names(ev: Evaluator, layout: GoLayout, next_order: Any) -> dict[str, Any]:
    """Create the shared operation constructors and special channels (once per script)."""
    names: dict[str, Any] = {}
    for op in OPS_WITH_VALUE:
        n = Name(op, "constructor", next(next_order), 1, "GoOp")
        n.field_sets = (ANY,)
        layout.ops[op] = n
        names[op] = n
    for op in OPS_PLAIN:
        n = Name(op, "constructor", next(next_order), 0, "GoOp")
        n.field_sets = ()
        layout.ops[op] = n
        names[op] = n
    for special in SPECIAL_EVENTS:
        n = Name(special, "channel", next(next_order), 0)
        n.field_sets = ()
        layout.specials[special] = n
        names[special] = n
    kinds = []
    for kind in PANICS:
        k = Name(kind, "constructor", next(next_order), 0, "GoPanic")
        k.field_sets = ()
        layout.panic_kinds[kind] = k
        names[kind] = k
        kinds.append(k)
    panic = Name("panic", "channel", next(next_order), 1)
    panic.field_sets = (frozenset(kinds),)
    layout.panic_channel = panic
    names["panic"] = panic
    return names


def op_field_set(layout: GoLayout, obj: GoObject) -> frozenset[Any]:
    ops = layout.ops
    if obj.kind == "chan":
        values = [make_dot((ops["send"], v)) for v in obj.elem]
        values += [make_dot((ops["recv"], v)) for v in obj.elem]
        values += [ops["recvclosed"], ops["close"]]
        return frozenset(values)
    if obj.kind == "mutex":
        return frozenset([ops["lock"], ops["unlock"]])
    if obj.kind == "rwmutex":
        return frozenset([ops["lock"], ops["unlock"], ops["rlock"], ops["runlock"]])
    if obj.kind == "waitgroup":
        return frozenset([make_dot((ops["add"], n)) for n in WAITGROUP_RANGE] + [ops["done"], ops["wait"]])
    if obj.kind == "once":
        return frozenset([ops["do"], ops["done"], ops["skip"]])
    return frozenset([ops["cancel"], ops["done"], ops["deadline"]])


def zero_value(elem: frozenset[Any]) -> Any:
    """Go's zero value for a channel's element type: 0 for Ints, false for Bools, else the least value."""
    items = list(elem)
    if items and all(type(x) is int for x in items):
        return 0
    if items and all(type(x) is bool for x in items):
        return False
    return ordered(items)[0] if items else 0


class GoEnd:
    """A directional view of a Go channel: ``sendonly(c)`` (chan<- T) or ``recvonly(c)`` (<-chan T)."""

    __slots__ = ("direction", "obj")
    kind_name = "a channel end"

    def __init__(self, obj: GoObject, direction: str) -> None:
        self.obj = obj
        self.direction = direction  # "send" or "recv"

    def __eq__(self, other: object) -> bool:
        return type(other) is GoEnd and other.obj is self.obj and other.direction == self.direction

    def __hash__(self) -> int:
        return hash(("GoEnd", self.obj.index, self.direction))

    def sort_key(self) -> tuple[int, str]:
        return (self.obj.index, self.direction)

    def __str__(self) -> str:
        return f"{self.direction}only({self.obj.name})"


class Spawn:
    """The event of ``go(P)``: the Go world turns it into τ and starts ``P`` as a goroutine."""

    __slots__ = ("term",)
    kind_name = "a spawn"

    def __init__(self, term: Any) -> None:
        self.term = term

    def __eq__(self, other: object) -> bool:
        return type(other) is Spawn and other.term is self.term

    def __hash__(self) -> int:
        return hash(("Spawn", id(self.term)))

    def sort_key(self) -> tuple[int]:
        return (self.term.id,)

    def __str__(self) -> str:
        return f"go {self.term!r}"


def once_term(ev: Evaluator, obj: GoObject, body: Any) -> Any:
    """``once.Do(body)``: the first caller runs body; later callers wait for it, then skip."""
    f = ev.terms
    ops = ev.go.ops
    run = f.evprefix(obj.event(ops["do"]), f.seq(body, f.evprefix(obj.event(ops["done"]), f.skip)))
    skip = f.evprefix(obj.event(ops["skip"]), f.skip)
    return f.ext((run, skip))
