"""An independent oracle for refinement: a small denotational calculator for finite CSP processes.

It shares nothing with the engine: processes are its own little AST (nested tuples), printed as
CSPM text for ``cspsim.load``, and their traces, stable failures and divergences are computed
from the compositional (denotational) semantics of Roscoe's *Understanding Concurrent Systems*,
with its treatment of ✓ (as FDR 3/4): a process that can terminate may refuse every other event.

Processes are finite (no recursion), over Σ = {a, b, c}; ``DIV`` is the only source of
divergence (hiding cannot create divergence in a finite process). Failures are stored as
trace -> set of refusal sets, subset-closed; divergences as the set of traces after which the
process can diverge (closed under extension when compared, for the FD model).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cache, lru_cache

from hypothesis import strategies as st

SIGMA = ("a", "b", "c")
TICK = "✓"
SIGMA_T = (*SIGMA, TICK)
Trace = tuple[str, ...]
Refusals = frozenset[frozenset[str]]


def _subsets(items: tuple[str, ...]) -> list[frozenset[str]]:
    return [frozenset(c) for r in range(len(items) + 1) for c in itertools.combinations(items, r)]


ALL_X = frozenset(_subsets(SIGMA_T))  # every refusal set, ✓ included
SUB_SIGMA = frozenset(_subsets(SIGMA))  # refusal sets without ✓


def close(sets: set[frozenset[str]] | frozenset[frozenset[str]]) -> Refusals:
    """Subset closure."""
    return frozenset(x for x in ALL_X if any(x <= s for s in sets))


def maximal(sets: Refusals) -> list[frozenset[str]]:
    return [s for s in sets if not any(s < t for t in sets)]


@dataclass(frozen=True)
class Den:
    traces: frozenset[Trace]
    failures: dict[Trace, Refusals]
    divs: frozenset[Trace]

    def refuses(self, s: Trace, x: frozenset[str]) -> bool:
        return x in self.failures.get(s, frozenset())

    def diverges_by(self, s: Trace) -> bool:
        """Whether ``s`` extends a divergence (the FD model's closure)."""
        return any(s[:k] in self.divs for k in range(len(s) + 1))


def _fail(pairs: list[tuple[Trace, frozenset[str]]] | set[tuple[Trace, frozenset[str]]]) -> dict[Trace, Refusals]:
    out: dict[Trace, set[frozenset[str]]] = {}
    for s, x in pairs:
        out.setdefault(s, set()).add(x)
    return {s: close(xs) for s, xs in out.items()}


def _union(*fs: dict[Trace, Refusals]) -> dict[Trace, Refusals]:
    out: dict[Trace, Refusals] = {}
    for f in fs:
        for s, xs in f.items():
            out[s] = out.get(s, frozenset()) | xs
    return out


def merge(s: Trace, t: Trace, sync: frozenset[str]) -> set[Trace]:
    """The traces of ``P [|sync|] Q`` made of ``s`` and ``t`` (✓ synchronised, only at the end)."""
    return set(_merge(s, t, sync))


@cache
def _merge(s: Trace, t: Trace, sync: frozenset[str]) -> frozenset[Trace]:
    out: set[Trace] = set()
    if not s and not t:
        return frozenset([()])
    if s == (TICK,) and t == (TICK,):
        out.add((TICK,))
    if s and s[0] != TICK and s[0] not in sync:
        out.update((s[0],) + u for u in _merge(s[1:], t, sync))
    if t and t[0] != TICK and t[0] not in sync:
        out.update((t[0],) + u for u in _merge(s, t[1:], sync))
    if s and t and s[0] == t[0] and s[0] in sync:
        out.update((s[0],) + u for u in _merge(s[1:], t[1:], sync))
    return frozenset(out)


def den(p: tuple) -> Den:
    return _den(p)


@lru_cache(maxsize=4096)
def _den(p: tuple) -> Den:
    op = p[0]
    if op == "STOP":
        return Den(frozenset([()]), {(): ALL_X}, frozenset())
    if op == "SKIP":
        return Den(frozenset([(), (TICK,)]), {(): SUB_SIGMA, (TICK,): ALL_X}, frozenset())
    if op == "DIV":
        return Den(frozenset([()]), {}, frozenset([()]))
    if op == "prefix":
        e, q = p[1], den(p[2])
        fails = {(): frozenset(x for x in ALL_X if e not in x)}
        fails.update({(e,) + s: xs for s, xs in q.failures.items()})
        return Den(frozenset([()]) | {(e,) + s for s in q.traces}, fails, frozenset((e,) + s for s in q.divs))
    if op in ("ext", "int", "timeout"):
        lft, r = den(p[1]), den(p[2])
        traces = lft.traces | r.traces
        fails = _union(lft.failures, r.failures)
        divs = lft.divs | r.divs
        if op == "int":
            return Den(traces, fails, divs)
        empty: Refusals = frozenset()
        if op == "ext":
            initial = lft.failures.get((), empty) & r.failures.get((), empty)
            terminates = (TICK,) in traces
        else:  # P [> Q: only Q's initial stable states, or P's termination
            initial = r.failures.get((), empty)
            terminates = (TICK,) in lft.traces
        if terminates:
            initial = initial | SUB_SIGMA  # a process that can terminate may refuse all of Σ
        fails[()] = initial
        if not initial:
            del fails[()]
        return Den(traces, fails, divs)
    if op == "seq":
        lft, r = den(p[1]), den(p[2])
        ends = [s[:-1] for s in lft.traces if s and s[-1] == TICK]
        traces = {s for s in lft.traces if TICK not in s}
        traces |= {s + t for s in ends for t in r.traces}
        pairs = {(s, x) for s, xs in lft.failures.items() if TICK not in s for x in xs if x | {TICK} in xs}
        pairs |= {(s + t, x) for s in ends for t, xs in r.failures.items() for x in xs}
        divs = lft.divs | {s + t for s in ends for t in r.divs}
        return Den(frozenset(traces), _fail(pairs), frozenset(divs))
    if op == "hide":
        q, hidden = den(p[1]), p[2]

        def h(s: Trace) -> Trace:
            return tuple(e for e in s if e not in hidden)

        pairs = {(h(s), x) for s, xs in q.failures.items() for x in xs if x | hidden in xs}
        return Den(frozenset(h(s) for s in q.traces), _fail(pairs), frozenset(h(s) for s in q.divs))
    if op == "par":
        lft, sync, r = den(p[1]), p[2], den(p[3])
        shared = sync | {TICK}
        traces: set[Trace] = set()
        for s in lft.traces:
            for t in r.traces:
                traces |= merge(s, t, sync)
        pairs: set[tuple[Trace, frozenset[str]]] = set()
        for s, ys in lft.failures.items():
            for t, zs in r.failures.items():
                us = merge(s, t, sync)
                if not us:
                    continue
                for y in maximal(ys):
                    for z in maximal(zs):
                        x = (y & shared) | (z & shared) | ((y & z) - shared)
                        pairs.update((u, x) for u in us)
        divs: set[Trace] = set()
        for s in lft.divs:
            for t in r.traces:
                divs |= merge(s, t, sync)
        for s in lft.traces:
            for t in r.divs:
                divs |= merge(s, t, sync)
        return Den(frozenset(traces), _fail(pairs), frozenset(divs))
    if op == "rename":
        q, rel = den(p[1]), p[2]
        image = {e: sorted({b for a, b in rel if a == e}) or [e] for e in SIGMA_T}

        def images(s: Trace) -> set[Trace]:
            return set(itertools.product(*[image[e] for e in s]))

        def inverse(x: frozenset[str]) -> frozenset[str]:
            return frozenset(e for e in SIGMA_T if any(b in x for b in image[e]))

        traces = {u for s in q.traces for u in images(s)}
        pairs = {(u, x) for s, xs in q.failures.items() for x in ALL_X if inverse(x) in xs for u in images(s)}
        return Den(frozenset(traces), _fail(pairs), frozenset(u for s in q.divs for u in images(s)))
    raise ValueError(op)


# ---------------------------------------------------------------- refinement by the definitions


def refines(spec: Den, impl: Den, model: str) -> bool:
    """``spec [model= impl`` by the denotational definitions (T, F, FD)."""
    if model == "T":
        return impl.traces <= spec.traces
    if model == "F":
        return impl.traces <= spec.traces and all(
            xs <= spec.failures.get(s, frozenset()) for s, xs in impl.failures.items()
        )
    assert model == "FD"
    if not all(spec.diverges_by(d) for d in impl.divs):
        return False
    if not all(s in spec.traces or spec.diverges_by(s) for s in impl.traces):
        return False
    return all(
        spec.diverges_by(s) or xs <= spec.failures.get(s, frozenset()) for s, xs in impl.failures.items()
    )


def deterministic(p: Den, model: str) -> bool:
    if model == "FD" and p.divs:
        return False
    return not any(
        s + (e,) in p.traces and p.refuses(s, frozenset([e])) for s in p.failures for e in SIGMA_T
    )


# ---------------------------------------------------------------- CSPM text and random processes


def cspm(p: tuple) -> str:
    op = p[0]
    if op in ("STOP", "SKIP", "DIV"):
        return op
    if op == "prefix":
        return f"({p[1]} -> {cspm(p[2])})"
    if op in ("ext", "int", "seq", "timeout"):
        sym = {"ext": "[]", "int": "|~|", "seq": ";", "timeout": "[>"}[op]
        return f"({cspm(p[1])} {sym} {cspm(p[2])})"
    if op == "hide":
        return f"({cspm(p[1])} \\ {{{', '.join(sorted(p[2]))}}})"
    if op == "par":
        if not p[2]:
            return f"({cspm(p[1])} ||| {cspm(p[3])})"
        return f"({cspm(p[1])} [| {{{', '.join(sorted(p[2]))}}} |] {cspm(p[3])})"
    if op == "rename":
        return f"({cspm(p[1])} [[{', '.join(f'{a} <- {b}' for a, b in sorted(p[2]))}]])"
    raise ValueError(op)


HEADER = "channel a, b, c\n"

events = st.sampled_from(SIGMA)
event_sets = st.frozensets(events, max_size=3)


def processes(skip: bool = True, div: bool = True, max_leaves: int = 6) -> st.SearchStrategy[tuple]:
    """Random finite processes; ``skip``/``div`` allow SKIP and DIV leaves."""
    leaves = [st.just(("STOP",))]
    if skip:
        leaves.append(st.just(("SKIP",)))
    if div:
        leaves.append(st.just(("DIV",)))
    base = st.one_of(*leaves)

    def extend(children: st.SearchStrategy[tuple]) -> st.SearchStrategy[tuple]:
        two = st.tuples(children, children)
        return st.one_of(
            st.tuples(st.just("prefix"), events, children),
            st.tuples(st.just("prefix"), events, children),
            two.map(lambda lr: ("ext", *lr)),
            two.map(lambda lr: ("int", *lr)),
            two.map(lambda lr: ("seq", *lr)),
            two.map(lambda lr: ("timeout", *lr)),
            st.tuples(st.just("hide"), children, event_sets.filter(bool)),
            st.tuples(children, event_sets, children).map(lambda t: ("par", t[0], t[1], t[2])),
            st.tuples(
                st.just("rename"), children, st.frozensets(st.tuples(events, events), min_size=1, max_size=2)
            ),
        )

    return st.recursive(base, extend, max_leaves=max_leaves)


# ---------------------------------------------------------------- recursive processes (engine-only)


@st.composite
def recursive_systems(draw: st.DrawFn, prefix: str = "R", skip: bool = True) -> tuple[list[str], str]:
    """Two mutually recursive sequential processes and a finite-state composition of them.

    Returns (definitions, expression). Recursion is guarded by a prefix and never passes through
    a parallel, hiding or ``;`` operator, so every process is finite-state. There is no oracle
    for these; they feed the algebraic-law tests.
    """
    names = [f"{prefix}0", f"{prefix}1"]

    def body(depth: int) -> str:
        choice = draw(st.integers(0, 5 if depth < 2 else 1))
        if choice == 0:
            return f"{draw(events)} -> {draw(st.sampled_from(names))}"
        if choice == 1:
            return draw(st.sampled_from(["STOP", "SKIP"] if skip else ["STOP"]))
        if choice == 2:
            return f"{draw(events)} -> ({body(depth + 1)})"
        op = draw(st.sampled_from(["[]", "|~|", "[>"]))
        return f"({body(depth + 1)} {op} {body(depth + 1)})"

    defs = [f"{n} = {body(0)}" for n in names]

    def top(depth: int) -> str:
        # at most one parallel operator, at the top, to keep the laws' state spaces small
        choice = draw(st.sampled_from([0, 1, 2, 3, 4] if depth == 0 else [0, 1, 3, 4] if depth == 1 else [0]))
        if choice == 0:
            return draw(st.sampled_from(names))
        if choice == 1:
            hidden = draw(event_sets.filter(bool))
            return f"({top(depth + 1)} \\ {{{', '.join(sorted(hidden))}}})"
        if choice == 2:
            sync = draw(event_sets)
            return f"({top(depth + 1)} [| {{{', '.join(sorted(sync))}}} |] {top(depth + 1)})"
        if choice == 3:
            a, b = draw(events), draw(events)
            return f"({top(depth + 1)} [[{a} <- {b}]])"
        op = draw(st.sampled_from(["[]", "|~|"]))
        return f"({top(depth + 1)} {op} {top(depth + 1)})"

    return defs, top(0)


def any_process(prefix: str, skip: bool = True, div: bool = True) -> st.SearchStrategy[tuple[list[str], str]]:
    """A finite process (as text) or a recursive system, as (definitions, expression)."""
    return st.one_of(
        processes(skip=skip, div=div, max_leaves=5).map(lambda p: ([], cspm(p))),
        recursive_systems(prefix, skip=skip),
    )
