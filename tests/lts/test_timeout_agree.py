"""Both engines stop at the same ``--timeout``: one budget per check, counted from its start and
shared by every phase (normalising the specification, the pair search, counterexamples)."""

from __future__ import annotations

import time

import pytest

import cspsim
from cspsim import Limits
from cspsim.errors import LimitReached

# A chain of 13 one-place buffers refines a 13-place buffer: 3^13 implementation states; the
# reference pair search needs far longer than the budget, the packed one somewhat longer.
CHAIN = """
N = 13
channel c : {0..N}.{0, 1}
CELL(i) = c.i?x -> c.(i+1)!x -> CELL(i)
BUFF(s) = if #s == 0 then c.0?x -> BUFF(<x>)
          else if #s < N then (c.0?x -> BUFF(s ^ <x>) [] c.N!head(s) -> BUFF(tail(s)))
          else c.N!head(s) -> BUFF(tail(s))
CHAIN = (|| i : {0..N-1} @ [{| c.i, c.(i+1) |}] CELL(i)) \\ {| c.i | i <- {1..N-1} |}
assert BUFF(<>) [FD= CHAIN
"""

BUDGET = 0.6


@pytest.mark.parametrize("engine", ["fast", "reference"])
def test_refinement_stops_at_the_timeout_on_both_engines(engine: str) -> None:
    model = cspsim.load(CHAIN)
    start = time.perf_counter()
    result = model.check(1, Limits(engine=engine, timeout=BUDGET))
    elapsed = time.perf_counter() - start
    assert result.status == "limit" and "timeout" in result.message
    assert elapsed < BUDGET + 1.0, f"{engine} overshot the {BUDGET} s budget: {elapsed:.2f} s"


@pytest.mark.parametrize("engine", ["fast", "reference"])
def test_pair_search_honours_the_checks_deadline(engine: str) -> None:
    # The deadline is absolute: a search that starts after it (the earlier phases used the whole
    # budget) stops at once instead of starting a fresh clock.
    from cspsim.check.refinement import refines

    model = cspsim.load(CHAIN)
    spec, impl = model.machine("BUFF(<>)"), model.machine("CHAIN")
    with pytest.raises(LimitReached) as stopped:
        refines(spec, impl, "FD", Limits(engine=engine, deadline=time.perf_counter() - 1))
    assert stopped.value.what == "timeout"
