"""The arrival rule: a select sees only partners that have arrived (issue: Go's `select` soundness).

A goroutine's blocking operation takes effect when that goroutine runs: it completes if a partner
has already parked (or the buffer, closed flag, lock … allows it), otherwise it parks or, in a
select with ``default``, takes the default. A timer fires by its own step, so "not fired yet" is
always possible and never stops ``default``. Each case below is a verdict that real Go
contradicted before the rule existed (the Go programs and their outcomes are in the comments).
"""

from __future__ import annotations

import cspsim
from cspsim.check.golang import outcomes


def _results(text: str) -> list[cspsim.Result]:
    return cspsim.load(text).check_all()


# select { case <-ch: case <-time.After(time.Second): default: ch <- 1 }   (ch unbuffered)
# Go 1.19, GOMAXPROCS 1/2/4: "fatal error: all goroutines are asleep - deadlock!" every run.
AFTER_AND_DEFAULT = """gochan ch : {1}
MAIN = ch?x -> SKIP [] after -> SKIP [] default -> ch!1 -> SKIP
assert GO(MAIN) :[deadlock free]
assert GO(MAIN) :[leak free]
"""


def test_a_timer_case_does_not_stop_default() -> None:
    deadlock, leak = _results(AFTER_AND_DEFAULT)
    assert deadlock.status == "fail" and leak.status == "fail"
    steps = [(s.event, s.note) for s in deadlock.counterexample.steps]
    assert steps == [("τ", "select default"), ("τ", "parks: ch!")]
    assert deadlock.counterexample.final_states[0].startswith("[chan send] ch!1 -> SKIP")


def test_a_timer_may_have_fired_when_the_select_is_evaluated() -> None:
    # Untimed over-approximation: the goroutine may be descheduled between evaluating
    # time.After(d) and the select for longer than d, so the timer case stays possible.
    m = cspsim.load(AFTER_AND_DEFAULT)
    assert set(outcomes(m.machine("GO(MAIN)"), m.semantics)) == {"deadlock", "exit"}


# go func() { u <- 0 }(); select { case msg := <-u: process(msg); default: skipped() }; serve()
# Go: default taken and the sender leaked in 15/15 runs at GOMAXPROCS 1, 2 and 4.
NOT_YET_ARRIVED = """gochan u : {0}
channel process, skipped
SERVE = sleep -> SERVE
MAIN = go(u!0 -> SKIP) ; (u?msg -> process -> SKIP [] default -> skipped -> SKIP) ; SERVE
SEEN(P) = P \\ diff(Events, {process, skipped})
assert SEEN(GO(MAIN)) :[has trace]: <skipped>
assert GO(MAIN) :[leak free]
assert SEEN(GO(MAIN)) :[has trace]: <process>
assert GO(MAIN) :[deadlock free]
"""


def test_a_goroutine_that_has_not_reached_its_send_is_not_a_ready_sender() -> None:
    skipped, leak, processed, deadlock = _results(NOT_YET_ARRIVED)
    assert skipped.status == "pass"
    assert leak.status == "fail"
    assert leak.counterexample.annotations["leaked"].startswith("g1")
    assert leak.counterexample.final_states[1].startswith("[chan send] u!0 -> SKIP")
    # Once the sender has parked, the select takes the case instead (either order happens in Go).
    assert processed.status == "pass"
    assert deadlock.status == "pass"


def test_a_parked_sender_makes_the_case_ready() -> None:
    # An event before the select gives the sender time to arrive, but nothing makes it certain
    # that it has: both branches stay reachable, as in Go.
    text = """gochan u : {0}
channel process, skipped, first
MAIN = go(u!0 -> SKIP) ; first -> (u?msg -> process -> SKIP [] default -> skipped -> SKIP)
SEEN(P) = P \\ diff(Events, {process, skipped, first})
assert SEEN(GO(MAIN)) :[has trace]: <first, process>
assert SEEN(GO(MAIN)) :[has trace]: <first, skipped>
"""
    assert [r.status for r in _results(text)] == ["pass", "pass"]


# The seed's three-way select: notifications / time.After(5s) / default; all three branches.
THREE_WAY = """gochan notifications : {0} buffer 1
channel handled, timedout, logbusy
POLL = notifications?n -> handled -> SKIP [] after -> timedout -> SKIP [] default -> logbusy -> SKIP
PRODUCER = notifications!0 -> SKIP
MAIN = go(PRODUCER) ; POLL ; POLL
SEEN(P) = P \\ diff(Events, {handled, timedout, logbusy})
assert SEEN(GO(MAIN)) :[has trace]: <logbusy>
assert SEEN(GO(MAIN)) :[has trace]: <handled>
assert SEEN(GO(MAIN)) :[has trace]: <timedout>
assert SEEN(GO(MAIN)) :[has trace]: <logbusy, handled>
"""


def test_three_way_select_reaches_every_branch() -> None:
    assert [r.status for r in _results(THREE_WAY)] == ["pass"] * 4


def test_unbuffered_partners_meet_only_once_one_has_parked() -> None:
    # Both arrive at the same time in no order: one parks first (a τ step named after it), the
    # other completes the hand-off; the receiver then completes its receive.
    text = """gochan c : {1}
MAIN = go(c!1 -> SKIP) ; c?x -> SKIP
assert GO(MAIN) :[has trace]: <c.send.1, c.recv.1>
assert not GO(MAIN) :[has trace]: <c.recv.1>
"""
    assert [r.status for r in _results(text)] == ["pass", "pass"]
    stuck = text.replace("c?x -> SKIP", "STOP") + "assert GO(MAIN) :[deadlock free]\n"
    r = _results(stuck)[-1]
    assert [(s.event, s.note) for s in r.counterexample.steps][-1] == ("τ", "parks: c!")


def test_a_non_blocking_send_to_a_parked_receiver_succeeds() -> None:
    text = """gochan c : {1}
channel sent, dropped
RECEIVER = c?x -> SKIP
MAIN = go(RECEIVER) ; (c!1 -> sent -> SKIP [] default -> dropped -> SKIP)
assert GO(MAIN) :[has trace]: <c.send.1, sent>
assert GO(MAIN) :[has trace]: <dropped>
"""
    assert [r.status for r in _results(text)] == ["pass", "pass"]


def test_close_wakes_a_parked_receiver_and_panics_a_parked_sender() -> None:
    recv = """gochan c : {1}
channel woke
MAIN = go(c?x?ok -> (if ok then STOP else woke -> SKIP)) ; c.close -> SKIP
assert GO(MAIN) :[has trace]: <c.close, c.recvclosed, woke>
"""
    assert [r.status for r in _results(recv)] == ["pass"]
    send = """gochan c : {1}
channel done_
PROGRAM = GO(go(c!1 -> SKIP) ; sleep -> c.close -> sleep -> SKIP)
"""
    m = cspsim.load(send)
    assert set(outcomes(m.machine("PROGRAM"), m.semantics)) == {"exit", "panic: send on closed channel"}
