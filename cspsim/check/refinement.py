"""Refinement ``SPEC [X= IMPL`` in the traces (T), stable-failures (F) and failures-divergences (FD)
models, with FDR's definitions and FDR's algorithm.

The specification is explored completely and normalised (:mod:`cspsim.lts.normalise`); the
implementation is explored on the fly, in lock-step with the normal form, breadth-first over
(spec node, impl state) pairs (:mod:`cspsim.lts.pairs`), so the first counterexample found is one
of the shortest (τ steps included). At each pair:

* **T**: every event the impl state can perform (✓ included) must be possible for the spec node;
* **F**: also, a stable impl state's acceptance must contain one of the spec node's minimal
  acceptances (a state that can perform ✓ accepts ``{✓}``: termination is not refusable, as in
  FDR 3/4 — see :mod:`cspsim.lts.normalise`);
* **FD**: also, the impl state must not diverge unless the spec node diverges; and once the spec
  node diverges, anything is allowed from there on, so such pairs are not expanded.

Counterexample kinds, in ``Trace.annotations["kind"]``: ``trace`` (the impl performs an event the
spec cannot after the trace), ``refusal`` (the impl reaches a stable state whose acceptance the
spec does not allow after the trace), ``divergence`` (a lasso: the trace, then a τ-loop).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cspsim.lts.compose import Machine
from cspsim.lts.engine import explore_lts
from cspsim.lts.events import TAU, TICK
from cspsim.lts.explore import Limits, Progress
from cspsim.lts.normalise import NormalForm, normalise
from cspsim.lts.pairengine import run_pairs
from cspsim.lts.pairs import Implementation, PairJudge, PairRun, realise
from cspsim.lts.pairtables import REFINEMENT, Rules
from cspsim.result import FAIL, PASS, Result, Stats
from cspsim.trace import Trace

MODELS = ("T", "F", "FD")
MODEL_NAMES = {"T": "traces", "F": "stable failures", "FD": "failures-divergences"}


def normal_form(machine: Machine, limits: Limits | None = None) -> NormalForm:
    """Explore a specification completely and normalise it."""
    return normalise(explore_lts(machine, limits))


def refines(spec: Machine | NormalForm, impl: Implementation, model: str = "FD", limits: Limits | None = None,
            progress: Progress | None = None) -> Result:
    """Check ``spec [model= impl``.

    Examples
    --------
    >>> import cspsim
    >>> m = cspsim.load("channel a, b")
    >>> m.refines("a -> STOP [] b -> STOP", "a -> STOP |~| b -> STOP", "T").status
    'pass'
    >>> r = m.refines("a -> STOP [] b -> STOP", "a -> STOP |~| b -> STOP", "F")
    >>> r.status, r.counterexample.annotations["kind"]
    ('fail', 'refusal')
    """
    if model not in MODELS:
        raise ValueError(f"unknown refinement model {model!r}")
    limits = limits or Limits()
    nf = spec if isinstance(spec, NormalForm) else normal_form(spec, limits)
    rules = Rules(trace=True, acceptance=REFINEMENT if model in ("F", "FD") else None,
                  divergence=model == "FD", prune=model == "FD")
    run = run_pairs(nf, impl, rules, judge(nf, model), limits, progress)
    stats = _stats(run, nf)
    if run.finding is None:
        return Result("", PASS, prop=f"refinement [{model}=", model=model, holds=True, stats=stats,
                      message=f"holds in the {MODEL_NAMES[model]} model")
    trace, message = _counterexample(nf, impl, run)
    return Result("", FAIL, prop=f"refinement [{model}=", model=model, holds=False, stats=stats,
                  counterexample=trace, message=message)


def judge(nf: NormalForm, model: str) -> PairJudge:
    """The judgement of one (spec node, implementation state) pair in ``model`` (the scalar
    definition; the packed engine applies it vectorised, then asks this for the finding)."""
    failures = model in ("F", "FD")
    trans, allows = nf.trans, nf.allows

    def judge_pair(node: int, state: Any, moves: list[tuple[int, Any]],
                   diverges: Callable[[Any, list[tuple[int, Any]]], bool]) -> Any:
        allowed = trans[node]
        stable = True
        tick = False
        for e, _ in moves:
            if e == TAU:
                stable = False
            elif e not in allowed:
                return ("trace", e)
            elif e == TICK:
                tick = True
        if model == "FD" and not stable and diverges(state, moves):
            return ("divergence", None)
        if failures and stable and not tick:
            acceptance = frozenset(e for e, _ in moves)
            if not allows(node, acceptance):
                return ("refusal", acceptance)
        return None

    return judge_pair


def _stats(run: PairRun, nf: NormalForm) -> Stats:
    stats = Stats(states=run.n_pairs, transitions=run.transitions, seconds=run.seconds)
    stats.extra.update(run.stats)
    stats.extra.update(pairs=run.n_pairs, impl_states=run.impl_states, spec_nodes=nf.n_nodes, depth=run.depth)
    return stats


def _labels(nf: NormalForm, events: Any) -> list[str]:
    return [nf.event_labels[e] for e in sorted(events)]


def _counterexample(nf: NormalForm, impl: Implementation, run: PairRun) -> tuple[Trace, str]:
    kind, data = run.finding
    node = run.node
    states, events = run.states, run.events
    spec_initials = _labels(nf, nf.trans[node])
    if kind == "trace":
        event = data
        nxt = next(t for e, t in impl.successors(states[-1]) if e == event)
        trace = realise(impl, states + [nxt], events + [event])
        label = nf.event_labels[event]
        shown = "<" + ", ".join(trace.events[:-1]) + ">"
        trace.annotations.update(
            kind="trace", event=label, spec_accepts=spec_initials,
            explanation=f"after {shown} the implementation can perform {label}, which the specification cannot",
        )
        return trace, f"the implementation can perform {label} where the specification cannot"
    if kind == "divergence":
        assert run.lasso is not None
        lasso_states, lasso_events, loop_index = run.lasso()
        trace = realise(impl, lasso_states, lasso_events, loop_index=loop_index)
        shown = "<" + ", ".join(trace.events) + ">"
        trace.annotations.update(
            kind="divergence",
            explanation=f"after {shown} the implementation can perform τ forever; the specification cannot diverge",
        )
        return trace, "the implementation diverges where the specification does not"
    acceptance = data
    trace = realise(impl, states, events)
    spec_accs = [_labels(nf, a) for a in nf.acceptances[node]]
    wanted: set[int] = set()
    for a in nf.acceptances[node]:
        wanted |= a
    refused = _labels(nf, wanted - acceptance)
    shown = "<" + ", ".join(trace.events) + ">"
    trace.annotations.update(
        kind="refusal",
        acceptance=_labels(nf, acceptance),
        spec_acceptances=spec_accs,
        refuses=refused,
        explanation=f"after {shown} the implementation can reach a stable state that refuses "
        + ("{" + ", ".join(refused) + "}, which the specification cannot refuse" if refused else
           "everything outside its acceptance, but the specification has no stable state after this trace"),
    )
    return trace, "the implementation can refuse what the specification cannot"
