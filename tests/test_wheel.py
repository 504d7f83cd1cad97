"""The built wheel works outside a checkout: a clean virtual environment (no system site-packages) installs it with the
pinned dependencies, and `compute-race --version`, a short `sim`, `serve --help`, a play-by-file move and a save in the
user's data folder all work there.

Slow (about a minute: it builds the wheel and installs numpy, textual and the rest from pip's cache), so marked
`slow`; `make test` runs it (`-m "not slow"` leaves it out of a quick run).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(args: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, capture_output=True, text=True, **kwargs)
    assert done.returncode == 0, f"{' '.join(map(str, args))} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    return done


@pytest.mark.slow
def test_wheel_installs_and_plays_in_a_clean_venv(tmp_path):
    wheels = tmp_path / "wheels"
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", str(wheels), str(ROOT)])
    (wheel,) = wheels.glob("compute_race-*.whl")
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)])
    py, cr = venv / "bin" / "python", venv / "bin" / "compute-race"
    assert "include-system-site-packages = false" in (venv / "pyvenv.cfg").read_text()
    run([str(py), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-c", str(ROOT / "constraints.txt"),
         str(wheel)])

    # Outside the checkout, with nothing pointing back at it: saves go to the user's data folder ($XDG_DATA_HOME here).
    home = tmp_path / "player"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "COMPUTE_RACE_SAVES", "COMPUTE_RACE_DATA")}
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg")
    where = run([str(py), "-c", "import game; print(game.__file__)"], cwd=home, env=env).stdout.strip()
    assert where.startswith(str(venv)), where

    from game import __version__
    from game.engine.rules_version import RULES_VERSION

    version = run([str(cr), "--version"], cwd=home, env=env).stdout
    assert version.strip() == f"compute-race {__version__} (rules version {RULES_VERSION})"
    sim = run([str(cr), "sim", "--games", "2", "--us", "easy", "--cn", "easy"], cwd=home, env=env).stdout
    assert "US" in sim and "2" in sim
    assert "--port" in run([str(cr), "serve", "--help"], cwd=home, env=env).stdout

    saved = run([str(py), "-c", (
        "from game.saves import saves_dir, write_save\n"
        "from game.session import Seat, Session\n"
        "s = Session((Seat('ai', 'easy'), Seat('ai', 'easy')), seed=3)\n"
        "s.resolve()\n"
        "print(write_save(saves_dir() / 'wheel.json', s))\n")], cwd=home, env=env).stdout.strip()
    assert Path(saved) == tmp_path / "xdg" / "compute-race" / "saves" / "wheel.json"
    assert "verified: 1 of 1" in run([str(cr), "replay", saved, "--verify"], cwd=home, env=env).stdout

    run([str(cr), "pbf", "new", "game.json"], cwd=home, env=env)
    assert "sealed" in run([str(cr), "pbf", "move", "game.json", "--side", "us", "--strategy", "easy"],
                           cwd=home, env=env).stdout
    assert len(list((tmp_path / "xdg" / "compute-race" / "pbf").glob("*.json"))) == 1
