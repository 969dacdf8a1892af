"""Let these tests use the oracle helpers in ``tests/oracle`` (``lts_view``, ``csp_opsem``)."""

import sys
from pathlib import Path

_ORACLE = str(Path(__file__).resolve().parents[1] / "oracle")
if _ORACLE not in sys.path:
    sys.path.insert(0, _ORACLE)
