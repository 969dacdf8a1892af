"""``P :[has trace]: <e1, ..., en>``: can P perform this sequence of visible events?

It runs on the refinement machinery: the trace is the normal form of ``e1 -> ... -> en -> STOP``
and the pair search follows P along it (τ moves keep the position, other events are not
followed); reaching the end of the trace is the witness, found by a shortest path.
"""

from __future__ import annotations

from typing import Any

from cspsim.lts.compose import Machine
from cspsim.lts.explore import Limits
from cspsim.lts.normalise import NormalForm
from cspsim.lts.pairengine import run_pairs
from cspsim.lts.pairs import realise
from cspsim.lts.pairtables import Rules
from cspsim.result import FAIL, PASS, Result, Stats


def has_trace(machine: Machine, events: list[int | None], labels: list[str], limits: Limits | None = None
              ) -> Result:
    """Search for the trace; attach the witness path when it exists.

    ``events`` are event ids; None stands for an event the process never mentions. When the
    trace is possible the witness path is attached as the counterexample (it is what
    ``assert not P :[has trace]: t`` reports); otherwise the message says which event is refused.
    """
    goal = len(events)
    nf = NormalForm.linear(events, labels)

    def judge(node: int, state: Any, moves: list[tuple[int, Any]], diverges: Any) -> Any:
        return "found" if node == goal else None

    run = run_pairs(nf, machine, Rules(goal=goal), judge, limits)
    stats = Stats(states=run.n_pairs, transitions=run.transitions, seconds=run.seconds)
    stats.extra.update(run.stats)
    if run.finding is None:
        k = run.max_node
        return Result(
            "", FAIL, "has trace", holds=False, stats=stats,
            message=f"the process cannot perform {labels[k]} after <{', '.join(labels[:k])}>",
        )
    witness = realise(machine, run.states, run.events, annotations={"kind": "witness"})
    return Result("", PASS, "has trace", holds=True, stats=stats, counterexample=witness)
