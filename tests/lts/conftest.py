"""Make the random-script helpers of test_engines_agree importable here (pytest runs in importlib mode)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
