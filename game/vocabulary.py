"""The vocabulary page (`compute-race content vocab`, the README section made from it): every name content and
strategies may use, generated from the code that reads them, with its meaning and unit."""

from __future__ import annotations

import textwrap
import typing

import attrs

from game.ai.scripted import ActionRule, Adjust, Phase, Script
from game.content.model import Condition, Effect, Event, Policy
from game.content.schema import type_name
from game.content.vocab import (
    ADD_MODIFIERS,
    FIGURE_MEANINGS,
    MIN_PRICE_FACTOR,
    MODIFIER_MEANINGS,
    MUL_MODIFIERS,
    PRICE_MODIFIERS,
    STOCK_MEANINGS,
    STOCKS,
)
from game.engine.tables import CATEGORIES, SPLITS
from game.schema import (
    CONDITION_GLOBALS,
    CONDITION_SIDES,
    FIELDS,
    FIGURE,
    PUBLIC_GLOBALS,
    RIVAL_FIGURES,
    SELF_FIGURES,
    VIEW_FIGURES,
)

KEY_MEANINGS = {
    # policies.toml [[policy]]
    "requires_active": "policy ids that must be in force for this one to be legal",
    "forbids_active": "policy ids that make this one illegal while in force",
    "cooldown": "quarters before the policy may be taken again",
    "duration": "quarters its modifiers last (-1 the rest of the game, 0 a one-off)",
    "cost_busd": "what taking it costs, B$",
    "conditions": "every condition must hold for it to be legal (events: to fire)",
    "effects": "what it changes (see Effects)",
    "side": "who may take it",
    # events.toml [[event]]
    "turn_min": "first turn (counted from 0) it may fire",
    "turn_max": "last turn it may fire",
    "probability": "chance a quarter that it fires when its conditions hold",
    "once": "fires at most once a game",
    "headline": "the line the turn report shows",
    # effects
    "kind": "modifier (a factor or flag while in force) or stock (changed once, when it fires)",
    "target": "a modifier or stock name (below)",
    "op": "mul, add or set (modifiers: mul, flags: add)",
    "value": "the factor, amount or value",
    # conditions
    "field": "a figure name (below)",
    # strategies
    "turns": "[first, last] turns, counted from 1, inclusive",
    "allocation": "shares of the quarter's pot by category; at most 1 in all",
    "split": "shares of compute: training, inference, research; 1 in all",
    "when": "conditions that must all hold",
    "note": "shown by sim --explain when it applies",
    "phase": "[[phase]] tables: allocation and split by turn range",
    "adjust": "[[adjust]] tables: the first that holds replaces allocation/split",
    "action": "[[action]] tables: take a policy whenever legal and `when` holds",
    "id": "the id, unique in its file",
    "name": "the name shown in reports",
    "description": "one line on what it is",
    "source": "where the figure comes from",
}


# Where a key means something else in one table.
CLASS_KEY_MEANINGS = {
    ("Condition", "op"): "the comparison",
    ("Condition", "value"): "the number compared with",
    ("Effect", "side"): "whom it touches (self/rival in policies; us, cn or both)",
    ("ActionRule", "side"): "the seat the rule is for (any: both)",
    ("ActionRule", "id"): "a policy id from policies.toml",
    ("Event", "duration"): "quarters its modifiers last",
    ("Event", "conditions"): "every condition must hold for it to fire",
}


def keys_of(cls: type, title: str) -> list[str]:
    hints = typing.get_type_hints(cls)
    out = [title]
    for f in attrs.fields(cls):
        need = "required" if f.default is attrs.NOTHING else "optional"
        meaning = (f.metadata.get("doc") or CLASS_KEY_MEANINGS.get((cls.__name__, f.name))
                   or KEY_MEANINGS.get(f.name, ""))
        choices = f.metadata.get("choices")
        extra = f" (one of {', '.join(choices)})" if choices else ""
        out.append(f"  {f.name:<18} {type_name(hints[f.name])}, {need}{extra}: {meaning}")
    return out


def figure_unit(name: str) -> str:
    unit = FIGURE[name].unit
    return f" [{unit}]" if unit and unit not in ("flag", "index") else ""


def vocabulary_text() -> str:
    lines = ["Compute Race vocabulary (generated from the code: compute-race content vocab)", ""]
    lines.append("Effect targets: modifiers (kind = \"modifier\"; in force while the policy or event lasts)")
    for name in MUL_MODIFIERS:
        floor = f", each factor >= {MIN_PRICE_FACTOR:g} (a price)" if name in PRICE_MODIFIERS else ""
        lines.append(f"  {name:<22} op mul, 1.0 unless changed{floor}: {MODIFIER_MEANINGS[name]}")
    for name in ADD_MODIFIERS:
        lines.append(f"  {name:<22} op add, 0.0 unless changed: {MODIFIER_MEANINGS[name]}")
    lines += ["", "Effect targets: stocks (kind = \"stock\"; changed once when it fires; op add, mul or set)"]
    for name in STOCKS:
        unit = FIELDS[name].unit if name in FIELDS else ""
        lines.append(f"  {name:<22} {STOCK_MEANINGS[name]}" + (f" [{unit}]" if unit and unit != "flag" else ""))
    lines += ["", "Condition fields in content (policies, events; the true state):",
              f"  bare: {', '.join(CONDITION_GLOBALS)}",
              "  per side, as self./rival. (policies) or us./cn. (both): NAME below"]
    for name in CONDITION_SIDES:
        lines.append(f"  {name:<22} {FIGURE_MEANINGS[name]}{figure_unit(name)}")
    lines += ["", "Condition fields in strategies (what a player in the seat sees):",
              f"  bare: {', '.join(PUBLIC_GLOBALS)}"]
    for name, meaning in VIEW_FIGURES.items():
        lines.append(f"  {name:<22} {meaning}")
    lines += textwrap.wrap(f"self.NAME with NAME one of {', '.join(SELF_FIGURES)}", 100, initial_indent="  ",
                           subsequent_indent="    ")
    lines += textwrap.wrap(f"rival.NAME (an intelligence estimate, a quarter late) with NAME one of "
                           f"{', '.join(RIVAL_FIGURES)}", 100, initial_indent="  ", subsequent_indent="    ")
    lines += [""] + textwrap.wrap(f"Global figures: {', '.join(f'{n} ({FIGURE_MEANINGS[n]})' for n in CONDITION_GLOBALS)}",
                                  100, subsequent_indent="  ") + [""]
    for cls, title in ((Policy, "policies.toml [[policy]] keys:"), (Event, "events.toml [[event]] keys:"),
                       (Effect, "effects = [{ ... }] keys:"), (Condition, "conditions / when = [{ ... }] keys:"),
                       (Script, "strategy file keys:"), (Phase, "[[phase]] keys:"), (Adjust, "[[adjust]] keys:"),
                       (ActionRule, "[[action]] keys:")):
        lines += keys_of(cls, title) + [""]
    lines.append(f"Allocation categories: {', '.join(CATEGORIES)}")
    lines.append(f"Compute split: {', '.join(SPLITS)}")
    return "\n".join(lines) + "\n"
