"""Compressions a drawing can apply before layout, chosen by name (``cspsim graph --compress``).

A compression maps an LTS to a smaller one that means the same in some CSP model. Each entry of
:data:`COMPRESSIONS` names the function (imported lazily, so the table costs nothing until used)
and the model it preserves. An entry whose function does not exist yet stays listed with the
reason, so asking for it gives a clear error instead of "unknown". Adding a compression is one
line here once its function exists in ``cspsim.lts``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from cspsim import errors
from cspsim.lts.lts import LTS


@dataclass(frozen=True)
class Compression:
    name: str
    target: str  # "module:function"; the function maps an LTS to an LTS or to (LTS, extra)
    preserves: str
    missing: str = ""  # why it may be unavailable (shown when the import fails)


COMPRESSIONS: dict[str, Compression] = {
    c.name: c
    for c in [
        Compression("sbisim", "cspsim.lts.bisim:strong_bisimulation",
                    "strong bisimulation: preserves traces, failures and divergences (every CSP model)"),
        Compression("normal", "cspsim.lts.normal:normalise",
                    "normalisation: a deterministic graph with the same traces (and failures/divergences "
                    "as node annotations)",
                    missing="normalisation is not part of this version yet (refinement work, issue 4)"),
    ]
}


def resolve(name: str) -> Callable[[LTS], object]:
    """The function of compression ``name``; a diagnostic if unknown or not available."""
    entry = COMPRESSIONS.get(name)
    if entry is None:
        raise errors.unknown_compression(name, COMPRESSIONS)
    module, _, attr = entry.target.partition(":")
    try:
        fn = getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError):
        raise errors.compression_unavailable(name, entry.missing or f"{entry.target} not found") from None
    return fn  # type: ignore[no-any-return]


def compress(lts: LTS, name: str) -> LTS:
    """``lts`` reduced by compression ``name`` (see :data:`COMPRESSIONS`)."""
    result = resolve(name)(lts)
    reduced = result[0] if isinstance(result, tuple) else result
    if not isinstance(reduced, LTS):
        raise TypeError(f"compression {name!r} returned {type(reduced).__name__}, not an LTS")
    return reduced
