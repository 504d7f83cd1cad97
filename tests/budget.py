"""How many examples a property or fuzz test runs: its own count, times the fuzz run's scale.

`make test` runs each test's count as written; `make fuzz` (tests/fuzz/run.py) sets COMPUTE_RACE_FUZZ_SCALE so
that the same tests run many more random examples in the time it is given.
"""

from __future__ import annotations

import os

SCALE_VAR = "COMPUTE_RACE_FUZZ_SCALE"


def scale() -> float:
    text = os.environ.get(SCALE_VAR, "1")
    try:
        value = float(text)
    except ValueError:
        raise SystemExit(f"{SCALE_VAR}={text!r}: expected a number such as 20") from None
    return value if value > 0 else 1.0


def examples(count: int) -> int:
    """`count` examples, scaled for a fuzz run."""
    return max(1, round(count * scale()))
