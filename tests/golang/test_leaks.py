"""`:[leak free]` as Go tests mean it (goleak, GoBench): after main returns the others keep running,
and a goroutine leaks only when it reaches a state from which it can never move again."""

from __future__ import annotations

import cspsim

# kubernetes#25331, fixed: the test returns while RUN is still waiting in its select; STOPWC is
# runnable and about to cancel, which releases RUN. Go's goleak finds nothing.
FIXED = """gochan resultChan : {true}
gocontext ctx
RUN = resultChan!true -> SKIP [] ctx.done -> SKIP
STOPWC = ctx.cancel -> SKIP
TEST = go(RUN) ; go(STOPWC) ; SKIP
assert GO(TEST) :[leak free]
"""

# The bug: nobody ever cancels, so RUN waits forever once the test has returned.
BUGGY = """gochan resultChan : {true}
gocontext ctx
RUN = resultChan!true -> SKIP [] ctx.done -> SKIP
TEST = go(RUN) ; SKIP
assert GO(TEST) :[leak free]
"""


def test_spawn_and_return_with_a_runnable_releaser_is_not_a_leak() -> None:
    (r,) = cspsim.load(FIXED).check_all()
    assert r.status == "pass"


def test_spawn_and_return_leaks_when_nothing_can_release_the_goroutine() -> None:
    (r,) = cspsim.load(BUGGY).check_all()
    assert r.status == "fail"
    ce = r.counterexample
    assert ce.annotations["leaked"] == "g1 RUN"
    # The point of no return comes before main returns: once RUN has parked, nothing can free it.
    assert [s.note for s in ce.steps] == ["go RUN", "parks: resultChan!"]
    assert ce.final_states[1].startswith("[select]")


def test_a_goroutine_released_only_on_some_schedules_leaks() -> None:
    # WORKER may be released (the sender picks it) or not (the sender's default fires first):
    # the second schedule reaches a point of no return.
    text = """gochan c : {1}
WORKER = c?x -> SKIP
TEST = go(WORKER) ; (c!1 -> SKIP [] default -> SKIP)
assert GO(TEST) :[leak free]
"""
    (r,) = cspsim.load(text).check_all()
    assert r.status == "fail"
    assert r.counterexample.annotations["leaked"] == "g1 WORKER"


def test_a_blocked_main_is_a_leak_too() -> None:
    text = """gochan c : {1}
TEST = c!1 -> SKIP
assert GO(TEST) :[leak free]
"""
    (r,) = cspsim.load(text).check_all()
    assert r.status == "fail"
    assert r.counterexample.annotations["leaked"] == "main"
