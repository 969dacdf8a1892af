"""One catalogue of user-facing diagnostics.

Every error a user can cause (syntax, unknown name, type mismatch, evaluation failure, unbounded
model, resource limit) is raised through a function of this module, so that the wording, the error
code and the exit code live in one place. Each diagnostic carries a :class:`Span`; :func:`render`
turns it into a one-screen message with ``file:line:col``, the source line with a caret, what was
expected, and a hint. Nothing here prints a Python traceback.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Span:
    """A region of a source file: 1-based line and column, end column exclusive."""

    file: str
    line: int
    col: int
    end_line: int
    end_col: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"

    def to_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.col,
            "end_line": self.end_line,
            "end_column": self.end_col,
        }


NO_SPAN = Span("<unknown>", 0, 0, 0, 0)

# Source texts by file name, so a diagnostic can quote the offending line.
_SOURCES: dict[str, str] = {}


def register_source(path: str, text: str) -> None:
    _SOURCES[path] = text


def source_line(span: Span) -> str | None:
    text = _SOURCES.get(span.file)
    if text is None or span.line <= 0:
        return None
    lines = text.split("\n")
    if span.line > len(lines):
        return None
    return lines[span.line - 1].rstrip("\r")


def source_text(span: Span) -> str | None:
    """The exact source text of a span (may cover several lines)."""
    text = _SOURCES.get(span.file)
    if text is None or span.line <= 0:
        return None
    lines = text.split("\n")
    if span.end_line > len(lines):
        return None
    if span.line == span.end_line:
        return lines[span.line - 1][span.col - 1 : span.end_col - 1]
    parts = [lines[span.line - 1][span.col - 1 :]]
    parts.extend(lines[span.line : span.end_line - 1])
    parts.append(lines[span.end_line - 1][: span.end_col - 1])
    return "\n".join(parts)


class CspsimError(Exception):
    """A diagnostic for the user. ``kind`` selects the exit code (see :data:`EXIT_CODES`)."""

    def __init__(
        self,
        code: str,
        kind: str,
        message: str,
        span: Span = NO_SPAN,
        expected: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.kind = kind
        self.message = message
        self.span = span
        self.expected = expected
        self.hint = hint

    def __str__(self) -> str:
        return render(self)

    def to_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "kind": self.kind,
            "message": self.message,
            "span": self.span.to_json() if self.span is not NO_SPAN else None,
            "expected": self.expected,
            "hint": self.hint,
        }


# Exit codes of the CLI, documented in the README.
EXIT_PASS = 0
EXIT_FAIL = 1
EXIT_INPUT = 2
EXIT_LIMIT = 3
EXIT_INTERNAL = 4


@dataclass
class LimitReached(Exception):
    """Raised inside engines when ``--max-states`` or ``--timeout`` stops a search."""

    what: str
    states: int = 0
    transitions: int = 0
    extra: dict[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.what} after {self.states} states"


def render(err: CspsimError) -> str:
    """Format a diagnostic as a short, self-contained message."""
    where = f"{err.span}: " if err.span is not NO_SPAN else ""
    out = [f"{where}error[{err.code}]: {err.message}"]
    line = source_line(err.span)
    if line is not None:
        num = str(err.span.line)
        width = 1
        if err.span.end_line == err.span.line and err.span.end_col > err.span.col:
            width = err.span.end_col - err.span.col
        elif err.span.end_line > err.span.line:
            width = max(1, len(line) - err.span.col + 1)
        shown = line if len(line) <= 160 else line[:157] + "..."
        out.append(f" {num} | {shown}")
        out.append(f" {' ' * len(num)} | {' ' * (err.span.col - 1)}{'^' * min(width, 80)}")
    if err.expected:
        out.append(f"  expected: {err.expected}")
    if err.hint:
        out.append(f"  hint: {err.hint}")
    return "\n".join(out)


def _suggest(name: str, candidates: Iterable[str]) -> str | None:
    close = difflib.get_close_matches(name, list(candidates), n=3, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    return None


# ---------------------------------------------------------------- syntax (E1xx)


def syntax_error(span: Span, message: str, expected: str | None = None, hint: str | None = None) -> CspsimError:
    return CspsimError("E101", "syntax", message, span, expected, hint)


def unterminated_comment(span: Span) -> CspsimError:
    return CspsimError("E102", "syntax", "comment '{-' is never closed", span, expected="'-}'")


def include_not_found(span: Span, path: str) -> CspsimError:
    return CspsimError("E103", "syntax", f"cannot read included file '{path}'", span)


def include_cycle(span: Span, path: str) -> CspsimError:
    return CspsimError("E104", "syntax", f"file '{path}' includes itself", span)


def file_not_found(path: str) -> CspsimError:
    return CspsimError("E105", "syntax", f"cannot read '{path}'")


def bad_pattern(span: Span, what: str) -> CspsimError:
    return CspsimError(
        "E106", "syntax", f"{what} cannot be used as a pattern", span,
        expected="a variable, '_', a literal, a tuple, a dotted constructor, a sequence or a set pattern",
    )


def bad_definition(span: Span) -> CspsimError:
    return CspsimError(
        "E107", "syntax", "left side of '=' is not a name, a function clause or a pattern", span,
        expected="NAME = ..., NAME(args) = ... or (x, y) = ...",
    )


def unsupported(span: Span, what: str, hint: str | None = None) -> CspsimError:
    return CspsimError("E108", "syntax", f"{what} is not supported yet", span, hint=hint)


# ---------------------------------------------------------------- names and scope (E2xx)


def unknown_name(span: Span, name: str, known: Iterable[str]) -> CspsimError:
    return CspsimError("E201", "name", f"unknown name '{name}'", span, hint=_suggest(name, known))


def duplicate_definition(span: Span, name: str, first: Span) -> CspsimError:
    return CspsimError("E202", "name", f"'{name}' is defined twice (first at {first})", span)


def unknown_process(name: str, known: Iterable[str]) -> CspsimError:
    return CspsimError("E203", "name", f"no process named '{name}'", hint=_suggest(name, known))


def not_a_channel(span: Span, text: str) -> CspsimError:
    return CspsimError("E204", "name", f"'{text}' is not a channel", span)


# ---------------------------------------------------------------- types (E3xx)


def type_mismatch(span: Span, expected: str, got: str, value: str | None = None) -> CspsimError:
    shown = f" ({value})" if value is not None and len(value) < 60 else ""
    return CspsimError("E301", "type", f"type mismatch: found {got}{shown}", span, expected=expected)


def wrong_arity(span: Span, name: str, expected: int, got: int) -> CspsimError:
    return CspsimError(
        "E302", "type", f"'{name}' applied to {got} argument(s)", span, expected=f"{expected} argument(s)"
    )


def not_a_function(span: Span, got: str) -> CspsimError:
    return CspsimError("E303", "type", f"{got} is not a function", span)


def event_incomplete(span: Span, event: str, missing: int) -> CspsimError:
    return CspsimError(
        "E304", "type", f"event '{event}' lacks {missing} field(s) of its channel", span,
        hint="complete it with '?x', '!v' or '.v' fields",
    )


def event_too_long(span: Span, event: str) -> CspsimError:
    return CspsimError("E305", "type", f"'{event}' has more fields than its channel declares", span)


def value_not_in_type(span: Span, value: str, channel: str) -> CspsimError:
    return CspsimError(
        "E306", "type", f"value {value} is not in the type of channel '{channel}'", span,
        hint="check the channel declaration",
    )


def not_an_event(span: Span, got: str) -> CspsimError:
    return CspsimError("E307", "type", f"{got} is not an event", span)


def go_reserved_name(span: Span, name: str) -> CspsimError:
    return CspsimError(
        "E308", "name", f"'{name}' is reserved for Go-layer events in a script that declares Go objects", span,
        hint=f"rename your '{name}'",
    )


def go_negative_capacity(span: Span, cap: int) -> CspsimError:
    return CspsimError("E309", "type", f"channel capacity {cap} is negative", span, expected="a capacity >= 0")


def go_bad_operation(span: Span, name: str) -> CspsimError:
    return CspsimError(
        "E310", "type", f"not a Go channel operation on '{name}'", span,
        expected=f"'{name}!v -> P' (send), '{name}?x -> P' or '{name}?x?ok -> P' (receive), "
        f"or '{name}.close -> P'",
    )


def go_wrong_direction(span: Span, name: str, direction: str) -> CspsimError:
    allowed = "send-only (chan<-)" if direction == "send" else "receive-only (<-chan)"
    misuse = "receive from" if direction == "send" else "send on or close"
    return CspsimError(
        "E312", "type", f"cannot {misuse} '{name}': this end is {allowed}", span,
        hint="pass the channel itself, or the other end (sendonly/recvonly), to this goroutine",
    )


def go_not_an_object(span: Span, what: str, got: str) -> CspsimError:
    return CspsimError("E311", "type", f"{what} needs a Go object, found {got}", span)


# ---------------------------------------------------------------- evaluation (E4xx)


def eval_error(span: Span, message: str, hint: str | None = None) -> CspsimError:
    return CspsimError("E401", "eval", message, span, hint=hint)


def no_matching_clause(span: Span, name: str, args: str) -> CspsimError:
    return CspsimError("E402", "eval", f"no equation of '{name}' matches {args}", span)


def infinite_set(span: Span) -> CspsimError:
    return CspsimError(
        "E403", "eval", "this set is infinite and cannot be enumerated", span,
        hint="give it an upper bound, e.g. {0..N}",
    )


def unguarded_recursion(span: Span, name: str) -> CspsimError:
    return CspsimError(
        "E404", "eval", f"'{name}' is defined in terms of itself without an event in between", span,
        hint="unguarded recursion has no meaning as a process; put a prefix 'e -> ...' on the path",
    )


def division_by_zero(span: Span) -> CspsimError:
    return CspsimError("E405", "eval", "division by zero", span)


def empty_internal_choice(span: Span) -> CspsimError:
    return CspsimError("E406", "eval", "replicated internal choice over an empty set", span)


def user_error(span: Span, message: str) -> CspsimError:
    return CspsimError("E407", "eval", f"error(): {message}", span)


def evaluation_too_deep(span: Span) -> CspsimError:
    return CspsimError(
        "E408", "eval", "evaluation recursed too deeply", span,
        hint="is a function recursing without reaching its base case?",
    )


# ---------------------------------------------------------------- bounds (E5xx)


def infinite_state(span: Span, name: str, limit: int) -> CspsimError:
    return CspsimError(
        "E501", "bound", f"process '{name}' has more than {limit} states on its own", span,
        hint="it is probably infinite-state (e.g. recursion through '|||' or an unbounded counter); "
        "bound it, or raise --max-component-states",
    )


def go_too_many_states(span: Span, name: str, limit: int) -> CspsimError:
    return CspsimError(
        "E504", "bound", f"Go program '{name}' has more than {limit} states", span,
        hint="goroutines spawned in an unbounded loop, or an unbounded counter, make a program "
        "infinite-state; bound them, or raise --max-component-states",
    )


def go_too_many_goroutines(limit: int) -> CspsimError:
    return CspsimError(
        "E503", "bound", f"a Go program has more than {limit} live goroutines",
        hint="is a goroutine spawned in an unbounded loop? bound the loop",
    )


def compression_too_large(name: str, limit: int) -> CspsimError:
    return CspsimError(
        "E505", "bound", f"cannot compress '{name}': it has more than {limit} states", NO_SPAN,
        hint="compress smaller components (FDR's advice: compress components, not the whole system), "
        "or raise --max-component-states",
    )


def assertion_unsupported(span: Span, what: str) -> CspsimError:
    return CspsimError("E502", "unsupported", f"{what} is not supported yet", span)


# ---------------------------------------------------------------- rendering (E6xx)


def graph_too_large(what: str, limit: int, count: int | None = None, compressed: bool = False) -> CspsimError:
    size = f"{count} states, more than {limit}" if count is not None else f"more than {limit} states"
    ways = "hide internal events (P \\ {| c |})" if compressed else \
        "draw a compressed graph (--compress sbisim), hide internal events (P \\ {| c |})"
    return CspsimError("E601", "limit", f"{what} has {size}: too many to draw legibly", NO_SPAN,
                       hint=f"{ways}, draw a smaller instance, or raise --max-states")


def unknown_compression(name: str, available: Iterable[str]) -> CspsimError:
    names = sorted(available)
    return CspsimError("E602", "unsupported", f"unknown compression '{name}'", NO_SPAN,
                       expected=", ".join(names), hint=_suggest(name, names))


def compression_unavailable(name: str, reason: str) -> CspsimError:
    return CspsimError("E603", "unsupported", f"compression '{name}' is not available: {reason}", NO_SPAN)


def renderer_not_found(variable: str, value: str) -> CspsimError:
    return CspsimError("E604", "render", f"${variable} names '{value}', which is not an executable program",
                       NO_SPAN, hint=f"set ${variable} to the path of dot or graphviz-pure, or to 'none'")


def render_timeout(renderer: str, layout: str, seconds: float) -> CspsimError:
    return CspsimError(
        "E605", "limit", f"{renderer} did not finish the '{layout}' layout within {seconds:g} s", NO_SPAN,
        hint="draw fewer states (--compress sbisim, hiding) or choose a faster layout (--layout sfdp)",
    )


def render_failed(renderer: str, detail: str) -> CspsimError:
    lines = [ln for ln in detail.strip().splitlines() if ln.strip() and "no value for width" not in ln]
    shown = "; ".join(lines[-3:]) or "no output"
    return CspsimError("E606", "render", f"{renderer} failed: {shown}", NO_SPAN)


EXIT_BY_KIND = {
    "syntax": EXIT_INPUT,
    "name": EXIT_INPUT,
    "type": EXIT_INPUT,
    "eval": EXIT_INPUT,
    "bound": EXIT_INPUT,
    "unsupported": EXIT_INPUT,
    "limit": EXIT_LIMIT,
    "render": EXIT_INTERNAL,
}
