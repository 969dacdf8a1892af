"""A partial state graph around a counterexample, for processes too large to draw whole.

The counterexample's states and every transition leaving them are kept; the states those
transitions reach but the trace does not visit are the *frontier*: drawn dashed, with their own
transitions left out. The view stays small (path length × branching) however large the process
is, and it answers the usual question about a counterexample: "where else could it have gone?"
"""

from __future__ import annotations

from cspsim.lts.compose import TERMINATED, Machine, State
from cspsim.lts.lts import LTS
from cspsim.render.graph import Path
from cspsim.trace import Trace


def counterexample_view(machine: Machine, trace: Trace, name: str = "") -> tuple[LTS, Path, frozenset[int]]:
    """The LTS of the trace's neighbourhood, the trace as a path in it, and the frontier states.

    Raises ValueError when a step of the trace is not a transition of the machine.
    """
    index: dict[State, int] = {}
    states: list[State] = []
    edges: dict[int, list[tuple[int, int]]] = {}

    def sid(state: State) -> int:
        i = index.get(state)
        if i is None:
            i = index[state] = len(states)
            states.append(state)
        return i

    def expand(state: State) -> list[tuple[int, State]]:
        moves = machine.successors(state)
        s = sid(state)
        if s not in edges:
            edges[s] = [(e, sid(nxt)) for e, nxt in moves]
        return moves

    state = machine.initial
    chosen: list[tuple[int, int]] = []  # (state id, position among its transitions)
    for i, step in enumerate(trace.steps):
        moves = expand(state)
        k = step.choice
        if not (0 <= k < len(moves) and machine.event_labels[moves[k][0]] == step.event):
            k = next((j for j, (e, _) in enumerate(moves) if machine.event_labels[e] == step.event), -1)
            if k < 0:
                raise ValueError(f"step {i + 1} ({step.event}) is not a transition of the process")
        chosen.append((sid(state), k))
        state = moves[k][1]
    expand(state)
    end = sid(state)

    n = len(states)
    lts = LTS.from_edges(
        n, [edges.get(s, []) for s in range(n)], list(machine.event_labels),
        [" | ".join(machine.describe_state(st)) if st else "Ω" for st in states],
        frozenset(i for i, st in enumerate(states) if st is TERMINATED or not st), name,
    )
    path = Path([lts.offsets[s] + k for s, k in chosen], end, trace.loop_index)
    return lts, path, frozenset(s for s in range(n) if s not in edges)
