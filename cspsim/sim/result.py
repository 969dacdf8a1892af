"""What a run returns: outcome, output, Go-style crash report, leaks, the shared ``Trace``, the
detailed event log, the choices that replay it, and the metrics."""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

from cspsim.sim.core import DEAD, RUNNABLE, RUNNING, WAITING, G
from cspsim.sim.gofmt import go_str
from cspsim.sim.metrics import Metrics, collect
from cspsim.trace import Step, Trace

_SIM_DIR = os.path.dirname(os.path.abspath(__file__))


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector: building millions of small records with it on
    makes it rescan the whole (large, live) event log again and again."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


class Event(NamedTuple):
    """One entry of the detailed event log.

    ``kind``: go, exit, park, xfer (a value handed from goroutine ``g`` to ``peer``), send (into a
    buffer), recv (from a buffer), recv-closed, close, select (``value`` = case taken, -1 default),
    timer, gosched, preempt, print, panic, fatal. ``g`` 0 means the runtime (a timer).
    """

    t: int
    kind: str
    g: int
    obj: str | None
    value: Any
    peer: Any


@dataclass
class Frame:
    function: str
    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.function}()\n\t{self.file}:{self.line}"


@dataclass
class GoroutineReport:
    """A goroutine at the end of the run: ``state`` is Go's traceback status (a wait reason such
    as ``chan receive``, or ``running``/``runnable``/``dead``); ``where`` the innermost model frame."""

    id: int
    name: str
    state: str
    waiting_ns: int
    frames: list[Frame]
    created_by: int
    located: str | None = None  # from the Sim's locator (a compiled model's source position)

    @property
    def where(self) -> str:
        if self.located is not None:
            return self.located
        if not self.frames:
            return "?"
        f = self.frames[-1]
        return f"{f.file}:{f.line} in {f.function}"

    def header(self) -> str:
        minutes = self.waiting_ns // 60_000_000_000
        extra = f", {minutes} minutes" if minutes >= 1 else ""
        return f"goroutine {self.id} [{self.state}{extra}]:"

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "state": self.state, "waiting_ns": self.waiting_ns,
                "where": self.where, "created_by": self.created_by}


@dataclass
class RunResult:
    """The outcome of :meth:`cspsim.sim.Sim.run`.

    ``outcome``: ``exit`` (main returned), ``done`` (no main; every goroutine finished),
    ``deadlock``, ``panic``, ``fatal``, ``until`` (virtual-time bound), ``limit`` (``max_ops``).
    ``exit_code`` is what the Go program would exit with (0, or 2 after a panic/fatal error);
    ``stdout`` what it printed; ``stderr`` Go's crash report (first line ``panic: ...`` or
    ``fatal error: ...``, then a ``goroutine N [state]:`` block per goroutine shown).
    """

    outcome: str
    exit_code: int
    message: str
    stdout: str
    stderr: str
    end_ns: int
    operations: int
    seed: int
    go_version: str
    gomaxprocs: int
    goroutines: list[GoroutineReport]
    leaks: list[GoroutineReport]
    choices: list[int]
    choice_log: list[tuple[str, int, int]]
    extra: dict[str, Any] = field(default_factory=dict)
    _sim: Any = field(default=None, repr=False)

    @cached_property
    def metrics(self) -> Metrics | None:
        """The run's :class:`~cspsim.sim.metrics.Metrics` (None if ``metrics=False``), computed
        on first access."""
        if not self._sim._metrics:
            return None
        with gc_paused():
            return collect(self._sim)

    @cached_property
    def trace(self) -> Trace:
        """The run as the shared :class:`cspsim.trace.Trace`: one step per channel operation
        (``c.v`` a hand-off between two goroutines, ``c!v``/``c?v`` into/out of a buffer,
        ``close(c)``), components = goroutines, final states = wait reasons; the choices that
        replay it are in ``annotations["choices"]``. Empty steps if ``record=False``."""
        users = [g for g in self._sim._all if not g.system]
        with gc_paused():
            trace = _trace(self._sim, users)
        trace.annotations["leaks"] = [r.to_json() for r in self.leaks]
        return trace

    @cached_property
    def events(self) -> list[Event]:
        """The detailed event log (empty if ``record=False``)."""
        with gc_paused():
            return [Event(t, k, gid, str(obj) if obj is not None else None, v, peer)
                    for t, k, gid, obj, v, peer in (self._sim._log or ())]

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()

    @property
    def ok(self) -> bool:
        return self.outcome in ("exit", "done")

    def report(self) -> str:
        """A human summary: outcome, crash message, leaks with where they blocked."""
        out = [f"outcome: {self.outcome} (exit status {self.exit_code}) at {self.end_ns / 1e6:.3f} ms virtual, "
               f"{self.operations} operations"]
        if self.message:
            out.append(self.message)
        if self.leaks:
            out.append(f"{len(self.leaks)} goroutine(s) still alive at the end:")
            for g in self.leaks:
                out.append(f"  goroutine {g.id} {g.name} [{g.state}] at {g.where}")
        return "\n".join(out)

    def to_json(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "exit_code": self.exit_code,
            "message": self.message,
            "stdout": self.stdout,
            "end_ns": self.end_ns,
            "operations": self.operations,
            "seed": self.seed,
            "go_version": self.go_version,
            "gomaxprocs": self.gomaxprocs,
            "leaks": [g.to_json() for g in self.leaks],
            "choices": self.choices,
            "trace": self.trace.to_json(),
        }


def frames_of(g: G) -> list[Frame]:
    """The model's frames of a suspended goroutine, outermost first (kernel frames left out)."""
    gens = list(g.stack) + [g.gen]
    frames: list[Frame] = []
    for gen in gens:
        while gen is not None:
            code = getattr(gen, "gi_code", None)
            fr = getattr(gen, "gi_frame", None)
            if code is None or fr is None:
                break
            path = os.path.abspath(code.co_filename)
            if not path.startswith(_SIM_DIR):
                frames.append(Frame(code.co_name, code.co_filename, fr.f_lineno))
            gen = getattr(gen, "gi_yieldfrom", None)
    return frames


def _state(g: G) -> str:
    if g.status == WAITING:
        return g.reason
    return g.status


def _report(sim: Any, g: G) -> GoroutineReport:
    waiting = sim.now - g.waitsince if g.status == WAITING else 0
    alive = g.status != DEAD
    located = sim.locator(g) if alive and sim.locator is not None else None
    return GoroutineReport(g.id, g.name, _state(g), waiting, frames_of(g) if alive else [], g.parent, located)


def _stderr(sim: Any, reports: dict[int, GoroutineReport]) -> str:
    """Go's crash report: the message, then the crashing goroutine and (for fatal errors and
    deadlocks) every other live goroutine."""
    if not sim.message:
        return ""
    blocks: list[GoroutineReport] = []
    crashed = sim._crashed
    if crashed is not None:
        r = reports[crashed.id]
        r.state = RUNNING
        blocks.append(r)
    if sim.outcome != "panic":
        blocks.extend(r for gid, r in sorted(reports.items())
                      if (crashed is None or gid != crashed.id) and r.state != DEAD)
    text = sim.message + "\n"
    for r in blocks:
        text += "\n" + r.header() + "\n" + "\n".join(str(f) for f in r.frames) + ("\n" if r.frames else "")
    return text


def _trace(sim: Any, users: list[G]) -> Trace:
    index = {g.id: i for i, g in enumerate(users)}
    ids: dict[str, int] = {}
    steps: list[Step] = []
    for _t, kind, gid, obj, value, peer in sim._log or ():
        if kind == "xfer":
            label = f"{obj}.{go_str(value)}"
            movers = tuple(index[x] for x in (gid, peer) if x in index)
        elif kind == "send":
            label = f"{obj}!{go_str(value)}"
            movers = (index[gid],) if gid in index else ()
        elif kind == "recv":
            label = f"{obj}?{go_str(value)}"
            movers = (index[gid],) if gid in index else ()
        elif kind == "recv-closed":
            label = f"{obj}?closed"
            movers = (index[gid],) if gid in index else ()
        elif kind == "close":
            label = f"close({obj})"
            movers = (index[gid],) if gid in index else ()
        else:
            continue
        eid = ids.setdefault(label, len(ids) + 2)
        steps.append(Step(label, eid, movers))
    return Trace(
        steps=steps,
        components=[f"g{g.id} {g.name}" for g in users],
        final_states=[_state(g) for g in users],
        annotations={
            "outcome": sim.outcome,
            "message": sim.message,
            "exit_code": sim.exit_code,
            "end_ns": sim.now,
            "seed": sim.seed,
            "go_version": sim.go_version,
            "gomaxprocs": sim.gomaxprocs,
            "choices": list(sim._choices),
        },
    )


def build(sim: Any) -> RunResult:
    """Assemble the :class:`RunResult` of a finished run."""
    users = [g for g in sim._all if not g.system]
    reports = {g.id: _report(sim, g) for g in users}
    main = sim._main
    leaks = [reports[g.id] for g in users
             if g.status in (WAITING, RUNNABLE, RUNNING) and g is not main and g is not sim._crashed]
    if main is not None and main.status == WAITING:
        leaks.insert(0, reports[main.id])
    return RunResult(
        outcome=sim.outcome,
        exit_code=sim.exit_code,
        message=sim.message,
        stdout="".join(sim._out),
        stderr=_stderr(sim, reports),
        end_ns=sim.now,
        operations=sim._ops,
        seed=sim.seed,
        go_version=sim.go_version,
        gomaxprocs=sim.gomaxprocs,
        goroutines=list(reports.values()),
        leaks=leaks,
        choices=list(sim._choices),
        choice_log=list(sim._choice_log),
        _sim=sim,
    )
