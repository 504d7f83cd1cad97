"""Hypothesis profiles: random examples on a developer's machine; the same examples every CI run
(`HYPOTHESIS_PROFILE=ci`, set by .ci/run), so CI fails only when the code changes."""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
