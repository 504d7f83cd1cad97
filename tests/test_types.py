"""mypy over game/ with the project's configuration (pyproject.toml [tool.mypy]): strict for the engine, the
content loader, the schema and text; mypy's defaults for the rest. The cache in .mypy_cache makes reruns fast."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
import tomli

import game

ROOT = Path(game.__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
# Modules held to strict (a package, one module in it): no override may relax them.
STRICT = ("game.engine", "game.engine.state", "game.content", "game.content.schema", "game.schema", "game.text")


def covers(pattern: str, module: str) -> bool:
    """Whether a mypy override's module pattern ("game.tui.*" or "game.cli") applies to `module`."""
    if pattern.endswith(".*"):
        package = pattern[:-2]
        return module == package or module.startswith(package + ".")
    return module == pattern


def test_strict_modules_are_not_relaxed() -> None:
    """strict is on, and no override turns its flags (or errors) off for the strict modules."""
    config = tomli.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["mypy"]
    assert config["strict"] is True
    for override in config.get("overrides", []):
        patterns = override["module"] if isinstance(override["module"], list) else [override["module"]]
        relaxed = [(p, m) for p in patterns for m in STRICT if covers(p, m)]
        assert not relaxed, f"a mypy override relaxes a strict module: {relaxed}"


def test_mypy_passes() -> None:
    """In a child process: mypy in-process would leave its garbage-collector settings on the test worker."""
    if importlib.util.find_spec("mypy") is None:
        pytest.skip("mypy is not installed (pip install -c constraints.txt -e '.[test]')")
    run = subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(PYPROJECT),
                          "--cache-dir", str(ROOT / ".mypy_cache"), str(ROOT / "game")],
                         capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert run.returncode == 0, f"mypy found problems:\n{run.stdout}{run.stderr}"
