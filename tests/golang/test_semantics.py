"""Go-layer semantics, case by case (golang/go src/runtime/chan.go, select.go, sync)."""

from __future__ import annotations

import pytest

import cspsim
from cspsim.check.golang import outcomes


def _model(text: str) -> cspsim.Model:
    return cspsim.load(text)


def _outcomes(text: str, process: str = "PROGRAM") -> set[str]:
    m = _model(text)
    return set(outcomes(m.machine(process), m.semantics))


def _traces(m: cspsim.Model, process: str, depth: int) -> set[tuple[str, ...]]:
    """Visible traces up to ``depth`` events, from the explicit LTS."""
    lts = m.lts(process)
    out: set[tuple[str, ...]] = set()
    frontier = {(lts.initial, ())}
    seen = set(frontier)
    while frontier:
        nxt = set()
        for s, tr in frontier:
            out.add(tr)
            for e, t in lts.successors(s):
                tr2 = tr if e == 0 else tr + (lts.event_labels[e],)
                if len(tr2) <= depth and (t, tr2) not in seen:
                    seen.add((t, tr2))
                    nxt.add((t, tr2))
        frontier = nxt
    return out


def test_unbuffered_send_is_a_hand_off_then_the_receiver_completes() -> None:
    m = _model("gochan c : {1}\nchannel got : {1}\nPROGRAM = GO(go(c?x -> got!x -> SKIP) ; c!1 -> SKIP)")
    traces = _traces(m, "PROGRAM", 3)
    assert ("c.send.1", "c.recv.1", "got.1") in traces
    assert ("c.recv.1",) not in traces  # nothing is received before it is sent


def test_two_defaults_never_meet_on_an_unbuffered_channel() -> None:
    text = """gochan c : {1}
channel sent, got, skipped
PROGRAM = GO(go((c!1 -> sent -> SKIP) [] (default -> skipped -> SKIP)) ;
             ((c?x -> got -> SKIP) [] (default -> skipped -> SKIP)))"""
    traces = _traces(_model(text), "PROGRAM", 4)
    assert not any("c.send.1" in t for t in traces)


def test_default_is_not_taken_when_a_case_is_ready() -> None:
    text = """gochan c : {1} buffer 1
channel took, defaulted
PROGRAM = GO(c!1 -> (c?x -> took -> SKIP [] default -> defaulted -> SKIP))"""
    traces = _traces(_model(text), "PROGRAM", 4)
    assert ("c.send.1", "c.recv.1", "took") in traces
    assert not any("defaulted" in t for t in traces)


def test_pending_writer_blocks_new_readers() -> None:
    # GoKer "RWR": a reader re-acquiring the read lock while a writer waits deadlocks.
    text = """gorwmutex rw
READER = rw.rlock -> rw.rlock -> rw.runlock -> rw.runlock -> SKIP
WRITER = rw.lock -> rw.unlock -> SKIP
PROGRAM = GO(go(WRITER) ; READER)"""
    assert _outcomes(text) == {"exit", "deadlock"}
    m = _model(text + "\nassert PROGRAM :[deadlock free]")
    (r,) = m.check_all()
    assert r.status == "fail"
    reasons = sorted(s.split("]")[0] + "]" for s in r.counterexample.final_states)
    assert reasons == ["[sync.RWMutex.Lock]", "[sync.RWMutex.RLock]"]


def test_nil_channel_operations_block_forever() -> None:
    text = "gochan unused : {0}\nPROGRAM = GO(nilchan!0 -> SKIP)\nassert PROGRAM :[deadlock free]"
    (r,) = _model(text).check_all()
    assert r.status == "fail"
    assert r.counterexample.final_states[0].startswith("[chan send (nil chan)]")


def test_cancel_propagates_to_descendants_only() -> None:
    text = """gocontext root
gocontext mid : root
gocontext leaf : mid
gocontext other : root
channel seen : {1..3}
PROGRAM = GO(mid.cancel -> leaf.done -> seen.1 -> mid.done -> seen.2 -> other.done -> seen.3 -> SKIP)"""
    # other is a sibling of mid: cancelling mid does not cancel it, so the program blocks there.
    assert _outcomes(text) == {"deadlock"}
    traces = _traces(_model(text), "PROGRAM", 6)
    assert ("mid.cancel", "leaf.done", "seen.1", "mid.done", "seen.2") in traces


def test_timeout_context_may_expire_at_any_moment() -> None:
    text = """gocontext root
gocontext req : root timeout
PROGRAM = GO(req.done -> SKIP)"""
    assert _outcomes(text) == {"exit"}
    traces = _traces(_model(text), "PROGRAM", 2)
    assert ("req.deadline", "req.done") in traces


def test_exited_goroutine_slots_are_reused() -> None:
    # A server that spawns a short-lived handler per request stays finite.
    text = """gochan req : {0..1}
gowaitgroup wg
channel handled : {0..1}
HANDLER(x) = handled.x -> wg.done -> SKIP
SERVER = req?x -> wg.add.1 -> go(HANDLER(x)) ; wg.wait -> SERVER
CLIENT = req!0 -> req!1 -> CLIENT
PROGRAM = GO(go(CLIENT) ; SERVER)
assert PROGRAM :[deadlock free]"""
    (r,) = _model(text).check_all()
    assert r.status == "pass"
    assert r.stats.states < 200


def test_unbounded_spawning_is_a_clear_error() -> None:
    text = """gochan c : {0}
LOOP = go(STOP) ; LOOP
PROGRAM = GO(LOOP)
assert PROGRAM :[deadlock free]"""
    (r,) = _model(text).check_all()
    assert r.status == "error"
    assert r.error is not None and r.error["code"] == "E503"


def test_unbounded_spawning_of_blocked_senders_is_a_clear_bound_error() -> None:
    # Each sender may or may not have parked yet, so the world grows by the subsets of parked
    # senders and reaches the component bound before the goroutine limit.
    text = """gochan c : {0}
LOOP = go(c!0 -> SKIP) ; LOOP
PROGRAM = GO(LOOP)
assert PROGRAM :[deadlock free]"""
    (r,) = _model(text).check_all(cspsim.Limits(max_component_states=2000))
    assert r.status == "error"
    assert r.error is not None and r.error["code"] == "E504"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("gochan c : {0} buffer -1\nP = STOP", "E309"),
        ("channel done\ngowaitgroup wg\nP = STOP", "E308"),
    ],
)
def test_declaration_errors(text: str, code: str) -> None:
    with pytest.raises(cspsim.CspsimError) as info:
        _model(text)
    assert info.value.code == code


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("CONSUMER(recvonly(c))\nCONSUMER(in) = in!0 -> SKIP", "E312"),
        ("PRODUCER(sendonly(c))\nPRODUCER(out) = out?x -> SKIP", "E312"),
        ("CLOSER(recvonly(c))\nCLOSER(in) = in.close -> SKIP", "E312"),
        ("c?x!0 -> SKIP", "E310"),
        ("c!5 -> SKIP", "E306"),
    ],
)
def test_misuse_is_reported_at_the_operation(body: str, code: str) -> None:
    text = f"gochan c : {{0..1}}\nPROGRAM = GO({body.splitlines()[0]})\n" + "\n".join(body.splitlines()[1:])
    text += "\nassert PROGRAM :[deadlock free]"
    (r,) = _model(text).check_all()
    assert r.status == "error", r
    assert r.error is not None and r.error["code"] == code
    assert r.error["span"]["line"] >= 2


def test_go_events_work_in_plain_csp_assertions() -> None:
    # The world's events synchronise with an ordinary CSP observer.
    text = """gochan c : {0..1} buffer 2
channel seen : {0..1}
OBSERVER = c.recv?x -> seen!x -> OBSERVER
PROGRAM = GO(c!0 -> c!1 -> c?a -> c?b -> SKIP)
SYSTEM = PROGRAM [| {| c.recv |} |] OBSERVER
assert SYSTEM :[has trace]: <c.send.0, c.send.1, c.recv.0, seen.0, c.recv.1, seen.1>
assert not SYSTEM :[has trace]: <c.send.0, c.send.1, c.recv.1>"""
    assert [r.status for r in _model(text).check_all()] == ["pass", "pass"]


def test_waitgroup_reused_before_wait_returns_panics() -> None:
    # sync/waitgroup.go: a waiter released by the counter reaching 0 panics if, by the time it
    # runs, Add has made the counter positive again. Real Go 1.19 prints this panic at GOMAXPROCS
    # 1, 2 and 4 for the program below (main does not yield between Done and Add).
    text = """gowaitgroup wg
channel waited, maindone
PROGRAM = GO(wg.add.1 -> go(wg.wait -> waited -> SKIP) ;
             sleep -> wg.done -> wg.add.1 -> sleep -> maindone -> SKIP)"""
    assert _outcomes(text) == {"exit", "panic: sync: WaitGroup is reused before previous Wait has returned"}


def test_waitgroup_waiter_released_at_zero_cannot_miss_it() -> None:
    # A waiter that parks while the counter is positive is released when it reaches 0 and
    # returns; the next Add comes only after Wait has returned, so there is no reuse panic.
    text = """gowaitgroup wg
PROGRAM = GO(wg.add.1 -> go(wg.done -> SKIP) ; wg.wait -> wg.add.1 -> wg.done -> SKIP)"""
    assert _outcomes(text) == {"exit"}


def test_cancel_reaches_children_after_the_parent() -> None:
    # context.go cancelCtx.cancel closes its own Done, then cancels each child: in between, a
    # goroutine can see the parent cancelled and the child not yet.
    text = """gocontext root
gocontext child : root
channel early, late
OBS = root.done -> (child.done -> late -> SKIP [] default -> early -> SKIP)
PROGRAM = GO(go(root.cancel -> SKIP) ; OBS)
SEEN = PROGRAM \\ diff(Events, {early, late})
assert SEEN :[has trace]: <early>
assert SEEN :[has trace]: <late>"""
    assert [r.status for r in _model(text).check_all()] == ["pass", "pass"]
    assert _outcomes(text) == {"exit"}
