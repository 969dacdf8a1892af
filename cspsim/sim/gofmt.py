"""Python values printed the way Go's ``fmt`` (``%v``) and the runtime's panic printer show them.

The conformance suite compares simulator output with real Go line by line, so ``sim.print`` must
turn ``True`` into ``true``, ``None`` into ``<nil>``, ``[1, 2]`` into ``[1 2]`` and ``1e6`` into
``1e+06`` as ``fmt.Println`` does.

>>> go_sprint(True, None, [1, 2], {"b": 1, "a": 2}, 2.0, 1e6, 0.1, "x")
'true <nil> [1 2] map[a:2 b:1] 2 1e+06 0.1 x'
>>> go_sprint(123456.0, 1234567.0, 0.0001, 0.00001, 1e21, -3.25, 100.5, 1 / 3)
'123456 1.234567e+06 0.0001 1e-05 1e+21 -3.25 100.5 0.3333333333333333'
"""

from __future__ import annotations

import math
from typing import Any


def go_str(v: Any) -> str:
    """``%v`` of one value."""
    if v is None:
        return "<nil>"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, str):
        return v
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return _go_float(v)
    if isinstance(v, (list, tuple)):
        return "[" + " ".join(go_str(x) for x in v) + "]"
    if isinstance(v, dict):
        items = sorted(v.items(), key=lambda kv: (str(type(kv[0])), kv[0]))
        return "map[" + " ".join(f"{go_str(k)}:{go_str(x)}" for k, x in items) + "]"
    if isinstance(v, (set, frozenset)):
        return "map[" + " ".join(f"{go_str(k)}:true" for k in sorted(v)) + "]"
    return str(v)


def go_sprint(*args: Any) -> str:
    """``fmt.Sprintln`` without the newline: operands always separated by one space."""
    return " ".join(go_str(a) for a in args)


def _go_float(f: float) -> str:
    """``strconv.FormatFloat(f, 'g', -1, 64)``: shortest round-trip digits, in ``%e`` form when
    the decimal exponent is < -4 or >= 6 (strconv/ftoa.go sets ``eprec = 6`` in shortest mode)."""
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    if f == 0:
        return "-0" if math.copysign(1.0, f) < 0 else "0"
    digits, dp = _shortest_digits(abs(f))
    exp = dp - 1
    if exp < -4 or exp >= 6:
        out = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        out += f"e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    elif dp <= 0:
        out = "0." + "0" * (-dp) + digits
    elif dp >= len(digits):
        out = digits + "0" * (dp - len(digits))
    else:
        out = digits[:dp] + "." + digits[dp:]
    return ("-" if f < 0 else "") + out


def _shortest_digits(f: float) -> tuple[str, int]:
    """Shortest decimal digits of a positive float and the decimal point position
    (``0.0123`` -> ``("123", -1)``), as strconv's shortest mode computes them."""
    r = repr(f)
    mant, _, e = r.partition("e")
    exp = int(e) if e else 0
    ip, _, fp = mant.partition(".")
    if fp == "0":
        fp = ""
    digits = (ip + fp).lstrip("0")
    lead = len(ip + fp) - len((ip + fp).lstrip("0"))
    dp = len(ip) + exp - lead
    digits = digits.rstrip("0") or "0"
    return digits, dp


def go_print_text(*args: Any) -> str:
    """``fmt.Sprint``: a space between two operands only when neither is a string.

    >>> go_print_text("a", "b", 1, 2, "c", 3)
    'ab1 2c3'
    """
    out: list[str] = []
    prev_str = True
    for i, a in enumerate(args):
        is_str = isinstance(a, str)
        if i > 0 and not is_str and not prev_str:
            out.append(" ")
        out.append(go_str(a))
        prev_str = is_str
    return "".join(out)
