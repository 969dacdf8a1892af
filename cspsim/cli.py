"""Command line: argument parsing and presentation only.

``cspsim check FILE`` runs every assertion (or those chosen with ``--assert``) and prints a table
and the counterexamples; ``--json`` prints one JSON document on stdout instead. Diagnostics and
progress go to stderr. Exit codes (also in the README):

====  =====================================================================
0     every assertion holds (an ``assert not`` holds when its property fails)
1     some assertion fails
2     input error: syntax, unknown name, type, evaluation, unsupported feature
3     a limit (``--max-states``, ``--timeout``) stopped a check before a verdict
4     internal error (a bug in cspsim: please report it)
====  =====================================================================
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from typing import Any

from cspsim import __version__, cli_render, cli_simulate, engine_cli, errors
from cspsim.errors import CspsimError
from cspsim.lts.explore import Limits
from cspsim.result import ERROR, FAIL, LIMIT, PASS, Result

JSON_SCHEMA_VERSION = 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return errors.EXIT_INPUT
    try:
        return int(args.run(args))
    except CspsimError as err:
        print(errors.render(err), file=sys.stderr)
        return errors.EXIT_INPUT
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return errors.EXIT_LIMIT
    except Exception as exc:
        if getattr(args, "debug", False):
            raise
        print(f"internal error: {type(exc).__name__}: {exc}\n"
              "This is a bug in cspsim; rerun with --debug for details and please report it.",
              file=sys.stderr)
        return errors.EXIT_INTERNAL


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="cspsim", description="Check CSPM models: deadlock, divergence, "
                                "determinism, traces; with shortest counterexamples.")
    p.add_argument("--version", action="version", version=f"cspsim {__version__}")
    sub = p.add_subparsers(dest="command")

    c = sub.add_parser("check", help="check the assertions of a CSPM file")
    c.add_argument("file", help="the .csp script")
    c.add_argument("--assert", dest="only", type=int, action="append", metavar="N",
                   help="check only assertion N (1-based, file order); may be repeated")
    c.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    c.add_argument("--max-states", type=int, default=None, metavar="N",
                   help="stop a check after exploring N states (exit code 3)")
    c.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                   help="stop a check after this many seconds (exit code 3)")
    c.add_argument("--max-component-states", type=int, default=200_000, metavar="N",
                   help="largest state space accepted for one sequential component (default 200000)")
    c.add_argument("--stable", action="store_true",
                   help="omit times and memory from the output, so runs compare byte for byte")
    c.add_argument("--quiet", "-q", action="store_true", help="print only the summary table")
    c.add_argument("--debug", action="store_true", help="show Python tracebacks of internal errors")
    c.add_argument("--svg", metavar="DIR", help="write pictures of the counterexamples into DIR")
    engine_cli.add_arguments(c)
    c.set_defaults(run=_run_check)
    cli_render.register(sub)  # `cspsim graph` (issue 7)
    cli_simulate.register(sub)  # `cspsim simulate` (issue 6)
    return p


def _run_check(args: argparse.Namespace) -> int:
    from cspsim.model import load

    limits = engine_cli.with_engine(args, Limits(max_states=args.max_states, timeout=args.timeout,
                                                 max_component_states=args.max_component_states))
    model = load(args.file)
    chosen = model.assertions
    if args.only:
        bad = [n for n in args.only if not 1 <= n <= len(model.assertions)]
        if bad:
            raise errors.CspsimError("E109", "syntax", f"there is no assertion {bad[0]} "
                                     f"(the file has {len(model.assertions)})")
        chosen = [model.assertions[n - 1] for n in args.only]
    results: list[Result] = []
    with _Progress(enabled=not args.json and sys.stderr.isatty()) as progress:
        for a in chosen:
            progress.start(a.text)
            results.append(model.check(a, limits, progress.update))
    if args.json:
        doc = {
            "schema_version": JSON_SCHEMA_VERSION,
            "file": args.file,
            "results": [_json_result(r, args.stable) for r in results],
            "exit_code": exit_code(results),
        }
        print(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        _print_report(args.file, results, args.stable, args.quiet)
    if args.svg:  # pictures of the counterexamples (issue 7); never changes the exit code
        cli_render.write_check_pictures(model, chosen, results, args.svg, limits)
    return exit_code(results)


def exit_code(results: list[Result]) -> int:
    statuses = {r.status for r in results}
    if ERROR in statuses:
        return errors.EXIT_INPUT
    if FAIL in statuses:
        return errors.EXIT_FAIL
    if LIMIT in statuses:
        return errors.EXIT_LIMIT
    return errors.EXIT_PASS


def _json_result(r: Result, stable: bool) -> dict[str, Any]:
    doc = r.to_json()
    if stable:
        doc.pop("seconds", None)
        doc.pop("peak_memory_mb", None)
    return doc


_STATUS_TEXT = {PASS: "pass", FAIL: "FAIL", LIMIT: "LIMIT", ERROR: "ERROR"}
_STATUS_STYLE = {PASS: "green", FAIL: "bold red", LIMIT: "yellow", ERROR: "bold magenta"}


def _print_report(path: str, results: list[Result], stable: bool, quiet: bool) -> None:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False, soft_wrap=True)
    table = Table(title=escape(f"{path}: {len(results)} assertion(s)"), title_justify="left", show_lines=False)
    table.add_column("#", justify="right")
    table.add_column("assertion", overflow="fold")
    table.add_column("result")
    table.add_column("states", justify="right")
    table.add_column("transitions", justify="right")
    if not stable:
        table.add_column("time", justify="right")
    for i, r in enumerate(results, 1):
        row: list[Any] = [str(i), Text(r.assertion), Text(_STATUS_TEXT[r.status], style=_STATUS_STYLE[r.status]),
               f"{r.stats.states:,}", f"{r.stats.transitions:,}"]
        if not stable:
            row.append(f"{r.stats.seconds:.2f}s")
        table.add_row(*row)
    console.print(table)
    if quiet:
        return
    for i, r in enumerate(results, 1):
        if r.status == ERROR and r.error:
            # Diagnostics go to stderr (the table row on stdout says ERROR).
            print(f"\n#{i} {r.assertion}\n{r.error.get('rendered', r.message)}", file=sys.stderr)
        elif r.status == LIMIT:
            console.print(f"\n[bold]#{i} {escape(r.assertion)}[/bold]\n  {escape(r.message)}")
        elif r.counterexample is not None and (r.status == FAIL or r.negated):
            heading = "counterexample" if r.holds is False else "witness"
            console.print(f"\n[bold]#{i} {escape(r.assertion)}[/bold] — {escape(r.message or heading)}")
            console.print(Text(format_trace(r)))
        elif r.status == FAIL and r.message:
            console.print(f"\n[bold]#{i} {escape(r.assertion)}[/bold] — {escape(r.message)}")


def format_trace(r: Result) -> str:
    """The counterexample of a result as indented text (trace, end state, components)."""
    t = r.counterexample
    assert t is not None
    lines = [f"  trace: {t.describe()}"]
    ann = t.annotations
    kind = ann.get("kind")
    if kind == "deadlock":
        lines.append(f"  then deadlock: refuses {ann.get('refuses', 'everything')}")
    elif kind == "divergence":
        lines.append("  then diverges: τ forever")
    elif kind == "trace":  # refinement: an event the specification cannot perform
        before = "<" + ", ".join(t.events[:-1]) + ">"
        lines.append(f"  the specification cannot perform {ann.get('event')} after {before}"
                     " (it offers {" + ", ".join(ann.get("spec_accepts", [])) + "})")
    elif kind == "refusal":  # refinement: a stable state refusing what the specification must accept
        lines.append("  then a stable state accepting {" + ", ".join(ann.get("acceptance", [])) + "}")
        accs = ann.get("spec_acceptances", [])
        lines.append("  specification's minimal acceptances: "
                     + (", ".join("{" + ", ".join(a) + "}" for a in accs) if accs else "none (no stable state)"))
    elif kind == "nondeterminism":
        lines.append(f"  then: {ann.get('explanation')}")
        lines.append("  refusing state accepts: {" + ", ".join(ann.get("acceptance", [])) + "}")
    if kind == "panic":
        lines.append(f"  then the program dies: {ann.get('panic')}")
    elif kind == "leak":
        lines.append(f"  then {ann.get('explanation')}")
    if 0 < len(t.steps) <= 60 and any(s.movers for s in t.steps):
        lines.append("  steps:")
        for n, st in enumerate(t.steps, 1):
            who = ", ".join(t.components[m] if m < len(t.components) else f"#{m}" for m in st.movers)
            what = st.event if not st.note else f"{st.event} ({st.note})"
            lines.append(f"    {n:>3}. {what:<32} {who}")
    if t.components:
        lines.append("  components at the end:")
        width = min(max(len(n) for n in t.components), 28)
        for name, state in zip(t.components, t.final_states):
            lines.append(f"    {name:<{width}}  {state}")
    return "\n".join(lines)


class _Progress:
    """A rich progress line on stderr for long checks (only on a terminal)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._progress: Any = None
        self._task: Any = None
        self._last = 0.0
        self._started = 0.0

    def __enter__(self) -> _Progress:
        if self.enabled:
            from rich.console import Console
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            self._progress = Progress(SpinnerColumn(), TextColumn("{task.description}"),
                                      TimeElapsedColumn(), console=Console(stderr=True), transient=True)
            self._progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self._progress is not None:
            self._progress.__exit__(*exc)

    def start(self, text: str) -> None:
        self._started = time.perf_counter()
        if self._progress is not None:
            if self._task is not None:
                self._progress.remove_task(self._task)
            self._task = self._progress.add_task(text[:60], total=None)

    def update(self, states: int, transitions: int, depth: int) -> None:
        if self._progress is None:
            return
        now = time.perf_counter()
        if now - self._last < 0.2:
            return
        self._last = now
        rate = states / max(now - self._started, 1e-9)
        self._progress.update(self._task, description=f"{states:,} states, depth {depth}, {rate:,.0f} states/s")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
