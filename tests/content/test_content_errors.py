"""The content validator: broken copies of the shipped content are refused with file and key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from game.content import ContentError, default_content_dir, load_content

SHIPPED = default_content_dir()

# (file, text to find, replacement, expected start of the message after "content/FILE: ")
BREAKAGES = {
    "missing key": ("chips.toml", 'bf16_tflops = 989.0       # REFERENCE s1\nserver_kw', "server_kw",
                    "chip 'h100'.bf16_tflops: missing key, expected a number"),
    "string for number": ("chips.toml", "price_kusd = 30.0", 'price_kusd = "thirty"',
                          "chip 'h100'.price_kusd: expected a number, found string 'thirty'"),
    "bool for number": ("rules.toml", "mfu = 0.40", "mfu = true", "training.mfu: expected a number, found boolean true"),
    "number for string": ("chips.toml", 'name = "NVIDIA H100"', "name = 7", "chip 'h100'.name: expected a string"),
    "unknown node": ("chips.toml", 'node = "n7"', 'node = "n9"', "chip 'a100'.node: expected a node id"),
    "negative price": ("chips.toml", "price_kusd = 30.0", "price_kusd = -30.0",
                       "chip 'h100'.price_kusd: expected a number >= 0.1"),
    "negative cost": ("policies.toml", "cost_busd = 2.0          # REFERENCE", "cost_busd = -2.0 # ",
                      "policy 'tighten_export_controls'.cost_busd: expected a number >= 0.0"),
    "out of range": ("scoring.toml", "decisive_deployment = 0.6", "decisive_deployment = 1.6",
                     "decisive_deployment: expected a number <= 1.0"),
    "typo key": ("nodes.toml", "learn_rate = 0.04", "learn_rat = 0.04", "node 'n7'.learn_rat: unknown key"),
    "duplicate id": ("sectors.toml", 'id = "enterprise"', 'id = "consumer"', "sector 'consumer'.id: duplicate id 'consumer'"),
    "unknown requires": ("policies.toml", 'id = "release_weights"', 'id = "release_weights"\nrequires_active = ["nope"]',
                         "policy 'release_weights'.requires_active[0]: expected a policy id, found 'nope'"),
    "bad condition field": ("events.toml", 'field = "cn.capability"', 'field = "cn.gold"',
                            "event 'deepseek_moment'.conditions[0].field: 'cn.gold' is not a figure; expected a global field"),
    "bad effect target": ("events.toml", 'target = "fab_output", side = "us"', 'target = "fab_outputs", side = "us"',
                          "event 'taiwan_strait_crisis'.effects[0].target: expected a modifier"),
    "bad effect op": ("policies.toml", '{ kind = "modifier", target = "fab_cost", side = "self", op = "mul", value = 0.75 }',
                      '{ kind = "modifier", target = "fab_cost", side = "self", op = "add", value = 0.75 }',
                      "policy 'chips_act'.effects[0].op: modifier 'fab_cost' takes op \"mul\""),
    "malformed toml": ("sectors.toml", "[[sector]]\nid = \"consumer\"", "[[sector]\nid = \"consumer\"", "malformed TOML"),
    "ladder chip unknown": ("scenarios/2025.toml", '"r100", "us_2028"', '"r100x", "us_2028"',
                            "sides.us.design_ladder[2]: expected a chip id"),
    "fleet chip unknown": ("scenarios/2025.toml", '{ chip = "a100", count = 600000', '{ chip = "a1000", count = 600000',
                           "sides.us.fleet[0].chip: expected a chip id"),
    "adoption sector unknown": ("scenarios/2025.toml", "adoption = { consumer = 0.30", "adoption = { consumers = 0.30",
                                "sides.us.adoption.consumers: unknown id"),
    "turn range backwards": ("events.toml", "turn_min = 4\n", "turn_min = 4\nturn_max = 2\n",
                             "event 'taiwan_strait_crisis'.turn_max: expected >= turn_min"),
    "whole number expected": ("rules.toml", "run_quarters = 2 ", "run_quarters = 2.5 ",
                              "training.run_quarters: expected a whole number"),
}


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(SHIPPED, target)
    return target


def test_shipped_content_loads() -> None:
    content = load_content()
    assert {"2025", "2022"} <= set(content.scenarios)
    assert len(content.events) >= 12
    assert content.scenario("2025").turns == 40


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_breakage_is_reported_with_file_and_key(copy: Path, name: str) -> None:
    file, old, new, expected = BREAKAGES[name]
    path = copy / file
    text = path.read_text()
    assert old in text, f"test setup: {old!r} not in {file}"
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(ContentError) as err:
        load_content(copy)
    message = str(err.value)
    assert message.startswith(f"content/{file}: "), message
    assert expected in message, message
    assert "\n" not in message


def test_missing_file(copy: Path) -> None:
    (copy / "events.toml").unlink()
    with pytest.raises(ContentError, match=r"^content/events.toml: file not found"):
        load_content(copy)


def test_file_that_is_a_folder(copy: Path) -> None:
    (copy / "chips.toml").unlink()
    (copy / "chips.toml").mkdir()
    with pytest.raises(ContentError, match=r"^content/chips.toml: is a folder"):
        load_content(copy)


def test_not_a_content_folder(tmp_path: Path) -> None:
    with pytest.raises(ContentError, match="content folder not found"):
        load_content(tmp_path / "nowhere")


def test_digest_follows_the_values(copy: Path) -> None:
    before = load_content(copy).digest
    path = copy / "rules.toml"
    path.write_text(path.read_text().replace("mfu = 0.40", "mfu = 0.41"))
    assert load_content(copy).digest != before
    assert load_content().digest == before
