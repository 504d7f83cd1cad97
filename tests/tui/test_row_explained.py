"""The focused row's explanation whole (issue 26 item 1) and no silent drift in a carried draft (item 3): Pilot at
80x24 and 120x40."""

from __future__ import annotations

from game.engine import Orders
from game.session import Seat, Session
from game.tui.drift import drifts
from game.tui.screens.planning import PlanningScreen
from game.tui.widgets.rows import ShareRow
from tests.tui.conftest import SIZE, make_app, play_turns, screen_text, wait_for
from tests.tui.fit_check import assert_fits

TALL = (120, 40)


def flat(text: str) -> str:
    """Text with every run of spaces and line breaks as one space: a wrapped explanation reads as one line."""
    return " ".join(text.split())


async def china_compute(pilot, app, size: tuple[int, int]) -> ShareRow:
    """China (seed 3), its compute row focused: more buys nothing this quarter, and the explanation says why at
    length (every chip source named), longer than one line at either size."""
    await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
    row = app.screen.query_one("#alloc-compute", ShareRow)
    row.focus()
    await wait_for(pilot, lambda: "more buys nothing this quarter" in row.hint)
    await pilot.pause()
    assert len(row.hint) > size[0], "the test needs an explanation longer than a line"
    return row


async def test_at_80x24_a_key_clause_too_long_for_the_line_opens_the_detail_unasked(tmp_path):
    app = make_app(tmp_path, mode="solo", side="cn", seed=3)
    async with app.run_test(size=SIZE) as pilot:
        row = await china_compute(pilot, app, SIZE)
        assert len(row.key_clause) > SIZE[0]
        assert flat(row.hint) in flat(screen_text(app))
        assert_fits(app, "planning, the compute row's key clause")


async def test_at_80x24_w_shows_the_whole_explanation(tmp_path):
    app = make_app(tmp_path, mode="solo", seed=3)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        row = app.screen.query_one("#alloc-fabs", ShareRow)   # no key clause; its figures and help run past a line
        row.focus()
        await wait_for(pilot, lambda: "wafers/q" in row.hint)
        await pilot.pause()
        assert not row.key_clause and len(row.hint) > SIZE[0]
        line = str(app.screen.query_one("#hint").render())
        assert line.endswith("w: whole") and flat(row.hint) not in flat(screen_text(app))   # cut, and says so
        await pilot.press("w")
        await pilot.pause()
        assert flat(row.hint) in flat(screen_text(app))
        assert_fits(app, "planning, the fabs row explained")
        await pilot.press("w")           # and away again: the lead block has its rows back
        await pilot.pause()
        assert "Track" in screen_text(app) and flat(row.hint) not in flat(screen_text(app))


async def test_at_120x40_the_whole_explanation_shows_unasked(tmp_path):
    app = make_app(tmp_path, mode="solo", side="cn", seed=3)
    async with app.run_test(size=TALL) as pilot:
        row = await china_compute(pilot, app, TALL)
        assert flat(row.hint) in flat(screen_text(app))
        assert "Track" in screen_text(app)                  # the lead block keeps its place


def test_a_carried_row_that_moves_says_how_and_why(tmp_path):
    # Intelligence at one 0.1% step; then the pot grows past double (a windfall in the treasury), so its dollars are
    # under half a step of the new pot: carried, it falls to zero, and the note says from what, to what and why.
    s = Session((Seat("human"), Seat("ai", "normal")), seed=2)
    plan = s.advisor(0).advice()
    s.submit(0, Orders({**plan.allocation, "intelligence": 0.001}, plan.split, plan.actions))
    s.resolve(s.think())
    s.world.treasury_busd[0, 0] += 1000.0
    moved = drifts(s, 0)
    assert s.advisor(0).opening().allocation["intelligence"] == 0.0
    assert moved["intelligence"].fell
    assert moved["intelligence"].note.startswith("carried: 0.1% → 0.0%: last quarter's $0.40B is under one 0.1% step")
    for key, drift in moved.items():   # every row that moved says so
        assert drift.note.startswith("carried: ") and " → " in drift.note, key


def test_carried_rows_do_not_drift_while_the_pot_holds(tmp_path):
    # Seed 2, the advisor's first plan carried untouched: the US pot is $374B in quarters 2 and 3, and no row moves
    # between them (rounded down every quarter, intelligence went 0.3% -> 0.2% -> 0.1% -> 0.0%).
    s = Session((Seat("human"), Seat("ai", "normal")), seed=2)
    shares = []
    for _ in range(5):
        orders = s.advisor(0).opening()
        shares.append(orders.allocation["intelligence"])
        s.submit(0, orders)
        s.resolve(s.think())
    assert min(shares) >= 0.002 and shares[-1] > 0


async def test_the_budget_title_says_whose_draft_it_is(tmp_path):
    app = make_app(tmp_path, mode="solo", seed=2)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))

        def title() -> str:
            return str(app.screen.query_one("#budget").border_title)

        assert title().endswith("· the advisor's plan")
        row = app.screen.query_one("#alloc-fabs", ShareRow)
        row.focus()
        await pilot.press("right")
        await wait_for(pilot, lambda: "edited by you" in title())
        assert "advisor" not in title()
        await pilot.press("a")
        await wait_for(pilot, lambda: title().endswith("· the advisor's plan"))
        await play_turns(pilot, 1)
        assert "· carried" in title() and "advisor" not in title()
        moved = app.screen.drifts
        if moved:   # a carried row that moved says so beside its row, in the hint or the detail area
            key = sorted(moved)[0]
            assert f"{len(moved)} row" in title()
            row = app.screen.query_one(f"#alloc-{key}", ShareRow)
            assert row.detail.startswith(moved[key].note) or moved[key].note.removeprefix("carried: ") in row.detail


async def test_more_compute_that_builds_power_says_what_it_buys_later(tmp_path):
    # Seed 2, the US in 2025 Q1 at 11% compute (with the advisor's policies): every chip that power is on for is
    # bought, and more money builds power (online in four quarters), which the forecast shows as compute later. The
    # row says so, not "more buys nothing", and is not flagged as waste.
    app = make_app(tmp_path, mode="solo", seed=2)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        row = app.screen.query_one("#alloc-compute", ShareRow)
        row.focus()
        await pilot.pause()
        await pilot.press("1", "1", "enter")
        await wait_for(pilot, lambda: abs(row.value - 0.11) < 1e-9 and "more buys" in row.hint)
        assert row.key_clause == ("more buys no chips now (no power is on for more chips): it builds power for more "
                                  "chips from 2026 Q1")
        assert "more buys nothing" not in row.hint and not row.flagged
        assert flat(row.key_clause) in flat(screen_text(app))
