"""``P :[has trace]: <e1, ..., en>``: can P perform this sequence of visible events?"""

from __future__ import annotations

import time
from collections import deque

from cspsim.lts.compose import Machine, State
from cspsim.lts.events import TAU
from cspsim.result import FAIL, PASS, Result, Stats
from cspsim.trace import Step, Trace


def has_trace(machine: Machine, events: list[int | None], labels: list[str]) -> Result:
    """Follow the trace through sets of states (τ-closed), on the fly.

    ``events`` are event ids; None stands for an event the process never mentions. When the
    trace is possible the witness path is attached as the counterexample (it is what
    ``assert not P :[has trace]: t`` reports); otherwise the annotation says which event is refused.
    """
    start_time = time.perf_counter()
    init = machine.initial
    prev: dict[tuple[State, int], tuple[tuple[State, int], int, int, tuple[int, ...]]] = {}
    start = (init, 0)
    seen = {start}
    queue: deque[tuple[State, int]] = deque([start])
    goal = None
    furthest = 0
    transitions = 0
    while queue:
        cur = queue.popleft()
        state, k = cur
        furthest = max(furthest, k)
        if k == len(events):
            goal = cur
            break
        for idx, (e, nxt, movers, _) in enumerate(machine.moves(state)):
            transitions += 1
            if e == TAU:
                key = (nxt, k)
            elif e == events[k]:
                key = (nxt, k + 1)
            else:
                continue
            if key not in seen:
                seen.add(key)
                prev[key] = (cur, e, idx, movers)
                queue.append(key)
    stats = Stats(states=len(seen), transitions=transitions, seconds=time.perf_counter() - start_time)
    if goal is None:
        refused = labels[furthest] if furthest < len(labels) else "?"
        return Result(
            "", FAIL, "has trace", holds=False, stats=stats,
            message=f"the process cannot perform {refused} after <{', '.join(labels[:furthest])}>",
        )
    steps: list[Step] = []
    cur2 = goal
    while cur2 != start:
        p, e, idx, movers = prev[cur2]
        steps.append(Step(machine.event_labels[e], e, movers, idx))
        cur2 = p
    steps.reverse()
    witness = Trace(steps, None, machine.component_names, machine.describe_state(goal[0]),
                    {"kind": "witness"})
    return Result("", PASS, "has trace", holds=True, stats=stats, counterexample=witness)
