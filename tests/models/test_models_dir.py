"""Every model in models/ has the verdict of each of its assertions pinned here."""

from __future__ import annotations

from pathlib import Path

import pytest

import cspsim

MODELS = Path(__file__).resolve().parents[2] / "models"

# model file -> expected status of each assertion, in file order ("pass" includes an
# `assert not` whose property fails, as the script intends).
EXPECTED: dict[str, list[str]] = {
    "philosophers.csp": ["fail", "pass", "pass", "pass", "pass", "pass", "pass"],
    "abp.csp": ["pass", "pass", "pass", "pass", "pass"],
    "buffers.csp": ["pass"] * 8,
}


def test_every_model_is_pinned() -> None:
    present = {p.name for p in MODELS.glob("*.csp")}
    assert present == set(EXPECTED), "pin the verdicts of every model in models/"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_model_verdicts(name: str) -> None:
    model = cspsim.load(MODELS / name)
    statuses = [r.status for r in model.check_all()]
    assert statuses == EXPECTED[name]
