"""cspsim against SPIN on the same models, end to end, interleaved: ``python bench/run.py``.

For each case it runs, one after the other: SPIN as a user would (``run.sh``: ``spin -a``, ``gcc``,
``pan``, partial-order reduction on), SPIN again with ``SPIN_POR=0`` (the full state space, whose
counts are comparable), and ``cspsim check --json`` on the CSPM twin in ``bench/models``. Every run
is a fresh process, timed by wall clock; peak memory is the largest sum of the resident set sizes
of the process and its descendants (for cspsim the proportional set sizes, so that pages its
forked workers share are counted once), sampled every 10-20 ms. It prints one table (also written to
``bench/results/latest.md``) with states, transitions, verdicts, times, states/s, bytes/state
(peak RSS / states) and the time ratio cspsim/SPIN.

cspsim runs with the default options (packed engine, compression, automatic workers) and with
Python's bytecode cache allowed, as for any installed package. SPIN's ``pan -m`` depth limit is
raised only for the butler N = 9, 10 (deeper DFS stacks); elsewhere it is run.sh's default.

Options: ``--quick`` (N = 5..8 and the small controller/pipeline only), ``--only SUBSTRING``,
``--repeat K`` (best of K runs per tool; SPIN's and cspsim's runs alternate), ``--spin-dir``.
Needs ``spin`` and ``gcc`` (Debian: ``apt-get install -y spin gcc``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "bench" / "models"
DEFAULT_SPIN_DIR = ROOT.parent / "shared" / "bench" / "spin"
if not DEFAULT_SPIN_DIR.is_dir():
    DEFAULT_SPIN_DIR = Path("/work/shared/bench/spin")


@dataclass
class Case:
    name: str
    spin_model: str
    csp_model: str
    params: dict[str, int]
    spin_depth: int = 2_000_000  # pan -m (run.sh's default): must exceed SPIN's DFS depth or SPIN
    # cuts the search short, and costs time to allocate, so it is raised only where needed
    note: str = ""


@dataclass
class Run:
    wall: float = 0.0
    peak_rss: int = 0  # bytes
    states: int = 0
    transitions: int = 0
    verdict: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def cases(quick: bool) -> list[Case]:
    out: list[Case] = []
    sizes = range(5, 9) if quick else range(5, 11)  # issue 2 asks N = 5..10
    for variant, label in ((0, "naive"), (1, "asymmetric"), (2, "butler")):
        for n in sizes:
            depth = {(2, 9): 5_000_000, (2, 10): 25_000_000}.get((variant, n), 2_000_000)  # butler: deep DFS
            out.append(Case(f"philosophers {label} N={n}", "philosophers.pml", "philosophers.csp",
                            {"N": n, "VARIANT": variant}, spin_depth=depth))
    controller = [{"W": 2, "C": 2, "E": 4, "OBJ": 2}] if quick else [{"W": 2, "C": 2, "E": 4, "OBJ": 2},
                                                                      {"W": 3, "C": 3, "E": 6, "OBJ": 2}]
    for p in controller:
        for variant in (0, 1):
            label = ", ".join(f"{k}={v}" for k, v in p.items())
            out.append(Case(f"controller V{variant} {label}", "controller.pml", "controller.csp",
                            {**p, "VARIANT": variant}))
    pipeline = [{"P": 2, "M": 2, "K": 2, "ITEMS": 2}] if quick else [{"P": 2, "M": 2, "K": 2, "ITEMS": 2},
                                                                      {"P": 3, "M": 2, "K": 2, "ITEMS": 3}]
    for p in pipeline:
        for variant in (0, 1):
            label = ", ".join(f"{k}={v}" for k, v in p.items())
            out.append(Case(f"pipeline V{variant} {label}", "pipeline.pml", "pipeline.csp", {**p, "VARIANT": variant}))
    return out


# ---------------------------------------------------------------- running and measuring


def _tree_rss(pid: int, pss: bool) -> int:
    """Memory of a process and all its descendants, in bytes: the sum of their resident set
    sizes, or with ``pss`` of their proportional set sizes (pages shared after a fork counted
    once; dearer to read, so only for cspsim, whose workers are forked)."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            try:
                if not pss:
                    raise OSError
                with open(f"/proc/{p}/smaps_rollup") as f:
                    total += next(int(line.split()[1]) * 1024 for line in f if line.startswith("Pss:"))
            except (OSError, StopIteration):
                with open(f"/proc/{p}/statm") as f:
                    total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            for tid in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{tid}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            continue
    return total


def measure(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None,
            pss: bool = False) -> tuple[float, int, str, str]:
    """(wall seconds, peak memory of the process tree in bytes, stdout, stderr)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=cwd)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss(proc.pid, pss))
            done.wait(0.02 if pss else 0.01)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    done.set()
    sampler.join()
    return wall, peak[0], out, err


def run_spin(case: Case, spin_dir: Path, por: bool) -> Run:
    env = dict(os.environ, SPIN_DEPTH=str(case.spin_depth))
    if not por:
        env["SPIN_POR"] = "0"
    defines = [f"-D{k}={v}" for k, v in case.params.items()]
    wall, peak, out, err = measure(["bash", str(spin_dir / "run.sh"), str(spin_dir / case.spin_model), *defines], env)
    line = out.strip().splitlines()[-1] if out.strip() else ""
    fields = dict(kv.split("=", 1) for kv in line.split() if "=" in kv)
    if "states" not in fields:
        raise RuntimeError(f"SPIN failed on {case.name}: {out}\n{err}")
    run = Run(wall, peak, _count(fields["states"]), _count(fields["transitions"]), fields["verdict"])
    run.extra = {"depth": fields.get("depth", ""), "search_s": fields.get("search_s", ""),
                 "mem_mb": fields.get("mem_mb", "")}
    if "e" in fields["transitions"] or "e" in fields["states"]:
        run.extra["rounded"] = "yes"  # pan prints counts above 1e8 with 8 significant digits
    if int(fields.get("depth", 0) or 0) >= case.spin_depth - 1:
        run.extra["truncated"] = "yes"  # SPIN hit its depth limit: counts are incomplete
    return run


def _count(text: str) -> int:
    return int(float(text)) if "e" in text else int(text)


def csp_script(case: Case, workdir: Path) -> Path:
    text = (MODELS / case.csp_model).read_text()
    for k, v in case.params.items():
        text, n = re.subn(rf"^{k} = \d+$", f"{k} = {v}", text, flags=re.M)
        if n != 1:
            raise RuntimeError(f"{case.csp_model} has no line '{k} = ...'")
    path = workdir / f"{case.csp_model[:-4]}_{'_'.join(f'{k}{v}' for k, v in case.params.items())}.csp"
    path.write_text(text)
    return path


def cspsim_env() -> dict[str, str]:
    """The environment for cspsim: Python may cache bytecode, as in any installed package (this
    sandbox sets PYTHONDONTWRITEBYTECODE=1, which recompiles cspsim's sources on every start)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_cspsim(case: Case, script: Path, extra_args: list[str]) -> Run:
    cmd = [sys.executable, "-m", "cspsim", "check", str(script), "--json", *extra_args]
    wall, peak, out, err = measure(cmd, env=cspsim_env(), cwd=ROOT, pss=True)
    try:
        (result,) = json.loads(out)["results"]
    except (ValueError, KeyError) as exc:
        raise RuntimeError(f"cspsim failed on {case.name}: {out}\n{err}") from exc
    verdict = {"pass": "no-deadlock", "fail": "deadlock"}.get(result["status"], result["status"])
    run = Run(wall, peak, result["states"], result["transitions"], verdict)
    run.extra = {"check_s": f"{result['seconds']:.2f}"}
    if result.get("compression"):
        run.extra["compressed"] = ", ".join(f"{c['component']} {c['states']}->{c['compressed']}"
                                            for c in result["compression"])
    return run


def stored_bytes_per_state(script: Path) -> float:
    """Bytes the packed engine stores per visited state for this model (8 when one word fits)."""
    import cspsim
    from cspsim.lts.packed import Layout
    from cspsim.lts.visited import Visited

    machine = cspsim.load(str(script)).machine("SYSTEM")
    layout = Layout.for_sizes([leaf.n_states for leaf in machine.leaves])
    vis = Visited(layout)
    return 8.0 if vis.narrow else 8.0 * layout.n_words + 4


# ---------------------------------------------------------------- report


def _fmt_int(n: int) -> str:
    return f"{n:,}"


def row(case: Case, spin: Run, spin_full: Run, csp: Run, plain: Run, stored: float) -> dict[str, str]:
    """One line of the table; ``plain`` is cspsim with --compress off (the same run as ``csp``
    when nothing was compressed), whose counts are the ones comparable with SPIN's."""
    agree = "yes" if spin.verdict == csp.verdict == spin_full.verdict else "NO"
    counts = ""
    if spin_full.verdict == "no-deadlock" and "truncated" not in spin_full.extra:
        d_states = plain.states - spin_full.states
        d_trans = plain.transitions - spin_full.transitions
        counts = "=" if d_states == 0 else f"{d_states:+,}"
        counts += f" / {d_trans:+,}" + (" (SPIN rounds to 8 digits)" if "rounded" in spin_full.extra else "")
    elif "truncated" in spin_full.extra:
        counts = "SPIN truncated"
    else:
        counts = "(stops early)"
    best_spin = min(spin.wall, spin_full.wall)
    return {
        "model": case.name,
        "cspsim states": _fmt_int(csp.states) + (" (c)" if "compressed" in csp.extra else ""),
        "cspsim trans": _fmt_int(csp.transitions),
        "uncompressed states": _fmt_int(plain.states) if plain is not csp else "same",
        "SPIN states (POR off)": _fmt_int(spin_full.states),
        "SPIN trans (POR off)": _fmt_int(spin_full.transitions),
        "Δ states / Δ trans": counts,
        "verdict": f"{csp.verdict} ({agree})",
        "cspsim s": f"{csp.wall:.2f}",
        "SPIN s (POR on)": f"{spin.wall:.2f}",
        "SPIN s (POR off)": f"{spin_full.wall:.2f}",
        "cspsim states/s": _fmt_int(int(csp.states / csp.wall)),
        "SPIN states/s": _fmt_int(int(spin_full.states / spin_full.wall)),
        "cspsim B/state (RSS)": f"{csp.peak_rss / max(csp.states, 1):,.1f}",
        "cspsim B/state (stored)": f"{stored:.0f}",
        "SPIN B/state (RSS)": f"{spin_full.peak_rss / max(spin_full.states, 1):,.1f}",
        "ratio cspsim/SPIN": f"{csp.wall / best_spin:.3f}",
    }


def markdown(rows: list[dict[str, str]]) -> str:
    cols = list(rows[0])
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    lines += ["| " + " | ".join(r[c] for c in cols) + " |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small cases only (N = 5..8)")
    ap.add_argument("--only", default="", help="run the cases whose name contains this text")
    ap.add_argument("--repeat", type=int, default=1, help="best of K runs per tool (default 1)")
    ap.add_argument("--spin-dir", type=Path, default=DEFAULT_SPIN_DIR, help="directory of run.sh and the .pml models")
    ap.add_argument("--cspsim-args", default="", help="extra arguments for cspsim check, e.g. '--workers 1'")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "latest.md")
    args = ap.parse_args(argv)
    for tool in ("spin", "gcc"):
        if shutil.which(tool) is None:
            print(f"{tool} is not installed (Debian: apt-get install -y spin gcc)", file=sys.stderr)
            return 2
    chosen = [c for c in cases(args.quick) if args.only in c.name]
    subprocess.run([sys.executable, "-m", "cspsim", "--version"], env=cspsim_env(), cwd=ROOT, check=True,
                   capture_output=True)  # warm-up: writes the bytecode caches
    rows = []
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    with tempfile.TemporaryDirectory() as tmp:
        for case in chosen:
            script = csp_script(case, Path(tmp))
            best: dict[str, Run] = {}
            for _ in range(args.repeat):
                runs = {"spin": run_spin(case, args.spin_dir, True),
                        "spin_full": run_spin(case, args.spin_dir, False),
                        "csp": run_cspsim(case, script, args.cspsim_args.split())}
                for key, r in runs.items():
                    if key not in best or r.wall < best[key].wall:
                        best[key] = r
            plain = best["csp"]
            if "compressed" in plain.extra:
                plain = run_cspsim(case, script, [*args.cspsim_args.split(), "--compress", "off"])
            r = row(case, best["spin"], best["spin_full"], best["csp"], plain, stored_bytes_per_state(script))
            rows.append(r)
            print(" | ".join(f"{k}: {v}" for k, v in r.items()), flush=True)
    header = (f"# cspsim vs SPIN\n\nRun {started} on {os.cpu_count()} cores with `python bench/run.py "
              f"{' '.join(argv if argv is not None else sys.argv[1:])}`. (c): components compressed by "
              "bisimulation; Δ compares the uncompressed counts (cspsim --compress off) with SPIN's "
              "(SPIN_POR=0); the ratio uses SPIN's faster run.\n\n")
    table = markdown(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(header + table + "\n")
    print()
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
