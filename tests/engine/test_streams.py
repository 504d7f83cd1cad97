"""Random streams: each registered once, with its own ids, and every draw in the code names one."""

from __future__ import annotations

import ast
from pathlib import Path

from game.engine import streams
from game.engine.streams import STREAMS, Stream, clashes

GAME = Path(__file__).resolve().parents[2] / "game"
DRAWS = {"uniform": 2, "unit_noise": 2, "derive_seed": 2}  # function -> position of its stream argument


def test_no_two_streams_share_an_id_or_a_name():
    assert clashes() == []


def test_a_shared_id_is_caught():
    extra = STREAMS + (Stream("late", streams.INTEL + 1, 1, "a new stream on the intel's second id"),
                       Stream("events", 900, 1, "a second stream named events"))
    assert clashes(extra) == ["stream id 41 is taken by both intel and late", "stream name events is given twice"]


def test_the_ids_are_those_games_were_played_with():
    # Changing an id changes every game's draws (and every save's digests): these never move.
    assert {s.name: s.id for s in STREAMS} == {"events": 10, "smuggle": 20, "intel": 40, "breakthrough": 50,
                                               "run": 60, "euv": 70, "random_play": 100, "whim": 110, "belief": 120,
                                               "lookahead": 130}


def stream_args() -> list[tuple[str, int, ast.expr]]:
    found = []
    for path in sorted(GAME.rglob("*.py")):
        if path.name == "mathx.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in DRAWS:
                found.append((path.name, node.lineno, node.args[DRAWS[node.func.attr]]))
    return found


def test_every_draw_in_the_code_names_a_registered_stream():
    registered = {name for name in vars(streams) if name.isupper() and isinstance(getattr(streams, name), int)}
    args = stream_args()
    assert len(args) >= 8  # the scan sees the draws (events, smuggle, intel, breakthrough, run, random, whim, belief)
    for where, line, arg in args:
        base = arg.left if isinstance(arg, ast.BinOp) else arg  # `streams.X + side` for a per-side stream
        ok = (isinstance(base, ast.Attribute) and isinstance(base.value, ast.Name) and base.value.id == "streams"
              and base.attr in registered)
        assert ok, f"{where}:{line}: a draw from an unregistered stream ({ast.unparse(arg)}); add it to engine/streams.py"
