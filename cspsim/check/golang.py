"""Go-specific properties of a Go program ``GO(MAIN)``: panics, goroutine leaks, outcomes.

* ``:[panic free]`` — no execution panics (send on closed channel, double close, …).
* ``:[leak free]`` — no goroutine can be blocked forever, as goleak and Go's test binaries mean
  it: after main returns the others keep running, and a goroutine is leaked in a state when it
  is alive, cannot move, and no continuation of the program ever lets it move again.
* Global deadlock ("all goroutines are asleep") is the ordinary ``:[deadlock free]``.

Counterexamples of Go programs are re-expressed per goroutine (:func:`goroutine_trace`): each
step names the goroutines that moved, and the end lists every goroutine with Go's wait reason and
the line of the model where it is blocked.
"""

from __future__ import annotations

import time
from collections import deque
from typing import Any

from cspsim import errors
from cspsim.check.common import path_trace, result_from
from cspsim.errors import Span
from cspsim.lts.compose import Machine, build_machine
from cspsim.lts.describe import describe_term
from cspsim.lts.events import TICK
from cspsim.lts.explore import Limits, Progress, explore
from cspsim.lts.goworld import WorldMove
from cspsim.lts.operational import Semantics
from cspsim.result import Result
from cspsim.semantics import terms as T
from cspsim.trace import Step, Trace


def world_leaf(machine: Machine) -> int | None:
    """Index of the leaf that is a Go world, when the process is a Go program (maybe hidden)."""
    if len(machine.leaves) != 1 or not machine.leaf_terms:
        return None
    return 0 if machine.leaf_terms[0][0].kind == T.GOWORLD else None


def _require_world(machine: Machine, what: str) -> int:
    leaf = world_leaf(machine)
    if leaf is None:
        raise errors.assertion_unsupported(
            errors.NO_SPAN, f"'{what}' on a process that is not a Go program GO(MAIN)"
        )
    return leaf


def panic_events(machine: Machine, sem: Semantics) -> set[int]:
    layout = sem.ev.go
    if layout.panic_channel is None:
        return set()
    ids = {sem.events.lookup(layout.panic_event(k)) for k in layout.panic_kinds}
    return {i for i in ids if i is not None}


def panic_free(machine: Machine, sem: Semantics, limits: Limits | None = None,
               progress: Progress | None = None) -> Result:
    """No reachable transition is a ``panic.K`` event (shortest trace to the first panic)."""
    panics = panic_events(machine, sem)
    hit: list[int] = []

    def visit(sid: int, state: Any, succ: list[tuple[int, int]]) -> bool:
        for e, t in succ:
            if e in panics:
                hit.append(t)
                return True
        return False

    space = explore(machine, visit=visit, limits=limits, progress=progress)
    if hit:
        trace = path_trace(space, hit[0])
        label = trace.steps[-1].event if trace.steps else "panic"
        kind = label.split(".", 1)[-1]
        from cspsim.semantics.golang import PANICS

        message = PANICS.get(kind, kind)
        trace.annotations.update(kind="panic", panic=message)
        trace = goroutine_trace(trace, machine, sem)
        return result_from(space, "panic free", None, False, trace, message)
    return result_from(space, "panic free", None, True)


def leak_free(machine: Machine, sem: Semantics, limits: Limits | None = None,
              progress: Progress | None = None) -> Result:
    """No goroutine can be blocked forever, in Go's sense (goleak, a test binary).

    When main returns, the other goroutines keep running, as they do in a test binary after the
    test function returns. A goroutine leaks in a state when it is alive, cannot move now, and no
    continuation of the program from there ever lets it move again (the point of no return);
    the counterexample is the shortest path to such a state.
    """
    leaf = _require_world(machine, "leak free")
    lingering = _lingering(machine, sem, leaf, limits or Limits())
    space = explore(lingering, keep_edges=True, limits=limits, progress=progress)
    rules = sem.go_rules
    n = space.n_states
    worlds: list[T.Term | None] = []
    moves: list[list[WorldMove]] = []
    for s in range(n):
        state = space.states[s]
        world = lingering.leaf_terms[0][state[0]] if state else None
        w = world if world is not None and world.kind == T.GOWORLD else None
        worlds.append(w)
        moves.append(rules.moves(w) if w is not None else [])
    assert space.edges is not None
    preds: list[list[int]] = [[] for _ in range(n)]
    for s in range(n):
        for _, t in space.edges[s]:
            preds[t].append(s)
    width = max((len(w.args[0]) for w in worlds if w is not None), default=0)
    best: tuple[int, int] | None = None  # (state, goroutine slot)
    for k in range(width):
        # can[s]: from state s, goroutine slot k moves at some point in some continuation.
        can = [False] * n
        queue: deque[int] = deque()
        for s in range(n):
            if any(k in m.movers for m in moves[s]):
                can[s] = True
                queue.append(s)
        while queue:
            s = queue.popleft()
            for p in preds[s]:
                if not can[p]:
                    can[p] = True
                    queue.append(p)
        for s in range(n if best is None else best[0]):
            w = worlds[s]
            if w is None or k >= len(w.args[0]) or w.args[0][k] is sem.f.omega:
                continue
            if not can[s]:
                best = (s, k)
                break
    if best is None:
        return result_from(space, "leak free", None, True)
    s, k = best
    trace = goroutine_trace(path_trace(space, s), lingering, sem)
    name = trace.components[k] if k < len(trace.components) else f"goroutine {k}"
    how = "it can never move again"
    trace.annotations.update(kind="leak", leaked=name, explanation=f"goroutine {name} leaks: {how}")
    return result_from(space, "leak free", None, False, trace, f"goroutine {name} leaks ({how})")


def _lingering(machine: Machine, sem: Semantics, leaf: int, limits: Limits) -> Machine:
    """The Go program in which returning from main does not end the others: main's slot becomes
    exited (Ω) and the world goes on, as a test binary goes on after a test function returns."""
    world = machine.leaf_terms[leaf][machine.leaves[leaf].initial]
    gs, objs = world.args
    f = sem.f
    linger = f.goworld((f.seq(gs[0], f.omega),) + tuple(gs[1:]), objs)
    return build_machine(sem, linger, max_component_states=limits.max_component_states,
                         span=errors.NO_SPAN, name=machine.leaves[leaf].name,
                         deadline=limits.deadline or limits.stop_time(time.perf_counter()))


def outcomes(machine: Machine, sem: Semantics, limits: Limits | None = None) -> dict[str, Trace]:
    """Every way the Go program can end, each with a shortest example.

    Keys: ``exit`` (main returned), ``deadlock`` (all goroutines asleep), or what Go prints when
    it dies (``panic: send on closed channel``, ``fatal error: sync: unlock of unlocked mutex``).
    This is what running the program can print, whatever the scheduling.
    """
    from cspsim.semantics.golang import PANICS

    leaf = _require_world(machine, "outcomes")
    terms = machine.leaf_terms[leaf]
    panics = panic_events(machine, sem)
    space = explore(machine, keep_edges=True, limits=limits)
    assert space.edges is not None
    found: dict[str, Trace] = {}
    for s in range(space.n_states):
        succ = space.edges[s]
        if not succ and not space.is_terminated(s):
            found.setdefault("deadlock", path_trace(space, s))
        for e, t in succ:
            if e in panics:
                kind = machine.event_labels[e].split(".", 1)[-1]
                found.setdefault(PANICS.get(kind, kind), path_trace(space, t))
            elif e == TICK and terms[space.states[s][leaf]].kind == T.GOWORLD:
                found.setdefault("exit", path_trace(space, t))
    return found


# ---------------------------------------------------------------- goroutine-level traces


def goroutine_trace(trace: Trace, machine: Machine, sem: Semantics) -> Trace:
    """Re-express a trace of a Go program per goroutine (no-op for other processes)."""
    leaf = world_leaf(machine)
    if leaf is None:
        return trace
    terms = machine.leaf_terms[leaf]
    rules = sem.go_rules
    state = machine.initial
    world = terms[state[leaf]]
    names = ["main"]
    steps: list[Step] = []
    last_world: T.Term | None = world if world.kind == T.GOWORLD else None
    for step in trace.steps:
        moves = machine.moves(state)
        nxt = moves[step.choice][1]
        nxt_world = terms[nxt[leaf]] if nxt else None
        movers: tuple[int, ...] = ()
        note = ""
        if world is not None and world.kind == T.GOWORLD:
            candidates = [m for m in rules.moves(world)
                          if (m.event == TICK if not nxt else m.target is nxt_world)]
            # Prefer the move with the same event (hiding may have turned it into τ).
            candidates.sort(key=lambda m: m.event != step.event_id)
            if candidates:
                movers, note = candidates[0].movers, candidates[0].note
            if not note and movers == (0,) and nxt_world is not None and nxt_world.kind == T.GOWORLD \
                    and nxt_world.args[0][0] is sem.f.omega:
                note = "main returns"  # the lingering world of a leak check goes on
            if note.startswith("go "):
                slot = movers[1]
                label = f"g{slot} {note[3:]}"
                if slot < len(names):
                    names[slot] = label
                else:
                    names.extend([""] * (slot - len(names)) + [label])
        steps.append(Step(step.event, step.event_id, movers, step.choice, note or step.note))
        if world is not None and world.kind == T.GOWORLD:
            last_world = world
        state = nxt
        world = nxt_world
    components: list[str] = []
    finals: list[str] = []
    blocked_at: list[str] = []
    ended = ""
    if (world is None or world.kind != T.GOWORLD) and last_world is not None:
        ended = "the program panicked" if steps and steps[-1].note == "the program panics" else "main returned"
        world = last_world
    if world is not None and world.kind == T.GOWORLD:
        gs, objs = world.args
        moves_now = rules.moves(world)
        for k, g in enumerate(gs):
            name = names[k] if k < len(names) and names[k] else f"g{k}"
            components.append(name)
            if g is sem.f.omega:
                finals.append("[exited]")
            elif ended:
                finals.append(f"[{ended}] {describe_term(g, sem)}")
            elif rules.is_blocked(world, k, moves_now):
                reason = rules.wait_reason(g, objs)
                where = term_location(g)
                finals.append(f"[{reason}] {describe_term(g, sem)}" + (f"  at {where}" if where else ""))
                blocked_at.append(name)
            else:
                finals.append(f"[runnable] {describe_term(g, sem)}")
        # Keep step movers pointing at the listed components.
    else:
        components, finals = ["main"], ["exited" if world is None else describe_term(world, sem)]
    out = Trace(steps, trace.loop_index, components, finals, dict(trace.annotations))
    out.annotations["goroutines"] = [
        {"name": c, "state": s} for c, s in zip(components, finals)
    ]
    if blocked_at:
        out.annotations["blocked"] = blocked_at
    return out


def term_location(term: T.Term) -> str | None:
    """``file:line`` of the code a goroutine is waiting at (its first prefix)."""
    seen = 0
    while term is not None and seen < 20:
        seen += 1
        if term.kind == T.PREFIX and term.node is not None:
            span: Span = term.node.span
            return f"{span.file}:{span.line}"
        args = [a for a in term.args if isinstance(a, T.Term)]
        if term.kind in (T.EXT, T.SEQ, T.INTERRUPT, T.TIMEOUT) and term.args:
            first = term.args[0]
            term = first if isinstance(first, T.Term) else (args[0] if args else None)
        elif args:
            term = args[0]
        else:
            return None
    return None
