"""`make fuzz`: every property and fuzz test (saves, content, strategies, command line, engine invariants) with
random seeds and many more examples than `make test`, in about FUZZ_MINUTES minutes (default 10).

A short run at each test's own count measures how long one round takes, less pytest's start (timed by a
collection-only run); the main run then scales every test's examples (tests/budget.py) to fill what is left of the
time. Hypothesis prints, per test, how many examples ran. A failure is kept in .hypothesis/ and printed with the
example: add it to its test as an explicit case.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from tests.budget import SCALE_VAR

PYTEST = [sys.executable, "-m", "pytest", "-m", "hypothesis", "-n", "2", "-p", "no:cacheprovider", "-q"]


def minutes() -> float:
    text = os.environ.get("FUZZ_MINUTES", "10")
    try:
        value = float(text)
    except ValueError:
        raise SystemExit(f"make fuzz: FUZZ_MINUTES={text!r}: expected a number of minutes such as 10") from None
    if not value > 0:
        raise SystemExit(f"make fuzz: FUZZ_MINUTES={text!r}: expected a number of minutes above 0")
    return value


def run(scale: float, extra: list[str], quiet: bool = False) -> tuple[int, float]:
    env = dict(os.environ, HYPOTHESIS_PROFILE="fuzz", **{SCALE_VAR: f"{scale:g}"})
    began = time.monotonic()  # a duration for the budget, never a result
    code = subprocess.call(PYTEST + extra, env=env, stdout=subprocess.DEVNULL if quiet else None)
    return code, time.monotonic() - began


def main() -> int:
    budget = minutes() * 60
    print(f"make fuzz: a round at each test's own count of examples, to time it ({budget / 60:g} minutes in all)")
    _, startup = run(1, ["--collect-only"], quiet=True)  # starting pytest and its workers: paid once a run, not per example
    code, took = run(1, [])
    if code != 0:
        return code
    per_round = max(took - startup, 1.0)
    scale = max(1.0, (budget - startup - took - startup) / per_round)
    print(f"make fuzz: one round took {took:.0f} s; now {scale:.1f} times the examples with random seeds")
    code, took_main = run(scale, ["--hypothesis-show-statistics"])
    verdict = "nothing found" if code == 0 else "FAILED: see above"
    print(f"make fuzz: {verdict} in {(startup + took + took_main) / 60:.1f} minutes ({SCALE_VAR}={scale:.1f})")
    return code


if __name__ == "__main__":
    raise SystemExit(main())
