"""Hypothesis settings shared by the oracle tests: deterministic, no example database.

``CSPSIM_ORACLE_EXAMPLES`` scales the number of examples (e.g. 5000 for a long local hunt;
``CSPSIM_ORACLE_RANDOM=1`` also makes the runs random instead of derandomized).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings


def oracle_settings(default_examples: int) -> settings:
    examples = int(os.environ.get("CSPSIM_ORACLE_EXAMPLES", default_examples))
    return settings(
        max_examples=examples,
        derandomize=not os.environ.get("CSPSIM_ORACLE_RANDOM"),
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
        print_blob=True,
    )
