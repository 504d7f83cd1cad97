"""The mechanisms behind "history as a test" (DESIGN.md, REFERENCE s9), each on its own: chips not before their
year, usable compute counted once, legal chips before smuggled ones, imports capped by value, events dated by the
calendar, a scenario's run and power under way, concentration by turn, and markets and research scaled to the year."""

from __future__ import annotations

import attrs
import numpy as np

from game.content import load_content
from game.engine import CATEGORIES, OrderBatch, Tables, World, legal_actions, new_world, resolve
from game.engine.state import CHIPS, FLOPS

CONTENT = load_content()
T22 = Tables(CONTENT, CONTENT.scenario("2022"))
T25 = Tables(CONTENT, CONTENT.scenario("2025"))
CHIP = {c.id: i for i, c in enumerate(CONTENT.chips)}
IMPORTED, SMUGGLED = 1, 2


def spend(world: World, side_money: dict[int, dict[str, float]], policies: dict[int, tuple[str, ...]] | None = None
          ) -> tuple[OrderBatch, OrderBatch]:
    out = []
    for side in (0, 1):
        alloc = np.zeros((world.batch, len(CATEGORIES)))
        for key, share in side_money.get(side, {}).items():
            alloc[:, CATEGORIES.index(key)] = share
        acts = np.zeros((world.batch, len(world.tables.actions)), dtype=bool)
        for pid in (policies or {}).get(side, ()):
            a = world.tables.action_index[(pid, side)]
            acts[:, a] = legal_actions(world)[:, a]
        out.append(OrderBatch(alloc, np.tile([0.4, 0.4, 0.2], (world.batch, 1)), acts))
    return out[0], out[1]


def test_a_design_never_comes_in_before_its_year() -> None:
    """All the design money there is does not bring the B200 (2025) into the 2022 game before 2025 Q1."""
    world = new_world(T22, [1, 2])
    world.treasury_busd[:] = 10_000.0
    b200 = T22.ladder[0].tolist().index(CHIP["b200"])
    while int(world.turn[0]) < 12:
        year = float(T22.year(world.turn)[0])
        world = resolve(world, *spend(world, {0: {"design": 0.5}}))
        assert (world.design_index[:, 0] < b200).all() or year >= 2025.0, year
    assert (world.design_index[:, 0] >= b200).all()  # it comes once its year is here (paid for long since)


def test_an_import_is_never_sold_before_its_year() -> None:
    """The H800 (2023) and the H20 (2024) reach China's import list in their years, not before."""
    years = T22.year(np.arange(T22.scenario.turns + 1))
    for chip in ("h800", "h20"):
        sold = (T22.import_chip_by_turn_tier == CHIP[chip]).any(axis=1)
        assert sold.any() and (years[sold] >= CONTENT.chips[CHIP[chip]].year).all(), chip


def test_usable_compute_is_peak_times_the_usable_share_counted_once() -> None:
    """A chip's FLOP/s in the tables, in a start fleet and in what it ranks by is its peak times `usable` (once)."""
    for cid in ("h100", "ascend_910b", "ascend_910c"):
        chip = CONTENT.chips[CHIP[cid]]
        assert T25.chip_flops[CHIP[cid]] == chip.bf16_tflops * chip.usable * 1e12
    world = new_world(T25, [1])
    fleet = T25.starts[1].fleet
    want = sum(c.count * T25.chip_flops[CHIP[c.chip]] for c in fleet)
    assert np.isclose(world.fleet_total[0, 1, FLOPS], want)
    assert np.isclose(world.fleet_total[0, 1, CHIPS], sum(c.count for c in fleet))


def test_imports_rank_by_usable_flop_a_dollar_so_the_h20_beats_the_910b() -> None:
    """REFERENCE s1: the 910B has more peak FLOP/s a dollar than the H20, yet Chinese labs kept buying Nvidia. By
    usable FLOP/s a dollar (power included) the H20 ranks first; by peak it would not."""
    h20, b910 = CONTENT.chips[CHIP["h20"]], CONTENT.chips[CHIP["ascend_910b"]]
    assert b910.bf16_tflops / b910.price_kusd > h20.bf16_tflops / h20.price_kusd
    mw_cost = T22.power_cost_busd_per_mw[1] * T22.pue[1] / 1000.0
    def per_dollar(c, i):  # noqa: E306 - usable FLOP/s a dollar, the chip's power at grid cost included
        return T22.chip_flops[i] / (T22.chip_price_busd[i] + c.server_kw * mw_cost)
    assert per_dollar(h20, CHIP["h20"]) > per_dollar(b910, CHIP["ascend_910b"])
    # In the 2022 game in 2024, China with a little compute money buys H20s before its own 910Bs.
    world = new_world(T22, [1, 2, 3])
    while int(world.turn[0]) < 7:
        world = resolve(world, *spend(world, {1: {"compute": 0.02}}))
    world.export_tier[:] = 2  # the Oct 2023 rule: only H20-class chips are sold
    assert (T22.import_chip(world.turn, world.export_tier) == CHIP["h20"]).all()
    world = resolve(world, *spend(world, {1: {"compute": 0.01}}))
    assert (world.chips_bought[:, 1, IMPORTED] > 0).all()


def test_legal_chips_before_smuggled_ones() -> None:
    """With money for only part of the legal chips, a funded smuggling network brings nothing: smuggled chips are a
    top-up once the legal ones are bought (REFERENCE s5: ~140k smuggled beside ~1M legal H20s in 2024)."""
    world = new_world(T25, [1, 2, 3])
    poor = resolve(world, *spend(world, {1: {"compute": 0.005}}, {1: ("smuggling_network",)}))
    assert (poor.chips_bought[:, 1, :2].sum(axis=-1) > 0).all()
    assert (poor.chips_bought[:, 1, SMUGGLED] == 0).all()
    rich = resolve(world, *spend(world, {1: {"compute": 0.6}}, {1: ("smuggling_network",)}))
    assert (rich.chips_bought[:, 1, SMUGGLED] > 0).all()


def test_imports_are_capped_by_value_so_cheaper_chips_come_in_greater_numbers() -> None:
    sup = CONTENT.rules.supply
    world = new_world(T25, [1, 2])
    after = resolve(world, *spend(world, {1: {"compute": 0.9}}))
    imp = T25.import_chip(world.turn, world.export_tier)
    cap = sup.import_cap_busd_per_q * after.modifiers[:, 1, T25.mod_index["import_cap"]] / T25.chip_price_busd[imp]
    assert np.allclose(after.chips_bought[:, 1, IMPORTED], cap)


def test_an_event_dated_by_history_fires_no_earlier_than_its_quarter() -> None:
    """The DeepSeek moment (year_min 2024.75): not before 2024 Q4 (turn 9) in the 2022 game; any time in 2025's."""
    e = [ev.id for ev in CONTENT.events].index("deepseek_moment")
    assert T22.event_turn_min[e] == 9 and float(T22.year(np.array(9))) == 2024.75
    assert T25.event_turn_min[e] == 0
    world = new_world(T22, list(range(64)))
    for _ in range(9):
        world = resolve(world, *spend(world, {}))
        assert not world.event_fired[:, e].any()


def test_a_scenario_may_start_with_a_run_and_power_under_way() -> None:
    """The 2025 opening: Grok 3 a quarter in finishes in the first quarter; the power ordered in 2024 arrives in
    2025's quarters, one a quarter, whatever is spent."""
    us = T25.starts[0]
    world = new_world(T25, [1])
    assert world.run_flop[0, 0] == us.run_flop and world.run_quarters[0, 0] == us.run_quarters_done
    mw = [float(world.power_mw[0, 0])]
    for _ in range(len(us.power_building_mw)):
        world = resolve(world, *spend(world, {}))
        mw.append(float(world.power_mw[0, 0]))
    assert np.allclose(np.diff(mw), us.power_building_mw)
    world = new_world(T25, [1])
    world = resolve(world, *spend(world, {0: {"training": 0.2}}))
    assert world.models_trained[0, 0] == 1 and world.last_run_flop[0, 0] > us.run_flop


def test_concentration_grows_by_turn_to_its_ceiling() -> None:
    us, cn = T22.starts
    share = T22.frontier_share(np.arange(T22.scenario.turns + 1))
    assert share[0, 0] == us.frontier_share and np.isclose(share[4, 0], us.frontier_share * 1.4)
    assert (np.diff(share, axis=0) >= 0).all()
    assert np.isclose(share[-1, 1], cn.frontier_share_max) and share[-1, 0] <= us.frontier_share_max
    flat = Tables(CONTENT, attrs.evolve(CONTENT.scenario("2025")))
    assert (flat.frontier_share(np.arange(41)) == T25.starts[0].frontier_share)[:, 0].all()


def test_markets_and_research_references_are_smaller_before_their_year() -> None:
    """Stated for 2025: the 2025 game starts with them as stated; the 2022 game with markets smaller by the early
    growth and research references smaller by the field's growth, reaching the stated figures at 2025."""
    stated = np.array([s.market_busd_per_q for s in CONTENT.sectors])
    assert np.array_equal(T25.sector_market, stated)
    assert (T22.sector_market < stated / 10).all()
    world = new_world(T22, [1])
    for _ in range(10):  # 2022 Q3 .. 2024 Q4
        world = resolve(world, *spend(world, {}))
    assert np.allclose(world.market_busd[0], stated)
    rs = CONTENT.rules.research
    assert T25.research_ref_busd_by_turn[0] == rs.ref_busd and T25.research_ref_eflop_by_turn[0] == rs.ref_eflop
    assert T22.research_ref_eflop_by_turn[0] < rs.ref_eflop / 20 and T22.research_ref_busd_by_turn[10] == rs.ref_busd


def test_the_codex_says_when_a_dated_event_may_first_fire() -> None:
    from game.tui.codex import topics

    events = next(t for t in topics(CONTENT) if t.title == "Events")
    section = events.body.split("## DeepSeek moment", 1)[1].split("##", 1)[0]
    assert "not before 2024 Q4" in section
