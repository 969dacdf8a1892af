"""Firing rules of CSP's operational semantics (Roscoe, *Understanding Concurrent Systems*).

``transitions(term)`` lists the (event id, successor term) pairs of a term, with τ = 0 and ✓ = 1.
The rules match FDR's: ✓ is an event that leads to Ω; ``P ; Q`` turns P's ✓ into τ; in parallel
a component's ✓ becomes τ and the whole terminates (✓) only once every component has reached Ω;
hiding turns events into τ; ``P [> Q`` may always τ to Q; ``P /\\ Q`` is interrupted by Q's first
visible event or ✓.

Transitions are cached on the (interned) term, so each term is expanded once per model.
"""

from __future__ import annotations

from typing import Any

from cspsim.lts.events import TAU, TICK, EventTable
from cspsim.lts.goworld import GoWorldRules
from cspsim.semantics import terms as T
from cspsim.semantics.evaluator import Evaluator
from cspsim.semantics.golang import Spawn

Moves = list[tuple[int, T.Term]]


class Semantics:
    def __init__(self, evaluator: Evaluator, events: EventTable | None = None) -> None:
        self.ev = evaluator
        self.f = evaluator.terms
        self.events = events if events is not None else EventTable()
        self._rename_maps: dict[int, tuple[Any, dict[int, list[int]]]] = {}
        self.compressed: dict[T.Term, T.Term] = {}  # compress term -> its explicit initial state
        self.max_compress_states = 200_000  # largest process a compression function will explore
        self._rules = {
            T.STOP: lambda t: [],
            T.OMEGA: lambda t: [],
            T.SKIP: lambda t: [(TICK, self.f.omega)],
            T.DIV: lambda t: [(TAU, t)],
            T.PREFIX: self._prefix,
            T.EVPREFIX: lambda t: [(self.events.id(t.args[0]), t.args[1])],
            T.RUN: lambda t: [(e, t) for e in self._sorted_ids(t.args[0])],
            T.CHAOS: lambda t: [(TAU, self.f.stop)] + [(e, t) for e in self._sorted_ids(t.args[0])],
            T.EXT: self._ext,
            T.INT: lambda t: [(TAU, p) for p in t.args],
            T.SEQ: self._seq,
            T.HIDE: self._hide,
            T.RENAME: self._rename,
            T.GPAR: self._gpar,
            T.APAR: self._apar,
            T.INTERRUPT: self._interrupt,
            T.TIMEOUT: self._timeout,
            T.DELAY: lambda t: self.transitions(self.ev.force(t)),
            T.GOWORLD: lambda t: self.go_rules.transitions(t),
            T.GOSPAWN: lambda t: [(self.events.id(Spawn(t.args[0])), self.f.skip)],
            T.GOPENDING: lambda t: [(self.events.id(t.args[0]), t.args[1])],
            T.GOWOKEN: lambda t: [(self.events.id(t.args[0]), t.args[2])],
            T.GOCANCELLING: lambda t: [(TAU, t.args[1])],
            T.GOPARKED: lambda t: self.transitions(t.args[0]),
            T.COMPRESS: lambda t: self.transitions(self.resolve(t)),
            T.EXPLICIT: lambda t: t.args[0].moves(self.f, t.args[1]),
        }
        self.go_rules = GoWorldRules(self)

    def transitions(self, term: T.Term) -> Moves:
        moves = term.trans
        if moves is None:
            moves = self._rules[term.kind](term)
            term.trans = moves
        return moves

    def resolve(self, term: T.Term) -> T.Term:
        """A compress term's compressed process (an explicit-state term); other terms unchanged."""
        if term.kind != T.COMPRESS:
            return term
        done = self.compressed.get(term)
        if done is None:
            from cspsim.lts.compress import compress_term  # compress builds machines: import on use

            done = compress_term(self, term)
            self.compressed[term] = done
        return done

    def _sorted_ids(self, values: frozenset[Any]) -> list[int]:
        from cspsim.semantics.values import ordered

        return [self.events.id(v) for v in ordered(values)]

    # -- sequential operators

    def _prefix(self, t: T.Term) -> Moves:
        return [(self.events.id(e), cont) for e, cont in self.ev.prefix_transitions(t)]

    def _ext(self, t: T.Term) -> Moves:
        out: Moves = []
        branches = t.args
        for i, p in enumerate(branches):
            for e, p2 in self.transitions(p):
                if e == TAU:
                    out.append((TAU, self.f.ext(branches[:i] + (p2,) + branches[i + 1 :])))
                else:
                    out.append((e, p2))
        return out

    def _seq(self, t: T.Term) -> Moves:
        p, q = t.args
        out: Moves = []
        for e, p2 in self.transitions(p):
            if e == TICK:
                out.append((TAU, self.ev.force(q)))
            else:
                out.append((e, self.f.seq(p2, q)))
        return out

    def _hide(self, t: T.Term) -> Moves:
        p, hidden = t.args
        ids = self.events.ids_of(hidden)
        return [(TAU if e in ids else e, self.f.hide(p2, hidden)) for e, p2 in self.transitions(p)]

    def _rename(self, t: T.Term) -> Moves:
        p, relation = t.args
        mapping = self.rename_map(relation)
        out: Moves = []
        for e, p2 in self.transitions(p):
            nxt = self.f.rename(p2, relation)
            targets = mapping.get(e)
            if targets is None:
                out.append((e, nxt))
            else:
                out.extend((e2, nxt) for e2 in targets)
        return out

    def rename_map(self, relation: frozenset[tuple[Any, Any]]) -> dict[int, list[int]]:
        """The renaming relation as event id -> list of event ids (in canonical order)."""
        entry = self._rename_maps.get(id(relation))
        if entry is not None and entry[0] is relation:
            return entry[1]
        from cspsim.semantics.values import sort_key

        mapping: dict[int, list[int]] = {}
        for a, b in sorted(relation, key=lambda ab: (sort_key(ab[0]), sort_key(ab[1]))):
            mapping.setdefault(self.events.id(a), []).append(self.events.id(b))
        self._rename_maps[id(relation)] = (relation, mapping)
        return mapping

    def _interrupt(self, t: T.Term) -> Moves:
        p, q = t.args
        out: Moves = []
        for e, p2 in self.transitions(p):
            out.append((TICK, p2) if e == TICK else (e, self.f.interrupt(p2, q)))
        for e, q2 in self.transitions(q):
            out.append((TAU, self.f.interrupt(p, q2)) if e == TAU else (e, q2))
        return out

    def _timeout(self, t: T.Term) -> Moves:
        p, q = t.args
        out: Moves = []
        for e, p2 in self.transitions(p):
            out.append((TAU, self.f.timeout(p2, q)) if e == TAU else (e, p2))
        out.append((TAU, q))
        return out

    # -- parallel operators

    def _par_moves(self, t: T.Term, children: tuple[T.Term, ...], alphas: list[frozenset[int]] | None,
                   sync: frozenset[int]) -> Moves:
        """Shared rule for [|A|] (alphas None) and alphabetised parallel (sync unused)."""
        omega = self.f.omega
        if all(c is omega for c in children):
            return [(TICK, omega)]
        per_child = [self.transitions(c) for c in children]
        out: Moves = []

        def rebuild(new_children: tuple[T.Term, ...]) -> T.Term:
            return self.f.replace(t, (new_children,) + t.args[1:])

        # Independent moves: τ, ✓ (becomes τ and leaves Ω behind), and unsynchronised events.
        synced: dict[int, list[int]] = {}
        for i, moves in enumerate(per_child):
            for e, c2 in moves:
                if e == TAU:
                    out.append((TAU, rebuild(children[:i] + (c2,) + children[i + 1 :])))
                elif e == TICK:
                    out.append((TAU, rebuild(children[:i] + (omega,) + children[i + 1 :])))
                elif alphas is None:
                    if e in sync:
                        synced.setdefault(e, [])
                    else:
                        out.append((e, rebuild(children[:i] + (c2,) + children[i + 1 :])))
                else:
                    if e not in alphas[i]:
                        continue  # outside its alphabet: blocked
                    partners = [j for j, a in enumerate(alphas) if e in a]
                    if partners == [i]:
                        out.append((e, rebuild(children[:i] + (c2,) + children[i + 1 :])))
                    else:
                        synced.setdefault(e, [])
        # Synchronised events: every participant must offer the event.
        for e in sorted(synced):
            participants = (
                range(len(children)) if alphas is None else [j for j, a in enumerate(alphas) if e in a]
            )
            options = []
            for j in participants:
                succ = [c2 for e2, c2 in per_child[j] if e2 == e]
                if not succ:
                    break
                options.append((j, succ))
            else:
                for combo in _product([o[1] for o in options]):
                    new = list(children)
                    for (j, _), c2 in zip(options, combo):
                        new[j] = c2
                    out.append((e, rebuild(tuple(new))))
        return out

    def _gpar(self, t: T.Term) -> Moves:
        children, sync = t.args
        return self._par_moves(t, children, None, self.events.ids_of(sync))

    def _apar(self, t: T.Term) -> Moves:
        children, alphas = t.args
        return self._par_moves(t, children, [self.events.ids_of(a) for a in alphas], frozenset())


def _product(lists: list[list[T.Term]]) -> list[tuple[T.Term, ...]]:
    out: list[tuple[T.Term, ...]] = [()]
    for options in lists:
        out = [prefix + (o,) for prefix in out for o in options]
    return out
