"""Firing rules of a Go world ``GO(MAIN)``: goroutines over Go objects, as the Go runtime runs them.

A world is (goroutines, object states). Goroutines are process terms; their Go-operation events
(``jobs.send.3``, ``mu.lock`` …, see :mod:`cspsim.semantics.golang`) fire only when the object
allows it, following golang/go src/runtime/chan.go, select.go and sync:

* buffered channel: a send appends while there is room; a receive takes the head.
* unbuffered channel: a send is a hand-off to a goroutine offering the matching receive
  (``jobs.send.v``, both move); the receiver then completes with its own ``jobs.recv.v`` step, as a
  Go receiver returns from its receive when it is next scheduled. Two goroutines that both have a
  ``default`` case never meet (neither parks), exactly as in Go.
* a receive from a closed, drained channel yields the zero value (``jobs.recvclosed``); a send on a
  closed channel, a close of a closed or nil channel, a negative WaitGroup counter and the unlock of
  an unlocked mutex panic: the world performs ``panic.K`` and the program ends (✓). Operations on a
  nil channel never fire.
* select = external choice of operations; ``default`` fires (as τ) only when no case can.
  ``after`` (time.After) and ``sleep`` may fire at any moment: the checker over-approximates time.
* RWMutex: a pending writer (announced by a τ step) blocks new readers, as in Go.
* ``go(P)`` adds a goroutine (τ); a goroutine that returns is removed (τ); when main returns the
  world terminates (✓) and the other goroutines are abandoned.
* a context's ``cancel`` cancels it and its descendants; ``ctx.done`` fires once it is cancelled;
  a ``timeout`` context may reach its deadline (``ctx.deadline``) at any moment.

Over-approximations (sound for "cannot happen" verdicts, documented in docs/golang.md): timers fire
at any time; which blocked sender gets freed buffer space first is not FIFO.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cspsim import errors
from cspsim.lts.events import TAU, TICK
from cspsim.semantics import terms as T
from cspsim.semantics.golang import GoObject, Spawn

if TYPE_CHECKING:
    from cspsim.lts.operational import Semantics

MAX_GOROUTINES = 64


@dataclass(frozen=True)
class WorldMove:
    event: int
    target: T.Term
    movers: tuple[int, ...]  # goroutine indices (in the world before the move)
    note: str = ""


# classification of a goroutine's event
_CSP, _GO, _SPAWN, _ALWAYS, _DEFAULT = range(5)


class GoWorldRules:
    def __init__(self, sem: Semantics) -> None:
        self.sem = sem
        self.f = sem.f
        self.layout = sem.ev.go
        self._info: dict[int, tuple[Any, ...]] = {}

    # ---------------------------------------------------------------- events

    def classify(self, eid: int) -> tuple[Any, ...]:
        info = self._info.get(eid)
        if info is not None:
            return info
        value = self.sem.events.values[eid]
        layout = self.layout
        if type(value) is Spawn:
            info = (_SPAWN, value.term)
        elif value is layout.specials.get("default"):
            info = (_DEFAULT,)
        elif value is layout.specials.get("after") or value is layout.specials.get("sleep"):
            info = (_ALWAYS,)
        else:
            found = layout.object_of(value) if layout.objects else None
            if found is None:
                info = (_CSP,)
            else:
                obj, op, arg = found
                info = (_GO, obj, op.name, arg)
        self._info[eid] = info
        return info

    def _eid(self, value: Any) -> int:
        return self.sem.events.id(value)

    def _panic(self, kind: str, g: int) -> WorldMove:
        return WorldMove(self._eid(self.layout.panic_event(kind)), self.f.skip, (g,), "the program panics")

    # ---------------------------------------------------------------- moves

    def transitions(self, world: T.Term) -> list[tuple[int, T.Term]]:
        return [(m.event, m.target) for m in self.moves(world)]

    def moves(self, world: T.Term) -> list[WorldMove]:
        gs, objs = world.args
        f = self.f
        out: list[WorldMove] = []
        senders: dict[int, list[tuple[int, Any, T.Term, int]]] = {}  # chan index -> (g, value, cont, eid)
        receivers: dict[int, list[tuple[int, Any, T.Term]]] = {}
        has_default: list[bool] = [False] * len(gs)
        defaults: list[list[T.Term]] = [[] for _ in gs]
        enabled = [False] * len(gs)

        def world(new_gs: tuple[T.Term, ...], new_objs: tuple[Any, ...] = objs) -> T.Term:
            return self._world(new_gs, new_objs)

        def moved(g: int, cont: T.Term) -> tuple[T.Term, ...]:
            return gs[:g] + (cont,) + gs[g + 1 :]

        for g, term in enumerate(gs):
            if term is f.omega:
                continue
            if term.kind == T.GOPENDING:
                event, cont = term.args
                out.append(WorldMove(self._eid(event), world(moved(g, cont)), (g,)))
                enabled[g] = True
                continue
            for e, cont in self.sem.transitions(term):
                if e == TAU:
                    out.append(WorldMove(TAU, world(moved(g, cont)), (g,)))
                    enabled[g] = True
                    continue
                if e == TICK:
                    if g == 0:
                        out.append(WorldMove(TICK, f.omega, (0,), "main returns"))
                    else:
                        out.append(WorldMove(TAU, world(moved(g, f.omega)), (g,), "goroutine exits"))
                    enabled[g] = True
                    continue
                info = self.classify(e)
                kind = info[0]
                if kind == _CSP or kind == _ALWAYS:
                    out.append(WorldMove(e, world(moved(g, cont)), (g,)))
                    enabled[g] = True
                elif kind == _DEFAULT:
                    has_default[g] = True
                    defaults[g].append(cont)
                elif kind == _SPAWN:
                    child = info[1]
                    new = list(moved(g, cont))
                    # Reuse the first exited slot, so live goroutines keep their index and a loop
                    # that spawns short-lived goroutines stays finite.
                    slot = next((i for i in range(1, len(new)) if new[i] is f.omega), len(new))
                    if slot == len(new):
                        if len(new) >= MAX_GOROUTINES:
                            raise errors.go_too_many_goroutines(MAX_GOROUTINES)
                        new.append(child)
                    else:
                        new[slot] = child
                    out.append(WorldMove(TAU, world(tuple(new)), (g, slot), f"go {child!r}"))
                    enabled[g] = True
                else:
                    obj, op, arg = info[1], info[2], info[3]
                    move = self._object_move(g, e, cont, obj, op, arg, gs, objs, senders, receivers)
                    if move is not None:
                        out.append(move)
                        enabled[g] = True
        # Unbuffered hand-offs: a sender meets a receiver offering the same value.
        for idx, sends in senders.items():
            for g, value, g_cont, eid in sends:
                for h, value2, h_cont in receivers.get(idx, ()):
                    if h == g or value2 != value or (has_default[g] and has_default[h]):
                        continue
                    obj = self.layout.objects[idx]
                    recv_event = obj.event(self.layout.ops["recv"], value)
                    new = list(gs)
                    new[g] = g_cont
                    new[h] = f.gopending(recv_event, h_cont)
                    out.append(WorldMove(eid, world(tuple(new)), (g, h)))
                    enabled[g] = enabled[h] = True
        # Select default: only when no case of that goroutine can fire.
        for g, conts in enumerate(defaults):
            if conts and not enabled[g]:
                for cont in conts:
                    out.append(WorldMove(TAU, world(moved(g, cont)), (g,), "select default"))
        # Deadlines of timeout contexts may pass at any moment.
        for obj in self.layout.objects:
            if obj.kind == "context" and obj.timeout and not objs[obj.index]:
                event = self._eid(obj.event(self.layout.ops["deadline"]))
                out.append(WorldMove(event, world(gs, self._cancel(objs, obj)), (), "deadline passes"))
        return out

    def _world(self, gs: tuple[T.Term, ...], objs: tuple[Any, ...]) -> T.Term:
        return self.f.goworld(self.normal(gs), objs)

    def normal(self, gs: tuple[T.Term, ...]) -> tuple[T.Term, ...]:
        """Canonical goroutine list: a goroutine that can only return (SKIP) has returned — its
        exit has no effect on anything — and exited slots at the end are dropped."""
        f = self.f
        if any(g is f.skip for g in gs[1:]):
            gs = (gs[0],) + tuple(f.omega if g is f.skip else g for g in gs[1:])
        return _trim(gs, f.omega)

    def _cancel(self, objs: tuple[Any, ...], obj: GoObject) -> tuple[Any, ...]:
        new = list(objs)
        todo = [obj.index]
        while todo:
            i = todo.pop()
            new[i] = True
            todo.extend(self.layout.objects[i].children)
        return tuple(new)

    def _object_move(
        self, g: int, e: int, cont: T.Term, obj: GoObject, op: str, arg: Any,
        gs: tuple[T.Term, ...], objs: tuple[Any, ...],
        senders: dict[int, list[tuple[int, Any, T.Term, int]]],
        receivers: dict[int, list[tuple[int, Any, T.Term]]],
    ) -> WorldMove | None:
        """The move of goroutine g performing operation ``op`` on ``obj``, or None if it blocks."""
        f = self.f
        st = objs[obj.index]
        new_gs = gs[:g] + (cont,) + gs[g + 1 :]

        def with_state(value: Any) -> tuple[Any, ...]:
            return objs[: obj.index] + (value,) + objs[obj.index + 1 :]

        kind = obj.kind
        if kind == "chan":
            if st is None:  # nil channel
                return self._panic("close_of_nil_channel", g) if op == "close" else None
            buf, closed = st
            if op == "send":
                if closed:
                    return self._panic("send_on_closed_channel", g)
                if obj.capacity == 0:
                    senders.setdefault(obj.index, []).append((g, arg, cont, e))
                    return None
                if len(buf) < obj.capacity:
                    return WorldMove(e, self._world(new_gs, with_state((buf + (arg,), False))), (g,))
                return None
            if op == "recv":
                if obj.capacity == 0:
                    if not closed:
                        receivers.setdefault(obj.index, []).append((g, arg, cont))
                    return None
                if buf and buf[0] == arg:
                    return WorldMove(e, self._world(new_gs, with_state((buf[1:], closed))), (g,))
                return None
            if op == "recvclosed":
                if closed and not buf:
                    return WorldMove(e, self._world(new_gs, objs), (g,))
                return None
            if op == "close":
                if closed:
                    return self._panic("close_of_closed_channel", g)
                return WorldMove(e, self._world(new_gs, with_state((buf, True))), (g,))
            return None
        if kind == "mutex":
            if op == "lock":
                return None if st else WorldMove(e, self._world(new_gs, with_state(True)), (g,))
            if op == "unlock":
                if not st:
                    return self._panic("unlock_of_unlocked_mutex", g)
                return WorldMove(e, self._world(new_gs, with_state(False)), (g,))
            return None
        if kind == "rwmutex":
            writer, pending, readers = st
            if op == "rlock":
                if writer or pending >= 0:
                    return None
                return WorldMove(e, self._world(new_gs, with_state((False, -1, readers + 1))), (g,))
            if op == "runlock":
                if readers == 0:
                    return self._panic("runlock_of_unlocked_rwmutex", g)
                return WorldMove(e, self._world(new_gs, with_state((writer, pending, readers - 1))), (g,))
            if op == "lock":
                if writer:
                    return None
                if pending < 0:
                    # Announce the writer (Go's Lock takes w, then blocks new readers) — a τ step.
                    return WorldMove(TAU, f.goworld(gs, with_state((False, g, readers))), (g,), "writer waits")
                if pending == g and readers == 0:
                    return WorldMove(e, self._world(new_gs, with_state((True, -1, 0))), (g,))
                return None
            if op == "unlock":
                if not writer:
                    return self._panic("unlock_of_unlocked_rwmutex", g)
                return WorldMove(e, self._world(new_gs, with_state((False, pending, readers))), (g,))
            return None
        if kind == "waitgroup":
            if op in ("add", "done"):
                n = arg if op == "add" else -1
                if st + n < 0:
                    return self._panic("negative_waitgroup_counter", g)
                return WorldMove(e, self._world(new_gs, with_state(st + n)), (g,))
            if op == "wait":
                return WorldMove(e, self._world(new_gs, objs), (g,)) if st == 0 else None
            return None
        if kind == "once":
            if op == "do" and st == 0:
                return WorldMove(e, self._world(new_gs, with_state(1)), (g,))
            if op == "done" and st == 1:
                return WorldMove(e, self._world(new_gs, with_state(2)), (g,))
            if op == "skip" and st == 2:
                return WorldMove(e, self._world(new_gs, objs), (g,))
            return None
        # context
        if op == "cancel":
            return WorldMove(e, self._world(new_gs, self._cancel(objs, obj)), (g,))
        if op == "done":
            return WorldMove(e, self._world(new_gs, objs), (g,)) if st else None
        return None

    # ---------------------------------------------------------------- reporting

    def is_blocked(self, world: T.Term, g: int, moves: list[WorldMove] | None = None) -> bool:
        """Goroutine g is alive and has no move in this world state."""
        gs = world.args[0]
        if gs[g] is self.f.omega:
            return False
        moves = self.moves(world) if moves is None else moves
        return not any(g in m.movers for m in moves)

    def wait_reason(self, term: T.Term, objs: tuple[Any, ...]) -> str:
        """Go's wait reason for a goroutine that cannot move (runtime2.go waitReason strings)."""
        if term.kind == T.OMEGA:
            return "exited"
        if term.kind == T.GOPENDING:
            return "runnable"
        trans = self.sem.transitions(term)
        if not trans:
            return "select (no cases)"
        reasons: set[str] = set()
        ops: set[tuple[int, str]] = set()  # distinct operations: a select has several
        for e, _ in trans:
            if e in (TAU, TICK):
                return "runnable"
            info = self.classify(e)
            if info[0] == _GO:
                obj, op = info[1], info[2]
                if obj.kind == "chan":
                    nil = " (nil chan)" if objs[obj.index] is None else ""
                    direction = "chan send" if op == "send" else "chan receive"
                    ops.add((obj.index, direction))
                    reasons.add(direction + nil)
                    continue
                ops.add((obj.index, op))
                if obj.kind == "mutex":
                    reasons.add("sync.Mutex.Lock")
                elif obj.kind == "rwmutex":
                    reasons.add("sync.RWMutex.RLock" if op == "rlock" else "sync.RWMutex.Lock")
                elif obj.kind == "waitgroup":
                    reasons.add("sync.WaitGroup.Wait")
                elif obj.kind == "once":
                    reasons.add("sync.Once.Do")
                else:
                    reasons.add("chan receive")  # <-ctx.Done()
            elif info[0] == _CSP:
                ops.add((-1, self.sem.events.labels[e]))
                reasons.add(f"event {self.sem.events.labels[e]}")
            elif info[0] != _DEFAULT:
                return "runnable"
        if len(ops) > 1:
            return "select"
        return next(iter(reasons)) if reasons else "select (no cases)"


def _trim(gs: tuple[T.Term, ...], omega: T.Term) -> tuple[T.Term, ...]:
    """Drop exited goroutines at the end of the list (canonical form; slot 0 is main)."""
    n = len(gs)
    while n > 1 and gs[n - 1] is omega:
        n -= 1
    return gs[:n]
