"""The two implementations of parallel, hiding and renaming agree.

Above the sequential components, cspsim folds ``[| |]``, ``[ || ]``, ``|||``, ``\\`` and ``[[ ]]``
into synchronisation rules (``lts/compose.py``); inside a component the same operators are fired
term by term (``lts/operational.py``). ``SYS ; SKIP`` is ``SYS`` in every CSP model, but it is not
decomposed (``;`` is not one of the static operators), so it is compiled as a single component by
the firing rules. The refinement checker must find the two failures-divergences equivalent. (The
decomposed side is itself checked against the independent oracle in test_engine_vs_oracle.py.)
"""

from __future__ import annotations

from csp_ast import Script, show_script
from csp_gen import scripts
from hypothesis import given
from oracle_settings import oracle_settings

import cspsim


@oracle_settings(120)
@given(scripts())
def test_rules_and_firing_rules_agree(script: Script) -> None:
    model = cspsim.load(show_script(script) + "\nMONO = SYS ; SKIP\n")
    mono = model.machine("MONO")
    assert len(mono.leaves) == 1  # compiled by the firing rules alone
    for spec, impl in (("SYS", "MONO"), ("MONO", "SYS")):
        result = model.refines(spec, impl, "FD")
        assert result.status == "pass", (spec, impl, result.message, show_script(script))
