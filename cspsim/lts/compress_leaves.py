"""Compression of components before composition: each leaf replaced by its strong-bisimulation
quotient when that makes it smaller.

Strong bisimulation preserves every CSP semantic model and the branching structure, so the
composition of the quotients has the same traces, failures, divergences, deadlocks and
determinism as the original, and the same distance from the initial state to each of them:
shortest counterexamples stay shortest. A path found in the compressed machine is lifted back to
the original machine (:meth:`Compression.lift`) by choosing, at each step, the first original move
with the same event whose target lies in the quotient state reached, so reports and replays
always speak about the original components.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cspsim.lts.bisim import strong_bisimulation
from cspsim.lts.compose import TERMINATED, Machine, State, _leaf_tables
from cspsim.lts.lts import LTS

AUTO_MAX_LEAF_STATES = 50_000  # larger components are left alone by "auto" (bisimulation is Python)


@dataclass
class Compression:
    """The compressed machine, each leaf's block map, and the sizes before and after."""

    original: Machine
    machine: Machine
    blocks: list[list[int] | None]  # per leaf: original local state -> quotient state (None: unchanged)
    report: list[dict[str, object]] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(b is not None for b in self.blocks)

    def project(self, state: State) -> State:
        """The compressed image of an original global state."""
        if state is TERMINATED or not state:
            return TERMINATED
        return tuple(s if b is None else b[s] for s, b in zip(state, self.blocks))

    def lift(self, path: list[State], events: list[int], loop_index: int | None = None
             ) -> tuple[list[State], list[int], int | None]:
        """An original path (states, events) whose image is ``path`` (compressed states) taken by
        ``events``: at each step, the first original move with that event whose target projects
        onto the next compressed state (one exists: the quotient is a bisimulation).

        With ``loop_index`` (a lasso: ``path[loop_index:]`` returns to ``path[loop_index]``), the
        loop is lifted again and again until an original state repeats, so the result is a true
        lasso of the original machine; the returned loop index points into the lifted path.
        """
        states = [self.original.initial]
        out: list[int] = []
        for e, target in zip(events, path[1:]):
            states.append(self._step(states[-1], e, target))
            out.append(e)
        if loop_index is None:
            return states, out, None
        loop = list(zip(events[loop_index:], path[loop_index + 1 :]))
        seen = {states[loop_index]: loop_index}
        while states[-1] not in seen:
            seen[states[-1]] = len(states) - 1
            for e, target in loop:
                states.append(self._step(states[-1], e, target))
                out.append(e)
        return states, out, seen[states[-1]]

    def _step(self, state: State, event: int, target: State) -> State:
        for e, nxt in self.original.successors(state):
            if e == event and self.project(nxt) == target:
                return nxt
        raise AssertionError("compressed path has no original counterpart")  # pragma: no cover


def compress(machine: Machine, mode: str = "auto") -> Compression:
    """Replace leaves by their strong-bisimulation quotients where smaller (``mode`` "auto"), or
    leave the machine alone ("off").

    "auto" leaves alone a machine of one component (exploring it costs no more than compressing
    it) and components above :data:`AUTO_MAX_LEAF_STATES` states (the partition refinement is
    Python); it keeps a quotient only when it has fewer states.
    """
    blocks: list[list[int] | None] = [None] * len(machine.leaves)
    report: list[dict[str, object]] = []
    if mode == "off" or len(machine.leaf_ltss) < 2:
        # one component: its quotient is the whole state space, no cheaper to explore than to build
        return Compression(machine, machine, blocks, report)
    leaves = list(machine.leaves)
    ltss = list(machine.leaf_ltss)
    for j, lts in enumerate(machine.leaf_ltss):
        n = lts.n_states
        if n <= 2 or n > AUTO_MAX_LEAF_STATES:
            continue
        quotient, block = strong_bisimulation(lts)
        if quotient.n_states >= n:
            continue
        quotient = _relabel(quotient, lts, block)
        leaves[j] = _leaf_tables(quotient, machine.par_root, machine.leaves[j].name)
        ltss[j] = quotient
        blocks[j] = block
        report.append({"component": machine.leaves[j].name, "states": n, "compressed": quotient.n_states})
    if not report:
        return Compression(machine, machine, blocks, report)
    compressed = Machine(leaves, machine.rules, machine.par_root, machine.event_labels, ltss)
    return Compression(machine, compressed, blocks, report)


def _relabel(quotient: LTS, lts: LTS, block: list[int]) -> LTS:
    """Quotient state labels that say how many original states each one stands for."""
    sizes = [0] * quotient.n_states
    for b in block:
        sizes[b] += 1
    labels = [label if sizes[b] == 1 else f"{label} (+{sizes[b] - 1} bisimilar)"
              for b, label in enumerate(quotient.state_labels)]
    quotient.state_labels = labels
    return quotient
