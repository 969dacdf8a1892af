"""Firing rules of a Go world ``GO(MAIN)``: goroutines over Go objects, as the Go runtime runs them.

A world is (goroutines, object states). Goroutines are process terms; their Go-operation events
(``jobs.send.3``, ``mu.lock`` …, see :mod:`cspsim.semantics.golang`) fire only when the object
allows it, following golang/go src/runtime/chan.go, select.go and sync.

**The arrival rule.** A goroutine's blocking operation takes effect when that goroutine runs: a
goroutine that has not run yet is not a partner for anyone. When it runs, each case (one
operation, or the cases of a select) is tested against what has *arrived*: goroutines parked on an
unbuffered channel (Go's sendq/recvq), buffer contents, closed flags, lock and counter states. If
some case is ready, one ready case completes (any one: Go picks at random). If none is, a select
with ``default`` takes it (τ, "select default"); otherwise a goroutine offering an unbuffered
operation parks (τ, "parks: c!") and from then on is a partner that arriving goroutines can meet.
Operations whose readiness is object state (buffered channels, mutexes, WaitGroups, Once,
contexts) need no park step: waiting for them is visible in the object, so arriving and parking
coincide and the goroutine simply completes once the object allows.

* buffered channel: a send appends while there is room; a receive takes the head.
* unbuffered channel: an arriving sender meets a parked receiver, or an arriving receiver a parked
  sender; the hand-off is ``jobs.send.v`` (both move); the receiver then completes with its own
  ``jobs.recv.v`` step, as a Go receiver returns from its receive when it is next scheduled. Two
  goroutines that both have a ``default`` case never meet, since neither parks.
* a receive from a closed, drained channel yields the zero value (``jobs.recvclosed``); a send on a
  closed channel (also by a parked sender, which close wakes), a close of a closed or nil channel,
  a negative WaitGroup counter and the unlock of an unlocked mutex panic: the world performs
  ``panic.K`` and the program ends (✓). Operations on a nil channel never fire.
* timers: ``after`` (time.After) and ``sleep`` fire by their own step at any moment, so "not fired
  yet" is always possible: a timer case never makes a case ready for ``default`` or parking.
* RWMutex: a writer's ``Lock`` first announces it (its own τ step, on arrival); from then on new
  readers block, as in Go.
* ``go(P)`` adds a goroutine (τ); a goroutine that returns is removed (τ); when main returns the
  world terminates (✓) and the other goroutines are abandoned.
* a context's ``cancel`` closes its Done, then cancels the descendants one τ step at a time (as
  ``cancelCtx.cancel`` does, so a parent can be seen cancelled before its child); ``ctx.done``
  fires once it is cancelled; a ``timeout`` context may reach its deadline (``ctx.deadline``) at
  any moment, and a goroutine of the timer's then cancels the descendants.

Over-approximations (sound for "cannot happen" verdicts, documented in docs/golang.md): timers fire
at any time, even before the select that created them is evaluated; which blocked goroutine gets
freed buffer space, or which parked partner is met, is not FIFO.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cspsim import errors
from cspsim.lts.describe import describe_term
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


# Unbuffered operations offered by parked goroutines, by channel: (goroutine, value, cont, event).
_Offers = dict[int, list[tuple[int, Any, T.Term, int]]]

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
        """Every move of the world, by the arrival rule (see the module docstring)."""
        gs, objs = world.args
        f = self.f
        out: list[WorldMove] = []
        waiting_senders, waiting_receivers = self._parked_offers(gs, objs)

        def world_with(new_gs: tuple[T.Term, ...], new_objs: tuple[Any, ...] = objs) -> T.Term:
            return self._world(new_gs, new_objs)

        def moved(g: int, cont: T.Term) -> tuple[T.Term, ...]:
            return gs[:g] + (cont,) + gs[g + 1 :]

        for g, term in enumerate(gs):
            if term is f.omega:
                continue
            if term.kind == T.GOPENDING:
                event, cont = term.args
                out.append(WorldMove(self._eid(event), world_with(moved(g, cont)), (g,)))
                continue
            if term.kind == T.GOWOKEN:
                # sync/waitgroup.go Wait: after waking, the state must still be 0.
                event, wg, cont = term.args
                if objs[wg] == 0:
                    out.append(WorldMove(self._eid(event), world_with(moved(g, cont)), (g,)))
                else:
                    out.append(self._panic("waitgroup_reused", g))
                continue
            if term.kind == T.GOCANCELLING:
                out.extend(self._propagate(g, term, gs, objs))
                continue
            parked = term.kind == T.GOPARKED
            waiting = term.args[0] if parked else term
            ready = False  # some case of g completes now: then neither default nor parking
            defaults: list[T.Term] = []
            rendezvous: list[str] = []  # unbuffered operations g offers (it must park to be met)
            for e, cont in self.sem.transitions(waiting):
                if e == TAU:
                    out.append(WorldMove(TAU, world_with(moved(g, cont)), (g,)))
                    ready = True
                    continue
                if e == TICK:
                    if g == 0:
                        out.append(WorldMove(TICK, f.omega, (0,), "main returns"))
                    else:
                        out.append(WorldMove(TAU, world_with(moved(g, f.omega)), (g,), "goroutine exits"))
                    ready = True
                    continue
                info = self.classify(e)
                kind = info[0]
                if kind == _CSP:
                    out.append(WorldMove(e, world_with(moved(g, cont)), (g,)))
                    ready = True
                elif kind == _ALWAYS:
                    # A timer fires by its own step: it may have fired or not, so it never
                    # makes a case ready for the purpose of default or parking.
                    out.append(WorldMove(e, world_with(moved(g, cont)), (g,), "timer fires"))
                elif kind == _DEFAULT:
                    defaults.append(cont)
                elif kind == _SPAWN:
                    out.append(self._spawn(g, info[1], moved(g, cont), objs))
                    ready = True
                else:
                    obj, op, arg = info[1], info[2], info[3]
                    if _is_rendezvous(obj, op, objs):
                        rendezvous.append(_op_text(obj, op))
                        if parked:
                            continue  # a parked goroutine is met by an arriving partner
                        partners = waiting_receivers if op == "send" else waiting_senders
                        for h, value, h_cont, h_eid in partners.get(obj.index, ()):
                            if value != arg:
                                continue
                            ready = True
                            if op == "send":
                                out.append(self._hand_off(gs, objs, obj, e, (g, cont), (h, h_cont), arg))
                            else:
                                out.append(self._hand_off(gs, objs, obj, h_eid, (h, h_cont), (g, cont), arg))
                        continue
                    if obj.kind == "waitgroup" and op == "wait" and objs[obj.index] != 0:
                        rendezvous.append(f"{obj.name}.Wait")  # parks; released when the counter is 0
                        continue
                    move = self._object_move(g, e, cont, obj, op, arg, gs, objs)
                    if move is not None:
                        out.append(move)
                        ready = True
            if parked or ready:
                continue
            if defaults:
                for cont in defaults:
                    out.append(WorldMove(TAU, world_with(moved(g, cont)), (g,), "select default"))
            elif rendezvous:
                note = "parks: " + ", ".join(dict.fromkeys(rendezvous))
                out.append(WorldMove(TAU, world_with(moved(g, f.goparked(waiting))), (g,), note))
        # Deadlines of timeout contexts may pass at any moment. Go's timer then runs cancel() in a
        # goroutine of its own (time.AfterFunc), which cancels the descendants one by one.
        for obj in self.layout.objects:
            if obj.kind == "context" and obj.timeout and not objs[obj.index]:
                event = self._eid(obj.event(self.layout.ops["deadline"]))
                new_objs, pending = self._cancel(objs, obj.index)
                new_gs = gs
                if pending:
                    new_gs, _ = self._add_goroutine(gs, self.f.gocancelling(pending, self.f.skip))
                out.append(WorldMove(event, world_with(new_gs, new_objs), (), "deadline passes"))
        return out

    def _propagate(self, g: int, term: T.Term, gs: tuple[T.Term, ...], objs: tuple[Any, ...]) -> list[WorldMove]:
        """Goroutine g inside ``cancel()``: it cancels the descendants one at a time (context.go
        cancelCtx.cancel closes its own Done first, then cancels each child), so another goroutine
        can see a context cancelled while its child is not yet. Any order: Go's is map order."""
        todo, cont = term.args
        live = [i for i in todo if not objs[i]]
        if not live:
            return [WorldMove(TAU, self._world(gs[:g] + (cont,) + gs[g + 1 :], objs), (g,), "cancel returns")]
        out = []
        for i in live:
            new_objs, pending = self._cancel(objs, i)
            rest = tuple(sorted(set(live) - {i} | set(pending)))
            nxt = self.f.gocancelling(rest, cont) if rest else cont
            note = f"cancel {self.layout.objects[i].name}"
            out.append(WorldMove(TAU, self._world(gs[:g] + (nxt,) + gs[g + 1 :], new_objs), (g,), note))
        return out

    def _parked_offers(self, gs: tuple[T.Term, ...], objs: tuple[Any, ...]) -> tuple[_Offers, _Offers]:
        """The unbuffered sends and receives offered by parked goroutines, by channel index:
        the only partners an arriving goroutine can meet (Go's sendq and recvq)."""
        senders: _Offers = {}
        receivers: _Offers = {}
        for h, term in enumerate(gs):
            if term.kind != T.GOPARKED:
                continue
            for e, cont in self.sem.transitions(term.args[0]):
                info = self.classify(e)
                if info[0] != _GO or not _is_rendezvous(info[1], info[2], objs):
                    continue
                queue = senders if info[2] == "send" else receivers
                queue.setdefault(info[1].index, []).append((h, info[3], cont, e))
        return senders, receivers

    def _release_waiters(self, gs: tuple[T.Term, ...], wg: GoObject) -> tuple[T.Term, ...]:
        """The counter of ``wg`` reaches 0: every goroutine parked in its Wait is released (it
        returns when next scheduled, and panics if the WaitGroup has been reused by then)."""
        out = list(gs)
        for h, term in enumerate(gs):
            if term.kind != T.GOPARKED:
                continue
            for e, cont in self.sem.transitions(term.args[0]):
                info = self.classify(e)
                if info[0] == _GO and info[1] is wg and info[2] == "wait":
                    out[h] = self.f.gowoken(self.sem.events.values[e], wg.index, cont)
                    break
        return tuple(out)

    def _hand_off(self, gs: tuple[T.Term, ...], objs: tuple[Any, ...], obj: GoObject, send_eid: int,
                  sender: tuple[int, T.Term], receiver: tuple[int, T.Term], value: Any) -> WorldMove:
        """An unbuffered hand-off: the sender goes on; the receiver completes its receive
        (``c.recv.v``) when it is next scheduled."""
        new = list(gs)
        new[sender[0]] = sender[1]
        new[receiver[0]] = self.f.gopending(obj.event(self.layout.ops["recv"], value), receiver[1])
        return WorldMove(send_eid, self._world(tuple(new), objs), (sender[0], receiver[0]))

    def _spawn(self, g: int, child: T.Term, gs: tuple[T.Term, ...], objs: tuple[Any, ...]) -> WorldMove:
        """``go child`` by goroutine g. The first exited slot is reused, so live goroutines keep
        their index and a loop that spawns short-lived goroutines stays finite."""
        new, slot = self._add_goroutine(gs, child)
        return WorldMove(TAU, self._world(new, objs), (g, slot), f"go {_goroutine_label(child, self.sem)}")

    def _add_goroutine(self, gs: tuple[T.Term, ...], child: T.Term) -> tuple[tuple[T.Term, ...], int]:
        """``gs`` with ``child`` in the first exited slot (or a new one), and that slot."""
        new = list(gs)
        slot = next((i for i in range(1, len(new)) if new[i] is self.f.omega), len(new))
        if slot == len(new):
            if len(new) >= MAX_GOROUTINES:
                raise errors.go_too_many_goroutines(MAX_GOROUTINES)
            new.append(child)
        else:
            new[slot] = child
        return tuple(new), slot

    def _world(self, gs: tuple[T.Term, ...], objs: tuple[Any, ...]) -> T.Term:
        return self.f.goworld(self.normal(gs), objs)

    def normal(self, gs: tuple[T.Term, ...]) -> tuple[T.Term, ...]:
        """Canonical goroutine list: a goroutine that can only return (SKIP) has returned — its
        exit has no effect on anything — and exited slots at the end are dropped."""
        f = self.f
        if any(g is f.skip for g in gs[1:]):
            gs = (gs[0],) + tuple(f.omega if g is f.skip else g for g in gs[1:])
        return _trim(gs, f.omega)

    def _cancel(self, objs: tuple[Any, ...], index: int) -> tuple[tuple[Any, ...], tuple[int, ...]]:
        """Context ``index`` cancelled (its Done closed), and its children not yet cancelled."""
        new = objs[:index] + (True,) + objs[index + 1 :]
        return new, tuple(c for c in self.layout.objects[index].children if not objs[c])

    def _object_move(
        self, g: int, e: int, cont: T.Term, obj: GoObject, op: str, arg: Any,
        gs: tuple[T.Term, ...], objs: tuple[Any, ...],
    ) -> WorldMove | None:
        """The move of goroutine g performing operation ``op`` on ``obj`` by itself, or None if it
        blocks. (Unbuffered hand-offs need a partner: :meth:`moves` pairs them.)"""
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
                if len(buf) < obj.capacity:
                    return WorldMove(e, self._world(new_gs, with_state((buf + (arg,), False))), (g,))
                return None
            if op == "recv":
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
                if st + n == 0 and st != 0:
                    new_gs = self._release_waiters(new_gs, obj)
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
            if st:  # already cancelled: cancel() returns at once
                return WorldMove(e, self._world(new_gs, objs), (g,))
            new_objs, pending = self._cancel(objs, obj.index)
            if pending:
                new_gs = gs[:g] + (f.gocancelling(pending, cont),) + gs[g + 1 :]
            return WorldMove(e, self._world(new_gs, new_objs), (g,))
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
        if term.kind in (T.GOPENDING, T.GOWOKEN, T.GOCANCELLING):
            return "runnable"
        if term.kind == T.GOPARKED:
            term = term.args[0]
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


def _is_rendezvous(obj: GoObject, op: str, objs: tuple[Any, ...]) -> bool:
    """A send or receive on an open, non-nil unbuffered channel: it completes only with a partner."""
    if obj.kind != "chan" or obj.capacity != 0 or op not in ("send", "recv"):
        return False
    st = objs[obj.index]
    return st is not None and not st[1]


def _goroutine_label(child: T.Term, sem: Semantics) -> str:
    """How a spawned goroutine is named in reports: its process name, or its code, shortened."""
    text = describe_term(child, sem)
    return text if len(text) <= 40 else text[:39] + "…"


def _op_text(obj: GoObject, op: str) -> str:
    return f"{obj.name}!" if op == "send" else f"{obj.name}?"


def _trim(gs: tuple[T.Term, ...], omega: T.Term) -> tuple[T.Term, ...]:
    """Drop exited goroutines at the end of the list (canonical form; slot 0 is main)."""
    n = len(gs)
    while n > 1 and gs[n - 1] is omega:
        n -= 1
    return gs[:n]
