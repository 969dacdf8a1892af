"""CLI faces of rendering: ``cspsim graph`` and the pictures of ``cspsim check --svg DIR``.

Presentation only: the drawing itself is :mod:`cspsim.render`. Messages go to stderr so that
``check --json`` keeps a clean stdout. Exit codes of ``graph``: 0 drawn; 2 input error or no
Graphviz program found (the ``.dot`` file is written and one install hint printed); 3 the graph
has more than ``--max-states`` states or the layout timed out; 4 the renderer failed.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path as FilePath
from typing import TYPE_CHECKING

from cspsim import errors
from cspsim.errors import CspsimError, LimitReached
from cspsim.lts.explore import Limits
from cspsim.result import FAIL, Result

if TYPE_CHECKING:
    from cspsim.lts.lts import LTS
    from cspsim.model import Assertion, Model
    from cspsim.render.graph import Path
    from cspsim.semantics.terms import Term

# With --compress the full state space is explored first (then reduced); this bounds that search.
COMPRESS_EXPLORE_LIMIT = 100_000


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from cspsim.render.compress import COMPRESSIONS
    from cspsim.render.engine import DEFAULT_MAX_STATES, DEFAULT_TIMEOUT

    g = subparsers.add_parser("graph", help="draw the state graph (LTS) of a process as SVG, PNG or DOT",
                              description="Draw the state graph of a process: initial state marked, τ "
                              "dashed, ✓/Ω green, deadlocked states red, divergent states orange.")
    g.add_argument("file", help="the .csp script")
    g.add_argument("process", help='a process name or CSPM expression, e.g. SYSTEM or "P \\ {| mid |}"')
    g.add_argument("-o", "--output", metavar="FILE",
                   help="output file, '-' for stdout (default: PROCESS.FORMAT in the current folder)")
    g.add_argument("--format", choices=["svg", "png", "dot"],
                   help="output format (default: from the -o suffix, else svg)")
    g.add_argument("--compress", metavar="NAME",
                   help="draw the graph reduced by a compression: " + ", ".join(COMPRESSIONS))
    g.add_argument("--max-states", type=int, default=DEFAULT_MAX_STATES, metavar="N",
                   help=f"refuse to draw more than N states (default {DEFAULT_MAX_STATES})")
    g.add_argument("--layout", choices=["auto", "dot", "neato", "sfdp"], default="auto",
                   help="Graphviz layout engine (default auto: dot for small graphs, neato/sfdp for larger)")
    g.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                   help=f"give up on the layout after this long (default {DEFAULT_TIMEOUT:g})")
    g.add_argument("--max-component-states", type=int, default=200_000, metavar="N",
                   help="largest state space accepted for one sequential component (default 200000)")
    g.add_argument("--debug", action="store_true", help="show Python tracebacks of internal errors")
    g.set_defaults(run=run_graph)


def run_graph(args: argparse.Namespace) -> int:
    try:
        return _graph(args)
    except CspsimError as err:
        print(errors.render(err), file=sys.stderr)
        return errors.EXIT_BY_KIND.get(err.kind, errors.EXIT_INPUT)


def _graph(args: argparse.Namespace) -> int:
    from cspsim.model import load
    from cspsim.render.compress import compress, resolve
    from cspsim.render.engine import INSTALL_HINT, choose_layout, find_renderer
    from cspsim.render.graph import lts_dot

    fmt = args.format or _format_of(args.output)
    if args.compress:
        resolve(args.compress)  # unknown or unavailable: say so before exploring anything
    explore_limit = max(args.max_states, COMPRESS_EXPLORE_LIMIT) if args.compress else args.max_states
    model = load(args.file)
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_']*", args.process) and args.process not in model.processes:
        raise errors.unknown_process(args.process, model.processes)
    try:
        lts = model.lts(args.process, Limits(max_states=explore_limit,
                                             max_component_states=args.max_component_states))
    except LimitReached:
        raise errors.graph_too_large(f"process '{args.process}'", explore_limit) from None
    heading = None
    if args.compress:
        before = lts.n_states
        lts = compress(lts, args.compress)
        heading = (f"{args.process} compressed by {args.compress}: {lts.n_states} states (from {before}), "
                   f"{lts.n_transitions} transitions")
    if lts.n_states > args.max_states:
        raise errors.graph_too_large(f"process '{args.process}' compressed by {args.compress}", args.max_states,
                                     lts.n_states, compressed=True)
    layout = choose_layout(lts.n_states) if args.layout == "auto" else args.layout
    dot_text = lts_dot(lts, layout=layout, heading=heading)
    out = args.output or f"{_slug(args.process)}.{fmt}"
    if fmt == "dot":
        _write(out, dot_text.encode("utf-8"))
        return errors.EXIT_PASS
    renderer = find_renderer()
    if renderer is None:
        dot_out = f"{_slug(args.process)}.dot" if out == "-" else str(FilePath(out).with_suffix(".dot"))
        _write(dot_out, dot_text.encode("utf-8"))
        print(f"wrote {dot_out} (not {fmt}): {INSTALL_HINT}", file=sys.stderr)
        return errors.EXIT_INPUT
    start = time.perf_counter()
    data = renderer.run(dot_text, fmt, layout, args.timeout)
    _write(out, data)
    if out != "-":
        print(f"wrote {out}: {lts.n_states} states, {lts.n_transitions} transitions "
              f"({layout} layout by {renderer.name}, {time.perf_counter() - start:.2f} s)", file=sys.stderr)
    return errors.EXIT_PASS


def _format_of(output: str | None) -> str:
    suffix = FilePath(output).suffix.lower().lstrip(".") if output and output != "-" else ""
    return suffix if suffix in ("svg", "png", "dot") else "svg"


def _slug(text: str) -> str:
    """A file name from a process expression: ``PHIL(0)`` → ``PHIL_0``."""
    return re.sub(r"[^A-Za-z0-9_.'-]+", "_", text).strip("_") or "process"


def _write(path: str, data: bytes) -> None:
    if path == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    FilePath(path).parent.mkdir(parents=True, exist_ok=True)
    FilePath(path).write_bytes(data)


# ---------------------------------------------------------------- check --svg DIR


def write_check_pictures(model: Model, assertions: list[Assertion], results: list[Result], directory: str,
                         limits: Limits) -> list[str]:
    """For each counterexample the text report shows, write its pictures into ``directory``.

    That is every failed assertion with a counterexample, and every ``assert not`` whose property
    failed as expected (its witness, e.g. the deadlock the script says exists).

    ``assert-N-sequence.svg``: the message sequence chart (always; no Graphviz needed).
    ``assert-N-graph.svg``: the state graph with the counterexample highlighted — the whole graph
    when it has at most ``DEFAULT_MAX_STATES`` states, else the counterexample's neighbourhood
    (its states and every transition leaving them). Without a Graphviz program the graph is
    written as ``assert-N-graph.dot`` and one install hint is printed. Returns the files written;
    problems are reported on stderr and never change the check's exit code.
    """
    from cspsim.render.engine import INSTALL_HINT, choose_layout, find_renderer
    from cspsim.render.graph import lts_dot
    from cspsim.render.msc import msc_svg

    folder = FilePath(directory)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    renderer = None
    try:
        renderer = find_renderer()
    except CspsimError as err:
        print(errors.render(err), file=sys.stderr)
    hint_needed = False
    for a, r in zip(assertions, results):
        trace = r.counterexample
        if r.status != FAIL and not (r.negated and trace is not None):
            continue
        if trace is None:
            print(f"#{a.index}: nothing to draw ({r.message or 'no counterexample'})", file=sys.stderr)
            continue
        title = f"#{a.index} {a.text}" + (f" — {r.message}" if r.message else "")
        msc = folder / f"assert-{a.index}-sequence.svg"
        msc.write_text(msc_svg(trace, title=title), encoding="utf-8")
        written.append(str(msc))
        try:
            lts, path, frontier, heading = _counterexample_graph(model, a, trace, limits)
        except (CspsimError, ValueError) as exc:
            print(f"#{a.index}: state graph not drawn: {getattr(exc, 'message', exc)}", file=sys.stderr)
            continue
        layout = choose_layout(lts.n_states)
        dot_text = lts_dot(lts, path=path, frontier=frontier, heading=heading, layout=layout)
        if renderer is None:
            target = folder / f"assert-{a.index}-graph.dot"
            target.write_text(dot_text, encoding="utf-8")
            hint_needed = True
        else:
            target = folder / f"assert-{a.index}-graph.svg"
            try:
                target.write_bytes(renderer.run(dot_text, "svg", layout))
            except CspsimError as err:
                print(f"#{a.index}: state graph not drawn: {err.message}", file=sys.stderr)
                continue
        written.append(str(target))
    for w in written:
        print(f"wrote {w}", file=sys.stderr)
    if hint_needed:
        print(INSTALL_HINT, file=sys.stderr)
    return written


def _counterexample_graph(model: Model, a: Assertion, trace: object, limits: Limits
                          ) -> tuple[LTS, Path, frozenset[int], str]:
    """The graph to draw for a counterexample: whole if small enough, else its neighbourhood."""
    from cspsim.render.engine import DEFAULT_MAX_STATES
    from cspsim.render.graph import path_of_trace
    from cspsim.render.neighbourhood import counterexample_view
    from cspsim.trace import Trace

    assert isinstance(trace, Trace)
    term, name = _assertion_process(model, a)
    try:
        lts = model.lts(term, Limits(max_states=DEFAULT_MAX_STATES,
                                     max_component_states=limits.max_component_states))
    except LimitReached:
        view, path, frontier = counterexample_view(model.machine(term, limits), trace, name)
        heading = (f"{name}: the counterexample and its next states "
                   f"({view.n_states} of more than {DEFAULT_MAX_STATES} states)")
        return view, path, frontier, heading
    heading = f"{name}: {lts.n_states} states, {lts.n_transitions} transitions"
    return lts, path_of_trace(lts, trace), frozenset(), heading


def _assertion_process(model: Model, a: Assertion) -> tuple[Term, str]:
    """The process a counterexample runs in (the implementation of a refinement, else the left
    side of the assertion) and its text."""
    decl = a.decl
    expr = decl.right if decl.kind == "refine" and decl.right is not None else decl.left
    term = model.evaluator.term_of(model.evaluator.eval(expr, {}), expr.span)
    text = " ".join((errors.source_text(expr.span) or term.name or "process").split())
    return term, text
