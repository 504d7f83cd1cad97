"""Calibration: the engine's own arithmetic lands near the real records in REFERENCE.md."""

from __future__ import annotations

import numpy as np

from game.cli import main
from game.content import load_content
from game.engine import Tables, physics
from game.engine.observe import capability_of, tier_of

CONTENT = load_content()
TABLES = Tables(CONTENT, CONTENT.scenario("2025"))
GOODPUT = CONTENT.rules.training.goodput


def chip_flops(chip_id: str) -> float:
    return CONTENT.chip(chip_id).bf16_tflops * 1e12


def test_llama_3_1_405b() -> None:
    seconds = physics.run_seconds(3.8e25, 16384, chip_flops("h100"), 0.40, GOODPUT)
    days = seconds / physics.SECONDS_PER_DAY
    hours = physics.gpu_hours(seconds, 16384)
    assert 70 <= days <= 80
    assert abs(hours - 30.84e6) / 30.84e6 < 0.10
    mw = 16384 * CONTENT.chip("h100").server_kw * CONTENT.scenario("2025").sides.us.pue / 1000
    assert 20 < mw < 35  # REFERENCE s6: the run drew ~27 MW


def test_deepseek_v3() -> None:
    seconds = physics.run_seconds(3.3e24, 2048, chip_flops("h800"), 0.37, GOODPUT)
    hours = physics.gpu_hours(seconds, 2048)
    assert abs(hours - 2.788e6) / 2.788e6 < 0.10
    assert abs(hours * 2.0 - 5.576e6) / 5.576e6 < 0.10


def test_cli_prints_the_same_numbers(capsys) -> None:
    assert main(["calc", "training", "--flop", "3.3e24", "--chip", "h800", "--count", "2048", "--mfu", "0.37",
                 "--usd-per-hour", "2"]) == 0
    out = capsys.readouterr().out
    seconds = physics.run_seconds(3.3e24, 2048, chip_flops("h800"), 0.37, GOODPUT)
    assert f"{seconds / physics.SECONDS_PER_DAY:,.1f} days" in out
    assert f"${physics.gpu_hours(seconds, 2048) * 2 / 1e6:,.2f} M" in out


def test_deepseek_reaches_gpt4_class_on_less_compute() -> None:
    cn_eff = CONTENT.scenario("2025").sides.cn.efficiency_log10
    deepseek = np.log10(3.3e24) + cn_eff
    gpt4 = np.log10(2e25)  # 2023 efficiency is the 1x baseline
    assert tier_of(TABLES, deepseek) == "GPT-4 class"
    assert capability_of(TABLES, np.array([deepseek]))[0] >= capability_of(TABLES, np.array([gpt4]))[0]
    assert 2e25 / 3.3e24 > 5  # far less physical compute


def test_capability_curve_shape() -> None:
    x = np.linspace(20, 40, 201)
    cap = capability_of(TABLES, x)
    assert (np.diff(cap) > 0).all()
    assert (cap > 0).all() and (cap < 100).all()
    assert tier_of(TABLES, np.log10(3.1e23)) == "GPT-3 class"
    assert tier_of(TABLES, np.log10(3.1e23)) != tier_of(TABLES, np.log10(2e25))


def test_quarter_flop_matches_run_time() -> None:
    flops = 16384 * chip_flops("h100")
    quarter = physics.quarter_flop(flops, CONTENT.rules.supply.seconds_per_quarter, 0.4, GOODPUT)
    seconds = physics.run_seconds(quarter, 16384, chip_flops("h100"), 0.4, GOODPUT)
    assert abs(seconds - CONTENT.rules.supply.seconds_per_quarter) < 1e-6
