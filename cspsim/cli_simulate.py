"""``cspsim simulate FILE [PROCESS]``: run a Go-layer model in the simulator (presentation only).

Exit codes: 0 the program exited normally; 1 it deadlocked, panicked, died of a fatal error, or
left goroutines blocked when main returned (a leak); 2 input error; 3 stopped by ``--until``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from cspsim import errors

_BAD = {"deadlock", "panic", "fatal"}


def register(sub: Any) -> None:
    s = sub.add_parser("simulate", help="run a Go-layer model GO(MAIN) in the simulator, as Go would")
    s.add_argument("file", help="the .csp script")
    s.add_argument("process", nargs="?", default=None,
                   help="a GO(MAIN) process (default: PROGRAM, or the first definition that is GO(...))")
    s.add_argument("--seed", type=int, default=0, help="random seed (select choices, internal choices)")
    s.add_argument("--until", type=float, default=None, metavar="MS", help="stop at this virtual time (ms)")
    s.add_argument("--gomaxprocs", type=int, default=1, metavar="P", help="number of Ps (default 1)")
    s.add_argument("--go-version", default="1.19", help="Go version whose timer rules apply (1.19..1.23)")
    s.add_argument("--timer", type=float, default=1.0, metavar="MS",
                   help="duration of `after`, `sleep` and context deadlines in the model (default 1 ms)")
    s.add_argument("--follow", metavar="CHECK.json",
                   help="drive the run down a counterexample from `cspsim check --json`")
    s.add_argument("--assert", dest="which", type=int, default=None, metavar="N",
                   help="with --follow: the assertion whose counterexample to follow (default: the first with one)")
    s.add_argument("--trace", metavar="OUT.json", help="write the run (trace, events, choices) as JSON")
    s.add_argument("--svg", metavar="OUT.svg", help="draw the run: goroutine timeline and sequence chart")
    s.add_argument("--json", action="store_true", help="print the run summary as JSON on stdout")
    s.set_defaults(run=run)


def _find_process(model: Any, name: str | None) -> str:
    from cspsim.semantics import terms as T
    from cspsim.syntax import ast as A

    if name is not None:
        return name
    names = [d.name for d in model.script.decls if isinstance(d, A.Definition) and not d.clauses[0].params]
    if "PROGRAM" in names:
        return "PROGRAM"
    for decl in model.script.decls:
        if isinstance(decl, A.Definition) and not decl.clauses[0].params:
            body = decl.clauses[0].body
            if isinstance(body, A.Call) and isinstance(body.fn, A.Var) and body.fn.name == "GO":
                return decl.name
    for n in names:
        value = model.evaluate(n)
        if isinstance(value, T.Term) and value.kind == T.GOWORLD:
            return n
    raise errors.CspsimError("E110", "syntax", "no Go program to simulate",
                             hint="name one: cspsim simulate FILE PROCESS, where PROCESS is GO(MAIN)")


def _followed_events(path: str, which: int | None) -> list[str]:
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise errors.CspsimError("E111", "syntax", f"cannot read the check results '{path}': {exc}") from None
    results = doc.get("results", [])
    chosen = [r for i, r in enumerate(results, 1) if (which is None or i == which) and r.get("counterexample")]
    if not chosen:
        raise errors.CspsimError("E112", "syntax", f"'{path}' holds no counterexample to follow")
    return [s["event"] for s in chosen[0]["counterexample"]["steps"] if s["event"] not in ("τ", "✓")]


def run(args: argparse.Namespace) -> int:
    from cspsim.model import load
    from cspsim.semantics import terms as T
    from cspsim.sim.api import MS
    from cspsim.sim.gomodel import Durations, simulate
    from cspsim.sim.timeline import timeline

    model = load(args.file)
    name = _find_process(model, args.process)
    world = model.process(name)
    if world.kind != T.GOWORLD:
        raise errors.CspsimError("E113", "type", f"'{name}' is not a Go program",
                                 hint="simulate runs GO(MAIN) processes; check other processes with `cspsim check`")
    follow = _followed_events(args.follow, args.which) if args.follow else None
    timer = int(args.timer * MS)
    until = int(args.until * MS) if args.until is not None else None
    run_ = simulate(model.semantics, world, seed=args.seed, durations=Durations(timer, timer, timer),
                    follow=follow, until=until, gomaxprocs=args.gomaxprocs, go_version=args.go_version)
    r = run_.result
    if args.trace:
        doc = {
            "process": name, "seed": args.seed, "outcome": r.outcome, "message": r.message,
            "trace": r.trace.to_json(), "choices": r.choices,
            "events": [list(e) for e in r.events],
        }
        Path(args.trace).write_text(json.dumps(doc, indent=1, default=str, ensure_ascii=False), encoding="utf-8")
    if args.svg:
        from cspsim.render import TimelineRecord, run_svg

        records = [TimelineRecord(t / MS, g, st, reason) for t, g, st, reason in timeline(r)]
        svg = run_svg(r.trace, records, title=f"{Path(args.file).name}: {name} (seed {args.seed})", unit="ms",
                      end=r.end_ns / MS)
        Path(args.svg).write_text(svg, encoding="utf-8")
    if args.json:
        print(json.dumps(_summary(name, args, r, run_), indent=2, default=str, ensure_ascii=False))
    else:
        _print(name, args, r, run_)
    if r.outcome == "until":
        return errors.EXIT_LIMIT
    return errors.EXIT_FAIL if r.outcome in _BAD or r.leaks else errors.EXIT_PASS


def _summary(name: str, args: argparse.Namespace, r: Any, run_: Any) -> dict[str, Any]:
    m = r.metrics
    return {
        "process": name, "seed": args.seed, "outcome": r.outcome, "exit_code": r.exit_code,
        "message": r.message, "output": run_.output, "end_ms": r.end_ns / 1e6, "operations": r.operations,
        "leaks": [{"goroutine": g.name, "state": g.state, "where": g.located or g.where} for g in r.leaks],
        "followed": {"events": run_.followed, "of": run_.follow_total} if run_.follow_total else None,
        "metrics": m.summary() if m is not None else None,
    }


def _print(name: str, args: argparse.Namespace, r: Any, run_: Any) -> None:
    out = sys.stdout
    for line in r.lines:
        print(line, file=out)
    print(f"--- {Path(args.file).name}: {name}, seed {args.seed}, GOMAXPROCS={args.gomaxprocs}, "
          f"Go {args.go_version}", file=out)
    print(f"outcome: {r.outcome}" + (f" — {r.message}" if r.message else ""), file=out)
    print(f"virtual time: {r.end_ns / 1e6:.3f} ms, {r.operations} operations", file=out)
    if run_.follow_total:
        print(f"followed {run_.followed} of {run_.follow_total} events of the counterexample", file=out)
    if r.leaks:
        print("goroutines still alive when the program ended (leaks unless runnable):", file=out)
    for g in r.leaks:
        where = g.located or g.where
        print(f"  {g.name}: [{g.state}]" + (f" at {where}" if where and where != "?" else ""), file=out)
    if r.outcome in ("deadlock", "panic", "fatal") and r.stderr:
        print(r.stderr.rstrip(), file=out)
    m = r.metrics
    if m is not None:
        print(m.summary(), file=out)
