"""``context``: Background, WithCancel, WithTimeout, WithDeadline (Go 1.19's ``context.go``).

``ctx.done()`` is a channel closed on cancellation (the nil channel for Background, as in Go);
``ctx.err()`` is ``None``, ``CANCELED`` or ``DEADLINE_EXCEEDED`` (strings that print as Go's
errors). Cancelling a parent cancels its children; Go keeps them in a map, so their order is a
seeded, logged random permutation. A deadline is an ``AfterFunc`` timer: it starts a goroutine
that cancels, exactly as Go does, so wake-up order matches.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cspsim.sim.chan import NIL, Chan


class GoError(str):
    """An ``error`` value; prints as its message."""

    __slots__ = ()


CANCELED = GoError("context canceled")
DEADLINE_EXCEEDED = GoError("context deadline exceeded")


class Context:
    """A context. Create with ``sim.background()``, ``sim.with_cancel(parent)``, ..."""

    __slots__ = ("_children", "_done", "_err", "_sim", "_timer", "deadline", "parent")

    def __init__(self, sim: Any, parent: Context | None, deadline: int | None = None) -> None:
        self._sim = sim
        self.parent = parent
        self.deadline = deadline
        self._done: Chan | None = None
        self._err: GoError | None = None
        self._children: list[Context] = []
        self._timer: Any = None

    def done(self) -> Chan:
        if self.parent is None:
            return NIL
        if self._done is None:
            self._done = self._sim.chan(0, name=self._sim._name("ctx", None) + ".Done()")
            if self._err is not None:
                self._done.closed = True
        return self._done

    def err(self) -> GoError | None:
        return self._err

    def _cancel(self, remove: bool, err: GoError) -> None:
        if self._err is not None:
            return
        self._err = err
        if self._done is not None:
            self._done.close()
        children, self._children = self._children, []
        if len(children) > 1:
            children = self._sim._shuffle(children, "context children")
        for c in children:
            c._cancel(False, err)
        if remove and self.parent is not None and self in self.parent._children:
            self.parent._children.remove(self)
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _propagate(self) -> None:
        p = self.parent
        assert p is not None
        if p.parent is None:  # Background never cancels
            return
        if p._err is not None:
            self._cancel(False, p._err)
        else:
            p._children.append(self)


class ContextOps:
    """Context constructors of :class:`cspsim.sim.Sim`."""

    now: int

    def background(self) -> Context:
        """``context.Background()``."""
        return Context(self, None)

    def with_cancel(self, parent: Context) -> tuple[Context, Callable[[], None]]:
        """``context.WithCancel(parent)`` → ``(ctx, cancel)``; ``cancel()`` is a plain call."""
        c = Context(self, parent, parent.deadline)
        c._propagate()
        return c, lambda: c._cancel(True, CANCELED)

    def with_deadline(self, parent: Context, deadline: int) -> tuple[Context, Callable[[], None]]:
        """``context.WithDeadline(parent, d)`` (``d`` in virtual ns since the start)."""
        if parent.deadline is not None and parent.deadline < deadline:
            return self.with_cancel(parent)
        c = Context(self, parent, deadline)
        c._propagate()
        dur = deadline - self.now
        if dur <= 0:
            c._cancel(True, DEADLINE_EXCEEDED)
            return c, lambda: c._cancel(False, CANCELED)
        if c._err is None:
            c._timer = self.after_func(dur, _deadline_func(c))
        return c, lambda: c._cancel(True, CANCELED)

    def with_timeout(self, parent: Context, timeout: int) -> tuple[Context, Callable[[], None]]:
        """``context.WithTimeout(parent, d)``."""
        return self.with_deadline(parent, self.now + timeout)


def _deadline_func(c: Context) -> Callable[[], None]:
    def cancel_ctx() -> None:
        c._cancel(True, DEADLINE_EXCEEDED)

    return cancel_ctx
