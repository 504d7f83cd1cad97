"""Calibration: the engine's own arithmetic, fed the content's chip figures, lands near the real record
(REFERENCE.md s2: Llama 3.1 405B, DeepSeek-V3, GPT-4, GPT-3)."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from game.ai import load_strategy
from game.cli import main
from game.content import load_content
from game.engine import Tables, infra, models, new_world, physics
from game.engine.observe import capability_of, tier_of
from game.engine.resolve import advance

CONTENT = load_content()
SCENARIO = CONTENT.scenario("2025")
TABLES = Tables(CONTENT, SCENARIO)
TRAINING = CONTENT.rules.training
GOODPUT = TRAINING.goodput

GPT4_LOG10 = math.log10(2e25)        # 2e25 FLOP at the 2023 efficiency, 1x
GPT3_LOG10 = math.log10(3.1e23)      # GPT-3, 2020
DEEPSEEK_V3_FLOP = 3.3e24


def flops_of(chip_id: str) -> float:
    return CONTENT.chip(chip_id).bf16_tflops * 1e12


def cap(log10_eff: float) -> float:
    return float(capability_of(TABLES, np.array(log10_eff)))


def calc_output(capsys, *args: str) -> str:
    assert main(["calc", "training", *args]) == 0
    return capsys.readouterr().out


def printed(out: str, label: str) -> float:
    line = next(line for line in out.splitlines() if line.strip().startswith(label))
    return float(re.search(r"[\d,]+\.?\d*", line.split(label, 1)[1]).group().replace(",", ""))


# --------------------------------------------------------------------------------------------------
# The content's figures behind the calibration


def test_content_training_figures_are_the_records():
    assert 0.38 <= TRAINING.mfu <= 0.43          # Llama 3.1 405B: MFU 38-43%
    assert 0.5 <= GOODPUT <= 1.0
    assert TRAINING.usd_per_gpu_hour == pytest.approx(2.0)  # DeepSeek-V3 priced at $2 per H800-hour
    assert CONTENT.chip("h100").bf16_tflops == pytest.approx(989.0)
    assert CONTENT.chip("h800").bf16_tflops == pytest.approx(989.0)


# --------------------------------------------------------------------------------------------------
# Llama 3.1 405B: 3.8e25 FLOP on 16,384 H100, 30.84M H100-hours (about 78 days)


def llama_seconds() -> float:
    return physics.run_seconds(3.8e25, 16384, flops_of("h100"), 0.40, GOODPUT)


def test_llama_wall_clock_days():
    days = llama_seconds() / physics.SECONDS_PER_DAY
    assert 70 <= days <= 80, days


def test_llama_gpu_hours():
    hours = physics.gpu_hours(llama_seconds(), 16384)
    assert hours == pytest.approx(30.84e6, rel=0.10)


def test_llama_power_draw_is_tens_of_megawatts():
    seconds = llama_seconds()
    chip = CONTENT.chip("h100")
    mwh = physics.energy_mwh(seconds, 16384, chip.server_kw, SCENARIO.sides.us.pue)
    mw = mwh / (seconds / 3600.0)
    assert 20 <= mw <= 40, mw
    # energy is chip-hours times power per chip
    assert physics.energy_mwh(seconds, 16384, chip.server_kw, 1.0) == pytest.approx(
        physics.gpu_hours(seconds, 16384) * chip.server_kw / 1000.0, rel=1e-12)


def test_llama_cli_agrees(capsys):
    out = calc_output(capsys, "--flop", "3.8e25", "--chip", "h100", "--count", "16384", "--mfu", "0.40")
    seconds = llama_seconds()
    assert printed(out, "wall-clock") == pytest.approx(seconds / physics.SECONDS_PER_DAY, abs=0.06)
    assert printed(out, "GPU-hours") == pytest.approx(physics.gpu_hours(seconds, 16384) / 1e6, abs=0.0006)
    hours = physics.gpu_hours(seconds, 16384)
    assert printed(out, "cost") == pytest.approx(hours * TRAINING.usd_per_gpu_hour / 1e6, abs=0.006)


def test_llama_cli_default_mfu_is_the_content_mfu(capsys):
    out = calc_output(capsys, "--flop", "3.8e25", "--chip", "h100", "--count", "16384")
    seconds = physics.run_seconds(3.8e25, 16384, flops_of("h100"), TRAINING.mfu, GOODPUT)
    assert printed(out, "wall-clock") == pytest.approx(seconds / physics.SECONDS_PER_DAY, abs=0.06)
    assert 70 <= printed(out, "wall-clock") <= 80


# --------------------------------------------------------------------------------------------------
# DeepSeek-V3: ~3.3e24 FLOP on 2,048 H800, 2.788M H800-hours, $5.576M at $2 an hour, under two months


def deepseek_seconds() -> float:
    return physics.run_seconds(DEEPSEEK_V3_FLOP, 2048, flops_of("h800"), 0.37, GOODPUT)


def test_deepseek_gpu_hours():
    hours = physics.gpu_hours(deepseek_seconds(), 2048)
    assert hours == pytest.approx(2.788e6, rel=0.10)


def test_deepseek_cost():
    cost = physics.gpu_hours(deepseek_seconds(), 2048) * 2.0
    assert cost == pytest.approx(5.576e6, rel=0.10)


def test_deepseek_under_two_months():
    assert deepseek_seconds() / physics.SECONDS_PER_DAY < 61


def test_deepseek_cli_agrees(capsys):
    out = calc_output(capsys, "--flop", "3.3e24", "--chip", "h800", "--count", "2048", "--mfu", "0.37",
                      "--usd-per-hour", "2")
    hours = physics.gpu_hours(deepseek_seconds(), 2048)
    assert printed(out, "wall-clock") == pytest.approx(deepseek_seconds() / physics.SECONDS_PER_DAY, abs=0.06)
    assert printed(out, "GPU-hours") == pytest.approx(hours / 1e6, abs=0.0006)
    assert printed(out, "cost") == pytest.approx(hours * 2.0 / 1e6, abs=0.006)
    assert printed(out, "GPU-hours") == pytest.approx(2.788, rel=0.10)
    assert printed(out, "cost") == pytest.approx(5.576, rel=0.10)


# --------------------------------------------------------------------------------------------------
# Capability: efficiency lets DeepSeek-V3 match GPT-4 with several times less physical compute


def deepseek_log10_eff() -> float:
    return math.log10(DEEPSEEK_V3_FLOP) + SCENARIO.sides.cn.efficiency_log10


def test_deepseek_used_6_to_10x_less_physical_compute_than_gpt4():
    assert 6 <= 2e25 / DEEPSEEK_V3_FLOP <= 10


def test_deepseek_is_gpt4_class():
    assert tier_of(TABLES, deepseek_log10_eff()) == "GPT-4 class"


def test_deepseek_matches_gpt4_capability():
    assert cap(deepseek_log10_eff()) >= cap(GPT4_LOG10)
    # ... but without the efficiency multiplier it would fall short
    assert cap(math.log10(DEEPSEEK_V3_FLOP)) < cap(GPT4_LOG10)


def test_gpt4_is_gpt4_class():
    assert tier_of(TABLES, GPT4_LOG10) == "GPT-4 class"


def test_gpt3_is_below_gpt4_class():
    assert tier_of(TABLES, GPT3_LOG10) != "GPT-4 class"
    assert tier_of(TABLES, GPT3_LOG10) == "GPT-3 class"
    gpt4_bar = next(t.log10_eff for t in CONTENT.rules.capability.tiers if t.name == "GPT-4 class")
    assert cap(GPT3_LOG10) < cap(gpt4_bar) <= cap(GPT4_LOG10)


def test_far_below_the_first_tier():
    assert tier_of(TABLES, 18.0).startswith("below ")


def test_capability_curve_is_increasing_and_bounded():
    xs = np.linspace(15.0, 45.0, 601)
    ys = capability_of(TABLES, xs)
    assert np.all(np.diff(ys) > 0)
    assert np.all(ys > 0) and np.all(ys < 100)
    # batched and one-at-a-time agree
    assert all(cap(float(x)) == float(y) for x, y in zip(xs[::50], ys[::50]))


def test_capability_curve_stays_in_range_far_out():
    ys = capability_of(TABLES, np.array([-1e6, 0.0, 60.0, 1e6]))
    assert np.all(np.isfinite(ys))
    assert np.all((ys >= 0) & (ys <= 100))
    assert np.all(np.diff(ys) >= 0)


def test_tiers_rise_in_capability():
    tiers = CONTENT.rules.capability.tiers
    caps = [cap(t.log10_eff) for t in tiers]
    assert caps == sorted(caps) and len(set(caps)) == len(caps)
    for tier in tiers:
        assert tier_of(TABLES, tier.log10_eff) == tier.name


def test_scenario_start_models_match_their_tiers():
    """The 2025 start: the US model is GPT-4 class with Grok 3 under way, a 2025-frontier model once it finishes
    in the first quarter (REFERENCE s2, Feb 2025); China's at least DeepSeek-V3's."""
    assert tier_of(TABLES, SCENARIO.sides.us.model_log10_eff) == "GPT-4 class"
    world = new_world(TABLES, list(range(1, 17)))
    advance(world, load_strategy("normal").decide(world, 0), load_strategy("normal").decide(world, 1))
    assert all(tier_of(TABLES, float(x)) == "2025 frontier" for x in world.model_log10_eff[:, 0])
    assert cap(SCENARIO.sides.cn.model_log10_eff) >= cap(deepseek_log10_eff())


# --------------------------------------------------------------------------------------------------
# One quarter of training FLOP and the run-time arithmetic agree


def test_quarter_flop_inverts_run_seconds():
    spq = CONTENT.rules.supply.seconds_per_quarter
    for chip_id, count in (("h100", 16384), ("h800", 2048), ("ascend_910c", 1000)):
        chip_flops = flops_of(chip_id)
        flop = physics.quarter_flop(count * chip_flops, spq, TRAINING.mfu, GOODPUT)
        assert physics.run_seconds(flop, count, chip_flops, TRAINING.mfu, GOODPUT) == pytest.approx(spq, rel=1e-12)
        assert flop == pytest.approx(physics.flop_per_second(count, chip_flops, TRAINING.mfu, GOODPUT) * spq,
                                     rel=1e-12)


def test_quarter_flop_on_arrays_matches_scalars():
    spq = CONTENT.rules.supply.seconds_per_quarter
    fleet = np.array([[1e18, 2.5e20], [0.0, 7.7e19]])
    arr = physics.quarter_flop(fleet, spq, TRAINING.mfu, GOODPUT)
    assert arr.shape == fleet.shape
    for idx in np.ndindex(fleet.shape):
        assert arr[idx] == physics.quarter_flop(float(fleet[idx]), spq, TRAINING.mfu, GOODPUT)


def test_a_quarter_on_the_llama_cluster_covers_the_llama_run():
    """Llama 3.1 took ~75 days, less than a quarter: one quarter of 16,384 H100 gives more than 3.8e25."""
    spq = CONTENT.rules.supply.seconds_per_quarter
    flop = physics.quarter_flop(16384 * flops_of("h100"), spq, 0.40, GOODPUT)
    assert flop > 3.8e25
    assert flop / 3.8e25 == pytest.approx(spq / llama_seconds(), rel=1e-12)


def test_engine_training_flop_is_quarter_flop(monkeypatch):
    """In a real turn, the FLOP handed to the frontier run are quarter_flop of the usable compute
    times the training split, the frontier share and the training modifier."""
    seen: dict[str, np.ndarray] = {}
    real_usable, real_train = infra.usable_compute, models.train

    def usable(world):
        out = real_usable(world)
        seen["flops"] = out.copy()
        return out

    def train(world, money, training_flop):
        seen["training_flop"] = np.array(training_flop, copy=True)
        seen["modifier"] = world.modifiers[:, :, TABLES.mod_index["training"]].copy()
        return real_train(world, money, training_flop)

    monkeypatch.setattr(infra, "usable_compute", usable)
    monkeypatch.setattr(models, "train", train)
    world = new_world(TABLES, [1, 2, 3])
    us, cn = load_strategy("balanced"), load_strategy("all_in_scale")
    for _ in range(2):
        o_us, o_cn = us.decide(world, 0), cn.decide(world, 1)
        split = np.stack([o_us.split, o_cn.split], axis=1)[:, :, 0]
        advance(world, o_us, o_cn)
        spq = CONTENT.rules.supply.seconds_per_quarter
        expected = (physics.quarter_flop(seen["flops"], spq, TRAINING.mfu, GOODPUT) * split
                    * TABLES.frontier_share(world.turn - 1) * seen["modifier"])
        assert np.all(seen["flops"] > 0)
        np.testing.assert_allclose(seen["training_flop"], expected, rtol=1e-12)
