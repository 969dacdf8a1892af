"""Command-line options that choose the exploration engine (``cspsim check --engine ...``).

Kept apart from :mod:`cspsim.cli` so the engine's options live next to nothing else; the CLI
adds them to ``check`` and folds them into the :class:`~cspsim.lts.explore.Limits` it passes on.
"""

from __future__ import annotations

import argparse
from dataclasses import replace

from cspsim.lts.engine import ENGINES
from cspsim.lts.explore import Limits


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("engine")
    group.add_argument("--engine", choices=ENGINES, default="fast",
                       help="exploration engine: 'fast' (packed states, vectorised; default) or "
                       "'reference' (plain BFS, the executable specification); same results")
    group.add_argument("--workers", type=_count, default=0, metavar="N",
                       help="processes for the fast engine (default 0: two, started only when a "
                       "level reaches 500,000 states and another core is idle; 1: one process; "
                       "N: N processes from the start)")
    group.add_argument("--compress", choices=("auto", "off"), default="auto",
                       help="'auto' (default): replace components by their strong-bisimulation "
                       "quotient before composing when smaller; 'off': never")


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def with_engine(args: argparse.Namespace, limits: Limits) -> Limits:
    """``limits`` with the engine options of ``args``."""
    return replace(limits, engine=args.engine, workers=args.workers, compress=args.compress)
