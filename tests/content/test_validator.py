"""The content validator, breakage by breakage.

Each test copies the shipped content folder, breaks one thing with a plain text edit and checks that
`load_content` refuses it with a ContentError whose message starts "FOLDER/FILE: key.path: ".
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from game.ai import StrategyError, load_strategy
from game.content import ContentError, default_content_dir, load_content

SHIPPED = default_content_dir()


def copy_content(tmp_path: Path, name: str = "content") -> Path:
    dest = tmp_path / name
    shutil.copytree(SHIPPED, dest)
    return dest


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace the first `count` occurrences of `old`; fail loudly if the text was not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not found in {path}"
    changed = text.replace(old, new, count)
    assert changed != text, f"replacing {old!r} in {path} changed nothing"
    path.write_text(changed, encoding="utf-8")


def load_error(root: Path) -> ContentError:
    with pytest.raises(ContentError) as info:
        load_content(root)
    return info.value


# --------------------------------------------------------------------------------------------------
# The shipped content


def test_shipped_content_loads():
    content = load_content(SHIPPED)
    assert {"a100", "h100", "h800", "b200", "ascend_910b", "ascend_910c"} <= {c.id for c in content.chips}
    assert {"2022", "2025"} <= set(content.scenarios)
    assert content.nodes and content.sectors and content.policies and content.events
    assert len(content.digest) == 64 and int(content.digest, 16) >= 0


def test_default_load_is_the_shipped_folder():
    assert load_content().digest == load_content(SHIPPED).digest


def test_copy_loads_with_the_same_digest(tmp_path):
    root = copy_content(tmp_path, "elsewhere")
    assert load_content(root).digest == load_content(SHIPPED).digest


def test_digest_changes_when_a_value_changes(tmp_path):
    root = copy_content(tmp_path)
    before = load_content(root).digest
    edit(root / "chips.toml", "price_kusd = 30.0", "price_kusd = 31.0")
    after = load_content(root).digest
    assert after != before
    assert load_content(root).chip("h100").price_kusd == 31.0


def test_digest_changes_when_a_scenario_value_changes(tmp_path):
    root = copy_content(tmp_path)
    before = load_content(root).digest
    edit(root / "scenarios" / "2025.toml", "treasury_busd = 50.0", "treasury_busd = 50.5")
    assert load_content(root).digest != before


def test_digest_ignores_comments(tmp_path):
    root = copy_content(tmp_path)
    before = load_content(root).digest
    edit(root / "chips.toml", "# REFERENCE s1: $25-30k", "# a reworded comment")
    assert load_content(root).digest == before


# --------------------------------------------------------------------------------------------------
# One breakage per test: (id, file edited, old text, new text, file named, key path, message fragment)

CASES = [
    # missing keys
    ("missing-chip-key", "chips.toml", "price_kusd = 30.0         # REFERENCE s1: $25-30k\n", "",
     "chips.toml", "chip 'h100'.price_kusd", "missing key"),
    ("missing-rules-key", "rules.toml", "mfu = 0.40                # REFERENCE s2: Llama 3.1 405B, MFU 38-43%\n", "",
     "rules.toml", "training.mfu", "missing key"),
    ("missing-rules-section", "rules.toml", "[intel]\n", "[intel_]\n",
     "rules.toml", "intel_", "unknown key"),
    ("missing-event-headline",
     "events.toml", 'headline = "Blockade drills around Taiwan: allied foundry output collapses."\n', "",
     "events.toml", "event 'taiwan_strait_crisis'.headline", "missing key"),
    ("missing-scenario-side-key", "scenarios/2025.toml",
     "pue = 1.3                        # REFERENCE s6: industry ~1.55, Google ~1.1\n", "",
     "scenarios/2025.toml", "sides.us.pue", "missing key"),
    ("missing-sector-key", "sectors.toml", "churn = 0.10\n", "",
     "sectors.toml", "sector 'consumer'.churn", "missing key"),
    # wrong types
    ("string-for-number", "chips.toml", "bf16_tflops = 989.0", 'bf16_tflops = "989"',
     "chips.toml", "chip 'h100'.bf16_tflops", "expected a number, found string '989'"),
    ("string-for-number-scoring", "scoring.toml", "frontier = 0.20", 'frontier = "0.20"',
     "scoring.toml", "frontier", "expected a number"),
    ("number-for-string", "chips.toml", 'name = "NVIDIA A100"', "name = 100",
     "chips.toml", "chip 'a100'.name", "expected a string, found number 100"),
    ("number-for-string-scenario", "scenarios/2025.toml", 'name = "The race in 2025"', "name = 2025",
     "scenarios/2025.toml", "name", "expected a string"),
    ("number-for-string-id", "policies.toml", 'id = "tighten_export_controls"', "id = 5",
     "policies.toml", "policy[0].id", "expected a string"),
    ("bool-for-number", "chips.toml", "server_kw = 0.8 ", "server_kw = true ",
     "chips.toml", "chip 'a100'.server_kw", "expected a number, found boolean true"),
    ("bool-for-number-rules", "rules.toml", "goodput = 0.90", "goodput = false",
     "rules.toml", "training.goodput", "found boolean false"),
    ("bool-for-number-condition", "policies.toml", 'op = "<", value = 4 }', 'op = "<", value = true }',
     "policies.toml", "policy 'tighten_export_controls'.conditions[0].value", "expected a number"),
    ("number-for-bool", "nodes.toml", "needs_euv = false", "needs_euv = 0",
     "nodes.toml", "node 'n7'.needs_euv", "expected true or false"),
    ("string-for-bool", "events.toml", "once = false", 'once = "no"',
     "events.toml", "event 'hbm_shortage'.once", "expected true or false"),
    ("float-for-whole-number", "chips.toml", "year = 2020", "year = 2020.5",
     "chips.toml", "chip 'a100'.year", "whole number"),
    ("float-for-whole-cooldown", "policies.toml", "cooldown = 3 ", "cooldown = 3.5 ",
     "policies.toml", "policy 'tighten_export_controls'.cooldown", "whole number"),
    ("string-for-list", "scenarios/2025.toml", 'active_policies = ["allied_coordination"]',
     'active_policies = "allied_coordination"', "scenarios/2025.toml", "active_policies", "expected a list"),
    ("number-for-table", "scenarios/2025.toml", "yields = { n7 = 0.43 }", "yields = 0.43",
     "scenarios/2025.toml", "sides.cn.yields", "expected a table"),
    ("list-for-number", "chips.toml", "hbm_gb = 80.0", "hbm_gb = [80.0]",
     "chips.toml", "chip 'a100'.hbm_gb", "expected a number"),
    ("number-for-effect-table", "policies.toml",
     'effects = [{ kind = "stock", target = "export_tier", side = "us", op = "add", value = 1 }]', "effects = [1]",
     "policies.toml", "policy 'tighten_export_controls'.effects[0]", "expected a table, found number 1"),
    ("infinite-number", "chips.toml", "price_kusd = 30.0", "price_kusd = inf",
     "chips.toml", "chip 'h100'.price_kusd", "finite"),
    ("nan-number", "rules.toml", "width_log10 = 2.0", "width_log10 = nan",
     "rules.toml", "capability.width_log10", "finite"),
    # unknown ids
    ("chip-node-unknown", "chips.toml", 'node = "n7"', 'node = "n6"',
     "chips.toml", "chip 'a100'.node", "'n6'"),
    ("node-renamed-breaks-chips", "nodes.toml", 'id = "n7"', 'id = "n7x"',
     "chips.toml", "chip 'a100'.node", "'n7'"),
    ("design-ladder-chip-unknown", "scenarios/2025.toml", '"b200", "r100"', '"b200", "r200"',
     "scenarios/2025.toml", "sides.us.design_ladder[2]", "'r200'"),
    ("design-ladder-cn-chip-unknown", "scenarios/2025.toml", '"ascend_910c", "ascend_950"',
     '"ascend_910c", "ascend_9500"', "scenarios/2025.toml", "sides.cn.design_ladder[2]", "'ascend_9500'"),
    ("design-ladder-empty", "scenarios/2025.toml",
     'design_ladder = ["h100", "b200", "r100", "us_2028", "us_2030"]', "design_ladder = []",
     "scenarios/2025.toml", "sides.us.design_ladder", "at least one"),
    ("fleet-chip-unknown", "scenarios/2025.toml", '{ chip = "h100", count = 400000', '{ chip = "b300", count = 400000',
     "scenarios/2025.toml", "sides.us.fleet[2].chip", "'b300'"),
    ("fleet-chip-unknown-2022", "scenarios/2022.toml", 'chip = "', 'chip = "zz_',
     "scenarios/2022.toml", "sides.us.fleet[0].chip", "'zz_"),
    ("policy-requires-unknown", "policies.toml", 'id = "chips_act"\n',
     'id = "chips_act"\nrequires_active = ["no_such_policy"]\n',
     "policies.toml", "policy 'chips_act'.requires_active[0]", "'no_such_policy'"),
    ("policy-forbids-unknown", "policies.toml", 'id = "stargate"\n',
     'id = "stargate"\nforbids_active = ["chips_act", "chips_acts"]\n',
     "policies.toml", "policy 'stargate'.forbids_active[1]", "'chips_acts'"),
    ("active-policy-unknown", "scenarios/2025.toml", '["allied_coordination"]', '["allied_coordinaton"]',
     "scenarios/2025.toml", "active_policies[0]", "'allied_coordinaton'"),
    ("policy-renamed-breaks-scenario", "policies.toml", 'id = "allied_coordination"', 'id = "allied_coord"',
     "scenarios/2025.toml", "active_policies[0]", "'allied_coordination'"),
    ("adoption-sector-unknown", "scenarios/2025.toml", "adoption = { consumer = 0.30", "adoption = { consumers = 0.30",
     "scenarios/2025.toml", "sides.us.adoption.consumers", "unknown id"),
    ("fab-node-unknown", "scenarios/2025.toml", "fab_wafers_per_q = { n7 = 37000.0 }",
     "fab_wafers_per_q = { n6 = 37000.0 }", "scenarios/2025.toml", "sides.cn.fab_wafers_per_q.n6", "unknown id"),
    ("yields-node-unknown", "scenarios/2025.toml", "yields = { n5 = 0.70, n3 = 0.55 }",
     "yields = { n5 = 0.70, n4 = 0.55 }", "scenarios/2025.toml", "sides.us.yields.n4", "unknown id"),
    # negative costs and out-of-range values
    ("negative-chip-price", "chips.toml", "price_kusd = 15.0", "price_kusd = -15.0",
     "chips.toml", "chip 'a100'.price_kusd", ">= 0.1"),
    ("zero-chip-price", "chips.toml", "price_kusd = 30.0", "price_kusd = 0.0",
     "chips.toml", "chip 'h100'.price_kusd", ">= 0.1"),
    ("negative-policy-cost", "policies.toml", "cost_busd = 13.2", "cost_busd = -13.2",
     "policies.toml", "policy 'chips_act'.cost_busd", ">= 0.0"),
    ("negative-design-cost", "chips.toml", "design_cost_busd = 8.0", "design_cost_busd = -8.0",
     "chips.toml", "chip 'b200'.design_cost_busd", ">= 0.0"),
    ("die-too-big", "chips.toml", "die_mm2 = 826.0", "die_mm2 = 2000.0",
     "chips.toml", "chip 'a100'.die_mm2", "<= 900.0"),
    ("chip-year-too-early", "chips.toml", "year = 2020", "year = 1990",
     "chips.toml", "chip 'a100'.year", ">= 2015"),
    ("mfu-above-one", "rules.toml", "mfu = 0.40", "mfu = 1.5",
     "rules.toml", "training.mfu", "<= 1.0"),
    ("goodput-zero", "rules.toml", "goodput = 0.90", "goodput = 0.0",
     "rules.toml", "training.goodput", ">= 0.1"),
    ("width-zero", "rules.toml", "width_log10 = 2.0", "width_log10 = 0.0",
     "rules.toml", "capability.width_log10", ">= 0.1"),
    ("tier-log10-out-of-range", "rules.toml", "log10_eff = 32.5", "log10_eff = 50.0",
     "rules.toml", "capability.tiers[4].log10_eff", "<= 45.0"),
    ("tiers-out-of-order", "rules.toml", "log10_eff = 25.2", "log10_eff = 22.0",
     "rules.toml", "capability.tiers[1].log10_eff", "rising order"),
    ("yield-above-one", "nodes.toml", "learn_rate = 0.04", "learn_rate = 1.5",
     "nodes.toml", "node 'n7'.learn_rate", "<= 1.0"),
    ("probability-above-one", "events.toml", "probability = 0.02", "probability = 1.2",
     "events.toml", "event 'taiwan_strait_crisis'.probability", "<= 1.0"),
    ("negative-probability", "events.toml", "probability = 0.10", "probability = -0.1",
     "events.toml", "event 'deepseek_moment'.probability", ">= 0.0"),
    ("event-window-inverted", "events.toml", "turn_max = 24", "turn_min = 30\nturn_max = 24",
     "events.toml", "event 'deepseek_moment'.turn_max", "turn_min"),
    ("sector-speed-above-one", "sectors.toml", "adoption_speed = 0.15", "adoption_speed = 1.15",
     "sectors.toml", "sector 'consumer'.adoption_speed", "<= 1.0"),
    ("scoring-deployment-above-1", "scoring.toml", "decisive_deployment = 0.6", "decisive_deployment = 1.6",
     "scoring.toml", "decisive_deployment", "<= 1.0"),
    ("scoring-negative-weight", "scoring.toml", "mindshare = 0.20", "mindshare = -0.20",
     "scoring.toml", "mindshare", ">= 0.0"),
    # DESIGN.md "Rules 3" item 1: each part weighs 0.10-0.30 (the sum is off too; the band is named first)
    ("scoring-weight-below-band", "scoring.toml", "mindshare = 0.20", "mindshare = 0.05",
     "scoring.toml", "mindshare", "expected a part weight from 0.1 to 0.3, found 0.05"),
    ("scoring-weight-above-band", "scoring.toml", "frontier = 0.20", "frontier = 0.35",
     "scoring.toml", "frontier", "expected a part weight from 0.1 to 0.3, found 0.35"),
    ("scoring-weights-not-one", "scoring.toml", "mindshare = 0.20", "mindshare = 0.25",
     "scoring.toml", "frontier", "add up to 1, found frontier 0.2 + compute 0.1 + applications 0.2 + "
     "mindshare 0.25 + supply 0.3 = 1.05"),
    ("scoring-supply-quarters-past-fleet-life", "scoring.toml", "supply_quarters = 4", "supply_quarters = 30",
     "scoring.toml", "supply_quarters", "expected at most the fleet's life"),
    # the onshore order's terms (scenario side facts)
    ("scenario-onshore-premium-negative", "scenarios/2025.toml", "onshore_cost_premium = 0.4 ",
     "onshore_cost_premium = -0.4 ", "scenarios/2025.toml", "sides.us.onshore_cost_premium", ">= 0.0"),
    ("scenario-builds-abroad-not-a-bool", "scenarios/2025.toml", "builds_abroad = true ", "builds_abroad = 1 ",
     "scenarios/2025.toml", "sides.us.builds_abroad", "expected true or false"),
    ("scoring-unknown-tier", "scoring.toml", 'decisive_tier = "Transformative"', 'decisive_tier = "Transformativ"',
     "scoring.toml", "decisive_tier", "expected a capability tier name from rules.toml"),
    ("policy-duration-below-minus-one", "policies.toml", "duration = 0\n", "duration = -2\n",
     "policies.toml", "policy 'tighten_export_controls'.duration", ">= -1"),
    ("scenario-turns-zero", "scenarios/2025.toml", "turns = 40", "turns = 0",
     "scenarios/2025.toml", "turns", ">= 1"),
    ("scenario-quarter-five", "scenarios/2025.toml", "start_quarter = 1", "start_quarter = 5",
     "scenarios/2025.toml", "start_quarter", "<= 4"),
    ("scenario-export-tier-too-high", "scenarios/2025.toml", "export_tier = 3 ", "export_tier = 9 ",
     "scenarios/2025.toml", "export_tier", "at most 4"),
    ("scenario-design-index-past-ladder", "scenarios/2025.toml", "design_index = 1                 # B200",
     "design_index = 5                 # B200", "scenarios/2025.toml", "sides.us.design_index", "less than 5"),
    ("scenario-fleet-too-old", "scenarios/2025.toml", "count = 600000, age_quarters = 14",
     "count = 600000, age_quarters = 20", "scenarios/2025.toml", "sides.us.fleet[0].age_quarters", "less than 20"),
    ("scenario-negative-fleet", "scenarios/2025.toml", "count = 600000", "count = -600000",
     "scenarios/2025.toml", "sides.us.fleet[0].count", ">= 0.0"),
    ("scenario-adoption-above-one", "scenarios/2025.toml", "adoption = { consumer = 0.30",
     "adoption = { consumer = 1.30", "scenarios/2025.toml", "sides.us.adoption.consumer", "<= 1.0"),
    ("scenario-pue-below-one", "scenarios/2025.toml", "pue = 1.25", "pue = 0.9",
     "scenarios/2025.toml", "sides.cn.pue", ">= 1.0"),
    ("scenario-efficiency-out-of-range", "scenarios/2025.toml", "efficiency_log10 = 1.0 ",
     "efficiency_log10 = 11.0 ", "scenarios/2025.toml", "sides.cn.efficiency_log10", "<= 10.0"),
    # what each side may get from abroad, and the lithography and smuggling terms
    ("scenario-missing-allied-euv", "scenarios/2025.toml",
     "allied_euv = true                # REFERENCE s4: the one EUV maker (ASML) sells to the US and its allies' fabs\n",
     "", "scenarios/2025.toml", "sides.us.allied_euv", "missing key, expected true or false"),
    ("scenario-imports-not-a-bool", "scenarios/2022.toml", "imports_chips = true ", "imports_chips = 1 ",
     "scenarios/2022.toml", "sides.cn.imports_chips", "expected true or false, found number 1"),
    ("scenario-smuggles-a-string", "scenarios/2025.toml", "smuggles_chips = false", 'smuggles_chips = "no"',
     "scenarios/2025.toml", "sides.us.smuggles_chips", "expected true or false, found string 'no'"),
    ("scenario-allied-and-domestic-euv", "scenarios/2025.toml", "allied_euv = true ",
     "euv_domestic = true\nallied_euv = true ", "scenarios/2025.toml", "sides.us.euv_domestic",
     "set one of the two to false"),
    ("smuggle-generations-negative", "rules.toml", "smuggle_generations_back = 1 ", "smuggle_generations_back = -1 ",
     "rules.toml", "supply.smuggle_generations_back", ">= 0"),
    ("smuggle-generations-fractional", "rules.toml", "smuggle_generations_back = 1 ",
     "smuggle_generations_back = 1.5 ", "rules.toml", "supply.smuggle_generations_back", "whole number"),
    ("domestic-euv-supply-missing", "rules.toml", "domestic_euv_supply_mult = 0.5 ", "domestic_euv_supply = 0.5 ",
     "rules.toml", "supply.domestic_euv_supply", "unknown key"),
    ("blocked-duv-supply-negative", "rules.toml", "blocked_duv_supply_mult = 0.3 ", "blocked_duv_supply_mult = -0.3 ",
     "rules.toml", "supply.blocked_duv_supply_mult", ">= 0.0"),
    ("idle-euv-share-above-one", "rules.toml", "idle_euv_money_share = 0.5 ", "idle_euv_money_share = 1.5 ",
     "rules.toml", "supply.idle_euv_money_share", "<= 1.0"),
    # choices
    ("chip-maker-unknown", "chips.toml", 'maker = "us"', 'maker = "eu"',
     "chips.toml", "chip 'a100'.maker", "expected one of us, cn, allied"),
    ("policy-side-unknown", "policies.toml", 'side = "us"\n', 'side = "usa"\n',
     "policies.toml", "policy 'tighten_export_controls'.side", "expected one of"),
    # duplicate ids
    ("duplicate-chip-id", "chips.toml", 'id = "a800"', 'id = "a100"',
     "chips.toml", "chip 'a100'.id", "duplicate id 'a100'"),
    ("duplicate-node-id", "nodes.toml", 'id = "n5"', 'id = "n7"',
     "nodes.toml", "node 'n7'.id", "duplicate id 'n7'"),
    ("duplicate-sector-id", "sectors.toml", 'id = "enterprise"', 'id = "consumer"',
     "sectors.toml", "sector 'consumer'.id", "duplicate id 'consumer'"),
    ("duplicate-policy-id", "policies.toml", 'id = "license_for_revenue_share"', 'id = "tighten_export_controls"',
     "policies.toml", "policy 'tighten_export_controls'.id", "duplicate id"),
    ("duplicate-event-id", "events.toml", 'id = "deepseek_moment"', 'id = "taiwan_strait_crisis"',
     "events.toml", "event 'taiwan_strait_crisis'.id", "duplicate id"),
    # unknown keys (typos)
    ("typo-chip-key", "chips.toml", "hbm_gb = 80.0", "hbm_gbs = 80.0",
     "chips.toml", "chip 'a100'.hbm_gbs", "unknown key"),
    ("typo-node-key", "nodes.toml", "learn_rate = 0.04", "learn_rat = 0.04",
     "nodes.toml", "node 'n7'.learn_rat", "unknown key"),
    ("typo-rules-key", "rules.toml", "run_quarters = 2", "run_quarter = 2",
     "rules.toml", "training.run_quarter", "unknown key"),
    ("typo-rules-section", "rules.toml", "[training]", "[trainng]",
     "rules.toml", "trainng", "unknown key"),
    ("typo-scoring-key", "scoring.toml", "tie_margin = 0.05", "tie_margn = 0.05",
     "scoring.toml", "tie_margn", "unknown key"),
    ("typo-policy-key", "policies.toml", "cooldown = 3 ", "cooldwn = 3 ",
     "policies.toml", "policy 'tighten_export_controls'.cooldwn", "unknown key"),
    ("typo-effect-key", "policies.toml", '{ kind = "stock", target = "export_tier", side = "us"',
     '{ kind = "stock", target = "export_tier", sid = "us"', "policies.toml", "policy 'tighten_export_controls'.effects[0].sid",
     "unknown key"),
    ("typo-event-key", "events.toml", "turn_min = 4", "turn_mn = 4",
     "events.toml", "event 'taiwan_strait_crisis'.turn_mn", "unknown key"),
    ("typo-scenario-side", "scenarios/2025.toml", "[sides.us]", "[sides.usa]",
     "scenarios/2025.toml", "sides.usa", "unknown key"),
    ("typo-scenario-side-key", "scenarios/2025.toml", "power_mw = 3200.0", "power_MW = 3200.0",
     "scenarios/2025.toml", "sides.cn.power_MW", "unknown key"),
    ("typo-top-level-table", "chips.toml", "[[chip]]", "[[chips]]",
     "chips.toml", "chips", "unknown key"),
    ("stray-top-level-key", "sectors.toml", "[[sector]]", "version = 2\n\n[[sector]]",
     "sectors.toml", "version", "unknown key"),
    # conditions
    ("condition-field-unknown", "policies.toml", 'field = "export_tier", op = "<"', 'field = "export_teir", op = "<"',
     "policies.toml", "policy 'tighten_export_controls'.conditions[0].field", "'export_teir'"),
    ("condition-side-field-unknown", "policies.toml", 'field = "self.model_open"', 'field = "self.model_opened"',
     "policies.toml", "policy 'release_weights'.conditions[0].field", "'self.model_opened'"),
    ("condition-prefix-unknown", "policies.toml", 'field = "self.model_open"', 'field = "me.model_open"',
     "policies.toml", "policy 'release_weights'.conditions[0].field", "'me.model_open'"),
    ("event-condition-self-prefix", "events.toml", 'field = "cn.capability"', 'field = "self.capability"',
     "events.toml", "event 'deepseek_moment'.conditions[0].field", "'self.capability'"),
    ("condition-op-unknown", "policies.toml", 'op = "<", value = 4', 'op = "=<", value = 4',
     "policies.toml", "policy 'tighten_export_controls'.conditions[0].op", "expected one of"),
    ("condition-missing-value", "events.toml", 'op = ">", value = 0.9 }', 'op = ">" }',
     "events.toml", "event 'us_grid_crunch'.conditions[0].value", "missing key"),
    # effects
    ("effect-stock-target-unknown", "policies.toml", 'target = "export_tier", side = "us", op = "add", value = 1 }',
     'target = "export_tiers", side = "us", op = "add", value = 1 }',
     "policies.toml", "policy 'tighten_export_controls'.effects[0].target", "expected a stock"),
    ("effect-modifier-target-unknown", "events.toml", 'target = "fab_output", side = "us"',
     'target = "fab_outputs", side = "us"', "events.toml", "event 'taiwan_strait_crisis'.effects[0].target",
     "expected a modifier"),
    ("export-tier-effect-target-unknown", "rules.toml", 'target = "chip_price", side = "cn"',
     'target = "chip_prize", side = "cn"', "rules.toml", "export_tiers[1].effects[0].target", "'chip_prize'"),
    ("effect-op-add-on-mul-modifier", "policies.toml", 'target = "fab_cost", side = "self", op = "mul"',
     'target = "fab_cost", side = "self", op = "add"', "policies.toml", "policy 'chips_act'.effects[0].op", "takes op \"mul\""),
    ("effect-op-mul-on-add-modifier", "policies.toml", 'target = "duv_blocked", side = "cn", op = "add"',
     'target = "duv_blocked", side = "cn", op = "mul"', "policies.toml", "policy 'allied_coordination'.effects[0].op",
     "takes op \"add\""),
    ("effect-op-unknown", "policies.toml", 'target = "fab_cost", side = "self", op = "mul"',
     'target = "fab_cost", side = "self", op = "pow"', "policies.toml", "policy 'chips_act'.effects[0].op", "expected one of"),
    ("effect-kind-unknown", "policies.toml", '{ kind = "modifier", target = "fab_cost"',
     '{ kind = "modifer", target = "fab_cost"', "policies.toml", "policy 'chips_act'.effects[0].kind", "expected one of"),
    ("effect-negative-factor", "policies.toml", 'op = "mul", value = 0.75', 'op = "mul", value = -0.75',
     "policies.toml", "policy 'chips_act'.effects[0].value", "factor >= 0"),
    ("effect-side-unknown", "policies.toml", 'target = "fab_cost", side = "self"',
     'target = "fab_cost", side = "selves"', "policies.toml", "policy 'chips_act'.effects[0].side", "expected one of"),
    ("event-effect-side-self", "events.toml", 'target = "fab_output", side = "us"',
     'target = "fab_output", side = "self"', "events.toml", "event 'taiwan_strait_crisis'.effects[0].side", "'self'"),
    ("export-tier-effect-side-rival", "rules.toml", 'target = "revenue", side = "us"',
     'target = "revenue", side = "rival"', "rules.toml", "export_tiers[3].effects[0].side", "'rival'"),
    # malformed TOML
    ("malformed-unclosed-string", "chips.toml", 'id = "a100"', 'id = "a100',
     "chips.toml", "", "malformed TOML"),
    ("malformed-table-header", "sectors.toml", "[[sector]]", "[[sector]", "sectors.toml", "", "malformed TOML"),
    ("malformed-duplicate-key", "nodes.toml", "rank = 1\n", "rank = 1\nrank = 2\n", "nodes.toml", "", "malformed TOML"),
    ("malformed-scenario", "scenarios/2025.toml", "turns = 40", "turns = = 40",
     "scenarios/2025.toml", "", "malformed TOML"),
    ("malformed-rules-inline-table", "rules.toml", 'op = "mul", value = 1.1 }]', 'op = "mul", value = 1.1 ]',
     "rules.toml", "", "malformed TOML"),
]


@pytest.mark.parametrize("rel, old, new, named, key, fragment",
                         [pytest.param(*case[1:], id=case[0]) for case in CASES])
def test_breakage_is_refused(tmp_path, rel, old, new, named, key, fragment):
    root = copy_content(tmp_path)
    edit(root / rel, old, new)
    err = load_error(root)
    message = str(err)
    prefix = f"content/{named}: {key}: " if key else f"content/{named}: "
    assert message.startswith(prefix), message
    assert err.file == f"content/{named}"
    assert err.path == key
    assert fragment in message, message
    assert "\n" not in message


def test_case_ids_are_unique():
    ids = [case[0] for case in CASES]
    assert len(ids) == len(set(ids))


def test_malformed_toml_names_the_line(tmp_path):
    root = copy_content(tmp_path)
    edit(root / "chips.toml", 'id = "a100"', 'id = "a100')
    message = str(load_error(root))
    line = next(i for i, text in enumerate((root / "chips.toml").read_text().splitlines(), 1) if 'id = "a100' in text)
    assert f"line {line}" in message, message


def test_found_value_is_described(tmp_path):
    root = copy_content(tmp_path)
    edit(root / "chips.toml", "price_kusd = 15.0", 'price_kusd = "cheap"')
    message = str(load_error(root))
    assert message.startswith("content/chips.toml: chip 'a100'.price_kusd: ")
    assert "'cheap'" in message


# --------------------------------------------------------------------------------------------------
# Files and folders


@pytest.mark.parametrize("rel", ["rules.toml", "scoring.toml", "nodes.toml", "chips.toml", "sectors.toml",
                                 "policies.toml", "events.toml"])
def test_missing_file(tmp_path, rel):
    root = copy_content(tmp_path)
    (root / rel).unlink()
    err = load_error(root)
    assert str(err).startswith(f"content/{rel}: "), str(err)
    assert "not found" in str(err)


@pytest.mark.parametrize("rel", ["chips.toml", "rules.toml", "events.toml"])
def test_file_that_is_a_folder(tmp_path, rel):
    root = copy_content(tmp_path)
    (root / rel).unlink()
    (root / rel).mkdir()
    err = load_error(root)
    assert str(err).startswith(f"content/{rel}: "), str(err)
    assert "folder" in str(err)


def test_scenario_file_that_is_a_folder(tmp_path):
    root = copy_content(tmp_path)
    (root / "scenarios" / "2030.toml").mkdir()
    err = load_error(root)
    assert str(err).startswith("content/scenarios/2030.toml: "), str(err)
    assert "folder" in str(err)


def test_missing_scenarios_folder(tmp_path):
    root = copy_content(tmp_path)
    shutil.rmtree(root / "scenarios")
    err = load_error(root)
    assert str(err).startswith("content/scenarios: "), str(err)


def test_empty_scenarios_folder(tmp_path):
    root = copy_content(tmp_path)
    for path in (root / "scenarios").glob("*.toml"):
        path.unlink()
    err = load_error(root)
    assert str(err).startswith("content/scenarios: "), str(err)
    assert "at least one" in str(err)


def test_duplicate_scenario_id(tmp_path):
    root = copy_content(tmp_path)
    shutil.copy(root / "scenarios" / "2025.toml", root / "scenarios" / "2025b.toml")
    err = load_error(root)
    assert str(err).startswith("content/scenarios/2025b.toml: id: "), str(err)
    assert "duplicate" in str(err)


def test_missing_content_folder(tmp_path):
    with pytest.raises(ContentError) as info:
        load_content(tmp_path / "nowhere")
    assert "not found" in str(info.value)


def test_empty_file(tmp_path):
    root = copy_content(tmp_path)
    (root / "chips.toml").write_text("# nothing here\n")
    err = load_error(root)
    assert str(err).startswith("content/chips.toml: chip: "), str(err)


@pytest.mark.parametrize("text", ["chip = 3\n", 'chip = { id = "x" }\n', 'chip = "h100"\n'],
                         ids=["number", "table", "string"])
def test_list_file_without_a_list_of_tables(tmp_path, text):
    root = copy_content(tmp_path)
    (root / "chips.toml").write_text(text)
    err = load_error(root)
    assert str(err).startswith("content/chips.toml: chip: "), str(err)
    assert "list" in str(err)


def test_not_utf8(tmp_path):
    root = copy_content(tmp_path)
    (root / "events.toml").write_bytes(b'[[event]]\nid = "caf\xe9"\n')
    err = load_error(root)
    assert str(err).startswith("content/events.toml: "), str(err)
    assert "UTF-8" in str(err)


# --------------------------------------------------------------------------------------------------
# The display name is the folder's own name, whatever it is called

RENAMED = [
    ("chip-price", "chips.toml", "price_kusd = 15.0", "price_kusd = -15.0", "chips.toml", "chip 'a100'.price_kusd"),
    ("rules-mfu", "rules.toml", "mfu = 0.40", "mfu = 1.5", "rules.toml", "training.mfu"),
    ("rules-tiers-order", "rules.toml", "log10_eff = 25.2", "log10_eff = 22.0", "rules.toml",
     "capability.tiers[1].log10_eff"),
    ("rules-export-tier-effect", "rules.toml", 'target = "chip_price", side = "cn"',
     'target = "chip_prize", side = "cn"', "rules.toml", "export_tiers[1].effects[0].target"),
    ("scenario-ladder", "scenarios/2025.toml", '"b200", "r100"', '"b200", "r200"', "scenarios/2025.toml",
     "sides.us.design_ladder[2]"),
]


@pytest.mark.parametrize("rel, old, new, named, key", [pytest.param(*c[1:], id=c[0]) for c in RENAMED])
def test_display_name_uses_the_folder_name(tmp_path, rel, old, new, named, key):
    root = copy_content(tmp_path, "my_mod")
    edit(root / rel, old, new)
    message = str(load_error(root))
    assert message.startswith(f"my_mod/{named}: {key}: "), message


# --------------------------------------------------------------------------------------------------
# Strategy files

STRATEGY_CASES = [
    ("allocation-typo", "allocation = { fabs = 0.06", "allocation = { fabz = 0.06",
     "phase[0].allocation.fabz", "unknown key"),
    ("allocation-over-one", "compute = 0.19, training = 0.04", "compute = 0.99, training = 0.04",
     "phase[0].allocation", "at most 1"),
    ("allocation-negative", "compute = 0.19, training = 0.04", "compute = -0.19, training = 0.04",
     "phase[0].allocation.compute", ">= 0.0"),
    ("split-not-one", "split = { training = 0.40, inference = 0.40", "split = { training = 0.50, inference = 0.40",
     "phase[0].split", "adding up to 1"),
    ("split-string", "split = { training = 0.40", 'split = { training = "0.40"',
     "phase[0].split.training", "expected a number"),
    ("turns-reversed", "turns = [1, 12]", "turns = [12, 1]", "phase[0].turns", "[first, last]"),
    ("turns-one-number", "turns = [13, 400]", "turns = [13]", "phase[1].turns", "[first, last]"),
    ("when-field-unknown", 'field = "self.treasury_busd", op = "<"', 'field = "self.treasure", op = "<"',
     "adjust[0].when[0].field", "'self.treasure'"),
    ("when-op-unknown", 'op = "<", value = -20.0', 'op = "<<", value = -20.0',
     "adjust[0].when[0].op", "expected one of"),
    ("action-side-unknown", 'id = "big_fund"\n', 'id = "big_fund"\nside = "eu"\n',
     "action 'big_fund'.side", "expected one of"),
    ("top-level-typo", "[[phase]]", "[[phases]]", "phases", "unknown key"),
    ("missing-name", 'name = "Balanced"\n', "", "name", "missing key"),
    ("id-number", 'id = "balanced"', "id = 7", "id", "expected a string"),
    ("malformed", 'name = "Balanced"', 'name = "Balanced', "", "malformed TOML"),
]


@pytest.mark.parametrize("old, new, key, fragment", [pytest.param(*c[1:], id=c[0]) for c in STRATEGY_CASES])
def test_strategy_error_names_file_and_key(tmp_path, old, new, key, fragment):
    path = tmp_path / "mine.toml"
    shutil.copy(SHIPPED / "strategies" / "balanced.toml", path)
    edit(path, old, new)
    with pytest.raises(StrategyError) as info:
        load_strategy(str(path))
    message = str(info.value)
    prefix = f"{path}: {key}: " if key else f"{path}: "
    assert message.startswith(prefix), message
    assert fragment in message, message


def test_strategy_copy_loads(tmp_path):
    path = tmp_path / "mine.toml"
    shutil.copy(SHIPPED / "strategies" / "balanced.toml", path)
    assert load_strategy(str(path)).id == "balanced"


def test_missing_strategy_file(tmp_path):
    path = tmp_path / "absent.toml"
    with pytest.raises(StrategyError) as info:
        load_strategy(str(path))
    assert str(path) in str(info.value)
    assert "not found" in str(info.value)


def test_unknown_strategy_id():
    with pytest.raises(StrategyError) as info:
        load_strategy("no_such_strategy")
    assert "no_such_strategy" in str(info.value)
    assert "balanced" in str(info.value)


@pytest.mark.parametrize("sid", ["balanced", "all_in_scale", "efficiency_first", "random"])
def test_builtin_strategies_load(sid):
    assert load_strategy(sid) is not None


def test_builtin_strategy_error_names_its_folder(tmp_path):
    """A built-in strategy in a content folder other than the shipped one is named by that folder."""
    root = copy_content(tmp_path, "my_mod")
    edit(root / "strategies" / "balanced.toml", "[[phase]]", "[[phases]]")
    with pytest.raises(StrategyError) as info:
        load_strategy("balanced", root)
    assert str(info.value).startswith("my_mod/strategies/balanced.toml: phases: "), str(info.value)


def test_builtin_strategy_error_in_shipped_layout(tmp_path):
    root = copy_content(tmp_path)
    edit(root / "strategies" / "balanced.toml", "[[phase]]", "[[phases]]")
    with pytest.raises(StrategyError) as info:
        load_strategy("balanced", root)
    assert str(info.value).startswith("content/strategies/balanced.toml: phases: "), str(info.value)


def test_whole_number_accepted_for_a_float_field(tmp_path):
    root = copy_content(tmp_path)
    edit(root / "chips.toml", "price_kusd = 30.0", "price_kusd = 30")
    price = load_content(root).chip("h100").price_kusd
    assert price == 30.0 and isinstance(price, float)
