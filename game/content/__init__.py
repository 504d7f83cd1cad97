"""Load and validate the content folder: TOML files into frozen attrs classes, cross-checked."""

from __future__ import annotations

import hashlib
import json
import math
import re
from pathlib import Path
from typing import Any

import attrs
import tomli

from game.atomic import PATH_CHARS, ReadRefused, kind, read_regular
from game.content.model import (
    Chip,
    Condition,
    Effect,
    Event,
    Node,
    Policy,
    Rules,
    Scenario,
    Scoring,
    Sector,
    concrete_sides,
)
from game.content.schema import Broken, ContentError, ContentErrors, Loader, did_you_mean
from game.content.vocab import (
    ADD_MODIFIERS,
    MIN_PRICE_FACTOR,
    MIN_PRICE_STACK,
    MODIFIERS,
    MUL_MODIFIERS,
    PRICE_MODIFIERS,
    STOCKS,
)
from game.schema import CONDITION_GLOBALS, CONDITION_SIDES, VERDICT_PARTS
from game.text import join, one_line, path_text, quote

__all__ = ["Content", "ContentError", "ContentErrors", "default_content_dir", "find_scenario", "load_content",
           "load_scenario_file", "read_toml", "scenario_file"]


def default_content_dir() -> Path:
    """The checkout's content/ folder when run from source, else the copy inside the package."""
    here = Path(__file__).resolve().parent.parent
    checkout = here.parent / "content"
    if (checkout / "rules.toml").is_file():
        return checkout
    return here / "_content"


def display_name(path: Path, root: Path) -> str:
    try:
        return f"{root.name}/{path.relative_to(root).as_posix()}"
    except ValueError:
        return str(path)


MAX_TOML_BYTES = 1024 * 1024  # a hundred times the largest content file (~8 KB)


def read_toml(path: Path, name: str) -> dict[str, Any]:
    """Parse one TOML file; every failure becomes a ContentError naming the file."""
    return read_toml_text(path, name)[0]


def read_toml_text(path: Path, name: str, max_bytes: int = MAX_TOML_BYTES) -> tuple[dict[str, Any], str]:
    """Parse one TOML file of at most `max_bytes` and return its text too (for the lines errors name)."""
    try:
        raw = read_regular(path, max_bytes)
    except ReadRefused as exc:
        reason = {"no such file": "file not found; restore it or point at a complete content folder",
                  "is a folder": "is a folder, expected a TOML file"}.get(str(exc), str(exc))
        raise ContentError(name, "", reason) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ContentError(name, "", "is not UTF-8 text") from None
    try:
        return tomli.loads(text), text
    except tomli.TOMLDecodeError as exc:
        raise ContentError(name, "", f"malformed TOML: {exc}") from None
    except RecursionError:
        raise ContentError(name, "", "malformed TOML: nested too deeply") from None
    except ValueError as exc:  # Python reads no whole number of more than 4,300 digits
        long_number = re.search(r"\d{4000,}", text)
        if long_number is None:
            raise ContentError(name, "", f"malformed TOML: {one_line(str(exc))}") from None
        line = text.count("\n", 0, long_number.start()) + 1
        raise ContentError(name, f"line {line}", "a number too long to read (thousands of digits)") from None


@attrs.frozen(eq=False)
class Content:
    """Everything loaded from one content folder, with id lookups and a digest."""

    root: Path
    rules: Rules
    scoring: Scoring
    chips: tuple[Chip, ...]
    nodes: tuple[Node, ...]
    sectors: tuple[Sector, ...]
    policies: tuple[Policy, ...]
    events: tuple[Event, ...]
    scenarios: dict[str, Scenario]
    digest: str

    def chip(self, chip_id: str) -> Chip:
        return {c.id: c for c in self.chips}[chip_id]

    def policy(self, policy_id: str) -> Policy:
        return {p.id: p for p in self.policies}[policy_id]

    def scenario(self, scenario_id: str) -> Scenario:
        return self.scenarios[scenario_id]


def load_list(loader: Loader, data: dict[str, Any], key: str, cls: type) -> tuple[Any, ...]:
    """The file's [[key]] tables, built; with a collecting loader a broken item is left out (its errors
    recorded) and the rest are still checked."""
    items = data.get(key)
    if items is None:
        raise loader.fail(key, f"missing key, expected a list of [[{key}]] tables")
    if not isinstance(items, list):
        raise loader.fail(key, f"expected a list of [[{key}]] tables")
    for extra in sorted(set(data) - {key}):
        loader.error(extra, f"unknown key{did_you_mean(extra, [key])} (only [[{key}]] tables belong in this file)")
    built = []
    for i, item in enumerate(items):
        try:
            built.append(loader.build(cls, item, f"{key}[{i}]"))
        except Broken:
            continue
    seen: set[str] = set()
    for i, item in enumerate(items):
        item_id = item.get("id") if isinstance(item, dict) else None
        if not isinstance(item_id, str):
            continue
        if item_id in seen:
            loader.error(f"{key}[{i}].id", f"duplicate id {quote(item_id)}; ids must be unique")
        seen.add(item_id)
    if not items:
        raise loader.fail(key, "expected at least one entry, found none")
    return tuple(built)


def load_content(root: Path | str | None = None) -> Content:
    """Load every file in a content folder. Every problem found is reported at once: a ContentErrors
    (a ContentError showing the first, with a count) holds them all."""
    root = Path(root) if root is not None else default_content_dir()
    found = kind(root)
    if found != "folder":
        what = {"missing": "content folder not found", "unusable": "not a usable content folder (too long, a loop "
                "of links, or it cannot be looked at)"}.get(found, "not a folder")
        raise ContentError(str(root), "", f"{what}; give a folder that holds rules.toml")
    raw: dict[str, Any] = {}
    errors: list[ContentError] = []
    loaders: dict[str, Loader] = {}  # by file, for checks across files that name a place in one of them

    def read(rel: str) -> tuple[Loader, dict[str, Any]]:
        name = display_name(root / rel, root)
        data, text = read_toml_text(root / rel, name)
        raw[rel] = data
        loaders[rel] = Loader(name, text, data, errors)
        return loaders[rel], data

    def stage(rel: str, make: Any) -> Any:
        """Read, build and check one file; None (its errors recorded) when anything in it is wrong, so that
        the files that refer to it are checked only against a sound one (no error follows from another)."""
        before = len(errors)
        try:
            loader, data = read(rel)
            built = make(loader, data)
        except Broken:
            return None
        except ContentError as exc:
            errors.append(exc)
            return None
        return built if len(errors) == before else None

    def build_rules(loader: Loader, data: dict[str, Any]) -> Rules:
        rules: Rules = loader.build(Rules, data)
        for i, tier in enumerate(rules.capability.tiers[1:], start=1):
            if tier.log10_eff <= rules.capability.tiers[i - 1].log10_eff:
                loader.error(f"capability.tiers[{i}].log10_eff", "expected tiers in rising order")
        for i, export_tier in enumerate(rules.export_tiers):
            check_effects(loader, export_tier.effects, f"export_tiers[{i}].effects", ("us", "cn", "both"))
        return rules

    rules = stage("rules.toml", build_rules)

    def build_scoring(loader: Loader, data: dict[str, Any]) -> Scoring:
        scoring: Scoring = loader.build(Scoring, data)
        check_scoring(loader, scoring, rules)
        return scoring

    scoring = stage("scoring.toml", build_scoring)
    nodes = stage("nodes.toml", lambda loader, data: load_list(loader, data, "node", Node))

    def build_chips(loader: Loader, data: dict[str, Any]) -> tuple[Chip, ...]:
        chips = load_list(loader, data, "chip", Chip)
        if nodes is None:
            return chips
        node_ids = [n.id for n in nodes]
        for i, item in enumerate(data["chip"]):
            ref = item.get("node") if isinstance(item, dict) else None
            if isinstance(ref, str) and ref not in node_ids:
                loader.error(f"chip[{i}].node", f"expected a node id from nodes.toml ({', '.join(node_ids)}), "
                             f"found {quote(ref)}{did_you_mean(ref, node_ids)}")
        return chips

    chips = stage("chips.toml", build_chips)

    def build_sectors(loader: Loader, data: dict[str, Any]) -> tuple[Sector, ...]:
        sectors = load_list(loader, data, "sector", Sector)
        total = sum(s.market_busd_per_q for s in sectors)
        if sectors and total < MIN_MARKET_BUSD:
            loader.error("sector[0].market_busd_per_q", f"the sectors' markets add up to {total:g} $B a quarter; "
                         f"expected at least {MIN_MARKET_BUSD:g} (each sector's weight is its share of the total)")
        return sectors

    sectors = stage("sectors.toml", build_sectors)

    def build_policies(loader: Loader, data: dict[str, Any]) -> tuple[Policy, ...]:
        policies = load_list(loader, data, "policy", Policy)
        policy_ids = [p.get("id") for p in data["policy"] if isinstance(p, dict)]
        for i, pol in enumerate(data["policy"]):
            where = f"policy[{i}]"
            for key in ("requires_active", "forbids_active"):
                refs = pol.get(key, []) if isinstance(pol, dict) else []
                for j, ref in enumerate(refs if isinstance(refs, list) else []):
                    if isinstance(ref, str) and ref not in policy_ids:
                        loader.error(f"{where}.{key}[{j}]",
                                     f"expected a policy id, found {quote(ref)}{did_you_mean(ref, policy_ids)}")
        ids = [p.get("id") if isinstance(p, dict) else None for p in data["policy"]]
        for pol in policies:
            where = f"policy[{ids.index(pol.id)}]"
            check_conditions(loader, pol.conditions, f"{where}.conditions", ("self", "rival", "us", "cn"))
            check_effects(loader, pol.effects, f"{where}.effects", ("self", "rival", "us", "cn", "both"))
        return policies

    policies = stage("policies.toml", build_policies)

    def build_events(loader: Loader, data: dict[str, Any]) -> tuple[Event, ...]:
        events = load_list(loader, data, "event", Event)
        ids = [e.get("id") if isinstance(e, dict) else None for e in data["event"]]
        for ev in events:
            where = f"event[{ids.index(ev.id)}]"
            check_conditions(loader, ev.conditions, f"{where}.conditions", ("us", "cn"))
            check_effects(loader, ev.effects, f"{where}.effects", ("us", "cn", "both"))
            if ev.turn_max < ev.turn_min:
                loader.error(f"{where}.turn_max", f"expected >= turn_min ({ev.turn_min}), found {ev.turn_max}")
        return events

    events = stage("events.toml", build_events)
    if rules is not None and policies is not None and events is not None:
        check_price_stacks(loaders, rules, policies, events)
    scen_dir = root / "scenarios"
    scenarios: dict[str, Scenario] = {}
    if kind(scen_dir) != "folder":
        errors.append(ContentError(display_name(scen_dir, root), "", "folder not found; a content folder needs "
                                   "scenarios/"))
    else:
        paths = sorted(scen_dir.glob("*.toml"))
        if not paths:
            errors.append(ContentError(display_name(scen_dir, root), "", "expected at least one scenario file"))
        basics = None if None in (rules, nodes, chips, sectors, policies) else (chips, nodes, sectors, policies, rules)
        for path in paths:
            rel = path.relative_to(root).as_posix()
            name = display_name(path, root)
            try:
                if basics is None:  # checked against files that did not load: only its own keys are checked
                    data, text = read_toml_text(path, name)
                    Loader(name, text, data, errors).build(Scenario, data)
                    continue
                scenario = load_scenario_file(path, name, *basics, sink=errors)
                raw[rel] = read_toml(path, rel)
            except Broken:
                continue
            except ContentError as exc:
                errors.append(exc)
                continue
            if scenario.id in scenarios:
                errors.append(ContentError(name, "id", f"duplicate scenario id {quote(scenario.id)}"))
            scenarios[scenario.id] = scenario
    if errors:
        raise ContentErrors(errors)
    assert rules is not None and scoring is not None and nodes is not None and chips is not None
    digest = hashlib.sha256(json.dumps(raw, sort_keys=True, default=str).encode()).hexdigest()
    return Content(root=root, rules=rules, scoring=scoring, chips=chips, nodes=nodes, sectors=sectors,
                   policies=policies, events=events, scenarios=scenarios, digest=digest)


def load_scenario_file(path: Path, name: str, chips: tuple[Chip, ...], nodes: tuple[Node, ...],
                       sectors: tuple[Sector, ...], policies: tuple[Policy, ...], rules: Rules,
                       sink: list[ContentError] | None = None) -> Scenario:
    """Load one scenario and check every id it names against the rest of the content (with `sink`, every
    problem is recorded there and Broken raised if any)."""
    data, text = read_toml_text(path, name)
    errors: list[ContentError] = [] if sink is None else sink
    before = len(errors)
    loader = Loader(name, text, data, errors)
    try:
        scen: Scenario = loader.build(Scenario, data)
    except Broken:
        if sink is None:
            raise ContentErrors(errors) from None
        raise
    check_scenario(loader, scen, chips, nodes, sectors, policies, rules)
    if len(errors) > before:
        if sink is None:
            raise ContentErrors(errors)
        raise Broken
    return scen


def check_scenario(loader: Loader, scen: Scenario, chips: tuple[Chip, ...], nodes: tuple[Node, ...],
                   sectors: tuple[Sector, ...], policies: tuple[Policy, ...], rules: Rules) -> None:
    chip_ids = [c.id for c in chips]
    node_ids = [n.id for n in nodes]
    sector_ids = [s.id for s in sectors]
    policy_ids = [p.id for p in policies]
    if scen.export_tier > len(rules.export_tiers):
        loader.error("export_tier",
                     f"expected at most {len(rules.export_tiers)} (tiers in rules.toml), found {scen.export_tier}")
    for j, ref in enumerate(scen.active_policies):
        pid = ref.split(":")[-1]
        if pid not in policy_ids:
            loader.error(f"active_policies[{j}]", f"expected a policy id, found {quote(ref)}")
    for side in ("us", "cn"):
        start = getattr(scen.sides, side)
        where = f"sides.{side}"
        if not start.design_ladder:
            loader.error(f"{where}.design_ladder", "expected at least one chip id")
        for j, ref in enumerate(start.design_ladder):
            if ref not in chip_ids:
                loader.error(f"{where}.design_ladder[{j}]", f"expected a chip id from chips.toml, found {quote(ref)}")
        if start.design_index >= len(start.design_ladder):
            loader.error(f"{where}.design_index",
                         f"expected less than {len(start.design_ladder)} (ladder length), found {start.design_index}")
        for j, cohort in enumerate(start.fleet):
            if cohort.chip not in chip_ids:
                loader.error(f"{where}.fleet[{j}].chip", f"expected a chip id from chips.toml, found {quote(cohort.chip)}")
            if cohort.age_quarters >= rules.supply.fleet_life_quarters:
                loader.error(f"{where}.fleet[{j}].age_quarters", f"expected less than {rules.supply.fleet_life_quarters} "
                             f"(fleet life), found {cohort.age_quarters}")
        if len(start.power_building_mw) > start.power_build_quarters:
            loader.error(f"{where}.power_building_mw", f"expected at most {start.power_build_quarters} quarters "
                         f"(power_build_quarters): power ordered now arrives by then, found {len(start.power_building_mw)}")
        if start.run_quarters_done >= rules.training.run_quarters:
            loader.error(f"{where}.run_quarters_done", f"expected less than {rules.training.run_quarters} (rules.toml "
                         f"training.run_quarters: a run that long is finished), found {start.run_quarters_done}")
        if start.run_flop > 0 and start.run_quarters_done == 0:
            loader.error(f"{where}.run_flop", "a run under way has trained for some quarters: give run_quarters_done")
        for key, ids in (("fab_wafers_per_q", node_ids), ("yields", node_ids), ("adoption", sector_ids)):
            for k in getattr(start, key):
                if k not in ids:
                    loader.error(join(f"{where}.{key}", k), f"unknown id; expected one of {', '.join(ids)}")
        maker = side  # chips.toml names a chip's maker by side
        for j, cohort in enumerate(start.fleet):
            if cohort.chip not in chip_ids:
                continue
            chip = chips[chip_ids.index(cohort.chip)]
            if cohort.onshore and chip.maker != maker:
                loader.error(f"{where}.fleet[{j}].onshore", f"{quote(cohort.chip)} is made by {chip.maker}, so "
                             f"it cannot come from {side}'s onshore fabs; drop onshore or pick a {side} chip")
        for node, wafers in (start.onshore_wafers_per_q or {}).items():
            if node not in node_ids:
                loader.error(join(f"{where}.onshore_wafers_per_q", node),
                             f"unknown id; expected one of {', '.join(node_ids)}")
            if wafers > start.fab_wafers_per_q.get(node, 0.0):
                loader.error(join(f"{where}.onshore_wafers_per_q", node),
                             f"expected at most fab_wafers_per_q.{node} ({start.fab_wafers_per_q.get(node, 0.0):g}): "
                             f"onshore capacity is part of the side's capacity, found {wafers:g}")
        if start.allied_euv and start.euv_domestic:
            loader.error(f"{where}.euv_domestic", "a side with allied_euv has no use for a finished domestic "
                         "EUV programme; set one of the two to false")
        if start.imports_chips and not any(c.export_max_tier >= 0 for c in chips):
            loader.error(f"{where}.imports_chips", "no chip in chips.toml has export_max_tier >= 0, so there is "
                         "nothing to import; set it to false or let a chip be exported")
    open_share = 1.0 - rules.apps.rest_of_world_share
    for sector in (s.id for s in sectors if not s.national):
        held = scen.sides.us.adoption.get(sector, 0.0) + scen.sides.cn.adoption.get(sector, 0.0)
        if held > open_share + 1e-9:
            loader.error(f"sides.us.adoption.{sector}",
                         f"the two sides' adoption adds up to {held:g}, more than the {open_share:g} of the market "
                         f"the rest of the world leaves them (rules.toml apps.rest_of_world_share)")


# Each verdict part weighs between these (DESIGN.md "Rules 3" item 1): a rule about content, not a tuning knob.
PART_WEIGHT_BAND = (0.10, 0.30)


def check_scoring(loader: Loader, scoring: Scoring, rules: Rules | None) -> None:
    """The verdict's part weights add up to 1 (so the two totals add up to 100), and the decisive tier exists."""
    low, high = PART_WEIGHT_BAND
    for name in VERDICT_PARTS:
        weight = getattr(scoring, name)
        if not low - 1e-9 <= weight <= high + 1e-9:
            loader.error(name, f"expected a part weight from {low:g} to {high:g}, found {weight:g} (DESIGN.md "
                         "\"Rules 3\": a weight is a design statement; no part of the verdict is weighed to nothing "
                         "or made to carry the game)")
    total = sum(getattr(scoring, name) for name in VERDICT_PARTS)
    if abs(total - 1.0) > 1e-6:
        listed = " + ".join(f"{name} {getattr(scoring, name):g}" for name in VERDICT_PARTS)
        loader.error(VERDICT_PARTS[0], f"expected the {len(VERDICT_PARTS)} part weights to add up to 1, found {listed} = "
                     f"{total:g} (each is its part's share of a quarter's verdict; they are not normalised)")
    if rules is None:
        return
    if scoring.supply_quarters > rules.supply.fleet_life_quarters:
        loader.error("supply_quarters", f"expected at most the fleet's life ({rules.supply.fleet_life_quarters} "
                     f"quarters, rules.toml supply.fleet_life_quarters), found {scoring.supply_quarters}")
    names = [tier.name for tier in rules.capability.tiers]
    if scoring.decisive_tier not in names:
        loader.error("decisive_tier", f"expected a capability tier name from rules.toml ({', '.join(names)}), "
                     f"found {quote(scoring.decisive_tier)}")


def content_warnings(content: Content) -> list[str]:
    """What is allowed but likely a slip: a chip no side can ever have (on no scenario's design ladder, in no
    starting fleet, never exported) does nothing."""
    held = {ref for scen in content.scenarios.values() for side in (scen.sides.us, scen.sides.cn)
            for ref in side.design_ladder + tuple(c.chip for c in side.fleet)}
    name = display_name(Path(content.root) / "chips.toml", Path(content.root))
    return [f"{path_text(name)}: chip {quote(chip.id)}: on no scenario's design_ladder, in no starting fleet and "
            "never exported, so no side ever has it; put it on a side's design_ladder in scenarios/*.toml"
            for chip in content.chips if chip.id not in held and chip.export_max_tier < 0]


def find_scenario(content: Content, spec: str) -> Scenario:
    """A scenario by id, or a path to a scenario TOML checked against the content."""
    if len(spec) > PATH_CHARS:  # no file has a longer path; a save keeps the spec whole, up to this (game/saves.py)
        raise ContentError(spec, "", f"{len(spec):,} characters; a scenario id or path has at most {PATH_CHARS:,}")
    if spec in content.scenarios:
        return content.scenarios[spec]
    path = scenario_file(content, spec)
    if path is None:
        raise ContentError(spec, "", f"unknown scenario; use one of {', '.join(sorted(content.scenarios))} or a path")
    if kind(path) == "missing":
        raise ContentError(spec, "", "scenario file not found")
    # anything else there (a FIFO, a folder, a loop of links): read_toml says what it is
    return load_scenario_file(path, spec, content.chips, content.nodes, content.sectors, content.policies,
                              content.rules)


def scenario_file(content: Content, spec: str) -> Path | None:
    """The file a scenario spec names by path, or None for an id of the content (or a spec that names nothing).
    The one rule find_scenario follows, so a run sent elsewhere sends exactly the files it reads."""
    if spec in content.scenarios:
        return None
    path = Path(spec)
    return path if spec.endswith(".toml") or kind(path) != "missing" else None


MIN_MARKET_BUSD = 0.001  # $1M a quarter: shrinking 50% a year for a century it is still far from underflow


def check_price_stacks(loaders: dict[str, Loader], rules: Rules, policies: tuple[Policy, ...],
                       events: tuple[Event, ...]) -> None:
    """Every factor below 1 that may be in force at once on one side's price - a policy held by either side, every
    export tier up to the highest, every event - multiplied together stays at least MIN_PRICE_STACK: each factor
    alone may pass its bound while a stack of them takes the price to nothing. (Worst case: effects that can never
    meet, by forbids_active or conditions, are counted too.)"""
    found: list[tuple[str, str, str, int, float]] = []  # (file, effect's key path, price, side, factor)
    for i, pol in enumerate(policies):
        owners = (0, 1) if pol.side == "both" else (("us", "cn").index(pol.side),)
        for owner in owners:
            found += [("policies.toml", f"policy[{i}].effects[{j}]", eff.target, side, eff.value)
                      for j, eff in enumerate(pol.effects) for side in concrete_sides(eff.side, owner)
                      if eff.kind == "modifier" and eff.op == "mul"]
    for i, tier in enumerate(rules.export_tiers):
        found += [("rules.toml", f"export_tiers[{i}].effects[{j}]", eff.target, side, eff.value)
                  for j, eff in enumerate(tier.effects) for side in concrete_sides(eff.side, 0)
                  if eff.kind == "modifier" and eff.op == "mul"]
    for i, ev in enumerate(events):
        found += [("events.toml", f"event[{i}].effects[{j}]", eff.target, side, eff.value)
                  for j, eff in enumerate(ev.effects) for side in concrete_sides(eff.side, 0)
                  if eff.kind == "modifier" and eff.op == "mul"]
    for price in PRICE_MODIFIERS:
        for side, side_name in enumerate(("us", "cn")):
            cuts = [(value, rel, path) for rel, path, target, s, value in found
                    if target == price and s == side and value < 1.0]
            stacked = math.prod(value for value, _, _ in cuts)
            if stacked >= MIN_PRICE_STACK:
                continue
            value, rel, path = min(cuts)
            loader = loaders[rel]
            loader.error(f"{path}.value", f"the factors on {side_name}'s price {quote(price)} that may be in force "
                         f"at once ({len(cuts)} of them, this the smallest) multiply to {stacked:.3g}; expected at "
                         f"least {MIN_PRICE_STACK:g} (the rules divide money by the price)")
            break  # one message a price


def check_conditions(loader: Loader, conds: tuple[Condition, ...], where: str, prefixes: tuple[str, ...]) -> None:
    for j, cond in enumerate(conds):
        if not valid_field(cond.field, prefixes):
            known = CONDITION_GLOBALS + tuple(f"{p}.{n}" for p in prefixes for n in CONDITION_SIDES)
            loader.error(f"{where}[{j}].field", f"{quote(cond.field)} is not a figure{did_you_mean(cond.field, known)}; "
                         f"expected a global field ({', '.join(CONDITION_GLOBALS)}) or {'/'.join(prefixes)}.NAME with "
                         f"NAME one of {', '.join(CONDITION_SIDES)}")


def valid_field(name: str, prefixes: tuple[str, ...]) -> bool:
    if name in CONDITION_GLOBALS:
        return True
    prefix, _, rest = name.partition(".")
    return prefix in prefixes and rest in CONDITION_SIDES


def check_effects(loader: Loader, effects: tuple[Effect, ...], where: str, sides: tuple[str, ...]) -> None:
    for j, eff in enumerate(effects):
        at = f"{where}[{j}]"
        if eff.side not in sides:
            loader.error(f"{at}.side", f"expected one of {', '.join(sides)}, found {quote(eff.side)}")
        if eff.kind == "modifier":
            if eff.target not in MODIFIERS:
                loader.error(f"{at}.target", f"expected a modifier ({', '.join(MODIFIERS)}), found "
                             f"{quote(eff.target)}{did_you_mean(eff.target, MODIFIERS)}")
                continue
            if eff.target in MUL_MODIFIERS and eff.op != "mul":
                loader.error(f"{at}.op", f"modifier {quote(eff.target)} takes op \"mul\", found {quote(eff.op)}")
            if eff.target in ADD_MODIFIERS and eff.op != "add":
                loader.error(f"{at}.op", f"modifier {quote(eff.target)} takes op \"add\", found {quote(eff.op)}")
            if eff.op == "mul" and eff.target in PRICE_MODIFIERS and eff.value < MIN_PRICE_FACTOR:
                loader.error(f"{at}.value", f"expected a factor >= {MIN_PRICE_FACTOR:g} on a price (the rules divide "
                             f"money by prices), found {quote(eff.value)}")
            elif eff.op == "mul" and eff.value < 0:
                loader.error(f"{at}.value", f"expected a factor >= 0, found {quote(eff.value)}")
        else:
            if eff.target not in STOCKS:
                loader.error(f"{at}.target", f"expected a stock ({', '.join(STOCKS)}), found "
                             f"{quote(eff.target)}{did_you_mean(eff.target, STOCKS)}")
            if eff.op == "mul" and eff.value < 0:
                loader.error(f"{at}.value", f"expected a factor >= 0, found {quote(eff.value)}")
