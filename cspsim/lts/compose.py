"""Composition of component LTSs: the static structure of a process, compiled to tables.

Pass contract — needs: a process term and the operational semantics. Provides: a
:class:`Machine`, a picklable description of the process as

* leaves: explicit LTSs of its sequential components (:mod:`cspsim.lts.compile`), as tables;
* rules: which combinations of leaf events fire together and what event the whole performs —
  FDR's "supercombinator". Parallel, hiding and renaming above the leaves are folded into the
  rules once, so exploring the composition never looks at a term again.

A global state is a tuple of leaf states. Leaf τ moves are always independent. A leaf's ✓ is
the whole process's ✓ when no parallel operator is above it; under a parallel operator it becomes
τ and the leaf rests in Ω, and the whole terminates (✓) when every leaf is in Ω, as in Roscoe's
rules. (A nested parallel node omits its own intermediate ✓→τ step, which changes no trace,
failure or divergence.) The state after the global ✓ is :data:`TERMINATED`.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from cspsim.errors import Span
from cspsim.lts.compile import compile_term
from cspsim.lts.describe import describe_term
from cspsim.lts.events import TAU, TICK
from cspsim.lts.lts import LTS
from cspsim.lts.operational import Semantics
from cspsim.semantics import terms as T

State = tuple[int, ...]
TERMINATED: State = ()


@dataclass
class Leaf:
    """One sequential component as successor tables indexed by local state."""

    name: str
    initial: int
    omega: int  # the local Ω state, -1 if the component never terminates
    tau: list[tuple[int, ...]]  # τ successors (including ✓ turned into τ under a parallel)
    tick: list[tuple[int, ...]]  # ✓ successors that are the whole process's ✓
    vis: list[dict[int, tuple[int, ...]]]  # visible event -> successors
    state_labels: list[str]

    @property
    def n_states(self) -> int:
        return len(self.tau)


@dataclass(frozen=True)
class Rule:
    """Leaf events that fire together: ``parts`` are (leaf, event) pairs; ``out`` is what the
    whole process does (τ when hidden, the renamed event when renamed)."""

    out: int
    parts: tuple[tuple[int, int], ...]


@dataclass
class Machine:
    leaves: list[Leaf]
    rules: list[Rule]
    par_root: bool
    event_labels: list[str]
    leaf_ltss: list[LTS] = field(default_factory=list, repr=False)
    # The process term of each local state of each leaf (for reports; not needed to explore).
    leaf_terms: list[list[T.Term]] = field(default_factory=list, repr=False)
    # (leaf, event) of a rule's first part -> [(out, other parts)], built by index()
    by_driver: dict[tuple[int, int], list[tuple[int, tuple[tuple[int, int], ...]]]] = field(
        default_factory=dict, repr=False
    )

    def __post_init__(self) -> None:
        self.index()

    def index(self) -> None:
        by_driver: dict[tuple[int, int], list[tuple[int, tuple[tuple[int, int], ...]]]] = {}
        for r in self.rules:
            by_driver.setdefault(r.parts[0], []).append((r.out, r.parts[1:]))
        self.by_driver = by_driver

    @property
    def initial(self) -> State:
        return tuple(leaf.initial for leaf in self.leaves)

    @property
    def component_names(self) -> list[str]:
        return [leaf.name for leaf in self.leaves]

    def may_diverge(self) -> bool:
        """False when no τ can ever happen, so no divergence check is needed."""
        if any(r.out == TAU for r in self.rules):
            return True
        return any(any(t for t in leaf.tau) for leaf in self.leaves)

    def successors(self, state: State) -> list[tuple[int, State]]:
        """Transitions of a global state, in the canonical order of :meth:`moves`."""
        return [(e, s) for e, s, _, _ in self.moves(state)]

    def moves(self, state: State) -> list[tuple[int, State, tuple[int, ...], int]]:
        """(event, successor, leaves that moved, the leaf event behind it) for each transition.

        The last element tells what a hidden or renamed transition was in the components, e.g.
        ``pick.0.0`` for a τ made by hiding ``pick``.

        Canonical order: by the leaves that move (their sorted indices, compared as tuples, so
        lower-numbered components first), then event id, then successor (tuples compare
        lexicographically), then order of generation. The packed engine can
        compute this order from a transition's rule and successor key alone, which is what lets
        it number states exactly as the reference BFS does.
        """
        return sorted(self._moves(state), key=_move_key)

    def _moves(self, state: State) -> list[tuple[int, State, tuple[int, ...], int]]:
        if state is TERMINATED or not state:
            return []
        out: list[tuple[int, State, tuple[int, ...], int]] = []
        leaves = self.leaves
        for i, s in enumerate(state):
            leaf = leaves[i]
            for t in leaf.tau[s]:
                out.append((TAU, state[:i] + (t,) + state[i + 1 :], (i,), TAU))
            for _t in leaf.tick[s]:
                out.append((TICK, TERMINATED, (i,), TICK))
        by_driver = self.by_driver
        for i, s in enumerate(state):
            for e, targets in leaves[i].vis[s].items():
                rules = by_driver.get((i, e))
                if rules is None:
                    continue
                for rule_out, others in rules:
                    if not others:
                        for t in targets:
                            out.append((rule_out, state[:i] + (t,) + state[i + 1 :], (i,), e))
                        continue
                    options = []
                    for j, f in others:
                        succ = leaves[j].vis[state[j]].get(f)
                        if succ is None:
                            break
                        options.append((j, succ))
                    else:
                        movers = (i,) + tuple(j for j, _ in others)
                        for first in targets:
                            base = list(state)
                            base[i] = first
                            for combo in _combos(options):
                                nxt = list(base)
                                for (j, _), t in zip(options, combo):
                                    nxt[j] = t
                                out.append((rule_out, tuple(nxt), movers, e))
        if self.par_root and all(s == leaves[i].omega for i, s in enumerate(state)):
            out.append((TICK, TERMINATED, tuple(range(len(state))), TICK))
        return out

    def predecessors(self, state: State) -> set[State]:
        """Every state with a move to ``state`` (a state other than TERMINATED).

        A move changes only the components that take part in it, each along one of its own
        transitions: one leaf's τ, or the parts of a synchronisation rule. So the predecessors
        are found from ``state`` backwards: for each component, the local states with a τ or an
        event into its local state, combined over the parts of each rule whose events they are.
        Used to step back along a counterexample without searching a whole BFS level.
        """
        if state is TERMINATED or not state:
            raise ValueError("the predecessors of the terminated state are not tracked")
        rev_tau, rev_vis = self._reverse_tables()
        out: set[State] = set()
        for i, t in enumerate(state):
            for s in rev_tau[i].get(t, ()):
                out.add(state[:i] + (s,) + state[i + 1 :])
            for e, sources in rev_vis[i].get(t, {}).items():
                for _out, others in self.by_driver.get((i, e), ()):
                    options = [sources]
                    for j, f in others:
                        src = rev_vis[j].get(state[j], {}).get(f)
                        if not src:
                            break
                        options.append(src)
                    else:
                        movers = [i] + [j for j, _f in others]
                        for combo in itertools.product(*options):
                            prev = list(state)
                            for j, local in zip(movers, combo):
                                prev[j] = local
                            out.add(tuple(prev))
        return out

    def _reverse_tables(self) -> tuple[list[dict[int, list[int]]], list[dict[int, dict[int, list[int]]]]]:
        """Per leaf: local state -> its τ-predecessors, and local state -> event -> predecessors
        (built once, on first use)."""
        cached = getattr(self, "_reverse", None)
        if cached is not None:
            return cached
        rev_tau: list[dict[int, list[int]]] = []
        rev_vis: list[dict[int, dict[int, list[int]]]] = []
        for leaf in self.leaves:
            tau: dict[int, list[int]] = {}
            vis: dict[int, dict[int, list[int]]] = {}
            for s in range(leaf.n_states):
                for t in leaf.tau[s]:
                    tau.setdefault(t, []).append(s)
                for e, targets in leaf.vis[s].items():
                    for t in targets:
                        vis.setdefault(t, {}).setdefault(e, []).append(s)
            rev_tau.append(tau)
            rev_vis.append(vis)
        self._reverse = (rev_tau, rev_vis)
        return self._reverse

    def describe_state(self, state: State) -> list[str]:
        if state is TERMINATED or not state:
            return ["Ω (terminated)" for _ in self.leaves]
        return [self.leaves[i].state_labels[s] for i, s in enumerate(state)]


def _move_key(move: tuple[int, State, tuple[int, ...], int]) -> tuple[tuple[int, ...], int, State]:
    return move[2], move[0], move[1]


def colex(state: Any) -> Any:
    """The key by which counterexample states are chosen: compared component by component from
    the last one, so the least of several states is the one where only earlier components have
    moved, and the first of several data values (see :func:`cspsim.lts.explore.deadlock_search`).
    A state that is not a tuple (an implementation other than a machine) is its own key.

    >>> sorted([(1, 0), (0, 1), (0, 0)], key=colex)
    [(0, 0), (1, 0), (0, 1)]
    """
    return state[::-1] if isinstance(state, tuple) else state


def _combos(options: list[tuple[int, tuple[int, ...]]]) -> Iterable[tuple[int, ...]]:
    result: list[tuple[int, ...]] = [()]
    for _, succ in options:
        result = [r + (t,) for r in result for t in succ]
    return result


# ---------------------------------------------------------------- building a machine


@dataclass
class _Node:
    kind: str  # leaf, gpar, apar, hide, rename
    children: list[_Node] = field(default_factory=list)
    term: T.Term | None = None
    sync: frozenset[int] = frozenset()
    alphas: list[frozenset[int]] = field(default_factory=list)
    hidden: frozenset[int] = frozenset()
    mapping: dict[int, list[int]] = field(default_factory=dict)


def _decompose(term: T.Term, sem: Semantics) -> _Node:
    term = sem.resolve(term)  # a compressed process is a leaf with its stored LTS
    k = term.kind
    if k == T.GPAR:
        children, sync = term.args
        return _Node("gpar", [_decompose(c, sem) for c in children], sync=sem.events.ids_of(sync))
    if k == T.APAR:
        children, alphas = term.args
        return _Node(
            "apar", [_decompose(c, sem) for c in children], alphas=[sem.events.ids_of(a) for a in alphas]
        )
    if k == T.HIDE:
        return _Node("hide", [_decompose(term.args[0], sem)], hidden=sem.events.ids_of(term.args[1]))
    if k == T.RENAME:
        return _Node("rename", [_decompose(term.args[0], sem)], mapping=sem.rename_map(term.args[1]))
    return _Node("leaf", term=term)


def build_machine(
    sem: Semantics, root: T.Term, *, max_component_states: int, span: Span, name: str = "",
    deadline: float | None = None,
) -> Machine:
    """Compile ``root`` into a :class:`Machine` (components compiled one by one)."""
    tree = _decompose(root, sem)
    leaves: list[Leaf] = []
    ltss: list[LTS] = []
    leaf_terms: list[list[T.Term]] = []

    def collect(node: _Node, under_par: bool) -> list[tuple[int, tuple[tuple[int, int], ...]]]:
        """Compile leaves below ``node``; return its rules as (out, parts)."""
        if node.kind == "leaf":
            assert node.term is not None
            lts, order = compile_term(sem, node.term, max_component_states, span,
                                      name=node.term.name or "", deadline=deadline)
            leaf_terms.append(order)
            idx = len(leaves)
            leaves.append(_leaf_tables(lts, under_par, node.term.name or _anonymous_name(node.term, sem)))
            ltss.append(lts)
            alphabet = sorted(lts.alphabet())
            return [(e, ((idx, e),)) for e in alphabet]
        if node.kind == "hide":
            rules = collect(node.children[0], under_par)
            return [(TAU if out in node.hidden else out, parts) for out, parts in rules]
        if node.kind == "rename":
            rules = collect(node.children[0], under_par)
            renamed = []
            for out, parts in rules:
                for new in node.mapping.get(out, [out]):
                    renamed.append((new, parts))
            return renamed
        child_rules = [collect(c, True) for c in node.children]
        if node.kind == "gpar":
            return _par_rules(child_rules, [None] * len(child_rules), node.sync)
        return _par_rules(child_rules, node.alphas, None)

    rules = collect(tree, False)
    par_root = _par_at_root(tree)
    machine = Machine(
        leaves, [Rule(out, tuple(sorted(parts))) for out, parts in rules], par_root,
        sem.events.labels, ltss, leaf_terms,
    )
    return machine


def _anonymous_name(term: T.Term, sem: Semantics) -> str:
    text = describe_term(term, sem)
    text = text.split("  [", 1)[0]  # drop the variable bindings
    return text if len(text) <= 32 else text[:31] + "…"


def _par_at_root(node: _Node) -> bool:
    while node.kind in ("hide", "rename"):
        node = node.children[0]
    return node.kind in ("gpar", "apar")


def _par_rules(
    child_rules: list[list[tuple[int, tuple[tuple[int, int], ...]]]],
    alphas: list[frozenset[int] | None],
    sync: frozenset[int] | None,
) -> list[tuple[int, tuple[tuple[int, int], ...]]]:
    """Rules of an n-ary parallel node from its children's rules.

    Generalised parallel (``sync`` given): an event in ``sync`` needs every child. Alphabetised
    (``alphas`` given): an event needs every child whose alphabet contains it, and a child's
    event outside its own alphabet is blocked. τ (hidden below) is never synchronised.
    """
    out: list[tuple[int, tuple[tuple[int, int], ...]]] = []
    by_event: list[dict[int, list[tuple[tuple[int, int], ...]]]] = []
    for rules in child_rules:
        d: dict[int, list[tuple[tuple[int, int], ...]]] = {}
        for ev, parts in rules:
            d.setdefault(ev, []).append(parts)
        by_event.append(d)
    synced: set[int] = set()
    for c, rules in enumerate(child_rules):
        alpha = alphas[c]
        for ev, parts in rules:
            if ev == TAU:
                out.append((ev, parts))
                continue
            if sync is not None:
                if ev in sync:
                    synced.add(ev)
                else:
                    out.append((ev, parts))
                continue
            assert alpha is not None
            if ev not in alpha:
                continue
            sharers = [j for j, a in enumerate(alphas) if a is not None and ev in a]
            if sharers == [c]:
                out.append((ev, parts))
            else:
                synced.add(ev)
    for ev in sorted(synced):
        if sync is not None:
            needed = list(range(len(child_rules)))
        else:
            needed = [j for j, a in enumerate(alphas) if a is not None and ev in a]
        combos: list[tuple[tuple[int, int], ...]] = [()]
        for j in needed:
            options = by_event[j].get(ev)
            if not options:
                combos = []
                break
            combos = [c + p for c in combos for p in options]
        out.extend((ev, parts) for parts in combos)
    return out


def _leaf_tables(lts: LTS, under_par: bool, name: str) -> Leaf:
    n = lts.n_states
    tau: list[tuple[int, ...]] = []
    tick: list[tuple[int, ...]] = []
    vis: list[dict[int, tuple[int, ...]]] = []
    omega = -1
    for s in range(n):
        t_list: list[int] = []
        k_list: list[int] = []
        v: dict[int, list[int]] = {}
        for e, t in lts.successors(s):
            if e == TAU:
                t_list.append(t)
            elif e == TICK:
                omega = t
                (t_list if under_par else k_list).append(t)
            else:
                v.setdefault(e, []).append(t)
        tau.append(tuple(t_list))
        tick.append(tuple(k_list))
        vis.append({e: tuple(ts) for e, ts in v.items()})
    return Leaf(name, lts.initial, omega, tau, tick, vis, lts.state_labels)


def leaf_names(machine: Machine) -> list[str]:
    """Component names, made unique (``PHIL(0)``, ``FORK(0)`` …; anonymous ones numbered)."""
    return machine.component_names


def describe(machine: Machine) -> dict[str, Any]:
    return {
        "components": len(machine.leaves),
        "component_states": [leaf.n_states for leaf in machine.leaves],
        "rules": len(machine.rules),
    }
