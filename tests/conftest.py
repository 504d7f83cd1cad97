"""Hypothesis profiles. `make test` (and CI) use the same examples on every run and every machine; `make fuzz`
explores with random seeds and many more examples (tests/fuzz/run.py sets HYPOTHESIS_PROFILE=fuzz).

A failure that `make fuzz` finds is added to its test as an explicit `@example`, so `make test` keeps it.
"""

import os

# The engine's compiled kernels (game/engine/jit.py) on, as the headless commands have them, so every test that
# plays a big batch runs them; tests/engine/test_kernels*.py hold them to the numpy path bit for bit.
os.environ.setdefault("COMPUTE_RACE_KERNELS", "1")

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

from tests.budget import examples  # noqa: E402

# The deterministic suite: derandomized (the examples follow from each test's code), no example database (a
# failure saved on one machine does not change what another runs), no deadline (a loaded machine is slow).
settings.register_profile("test", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("ci", parent=settings.get_profile("test"))
# Exploration: random seeds, the scaled example counts of tests/budget.py, failures remembered in .hypothesis/.
settings.register_profile("fuzz", derandomize=False, deadline=None, max_examples=examples(100), print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or "test")  # unset or empty: the deterministic suite


@pytest.fixture
def no_app(monkeypatch):
    """Stop where the Textual app would start, so a command-line test never opens an interface; the list holds
    the Launch each start would have used."""
    started = []

    class Stub:
        def __init__(self, launch, **_):
            started.append(launch)

        def run(self):
            return None

    import game.tui.app

    monkeypatch.setattr(game.tui.app, "ComputeRaceApp", Stub)
    return started


@pytest.fixture(autouse=True)
def dismissed_guide(tmp_path_factory, monkeypatch):
    """Every test runs with its own settings folder in which the first-quarter guide is already dismissed (screens
    and snapshots stay as they were; the user's own settings are never read or written). The guide's own tests
    point $COMPUTE_RACE_CONFIG elsewhere."""
    from game.settings import ENV_CONFIG, FILE_NAME

    folder = tmp_path_factory.mktemp("config")
    (folder / FILE_NAME).write_text('{"guide_dismissed": true}\n', encoding="utf-8")
    monkeypatch.setenv(ENV_CONFIG, str(folder))
    return folder
