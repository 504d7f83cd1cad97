"""Fuzz play by file with two players passing one file: interleaved histories of commits, reveals, roll-backs to any
older copy, retries, moves killed between their writes, and, by one side (the cheat), moves from fresh data
folders, rival reveals pasted from other copies and commitments forged in the rival's name. The pbf functions run
in-process (a kill is an exception no code of the game catches, raised at a file's replacement), for speed.

The rule checked, for the honest side: no quarter resolves with orders the cheat chose after seeing the honest
side's. The honest side reveals against at most one commitment of the rival's a quarter (any other reveal is
refused), every move it makes is on a file whose resolved quarters carry that commitment and its own, and every
copy that does not is refused by its record (pbf.check_record)."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from game import pbf
from game.content import load_content
from tests.budget import examples

HISTORIES = 12
STEPS = 30
CONTENT = load_content()
SIDES = pbf.SIDES
SIDE = st.sampled_from(SIDES)
# A step: (kind, side, strategy, n). Plain moves are drawn most, so that histories reach later quarters.
KINDS = ["move"] * 5 + [
    "kill",         # the side's move, its process killed before its nth file replacement (n % 3)
    "rollback",     # an older copy passed on (copy n, wrapped), by anyone
    "fresh",        # the cheat's move from a new data folder
    "paste",        # the cheat pastes the rival's reveal, from a copy that shows it, into the file
    "forge",        # the cheat seals (and reveals) orders in the rival's name with its own secret
]
STEP = st.tuples(st.sampled_from(KINDS), SIDE, st.sampled_from(["easy", "balanced"]), st.integers(0, 63))


class Killed(BaseException):
    """The move's process died (nothing in the game catches a BaseException, as nothing catches a SIGKILL)."""


@contextlib.contextmanager
def killed_at(nth: int) -> Iterator[None]:
    real = os.replace
    count = 0

    def replace(src: Any, dst: Any) -> None:
        nonlocal count
        if count == nth:
            raise Killed
        count += 1
        real(src, dst)

    with mock.patch("os.replace", replace):
        yield


class Table:
    """One history: the shared file, every copy it has been, each side's data folder, what the honest side did."""

    def __init__(self, root: Path, cheat: str) -> None:
        self.root = root
        self.path = root / "game.json"
        self.cheat = cheat
        self.honest = pbf.SIDES[1 - SIDES.index(cheat)]
        self.folders = {side: root / f"{side}-data" for side in SIDES}
        self.fresh = 0
        pbf.new_game(self.path, content=CONTENT, seed=3)
        self.copies = [self.path.read_bytes()]
        self.revealed: dict[int, set[str]] = {}     # quarter: the rival commitments the honest side revealed against

    def data(self, raw: bytes | None = None) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(self.path.read_bytes() if raw is None else raw)
        return result

    def step(self, step: tuple[str, str, str, int]) -> None:
        kind, side, strategy, n = step
        if kind in ("fresh", "paste", "forge") and side != self.cheat:
            kind = "move"  # only the cheat cheats
        if kind == "rollback":
            self.path.write_bytes(self.copies[n % len(self.copies)])
        elif kind == "paste":
            self.paste(side)
        elif kind == "forge":
            self.forge(side)
        else:
            if kind == "fresh":
                self.fresh += 1
                self.folders[side] = self.root / f"fresh-{self.fresh}"
            self.move(side, strategy, n % 3 if kind == "kill" else None)
        raw = self.path.read_bytes()
        if raw not in self.copies:
            self.copies.append(raw)

    def move(self, side: str, strategy: str, kill_at: int | None) -> None:
        before = self.path.read_bytes()
        try:
            game = pbf.read_game(self.path, CONTENT)
            against = game.sealed(pbf._other(side)) if game.step(side) == "reveal" else None
            with killed_at(kill_at) if kill_at is not None else contextlib.nullcontext():
                pbf.move(game, side, strategy, self.folders[side])
        except pbf.PbfError as exc:
            assert "\n" not in str(exc)
            assert self.path.read_bytes() == before, "a refused move changed the file"
            return
        except Killed:
            done = False
        else:
            done = True
        if side != self.honest:
            return
        if against is not None and self.path.read_bytes() != before:  # the honest side's orders are in the file
            quarter = len(self.data(before)["history"])
            self.revealed.setdefault(quarter, set()).add(against["commit"])
            assert len(self.revealed[quarter]) == 1, f"the honest side revealed twice in quarter {quarter + 1}"
        if done:
            assert not self.breaks_rule(before), "the honest side played on from a file that breaks the rule"

    def rival_reveal(self, rival: str, commit: str, quarter: int) -> dict[str, Any] | None:
        """The rival's reveal for this commitment, from any copy that shows it."""
        for raw in self.copies:
            data = self.data(raw)
            seal = data["sealed"][rival]
            if len(data["history"]) == quarter and seal and seal["commit"] == commit and seal["reveal"]:
                return dict(seal["reveal"])
            if len(data["history"]) > quarter and data["history"][quarter][rival]["commit"] == commit:
                return {"orders": data["game"]["turns"][quarter]["orders"][rival],
                        "secret": data["history"][quarter][rival]["secret"]}
        return None

    def paste(self, side: str) -> None:
        """Attack (a)'s last step: the rival's reveal copied into a file where the cheat has committed anew."""
        data, rival = self.data(), pbf._other(side)
        theirs = data["sealed"][rival]
        if data["sealed"][side] is None or theirs is None or theirs["reveal"] is not None:
            return
        shown = self.rival_reveal(rival, theirs["commit"], len(data["history"]))
        if shown is not None:
            theirs["reveal"] = shown
            self.path.write_text(json.dumps(data))

    def forge(self, side: str) -> None:
        """The file has no signatures: the cheat seals (and reveals) orders in the rival's name with its own secret."""
        data, rival = self.data(), pbf._other(side)
        if data["sealed"][side] is None or data["sealed"][rival] is not None:
            return
        try:
            game = pbf.read_game(self.path, CONTENT)
        except pbf.PbfError:
            return
        orders = pbf.strategy_orders(game, rival, "easy").as_dict()
        secret = "5e" * 32
        data["sealed"][rival] = {"commit": pbf.commitment(game.game_id, game.quarter, rival, orders, secret),
                                 "reveal": {"orders": orders, "secret": secret}}
        self.path.write_text(json.dumps(data))

    def breaks_rule(self, raw: bytes) -> bool:
        """Whether a copy resolves a quarter with another rival commitment than the one the honest side revealed
        against, or with orders for the honest side it did not seal (since it first sealed any)."""
        history = self.data(raw)["history"]
        store = pbf.Store(self.folders[self.honest], self.data(raw)["game_id"])
        sealed = [r for r in store.records if r["side"] == self.honest]
        first = min((r["quarter"] for r in sealed), default=len(history))
        rival = pbf._other(self.honest)
        for quarter in range(len(history)):
            against = self.revealed.get(quarter)
            if against and history[quarter][rival]["commit"] not in against:
                return True
            mine = {r["commit"] for r in sealed if r["quarter"] == quarter}
            if quarter >= first and history[quarter][self.honest]["commit"] not in mine:
                return True
        return False

    def check_every_copy(self) -> None:
        """Every copy that breaks the rule is refused by the honest side's record."""
        for n, raw in enumerate(self.copies):
            if not self.breaks_rule(raw):
                continue
            copy = self.root / f"copy-{n}.json"
            copy.write_bytes(raw)
            try:
                game = pbf.read_game(copy, CONTENT)
            except pbf.PbfError:
                continue  # not even a valid game file
            try:
                pbf.check_record(game, self.folders[self.honest])
            except pbf.PbfError:
                continue
            raise AssertionError(f"copy {n} breaks the rule and the honest side's record accepts it")


E = "easy"
# Attack (b): the US commits, China commits junk, the US reveals, China rolls back to the first copy and commits again.
ATTACK_B = [("move", "us", E, 0), ("move", "cn", E, 0), ("move", "us", E, 0), ("rollback", "us", E, 1),
            ("fresh", "cn", "balanced", 0), ("move", "us", E, 0), ("move", "cn", E, 0)]
# Attack (a): as (b), then China pastes the US reveal into its new copy and resolves; the US plays on.
ATTACK_A = ATTACK_B[:5] + [("paste", "cn", E, 0), ("move", "cn", E, 0), ("move", "us", E, 0)]
# The US seals and reveals in China's name, and resolves.
FORGE = [("move", "us", E, 0), ("move", "cn", E, 0), ("forge", "us", E, 0), ("move", "us", E, 0), ("move", "cn", E, 0)]
# Moves killed at each write, retried, and an older copy passed on.
KILLS = [("kill", "us", E, 1), ("kill", "cn", E, 2), ("move", "us", E, 0), ("kill", "cn", E, 1), ("move", "cn", E, 0),
         ("rollback", "us", E, 1), ("move", "us", E, 0), ("kill", "cn", E, 1), ("move", "cn", E, 0),
         ("move", "us", E, 0), ("move", "cn", E, 0)]


@settings(max_examples=examples(HISTORIES), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(cheat=SIDE, steps=st.lists(STEP, min_size=STEPS // 2, max_size=STEPS))
@example(cheat="cn", steps=ATTACK_B)
@example(cheat="cn", steps=ATTACK_A)
@example(cheat="us", steps=FORGE)
@example(cheat="us", steps=KILLS)
def test_no_quarter_resolves_with_orders_chosen_after_seeing_the_rivals(cheat, steps):
    with tempfile.TemporaryDirectory() as folder:
        table = Table(Path(folder), cheat)
        for step in steps:
            table.step(step)
        table.check_every_copy()
