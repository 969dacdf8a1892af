"""``P :[has trace]: <e1, ..., en>``: can P perform this sequence of visible events?

It runs on the refinement machinery: the trace is the normal form of ``e1 -> ... -> en -> STOP``
and the pair search follows P along it (τ moves keep the position, other events are not
followed); reaching the end of the trace is the witness, found by a shortest path.
"""

from __future__ import annotations

from typing import Any

from cspsim.lts.compose import Machine
from cspsim.lts.normalise import NormalForm
from cspsim.lts.pairs import PairSpace, pair_search, realise
from cspsim.result import FAIL, PASS, Result, Stats


def has_trace(machine: Machine, events: list[int | None], labels: list[str]) -> Result:
    """Search for the trace; attach the witness path when it exists.

    ``events`` are event ids; None stands for an event the process never mentions. When the
    trace is possible the witness path is attached as the counterexample (it is what
    ``assert not P :[has trace]: t`` reports); otherwise the message says which event is refused.
    """
    goal = len(events)
    furthest = [0]

    def judge(space: PairSpace, pid: int, node: int, state: Any, moves: list[tuple[int, Any]]) -> Any:
        furthest[0] = max(furthest[0], node)
        return "found" if node == goal else None

    space = pair_search(NormalForm.linear(events, labels), machine, judge)
    stats = Stats(states=space.n_pairs, transitions=space.transitions, seconds=space.seconds)
    if space.finding is None:
        k = furthest[0]
        return Result(
            "", FAIL, "has trace", holds=False, stats=stats,
            message=f"the process cannot perform {labels[k]} after <{', '.join(labels[:k])}>",
        )
    states, path_events = space.states_and_events(space.finding_pair)
    witness = realise(machine, states, path_events, annotations={"kind": "witness"})
    return Result("", PASS, "has trace", holds=True, stats=stats, counterexample=witness)
