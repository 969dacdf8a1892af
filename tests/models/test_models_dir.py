"""Every model in models/ has the verdict of each of its assertions pinned here."""

from __future__ import annotations

from pathlib import Path

import pytest

import cspsim

MODELS = Path(__file__).resolve().parents[2] / "models"

# model file -> expected status of each assertion, in file order ("pass" includes an
# `assert not` whose property fails, as the script intends).
EXPECTED: dict[str, list[str]] = {
    "philosophers.csp": ["pass"] * 7,
    "abp.csp": ["pass", "pass", "pass", "pass", "pass"],
    "buffers.csp": ["pass"] * 8,
    "go_producer_consumer.csp": ["pass"] * 9,
    "go_buffer_deadlock.csp": ["fail", "pass", "pass"],
    "go_timeout_leak.csp": ["pass", "fail", "pass", "pass"],
    "go_nonblocking.csp": ["pass"] * 5,
    "go_close_contract.csp": ["fail", "pass", "pass", "fail", "pass", "pass"],
    "go_context_cancel.csp": ["pass", "pass", "pass", "pass", "fail"],
    "go_informer.csp": ["pass", "pass", "fail", "pass", "pass"],
    "go_pubsub.csp": ["fail", "fail", "pass", "pass", "pass", "pass", "fail"],
    # refinement models: counterexamples pinned in tests/refinement/test_textbook.py
    "buffer_refinement.csp": ["pass"] * 8,
    "failures_divergences.csp": ["pass"] * 15,
}


def test_every_model_is_pinned() -> None:
    present = {p.name for p in MODELS.glob("*.csp")}
    assert present == set(EXPECTED), "pin the verdicts of every model in models/"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_model_verdicts(name: str) -> None:
    model = cspsim.load(MODELS / name)
    statuses = [r.status for r in model.check_all()]
    assert statuses == EXPECTED[name]


def _check(name: str, index: int) -> cspsim.Result:
    return cspsim.load(MODELS / name).check(index)


def test_philosophers_counterexample_is_shortest() -> None:
    r = _check("philosophers.csp", 1)
    assert r.counterexample is not None
    # Every philosopher sits and takes the left fork: 2 events each, nothing shorter deadlocks.
    assert len(r.counterexample.events) == 10
    assert sorted(r.counterexample.events) == sorted(
        [f"sit.{p}" for p in range(5)] + [f"pick.{p}.{p}" for p in range(5)]
    )


def test_go_deadlock_names_the_blocked_goroutine() -> None:
    r = _check("go_buffer_deadlock.csp", 1)
    assert r.message == "all goroutines are asleep - deadlock!"
    t = r.counterexample
    assert t is not None and t.events == ["c.send.0"]
    assert t.components == ["main"]
    assert t.final_states[0].startswith("[chan send]")
    assert "go_buffer_deadlock.csp:11" in t.final_states[0]


def test_go_timeout_leak_counterexample() -> None:
    r = _check("go_timeout_leak.csp", 2)
    t = r.counterexample
    assert t is not None
    assert t.events == ["after"]  # the caller gives up ...
    assert t.annotations["leaked"] == "g1 WORKER(result)"  # ... and the worker is stuck
    assert any(s.startswith("[chan send]") for s in t.final_states)


def test_go_informer_bounded_buffer_blocks_distributor() -> None:
    r = _check("go_informer.csp", 3)
    t = r.counterexample
    assert t is not None
    main = t.final_states[t.components.index("main")]
    assert main.startswith("[chan send]") and "add.i!e" in main  # blocked adding to a listener
    assert [e for e in t.events if e.startswith("handled.1.")] == ["handled.1.0", "handled.1.1"]  # two of three
    assert "hang.0" in t.events  # listener 0's handler hung, so its pop stopped reading


def test_go_panics_are_reported_with_go_messages() -> None:
    r = _check("go_close_contract.csp", 1)
    assert r.message == "panic: close of closed channel"
    r = _check("go_close_contract.csp", 4)
    assert r.message == "panic: send on closed channel"
