"""Runtime values of CSPM's functional language.

Representation, chosen for speed of evaluation and hashing (values key every state of a component):

* Int → ``int``; Bool → ``bool``; Char → ``Char``; a set → ``frozenset``; a tuple → ``tuple``;
  a sequence → :class:`Seq`.
* Datatype constructors and channels are :class:`Name` objects. A constructor or channel applied to
  fields is a :class:`Dot` holding the *flattened* list of atoms (``c.B.1`` is ``Dot((c, B, 1))``),
  as libcspm does: two dotted values are equal when their atoms are. Fields are regrouped with the
  declared arities when a value is taken apart (see :func:`split_fields`).

Because ``True == 1`` in Python, the evaluator checks kinds where CSPM's type system would.
Iteration over sets always goes through :func:`ordered`, so that evaluation order, event numbering
and therefore counterexamples are the same on every run, whatever ``PYTHONHASHSEED`` is.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class Name:
    """A datatype constructor or a channel; ``field_sets`` are the declared field types."""

    __slots__ = ("_hash", "arity", "datatype", "field_sets", "kind", "name", "order")

    def __init__(self, name: str, kind: str, order: int, arity: int, datatype: str | None = None) -> None:
        self.name = name
        self.kind = kind  # "channel" or "constructor"
        self.arity = arity  # syntactic: known before any field type is evaluated
        # Evaluated lazily by the evaluator (a recursive datatype may never need them).
        self.field_sets: tuple[Any, ...] | None = None
        self.datatype = datatype
        self.order = order
        self._hash = hash(("Name", order))

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        # Identity in one process; by declaration order after pickling to a worker process.
        return self is other or (type(other) is Name and other.order == self.order and other.name == self.name)

    def __repr__(self) -> str:
        return self.name

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_name, (self.name, self.kind, self.order, self.arity, self.datatype, self.field_sets))


def _rebuild_name(name: str, kind: str, order: int, arity: int, datatype: str | None, field_sets: Any) -> Name:
    n = Name(name, kind, order, arity, datatype)
    n.field_sets = field_sets
    return n


class Dot:
    """A dotted value ``a.b.c``, stored flat; at least two atoms."""

    __slots__ = ("_hash", "atoms")

    def __init__(self, atoms: tuple[Any, ...]) -> None:
        self.atoms = atoms
        self._hash = hash(("Dot", atoms))

    def __eq__(self, other: object) -> bool:
        return type(other) is Dot and self._hash == other._hash and self.atoms == other.atoms

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        return show(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Dot, (self.atoms,))


class Seq:
    """A finite sequence ``<a, b>``."""

    __slots__ = ("_hash", "items")

    def __init__(self, items: tuple[Any, ...]) -> None:
        self.items = items
        self._hash = hash(("Seq", items))

    def __eq__(self, other: object) -> bool:
        return type(other) is Seq and self._hash == other._hash and self.items == other.items

    def __hash__(self) -> int:
        return self._hash

    def __len__(self) -> int:
        return len(self.items)

    def __repr__(self) -> str:
        return show(self)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Seq, (self.items,))


EMPTY_SEQ = Seq(())


class Char:
    __slots__ = ("ch",)

    def __init__(self, ch: str) -> None:
        self.ch = ch

    def __eq__(self, other: object) -> bool:
        return type(other) is Char and other.ch == self.ch

    def __hash__(self) -> int:
        return hash(("Char", self.ch))

    def __repr__(self) -> str:
        return repr(self.ch)


def atoms_of(v: Any) -> tuple[Any, ...]:
    """The flat atoms of a value: a Dot's atoms, or the value itself."""
    return v.atoms if type(v) is Dot else (v,)


def make_dot(atoms: Iterable[Any]) -> Any:
    """Join values with '.', flattening dotted parts; one atom stays itself."""
    flat: list[Any] = []
    for a in atoms:
        if type(a) is Dot:
            flat.extend(a.atoms)
        else:
            flat.append(a)
    if len(flat) == 1:
        return flat[0]
    return Dot(tuple(flat))


def unit_length(atoms: tuple[Any, ...], i: int) -> int:
    """Number of atoms of the single field value starting at ``atoms[i]``.

    A constructor atom takes its declared fields with it, recursively; any other atom is one field.
    Returns -1 if the atoms end before the value is complete.
    """
    a = atoms[i]
    if type(a) is not Name or a.kind != "constructor" or not a.arity:
        return 1
    j = i + 1
    for _ in range(a.arity):
        if j >= len(atoms):
            return -1
        n = unit_length(atoms, j)
        if n < 0:
            return -1
        j += n
    return j - i


def split_fields(atoms: tuple[Any, ...], start: int = 1) -> list[Any] | None:
    """Regroup ``atoms[start:]`` into field values; None if a constructor is incomplete."""
    out = []
    i = start
    while i < len(atoms):
        n = unit_length(atoms, i)
        if n < 0:
            return None
        out.append(make_dot(atoms[i : i + n]))
        i += n
    return out


def is_event(v: Any) -> bool:
    """A complete channel event: a channel with all its fields."""
    if type(v) is Name:
        return v.kind == "channel" and not v.arity
    if type(v) is Dot:
        head = v.atoms[0]
        if type(head) is not Name or head.kind != "channel":
            return False
        fields = split_fields(v.atoms)
        return fields is not None and len(fields) == head.arity
    return False


# ---------------------------------------------------------------- keys that tell true from 1

_BOOL, _TUPLE, _SET, _SEQ, _DOT = (object() for _ in range(5))


def strict_key(v: Any) -> Any:
    """A dictionary key for ``v`` that keeps ``true`` apart from ``1`` (and ``false`` from ``0``).

    Python has ``True == 1`` with equal hashes; CSPM does not, so a cache keyed by raw values
    would answer ``f(true)`` with the result of ``f(1)`` for a polymorphic ``f``. Values without
    booleans inside are their own key.
    """
    t = type(v)
    if t is int or t is Name:
        return v
    if t is bool:
        return (_BOOL, v)
    if t is tuple:
        return (_TUPLE, *(strict_key(x) for x in v))
    if t is frozenset:
        return (_SET, frozenset(strict_key(x) for x in v))
    if t is Seq:
        return (_SEQ, *(strict_key(x) for x in v.items))
    if t is Dot:
        return (_DOT, *(strict_key(x) for x in v.atoms))
    return v


# ---------------------------------------------------------------- ordering and display


def sort_key(v: Any) -> tuple[Any, ...]:
    """A total order on values, used to iterate sets deterministically."""
    t = type(v)
    if t is bool:
        return (0, int(v))
    if t is int:
        return (1, v)
    if t is Char:
        return (2, v.ch)
    if t is Name:
        return (3, v.order)
    if t is Dot:
        return (4, tuple(sort_key(a) for a in v.atoms))
    if t is tuple:
        return (5, tuple(sort_key(a) for a in v))
    if t is Seq:
        return (6, tuple(sort_key(a) for a in v.items))
    if t is frozenset:
        return (7, tuple(sorted(sort_key(a) for a in v)))
    if t is str:
        return (2, v)
    key = getattr(v, "sort_key", None)
    if key is not None:
        return (8, key())
    return (9, repr(v))


def ordered(s: Iterable[Any]) -> list[Any]:
    """The elements of a set in the canonical order of :func:`sort_key`."""
    items = list(s)
    if all(type(x) is int for x in items):
        return sorted(items)
    return sorted(items, key=sort_key)


def show(v: Any) -> str:
    """CSPM notation of a value, as FDR prints it."""
    t = type(v)
    if t is bool:
        return "true" if v else "false"
    if t is int:
        return str(v)
    if t is Name:
        return v.name
    if t is Dot:
        return ".".join(_show_atom(a) for a in v.atoms)
    if t is tuple:
        return "(" + ", ".join(show(x) for x in v) + ")"
    if t is Seq:
        if v.items and all(type(x) is Char for x in v.items):
            return '"' + "".join(x.ch for x in v.items) + '"'
        return "<" + ", ".join(show(x) for x in v.items) + ">"
    if t is frozenset:
        return "{" + ", ".join(show(x) for x in ordered(v)) + "}"
    if t is Char:
        return repr(v.ch)
    return str(v)


def _show_atom(a: Any) -> str:
    s = show(a)
    if type(a) is int and a < 0:
        return f"({s})"
    return s


def kind_name(v: Any) -> str:
    """What a value is, in words, for type-mismatch messages."""
    t = type(v)
    names = {
        bool: "a Bool",
        int: "an Int",
        frozenset: "a set",
        tuple: "a tuple",
        Seq: "a sequence",
        Char: "a Char",
        Dot: "a dotted value",
    }
    if t in names:
        return names[t]
    if t is Name:
        return "a channel" if v.kind == "channel" else "a constructor"
    return getattr(v, "kind_name", "a " + t.__name__)
