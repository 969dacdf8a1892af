"""Render times of labelled LTSs by size and layout engine (numbers for docs/rendering.md).

    .venv/bin/python bench/render_times.py [--engines dot,neato,sfdp] [--sizes 10,50,100,200,500]
                                          [--timeout 60]

Each LTS is the interleaving of two event cycles (a typical CSP state space: every state has two
labelled transitions). Times are wall-clock seconds of one Graphviz run (-Tsvg), best of
``--repeat``; a run that exceeds ``--timeout`` is reported as ">timeout".
"""

from __future__ import annotations

import argparse
import time

import cspsim
from cspsim.errors import CspsimError
from cspsim.render.engine import choose_layout, find_renderer
from cspsim.render.graph import lts_dot

SHAPES = {10: (2, 5), 50: (5, 10), 100: (10, 10), 200: (10, 20), 500: (20, 25), 1000: (25, 40),
          2000: (40, 50)}


def cycles_lts(a: int, b: int) -> cspsim.LTS:
    model = cspsim.load(
        f"channel left : {{0..{a - 1}}}\nchannel right : {{0..{b - 1}}}\n"
        f"P(i) = left.i -> P((i + 1) % {a})\nQ(j) = right.j -> Q((j + 1) % {b})\n"
        "SYS = P(0) ||| Q(0)\n"
    )
    return model.lts("SYS")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--engines", default="auto,dot,neato,sfdp")
    ap.add_argument("--sizes", default="10,50,100,200,500")
    ap.add_argument("--timeout", type=float, default=60.0)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args()
    renderer = find_renderer()
    if renderer is None:
        raise SystemExit("no renderer found")
    print(f"renderer: {renderer.name} ({renderer.path})")
    print(f"{'states':>6} {'transitions':>11}  " + "  ".join(f"{e:>12}" for e in args.engines.split(",")))
    for size in (int(s) for s in args.sizes.split(",")):
        lts = cycles_lts(*SHAPES[size])
        cells = []
        for engine in args.engines.split(","):
            layout = choose_layout(lts.n_states) if engine == "auto" else engine
            text = lts_dot(lts, layout=layout)
            best = None
            for _ in range(args.repeat):
                start = time.perf_counter()
                try:
                    renderer.run(text, "svg", layout, timeout=args.timeout)
                except CspsimError:
                    best = None
                    break
                elapsed = time.perf_counter() - start
                best = elapsed if best is None else min(best, elapsed)
            shown = f">{args.timeout:g}s" if best is None else f"{best:.2f}s"
            if engine == "auto":
                shown = f"{layout} {shown}"
            cells.append(f"{shown:>12}")
        print(f"{lts.n_states:>6} {lts.n_transitions:>11}  " + "  ".join(cells), flush=True)


if __name__ == "__main__":
    main()
