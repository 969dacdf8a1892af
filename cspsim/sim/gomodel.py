"""Run a Go-layer model ``GO(MAIN)`` in the simulator, as the Go runtime would run it.

Each goroutine of the model is a process term; :func:`goroutine` turns it into a simulator
goroutine (a generator) that repeatedly looks at the term's transitions and performs them with
the kernel's objects: the Go operations become channel sends/receives, selects, lock calls and
so on with Go's parking and scheduling rules, plain CSP events are printed as the program's
output, τ steps are taken at once (an internal choice is resolved with the seeded RNG).

Timers in a model carry no duration, so ``after``, ``sleep`` and the deadline of a ``timeout``
context use :class:`Durations` (1 ms by default).

A checker counterexample can drive the run (:func:`simulate` with ``follow=``): the events of the
trace are used, in order, to resolve the choices each goroutine makes (which select case, which
internal choice); the kernel keeps Go's scheduling, so the run follows the trace as far as Go's
scheduler allows, and the result says how far that was.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cspsim.lts.events import TAU, TICK
from cspsim.lts.goworld import _ALWAYS, _CSP, _DEFAULT, _GO, _SPAWN
from cspsim.semantics import terms as T
from cspsim.semantics.golang import GoObject
from cspsim.sim.api import MS, Sim
from cspsim.sim.result import RunResult

if TYPE_CHECKING:
    from cspsim.lts.operational import Semantics


@dataclass
class Durations:
    """Virtual durations (ns) of the model's untimed timers."""

    after: int = 1 * MS
    sleep: int = 1 * MS
    deadline: int = 1 * MS


@dataclass
class ModelRun:
    """A simulated run of a model: the simulator's result plus how the model was followed."""

    result: RunResult
    followed: int = 0  # events of the ``follow`` trace that the run performed in order
    follow_total: int = 0
    output: list[str] = field(default_factory=list)


class _Runner:
    def __init__(self, sem: Semantics, sim: Sim, seed: int, durations: Durations,
                 follow: list[str] | None) -> None:
        self.sem = sem
        self.sim = sim
        self.rules = sem.go_rules
        self.rng = random.Random(seed)
        self.durations = durations
        self.follow = follow or []
        self.position = 0
        self.objects: dict[int, Any] = {}
        self.current: dict[int, T.Term] = {}  # goroutine id -> the term it is executing
        self.output: list[str] = []

    # -- objects

    def build_objects(self) -> None:
        sim = self.sim
        layout = self.sem.ev.go
        for obj in layout.objects:
            if obj.kind == "chan":
                self.objects[obj.index] = sim.nil if obj.nil else sim.chan(obj.capacity, name=obj.name,
                                                                         zero=obj.zero)
            elif obj.kind == "mutex":
                self.objects[obj.index] = sim.mutex(name=obj.name)
            elif obj.kind == "rwmutex":
                self.objects[obj.index] = sim.rwmutex(name=obj.name)
            elif obj.kind == "waitgroup":
                self.objects[obj.index] = sim.waitgroup(name=obj.name)
            elif obj.kind == "once":
                self.objects[obj.index] = sim.once(name=obj.name)
            else:  # contexts are declared after their parents
                parent = self.objects[obj.parent][0] if obj.parent >= 0 else sim.background()
                if obj.timeout:
                    self.objects[obj.index] = sim.with_timeout(parent, self.durations.deadline)
                else:
                    self.objects[obj.index] = sim.with_cancel(parent)

    # -- following a trace

    def _prefer(self, labels: list[str]) -> int | None:
        """Index of the option whose event is the next one of the trace being followed."""
        if self.position >= len(self.follow):
            return None
        want = self.follow[self.position]
        for i, label in enumerate(labels):
            if label == want:
                return i
        return None

    def _performed(self, label: str) -> None:
        if self.position < len(self.follow) and self.follow[self.position] == label:
            self.position += 1

    # -- goroutines

    def goroutine(self, term: T.Term) -> Any:
        """The simulator goroutine executing ``term``."""
        sim = self.sim
        sem = self.sem
        labels = sem.events.labels
        while True:
            g = sim.current
            if g is not None:
                self.current[g.id] = term
            moves = sem.transitions(term)
            if not moves:
                yield sim.block()  # STOP: select {}
                return
            taus = [t for e, t in moves if e == TAU]
            if taus:
                pick = self._prefer([labels[e] for e, _ in moves if e != TAU])
                if pick is None or len(taus) == len(moves):
                    term = taus[self.rng.randrange(len(taus))] if len(taus) > 1 else taus[0]
                    continue
            if any(e == TICK for e, _ in moves):
                return
            term = yield from self._step(term, [(e, t) for e, t in moves if e != TAU])

    def _step(self, term: T.Term, moves: list[tuple[int, T.Term]]) -> Any:
        sim = self.sim
        labels = self.sem.events.labels
        once = self._once_moves(moves)
        if once is not None:
            return (yield from self._once(*once))
        cases: list[tuple[Any, ...]] = []  # kernel operations of a select
        handlers: list[Any] = []  # what to do with the case's result
        plain: list[tuple[int, T.Term]] = []  # events that need no other goroutine
        default: T.Term | None = None
        recv_by_chan: dict[int, dict[Any, tuple[int, T.Term]]] = {}
        closed_by_chan: dict[int, tuple[int, T.Term]] = {}
        for e, cont in moves:
            info = self.rules.classify(e)
            kind = info[0]
            if kind == _SPAWN:
                child = info[1]
                sim.go(self.goroutine, child, name=repr(child))
                return cont
            if kind == _DEFAULT:
                default = cont
                continue
            if kind == _CSP:
                plain.append((e, cont))
                continue
            if kind == _ALWAYS:
                if labels[e] == "sleep":
                    plain.append((e, cont))
                else:  # after: time.After in a select
                    cases.append(sim.after(self.durations.after).recv())
                    handlers.append(("event", e, cont))
                continue
            assert kind == _GO
            obj: GoObject = info[1]
            op, arg = info[2], info[3]
            kobj = self.objects[obj.index]
            if obj.kind == "chan":
                if op == "send":
                    cases.append(kobj.send(arg))
                    handlers.append(("event", e, cont))
                elif op == "recv":
                    recv_by_chan.setdefault(obj.index, {})[arg] = (e, cont)
                elif op == "recvclosed":
                    closed_by_chan[obj.index] = (e, cont)
                else:  # close: a plain call (panics as Go does)
                    plain.append((e, cont))
            elif obj.kind == "context" and op == "done":
                cases.append(kobj[0].done().recv())
                handlers.append(("event", e, cont))
            else:
                plain.append((e, cont))
        for index in sorted(set(recv_by_chan) | set(closed_by_chan)):
            cases.append(self.objects[index].recv_ok())
            handlers.append(("recv", recv_by_chan.get(index, {}), closed_by_chan.get(index)))
        if plain and not cases:
            pick = self._prefer([labels[e] for e, _ in plain])
            e, cont = plain[pick if pick is not None else 0]
            yield from self._plain(e)
            return cont
        if not cases:
            if default is not None:
                return default
            yield sim.block()
            raise AssertionError("unreachable: a blocked goroutine never resumes")
        if len(cases) == 1 and default is None and not plain:
            result = yield cases[0]
            value, ok = result if handlers[0][0] == "recv" else (result, True)
            return self._handle(handlers[0], value, ok)
        preferred = self._prefer([self._case_label(h) for h in handlers])
        if preferred is not None:
            # Following a trace: take only the case the trace takes (waiting for it if need be).
            result = yield cases[preferred]
            value, ok = result if handlers[preferred][0] == "recv" else (result, True)
            return self._handle(handlers[preferred], value, ok)
        i, value, ok = yield sim.select(*cases, default=default is not None)
        if i < 0:
            assert default is not None
            return default
        return self._handle(handlers[i], value, ok)

    def _once_moves(self, moves: list[tuple[int, T.Term]]) -> tuple[Any, T.Term, T.Term, int, int] | None:
        """``ONCE(o, P)`` offers ``o.do`` and ``o.skip``: (object, run branch, skip branch, events)."""
        run = skip = None
        for e, cont in moves:
            info = self.rules.classify(e)
            if info[0] == _GO and info[1].kind == "once":
                if info[2] == "do":
                    run = (e, cont)
                elif info[2] == "skip":
                    skip = (e, cont)
                    obj = info[1]
        if run is None or skip is None:
            return None
        return self.objects[obj.index], run[1], skip[1], run[0], skip[0]

    def _once(self, kobj: Any, run: T.Term, skip: T.Term, run_e: int, skip_e: int) -> Any:
        """once.Do as sync/once.go: the done flag, else the mutex, then the flag again."""
        labels = self.sem.events.labels
        if not kobj.done:
            yield kobj.m.lock()
            if not kobj.done:
                self._performed(labels[run_e])
                return run  # the body runs holding the mutex; `o.done` sets the flag and unlocks
            kobj.m.unlock()
        self._performed(labels[skip_e])
        return skip

    def _case_label(self, handler: tuple[Any, ...]) -> str:
        labels = self.sem.events.labels
        if handler[0] == "event":
            return labels[handler[1]]
        options = handler[1]
        return labels[next(iter(options.values()))[0]] if options else ""

    def _handle(self, handler: tuple[Any, ...], value: Any, ok: bool) -> T.Term:
        labels = self.sem.events.labels
        if handler[0] == "event":
            self._performed(labels[handler[1]])
            return handler[2]
        options, closed = handler[1], handler[2]
        if ok:
            e, cont = options[value]
        else:
            e, cont = closed
        self._performed(labels[e])
        return cont

    def _plain(self, e: int) -> Any:
        """An operation that is a plain call, or blocks on a lock or wait."""
        sim = self.sim
        label = self.sem.events.labels[e]
        info = self.rules.classify(e)
        self._performed(label)
        if info[0] == _CSP:
            self.output.append(label)
            sim.print(label)
            return
        if info[0] == _ALWAYS:  # sleep
            yield sim.sleep(self.durations.sleep)
            return
        obj: GoObject = info[1]
        op, arg = info[2], info[3]
        kobj = self.objects[obj.index]
        if obj.kind == "chan":
            kobj.close()
        elif obj.kind in ("mutex", "rwmutex"):
            if op in ("lock", "rlock"):
                yield getattr(kobj, op)()
            else:
                getattr(kobj, op)()
        elif obj.kind == "waitgroup":
            if op == "add":
                kobj.add(arg)
            elif op == "done":
                kobj.done()
            else:
                yield kobj.wait()
        elif obj.kind == "once":
            if op == "done":  # the end of the body of once.Do
                kobj.done = True
                kobj.m.unlock()
        else:  # context cancel
            kobj[1]()

    def locate(self, g: Any) -> str | None:
        from cspsim.check.golang import term_location

        term = self.current.get(g.id)
        return term_location(term) if term is not None else None


def simulate(sem: Semantics, world: T.Term, *, seed: int = 0, durations: Durations | None = None,
             follow: list[str] | None = None, until: int | None = None, **options: Any) -> ModelRun:
    """Run the Go program ``world`` (a ``GO(MAIN)`` term) once in the simulator.

    ``options`` go to :class:`cspsim.sim.Sim` (``gomaxprocs``, ``go_version``, ``cost``...).
    """
    if world.kind != T.GOWORLD:
        raise TypeError("simulate needs a Go program GO(MAIN)")
    runner_ref: list[_Runner] = []
    sim = Sim(seed=seed, locator=lambda g: runner_ref[0].locate(g) if runner_ref else None, **options)
    runner = _Runner(sem, sim, seed, durations or Durations(), follow)
    runner_ref.append(runner)
    runner.build_objects()
    main = world.args[0][0]
    result = sim.run(runner.goroutine, main, until=until)
    return ModelRun(result, runner.position, len(runner.follow), runner.output)

