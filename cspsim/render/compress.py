"""Compressions a drawing can apply before layout, chosen by name (``cspsim graph --compress``).

There is one registry of compressions, :data:`cspsim.lts.reduce.COMPRESSIONS`, which scripts use
too (``normal(P)``, ``wbisim(P)`` …); this module only looks names up in it, so a picture can be
compressed by exactly the functions a script accepts.
"""

from __future__ import annotations

from collections.abc import Callable

from cspsim import errors
from cspsim.lts.lts import LTS
from cspsim.lts.reduce import COMPRESSIONS

__all__ = ["COMPRESSIONS", "compress", "resolve"]


def resolve(name: str) -> Callable[[LTS], LTS]:
    """The function of compression ``name``; a diagnostic (E602) if there is none."""
    fn = COMPRESSIONS.get(name)
    if fn is None:
        raise errors.unknown_compression(name, COMPRESSIONS)
    return fn


def compress(lts: LTS, name: str) -> LTS:
    """``lts`` reduced by compression ``name`` (same traces, failures and divergences)."""
    return resolve(name)(lts)
