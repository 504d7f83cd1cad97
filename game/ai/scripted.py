"""Scripted strategies from TOML: phases by turn range, conditional adjustments, actions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import attrs
import numpy as np

from game.ai.base import Decision, Strategy, own_legal
from game.content import read_toml_text
from game.content.model import Condition
from game.content.schema import Broken, ContentError, ContentErrors, Loader, did_you_mean, spec
from game.engine.observe import View
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
    onshore: float | None = spec(None, min=0.0, max=1.0, doc="the share of new fab money built onshore; absent: the "
                                                            "scenario's default (new_fabs_onshore_share)")


@attrs.frozen(kw_only=True)
class Adjust:
    when: tuple[Condition, ...] = ()
    turns: tuple[int, ...] = spec((), min=1)
    allocation: dict[str, float] = spec(dict(), min=0.0, max=1.0)
    split: dict[str, float] = spec(dict(), min=0.0, max=1.0)
    onshore: float | None = spec(None, min=0.0, max=1.0, doc="the share of new fab money built onshore")
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
    description: str = spec("", lines=True)
    phase: tuple[Phase, ...] = spec()
    adjust: tuple[Adjust, ...] = ()
    action: tuple[ActionRule, ...] = ()


def check_shares(loader: Loader, table: dict[str, float], keys: tuple[str, ...], where: str, exact: bool) -> None:
    for key in table:
        if key not in keys:
            loader.error(join(where, key), f"unknown key{did_you_mean(key, keys)}; expected one of {', '.join(keys)}")
    total = sum(table.values())
    if exact and table and abs(total - 1.0) > 1e-6:
        loader.error(where, f"expected shares adding up to 1, found {total:g}")
    if not exact and total > 1.0 + 1e-9:
        loader.error(where, f"expected shares adding up to at most 1, found {total:g}")


def check_range(loader: Loader, turns: tuple[int, ...], where: str, required: bool) -> bool:
    if not turns and not required:
        return True
    if len(turns) != 2 or turns[0] > turns[1]:
        loader.error(where, f"expected [first, last] turn numbers, found {list(turns)}")
        return False
    return True


@attrs.frozen
class Known:
    """What a strategy is checked against: the content's policies (id and side) and its longest game."""

    policies: tuple[tuple[str, str], ...] = ()
    turns: int = 0


MAX_STRATEGY_BYTES = 1024 * 1024  # the shipped strategies are ~2 KB; checking is linear, so this is ~1 s of work


def load_scripted(path: Path, name: str, known: Known | None = None) -> ScriptedStrategy:
    """Load and check a strategy file; every problem is found in one pass (a ContentErrors holds them all), and
    what is allowed but likely a slip (a category left out) is kept in the strategy's `warnings`."""
    data, text = read_toml_text(path, name, MAX_STRATEGY_BYTES)
    errors: list[ContentError] = []
    loader = Loader(name, text, data, errors)
    try:
        script = loader.build(Script, data)
    except Broken:
        raise ContentErrors(errors) from None
    warnings: list[str] = []
    if not script.phase:
        loader.error("phase", "expected at least one [[phase]]")
    ranges = []
    for i, ph in enumerate(script.phase):
        if check_range(loader, ph.turns, f"phase[{i}].turns", True):
            ranges.append(ph.turns)
        check_shares(loader, ph.allocation, CATEGORIES, f"phase[{i}].allocation", False)
        check_shares(loader, ph.split, SPLITS, f"phase[{i}].split", True)
        if not ph.split:
            loader.error(f"phase[{i}].split", "expected shares for training, inference and research")
        warnings += omitted(loader, ph.allocation, f"phase[{i}].allocation")
    for i, adj in enumerate(script.adjust):
        check_range(loader, adj.turns, f"adjust[{i}].turns", False)
        check_shares(loader, adj.allocation, CATEGORIES, f"adjust[{i}].allocation", False)
        check_shares(loader, adj.split, SPLITS, f"adjust[{i}].split", True)
        check_when(loader, adj.when, f"adjust[{i}].when")
        if adj.allocation:
            warnings += omitted(loader, adj.allocation, f"adjust[{i}].allocation")
    known = known or Known()
    ids = [pid for pid, _ in known.policies]
    sides = dict(known.policies)
    for i, act in enumerate(script.action):
        check_range(loader, act.turns, f"action[{i}].turns", False)
        check_when(loader, act.when, f"action[{i}].when")
        if ids and act.id not in ids:
            loader.error(f"action[{i}].id", f"expected a policy id from policies.toml, found {quote(act.id)}"
                         f"{did_you_mean(act.id, ids)} (the ids: {', '.join(ids)})")
        elif ids and act.side != "any" and sides[act.id] not in (act.side, "both"):
            loader.error(f"action[{i}].side", f"{quote(act.id)} is a {sides[act.id]} policy, so a rule for side "
                         f"{act.side} never fires; drop side or pick a {act.side} policy")
    if known.turns and ranges:
        gaps = uncovered(ranges, known.turns)
        if gaps:
            listed = ", ".join(f"{a}" if a == b else f"{a}-{b}" for a, b in gaps)
            many = len(gaps) > 1 or gaps[0][0] != gaps[0][1]
            loader.error("phase", f"{'turns' if many else 'turn'} {listed} {'fall' if many else 'falls'} "
                         f"in no phase (a game lasts up to {known.turns} turns); a turn outside every phase spends "
                         "nothing and puts all compute on inference: extend a phase's turns to cover it")
    if errors:
        raise ContentErrors(errors)
    return ScriptedStrategy(script, tuple(warnings))


def uncovered(ranges: list[tuple[int, ...]], last: int) -> list[tuple[int, int]]:
    """The runs of turns 1..last that no range holds: each range marks where it opens and closes, then one pass
    over the turns counts the ranges open (thousands of phases cost no pass over their turns each)."""
    opened = [0] * (last + 2)
    for first, end in ranges:
        lo, hi = max(first, 1), min(end, last)
        if lo <= hi:
            opened[lo] += 1
            opened[hi + 1] -= 1
    gaps: list[tuple[int, int]] = []
    held = 0
    for t in range(1, last + 1):
        held += opened[t]
        if held:
            continue
        if gaps and gaps[-1][1] == t - 1:
            gaps[-1] = (gaps[-1][0], t)
        else:
            gaps.append((t, t))
    return gaps


def omitted(loader: Loader, table: dict[str, float], where: str) -> list[str]:
    """A warning naming the categories an allocation leaves out (allowed: they get nothing)."""
    left = [c for c in CATEGORIES if c not in table]
    if not left:
        return []
    return [str(loader.fail(where, f"no share for {', '.join(left)}: {'it gets' if len(left) == 1 else 'they get'} "
                            "nothing (write 0.0 to say so and silence this warning)"))]


def check_when(loader: Loader, conds: tuple[Condition, ...], where: str) -> None:
    for j, cond in enumerate(conds):
        if cond.field not in STRATEGY_FIELDS:
            bare = ", ".join(PUBLIC_GLOBALS + tuple(VIEW_FIGURES))
            loader.error(f"{where}[{j}].field", f"{quote(cond.field)} is not a figure a strategy sees"
                         f"{did_you_mean(cond.field, STRATEGY_FIELDS)}; expected "
                         f"{bare}, self.NAME with NAME one of {', '.join(SELF_FIGURES)}, "
                         f"or rival.NAME with NAME one of {', '.join(RIVAL_FIGURES)}")


def shares(table: dict[str, float], keys: tuple[str, ...]) -> np.ndarray:
    return np.array([table.get(k, 0.0) for k in keys])


class ScriptedStrategy(Strategy):
    def __init__(self, script: Script, warnings: tuple[str, ...] = ()) -> None:
        self.script = script
        self.warnings = warnings
        self.id = script.id
        self.name = script.name

    def holds(self, seen: Mapping[str, np.ndarray], conds: tuple[Condition, ...], batch: int) -> np.ndarray:
        ok = np.ones(batch, dtype=bool)
        for cond in conds:
            ok &= OP_FUNCS[cond.op](seen[cond.field], cond.value)
        return ok

    def plan(self, world, side: int):
        b = world.batch
        seen = View(world, side)
        turn = world.turn + 1  # turn numbers as players count them
        alloc = np.zeros((b, len(CATEGORIES)))
        split = np.zeros((b, len(SPLITS)))
        split[:, 1] = 1.0
        chosen = np.full(b, -1)
        t = world.tables
        onshore = np.full(b, float(t.new_fabs_onshore[side]))  # the scenario's default unless the script says
        # The last phase whose range holds (phases later in the file win), then the first adjustment.
        for ph in self.script.phase:
            m = (turn >= ph.turns[0]) & (turn <= ph.turns[1])
            alloc = np.where(m[:, None], shares(ph.allocation, CATEGORIES), alloc)
            split = np.where(m[:, None], shares(ph.split, SPLITS), split)
            if ph.onshore is not None:
                onshore = np.where(m, ph.onshore, onshore)
        for i, adj in enumerate(reversed(self.script.adjust)):
            m = self.holds(seen, adj.when, b)
            if adj.turns:
                m &= (turn >= adj.turns[0]) & (turn <= adj.turns[1])
            if adj.allocation:
                alloc = np.where(m[:, None], shares(adj.allocation, CATEGORIES), alloc)
            if adj.split:
                split = np.where(m[:, None], shares(adj.split, SPLITS), split)
            if adj.onshore is not None:
                onshore = np.where(m, adj.onshore, onshore)
            chosen = np.where(m, len(self.script.adjust) - 1 - i, chosen)
        legal = own_legal(world, side)
        actions = np.zeros_like(legal)
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
        return OrderBatch(alloc, split, actions, onshore), chosen

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


@attrs.frozen
class FilesChecked:
    """Strategy files checked without playing them: every error and warning, one a line in file order
    (a warning starts `warning: `), and how many errors there were."""

    lines: tuple[str, ...]
    errors: int


def check_scripted(files: Iterable[tuple[Path, str]], known: Known | None = None) -> FilesChecked:
    """Check each (path, name as messages show it) in turn: a file that fails adds its errors and the check goes
    on, so one run reports every file (`content check`)."""
    lines: list[str] = []
    errors = 0
    for path, name in files:
        try:
            strategy = load_scripted(path, name, known)
        except ContentErrors as exc:
            lines += exc.lines()
            errors += len(exc.errors)
            continue
        except ContentError as exc:
            lines.append(str(exc))
            errors += 1
            continue
        lines += [f"warning: {warning}" for warning in strategy.warnings]
    return FilesChecked(tuple(lines), errors)
