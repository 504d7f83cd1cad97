"""Scripted strategies from TOML: phases by turn range, conditional adjustments, actions."""

from __future__ import annotations

from pathlib import Path

import attrs
import numpy as np

from game.ai.base import Decision, Strategy, own_legal
from game.content import read_toml
from game.content.model import Condition
from game.content.schema import Loader, spec
from game.engine.observe import view
from game.engine.orders import OrderBatch
from game.engine.tables import CATEGORIES, SPLITS
from game.engine.tables import OPS as OP_FUNCS
from game.schema import PUBLIC_GLOBALS, RIVAL_FIGURES, SELF_FIGURES, STRATEGY_FIELDS, VIEW_FIGURES
from game.text import join, quote


@attrs.frozen(kw_only=True)
class Phase:
    turns: tuple[int, ...] = spec(min=1)
    allocation: dict[str, float] = spec(min=0.0, max=1.0)
    split: dict[str, float] = spec(min=0.0, max=1.0)


@attrs.frozen(kw_only=True)
class Adjust:
    when: tuple[Condition, ...] = ()
    turns: tuple[int, ...] = spec((), min=1)
    allocation: dict[str, float] = spec(dict(), min=0.0, max=1.0)
    split: dict[str, float] = spec(dict(), min=0.0, max=1.0)
    note: str = ""


@attrs.frozen(kw_only=True)
class ActionRule:
    id: str
    side: str = spec("any", choices=("any", "us", "cn"))
    turns: tuple[int, ...] = spec((), min=1)
    when: tuple[Condition, ...] = ()


@attrs.frozen(kw_only=True)
class Script:
    id: str
    name: str
    description: str = ""
    phase: tuple[Phase, ...] = spec()
    adjust: tuple[Adjust, ...] = ()
    action: tuple[ActionRule, ...] = ()


def check_shares(loader: Loader, table: dict[str, float], keys: tuple[str, ...], where: str, exact: bool) -> None:
    for key in table:
        if key not in keys:
            raise loader.fail(join(where, key), f"unknown key; expected one of {', '.join(keys)}")
    total = sum(table.values())
    if exact and table and abs(total - 1.0) > 1e-6:
        raise loader.fail(where, f"expected shares adding up to 1, found {total:g}")
    if not exact and total > 1.0 + 1e-9:
        raise loader.fail(where, f"expected shares adding up to at most 1, found {total:g}")


def check_range(loader: Loader, turns: tuple[int, ...], where: str, required: bool) -> None:
    if not turns and not required:
        return
    if len(turns) != 2 or turns[0] > turns[1]:
        raise loader.fail(where, f"expected [first, last] turn numbers, found {list(turns)}")


def load_scripted(path: Path, name: str) -> ScriptedStrategy:
    loader = Loader(name)
    script = loader.build(Script, read_toml(path, name))
    if not script.phase:
        raise loader.fail("phase", "expected at least one [[phase]]")
    for i, ph in enumerate(script.phase):
        check_range(loader, ph.turns, f"phase[{i}].turns", True)
        check_shares(loader, ph.allocation, CATEGORIES, f"phase[{i}].allocation", False)
        check_shares(loader, ph.split, SPLITS, f"phase[{i}].split", True)
        if not ph.split:
            raise loader.fail(f"phase[{i}].split", "expected shares for training, inference and research")
    for i, adj in enumerate(script.adjust):
        check_range(loader, adj.turns, f"adjust[{i}].turns", False)
        check_shares(loader, adj.allocation, CATEGORIES, f"adjust[{i}].allocation", False)
        check_shares(loader, adj.split, SPLITS, f"adjust[{i}].split", True)
        check_when(loader, adj.when, f"adjust[{i}].when")
    for i, act in enumerate(script.action):
        check_range(loader, act.turns, f"action[{i}].turns", False)
        check_when(loader, act.when, f"action[{i}].when")
    return ScriptedStrategy(script)


def check_when(loader: Loader, conds: tuple[Condition, ...], where: str) -> None:
    for j, cond in enumerate(conds):
        if cond.field not in STRATEGY_FIELDS:
            bare = ", ".join(PUBLIC_GLOBALS + tuple(VIEW_FIGURES))
            raise loader.fail(f"{where}[{j}].field", f"{quote(cond.field)} is not a figure a strategy sees; expected "
                              f"{bare}, self.NAME with NAME one of {', '.join(SELF_FIGURES)}, "
                              f"or rival.NAME with NAME one of {', '.join(RIVAL_FIGURES)}")


def shares(table: dict[str, float], keys: tuple[str, ...]) -> np.ndarray:
    return np.array([table.get(k, 0.0) for k in keys])


class ScriptedStrategy(Strategy):
    def __init__(self, script: Script) -> None:
        self.script = script
        self.id = script.id
        self.name = script.name

    def holds(self, seen: dict[str, np.ndarray], conds: tuple[Condition, ...], batch: int) -> np.ndarray:
        ok = np.ones(batch, dtype=bool)
        for cond in conds:
            ok &= OP_FUNCS[cond.op](seen[cond.field], cond.value)
        return ok

    def plan(self, world, side: int):
        b = world.batch
        seen = view(world, side)
        turn = world.turn + 1  # turn numbers as players count them
        alloc = np.zeros((b, len(CATEGORIES)))
        split = np.zeros((b, len(SPLITS)))
        split[:, 1] = 1.0
        chosen = np.full(b, -1)
        # The last phase whose range holds (phases later in the file win), then the first adjustment.
        for ph in self.script.phase:
            m = (turn >= ph.turns[0]) & (turn <= ph.turns[1])
            alloc = np.where(m[:, None], shares(ph.allocation, CATEGORIES), alloc)
            split = np.where(m[:, None], shares(ph.split, SPLITS), split)
        for i, adj in enumerate(reversed(self.script.adjust)):
            m = self.holds(seen, adj.when, b)
            if adj.turns:
                m &= (turn >= adj.turns[0]) & (turn <= adj.turns[1])
            if adj.allocation:
                alloc = np.where(m[:, None], shares(adj.allocation, CATEGORIES), alloc)
            if adj.split:
                split = np.where(m[:, None], shares(adj.split, SPLITS), split)
            chosen = np.where(m, len(self.script.adjust) - 1 - i, chosen)
        legal = own_legal(world, side)
        actions = np.zeros_like(legal)
        t = world.tables
        for rule in self.script.action:
            if rule.side != "any" and rule.side != ("us", "cn")[side]:
                continue
            idx = t.action_index.get((rule.id, side))
            if idx is None:
                continue
            m = self.holds(seen, rule.when, b)
            if rule.turns:
                m &= (turn >= rule.turns[0]) & (turn <= rule.turns[1])
            actions[:, idx] |= m & legal[:, idx]
        return OrderBatch(alloc, split, actions), chosen

    def decide(self, world, side: int) -> OrderBatch:
        return self.plan(world, side)[0]

    def think(self, world, side: int) -> Decision:
        orders, chosen = self.plan(world, side)
        lines = []
        for i in range(world.batch):
            top = CATEGORIES[int(np.argmax(orders.allocation[i]))]
            note = self.script.adjust[chosen[i]].note if chosen[i] >= 0 else ""
            acts = [world.tables.actions[a].name for a in np.flatnonzero(orders.actions[i])]
            line = f"{self.name}: most money to {top}"
            if note:
                line += f"; {note}"
            if acts:
                line += f"; takes {', '.join(acts)}"
            lines.append(line)
        return Decision(orders, tuple(lines))
