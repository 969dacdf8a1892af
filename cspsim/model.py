"""The Python face of cspsim: load a script, inspect its processes, check its assertions.

This module only wires the passes together (parse → scope → evaluate → compose → check); each
pass lives in its own package. It is what ``cspsim.load`` returns and what the CLI drives.
"""

from __future__ import annotations

import os
import resource
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cspsim import errors
from cspsim.check import golang
from cspsim.check.deadlock import deadlock_free
from cspsim.check.determinism import deterministic
from cspsim.check.divergence import divergence_free
from cspsim.check.has_trace import has_trace
from cspsim.check.refinement import MODELS as REFINEMENT_MODELS
from cspsim.check.refinement import refines
from cspsim.errors import CspsimError, LimitReached, Span
from cspsim.lts.compose import Machine, build_machine
from cspsim.lts.engine import explore_lts
from cspsim.lts.events import TICK
from cspsim.lts.explore import Limits, Progress, StateSpace, explore
from cspsim.lts.lts import LTS
from cspsim.lts.operational import Semantics
from cspsim.result import ERROR, FAIL, LIMIT, PASS, Result, Stats
from cspsim.semantics import terms as T
from cspsim.semantics.evaluator import Evaluator
from cspsim.semantics.scope import check_scopes
from cspsim.semantics.values import Seq, show
from cspsim.syntax import ast as A
from cspsim.syntax.parser import parse_file, parse_text


@dataclass
class Assertion:
    """One ``assert`` line of the script."""

    index: int  # 1-based, in file order
    decl: A.AssertDecl
    text: str

    @property
    def span(self) -> Span:
        return self.decl.span

    def __str__(self) -> str:
        return self.text


class Model:
    """A loaded CSPM script. Create with :func:`load`."""

    def __init__(self, script: A.Script, name: str) -> None:
        self.script = script
        self.name = name
        self.evaluator = Evaluator(script)
        check_scopes(script, self.evaluator.globals.keys())
        self.semantics = Semantics(self.evaluator)
        self.assertions: list[Assertion] = []
        for decl in script.decls:
            if isinstance(decl, A.AssertDecl):
                text = errors.source_text(decl.span) or "assert"
                text = " ".join(text.split())
                self.assertions.append(Assertion(len(self.assertions) + 1, decl, text))
        self._expr_counter = 0

    # ---------------------------------------------------------------- processes

    @property
    def processes(self) -> list[str]:
        """Names of the top-level definitions (processes and values)."""
        return [d.name for d in self.script.decls if isinstance(d, A.Definition)]

    def evaluate(self, text: str) -> Any:
        """Evaluate an expression written in CSPM, in the scope of the script."""
        self._expr_counter += 1
        path = f"<expression {self._expr_counter}>"
        parsed = parse_text(f"cspsimExpr = {text}", path)
        decl = parsed.decls[0]
        if not isinstance(decl, A.Definition) or len(parsed.decls) != 1:
            raise errors.syntax_error(Span(path, 1, 1, 1, 1), "expected a single expression")
        body = decl.clauses[0].body
        check_scopes(A.Script([A.PatternDef(body.span, A.PWild(body.span), body)], []),
                     self.evaluator.globals.keys())
        return self.evaluator.eval(body, {})

    def process(self, text: str) -> T.Term:
        """The process term of a name or expression, e.g. ``"SYSTEM"`` or ``"P \\\\ {a}"``."""
        value = self.evaluate(text)
        if not isinstance(value, T.Term):
            raise errors.type_mismatch(Span("<expression>", 1, 1, 1, 1), "a process", show(value))
        return value

    def machine(self, process: str | T.Term, limits: Limits | None = None) -> Machine:
        """The composition of a process: component LTSs and synchronisation rules."""
        term = self.process(process) if isinstance(process, str) else process
        limits = limits or Limits()
        self.semantics.max_compress_states = limits.max_component_states
        return build_machine(self.semantics, term, max_component_states=limits.max_component_states,
                             span=Span(self.name, 0, 0, 0, 0), deadline=_deadline(limits))

    def state_space(self, process: str | T.Term, limits: Limits | None = None) -> StateSpace:
        return explore(self.machine(process, limits), keep_edges=True, limits=limits)

    def lts(self, process: str | T.Term, limits: Limits | None = None) -> LTS:
        """The explicit LTS of a whole process (its composition explored), for small processes."""
        name = process if isinstance(process, str) else (process.name or "")
        return explore_lts(self.machine(process, limits), limits, name)

    # ---------------------------------------------------------------- assertions

    def check(self, assertion: int | Assertion, limits: Limits | None = None,
              progress: Progress | None = None) -> Result:
        """Check one assertion (1-based index or :class:`Assertion`)."""
        a = self.assertions[assertion - 1] if isinstance(assertion, int) else assertion
        decl = a.decl
        start = time.perf_counter()
        self.semantics.max_compress_states = (limits or Limits()).max_component_states
        try:
            result = self._check(decl, (limits or Limits()).started(), progress)
        except LimitReached as lim:
            space = lim.extra.get("space")
            stats = Stats(states=lim.states, transitions=lim.transitions)
            if space is not None and hasattr(space, "depth"):
                stats.extra["depth"] = space.depth
            result = Result(a.text, LIMIT, stats=stats,
                            message=f"stopped by --{lim.what} after {lim.states} states (no verdict)")
        except CspsimError as err:
            result = Result(a.text, ERROR, message=err.message, error=err.to_json())
            result.error["rendered"] = errors.render(err)  # type: ignore[index]
        result.assertion = a.text
        result.span = decl.span
        result.negated = decl.negated
        result.prop = result.prop or _prop_name(decl)
        result.model = result.model or decl.model
        result.stats.seconds = time.perf_counter() - start
        result.stats.peak_memory_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if decl.negated and result.status in (PASS, FAIL):
            result.status = FAIL if result.holds else PASS
        return result

    def check_all(self, limits: Limits | None = None, progress: Progress | None = None) -> list[Result]:
        return [self.check(a, limits, progress) for a in self.assertions]

    def check_process(self, process: str, prop: str, model: str | None = None,
                      limits: Limits | None = None) -> Result:
        """Check a property of a process given as text, without an ``assert`` line.

        ``prop`` is "deadlock free", "divergence free", "deterministic", and for Go programs
        "panic free" or "leak free".
        """
        machine = self.machine(process, limits)
        result = self._go_report(machine, self._property(machine, prop, model, limits or Limits(), None))
        result.assertion = f"{process} :[{prop}]"
        return result

    def _check(self, decl: A.AssertDecl, limits: Limits, progress: Progress | None) -> Result:
        for option, expr in decl.options:
            span = expr.span if expr is not None else decl.span
            raise errors.assertion_unsupported(span, f"the assertion option ':[{option}]'")
        if decl.kind == "refine":
            return self._refinement(decl, limits, progress)
        term = self.evaluator.term_of(self.evaluator.eval(decl.left, {}), decl.left.span)
        machine = build_machine(self.semantics, term, max_component_states=limits.max_component_states,
                                span=decl.left.span, deadline=_deadline(limits))
        return self._go_report(machine, self._dispatch(decl, machine, limits, progress))

    def _go_report(self, machine: Machine, result: Result) -> Result:
        """Counterexamples of Go programs are shown per goroutine, with Go's wording."""
        if result.counterexample is not None and golang.world_leaf(machine) is not None:
            result.counterexample = golang.goroutine_trace(result.counterexample, machine, self.semantics)
            if result.counterexample.annotations.get("kind") == "deadlock":
                result.message = "all goroutines are asleep - deadlock!"
        return result

    def _dispatch(self, decl: A.AssertDecl, machine: Machine, limits: Limits, progress: Progress | None) -> Result:
        if decl.kind == "has_trace":
            assert decl.trace is not None
            value = self.evaluator.eval(decl.trace, {})
            if type(value) is not Seq:
                raise errors.type_mismatch(decl.trace.span, "a sequence of events", show(value))
            events = [self.semantics.events.lookup(v) for v in value.items]
            labels = [show(v) for v in value.items]
            return has_trace(machine, events, labels, limits)
        return self._property(machine, decl.prop or "", decl.model, limits, progress)

    # -- refinement (cspsim.check.refinement)

    def refines(self, spec: str | T.Term, impl: str | T.Term, model: str = "FD",
                limits: Limits | None = None) -> Result:
        """Check ``spec [model= impl`` for processes given as text or terms (model T, F or FD)."""
        limits = limits or Limits()
        result = refines(self.machine(spec, limits), self.machine(impl, limits), model, limits)
        result.assertion = f"{spec} [{model}= {impl}"
        return result

    def _refinement(self, decl: A.AssertDecl, limits: Limits, progress: Progress | None) -> Result:
        assert decl.right is not None
        if decl.model not in REFINEMENT_MODELS:
            raise errors.assertion_unsupported(decl.span, f"refinement in the [{decl.model}= model")
        machines = []
        for side in (decl.left, decl.right):
            term = self.evaluator.term_of(self.evaluator.eval(side, {}), side.span)
            machines.append(build_machine(self.semantics, term, max_component_states=limits.max_component_states,
                                          span=side.span, deadline=_deadline(limits)))
        return self._go_report(machines[1], refines(machines[0], machines[1], decl.model or "FD", limits, progress))

    def _property(self, machine: Machine, prop: str, model: str | None, limits: Limits,
                  progress: Progress | None) -> Result:
        if model not in (None, "F", "FD"):
            raise errors.assertion_unsupported(errors.NO_SPAN, f"the model [{model}] for '{prop}'")
        if prop == "deadlock free":
            return deadlock_free(machine, model or "FD", limits, progress)
        if prop == "divergence free":
            return divergence_free(machine, limits, progress)
        if prop == "deterministic":
            return deterministic(machine, model or "FD", limits, progress)
        if prop == "panic free":
            return golang.panic_free(machine, self.semantics, limits, progress)
        if prop == "leak free":
            return golang.leak_free(machine, self.semantics, limits, progress)
        raise errors.assertion_unsupported(errors.NO_SPAN, f"the property '{prop}'")


def _deadline(limits: Limits) -> float | None:
    return limits.deadline or (time.perf_counter() + limits.timeout if limits.timeout else None)


def _prop_name(decl: A.AssertDecl) -> str:
    if decl.kind == "refine":
        return f"refinement [{decl.model}="
    return decl.prop or ""


def load(source: str | os.PathLike[str], *, name: str | None = None) -> Model:
    """Load a CSPM script from a file path or from text.

    A string is read as a path when it names an existing file (or ends in ``.csp``); otherwise it
    is the script itself.

    >>> m = load("channel a\\nP = a -> P\\nassert P :[deadlock free]")
    >>> [r.status for r in m.check_all()]
    ['pass']
    """
    if isinstance(source, os.PathLike) or (
        isinstance(source, str) and "\n" not in source and (source.endswith(".csp") or Path(source).is_file())
    ):
        path = str(source)
        return Model(parse_file(path), name or path)
    text = str(source)
    label = name or "<string>"
    return Model(parse_text(text, label), label)


__all__ = ["TICK", "Assertion", "Model", "load"]
