"""Benchmark: a chain of N one-place buffers (middle channels hidden) refines an N-place buffer.

    python bench/refinement_buffer.py --cells 13 --group 4 --compression normal

Runs ``BUFF(<>) [FD= CHAIN`` twice: on the plain chain (3^N implementation states, one spec node
each: 1.6 million state pairs for N = 13) and on the chain built from compressed groups of
``--group`` cells (each group compressed with ``--compression`` before composition, as FDR
advises: compress components, not the whole system). Prints one ``key=value`` line per run:
verdict, pairs, implementation states, spec nodes, seconds, pairs per second, the engine and
bytes stored per pair, and for the compressed run the state counts of one group before and
after compression. ``--engine reference`` runs the plain pair search instead, for comparison.
"""

from __future__ import annotations

import argparse
import time

import cspsim

TEMPLATE = """
N = {cells}
T = {{0, 1}}
channel c : {{0..N}}.T

CELL(i) = c.i?x -> c.(i+1)!x -> CELL(i)

BUFF(s) =
  if #s == 0 then c.0?x -> BUFF(<x>)
  else if #s < N then (c.0?x -> BUFF(s ^ <x>) [] c.N!head(s) -> BUFF(tail(s)))
  else c.N!head(s) -> BUFF(tail(s))

-- Cells lo..hi-1 in a pipeline, their inner links hidden.
GROUP(lo, hi) = (|| i : {{lo..hi-1}} @ [{{| c.i, c.(i+1) |}}] CELL(i)) \\ {{| c.i | i <- {{lo+1..hi-1}} |}}
CGROUP(lo, hi) = {compression}(GROUP(lo, hi))

BOUNDS = <{bounds}>
PLAIN = (|| j : {{0..#BOUNDS-2}} @ [{{| c.i | i <- {{nth(BOUNDS, j)..nth(BOUNDS, j+1)}} |}}]
           GROUP(nth(BOUNDS, j), nth(BOUNDS, j+1))) \\ {{| c.i | i <- {{1..N-1}} |}}
COMPRESSED = (|| j : {{0..#BOUNDS-2}} @ [{{| c.i | i <- {{nth(BOUNDS, j)..nth(BOUNDS, j+1)}} |}}]
           CGROUP(nth(BOUNDS, j), nth(BOUNDS, j+1))) \\ {{| c.i | i <- {{1..N-1}} |}}
nth(s, k) = if k == 0 then head(s) else nth(tail(s), k - 1)

assert BUFF(<>) [FD= PLAIN
assert BUFF(<>) [FD= COMPRESSED
"""


def script(cells: int, group: int, compression: str) -> str:
    bounds = list(range(0, cells, group)) + [cells]
    return TEMPLATE.format(cells=cells, compression=compression, bounds=", ".join(map(str, bounds)))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cells", type=int, default=13)
    ap.add_argument("--group", type=int, default=4)
    ap.add_argument("--compression", default="normal",
                    choices=["normal", "sbisim", "wbisim", "diamond", "sbdia", "tau_loop_factor", "explicate"])
    ap.add_argument("--only", choices=["plain", "compressed"], default=None)
    ap.add_argument("--engine", choices=["fast", "reference"], default="fast",
                    help="pair search: packed (default) or the plain reference search")
    args = ap.parse_args()
    model = cspsim.load(script(args.cells, args.group, args.compression))
    g = min(args.group, args.cells)
    before = model.lts(f"GROUP(0, {g})").n_states
    after = model.lts(f"CGROUP(0, {g})").n_states
    for index, label in ((1, "plain"), (2, "compressed")):
        if args.only and args.only != label:
            continue
        start = time.perf_counter()
        r = model.check(index, cspsim.Limits(engine=args.engine))
        seconds = time.perf_counter() - start
        extra = r.stats.extra
        line = (f"run={label} cells={args.cells} verdict={r.status} pairs={extra['pairs']} "
                f"impl_states={extra['impl_states']} spec_nodes={extra['spec_nodes']} "
                f"transitions={r.stats.transitions} seconds={seconds:.2f} "
                f"pairs_per_s={extra['pairs'] / seconds:,.0f}".replace(",", "") + f" engine={args.engine}")
        if "bytes_per_pair" in extra:
            line += f" stored_bytes_per_pair={extra['bytes_per_pair']}"
        if label == "compressed":
            line += f" compression={args.compression} group={g} group_states={before} compressed_group_states={after}"
        print(line, flush=True)


if __name__ == "__main__":
    main()
