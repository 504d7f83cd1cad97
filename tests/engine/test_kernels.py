"""Compiled kernels give the numpy path's bits (issue 24: a speedup may not change a digest).

Every quarter of four pairings of 96 games is resolved from the same world with kernels off and on, and the
two worlds compared field by field; a kernel that drifts by one bit in one game fails here, with the layer's
field and the game named. Each layer's own test (tests/engine/test_kernels_*.py) narrows a failure down.
"""

from __future__ import annotations

import pytest

from game.engine import jit
from game.engine.resolve import advance
from tests.engine.kernel_worlds import same_bits, snapshots

pytestmark = pytest.mark.skipif(not jit.available(), reason="numba is not installed (pip install -e '.[fast]')")


def test_every_quarter_is_the_same_with_kernels() -> None:
    for label, world, o_us, o_cn in snapshots(every=3):
        with jit.using(False):
            by_numpy = world.copy()
            advance(by_numpy, o_us, o_cn)
        with jit.using(True):
            by_kernels = world.copy()
            advance(by_kernels, o_us, o_cn)
        same_bits(label, by_numpy, by_kernels)


def test_kernels_run_only_where_turned_on_and_on_big_batches() -> None:
    with jit.using(True):
        assert jit.active(jit.MIN_BATCH) and not jit.active(jit.MIN_BATCH - 1)
    with jit.using(False):
        assert not jit.active(4096)


def test_layer_calls_replay_a_layer_from_its_recorded_arguments() -> None:
    """The harness itself: a layer called again on a copy of its recorded arguments gives what it gave."""
    from game.engine import infra
    from tests.engine.kernel_worlds import copied, layer_calls

    seen = 0
    for label, fn, args in layer_calls(infra, "usable_compute", quarters=6):
        first, again = copied(args), copied(args)
        with jit.using(False):
            same_bits(label, (fn(*first), first), (fn(*again), again))
        seen += 1
    assert seen >= 4 * 2


def test_commands_write_the_same_with_kernels_off_and_on(tmp_path, monkeypatch, capsys) -> None:
    """`sim` and `balance` end to end: the same --json and the same printed lines with COMPUTE_RACE_KERNELS=0
    (numpy only) as with kernels on."""
    from game.cli import main

    monkeypatch.setattr(jit, "_on", jit.enabled())  # put back after the test, whatever the commands set
    out = {}
    for setting in ("0", "1"):
        monkeypatch.setenv(jit.ENV, setting)
        sim = tmp_path / f"sim{setting}.json"
        bal = tmp_path / f"balance{setting}.json"
        assert main(["sim", "--games", "96", "--us", "random", "--cn", "normal", "--json", str(sim)]) == 0
        assert main(["balance", "--games", "64", "--strategies", "easy,normal", "--json", str(bal)]) == 0
        assert jit.enabled() == (setting == "1")
        out[setting] = (sim.read_bytes(), bal.read_bytes(), capsys.readouterr().out)
    assert out["0"] == out["1"]


def test_a_game_at_the_keyboard_never_loads_numba(tmp_path) -> None:
    """Watching normal against hard (whose look-ahead plays big batches) with no setting: no kernel runs, so
    nothing compiles during play and numba is never imported."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    import game

    code = ("import sys\nfrom game.session import Seat, Session\nfrom game.engine import jit\n"
            "s = Session((Seat('ai', 'normal'), Seat('ai', 'hard')), seed=3)\n"
            "for _ in range(3):\n    s.resolve()\n"
            "print(jit.enabled(), 'numba' in sys.modules, file=sys.stderr)\n")
    env = {k: v for k, v in os.environ.items() if k != jit.ENV}
    env["PYTHONPATH"] = str(Path(game.__file__).resolve().parent.parent)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=300,
                          env=env)
    assert done.stderr.strip().splitlines()[-1] == "False False", done.stderr


def test_the_cache_folder_follows_every_kernel_source(tmp_path, monkeypatch) -> None:
    """A change to any kernel file (mathk's included, which numba's own cache would miss) is a new folder."""
    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "mathk.py").write_text("y = 1\n")
    monkeypatch.setattr(jit, "KERNELS", tmp_path)
    jit.cache_dir.cache_clear()
    first = jit.cache_dir()
    (tmp_path / "mathk.py").write_text("y = 2\n")
    jit.cache_dir.cache_clear()
    second = jit.cache_dir()
    jit.cache_dir.cache_clear()
    assert first != second and first.parent == second.parent
