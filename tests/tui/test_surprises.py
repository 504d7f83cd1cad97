"""No surprises, a new game is new: weighty policies ask first, the rival's new model is an estimate, the seed,
the advisor's plan in quarter 1, the first-quarter guide and its settings file."""

from __future__ import annotations

import json

from game.engine.milestones import Milestone
from game.session import Report, Seat, Session
from game.settings import ENV_CONFIG, FILE_NAME
from game.tui.fmt import capability
from game.tui.screens.dialogs import ConfirmScreen
from game.tui.screens.guide import GuideScreen
from game.tui.screens.planning import PlanningScreen
from game.tui.screens.report import report_text
from tests.tui.conftest import SIZE, make_app, play_turns, screen_text, wait_for


async def tick(pilot, app, pid: str) -> None:
    app.screen.query_one(f"#policy-{pid}").focus()
    await pilot.press("space")


async def test_a_game_long_policy_asks_first_with_what_it_forbids_and_changes(tmp_path):
    app = make_app(tmp_path, mode="solo")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        plan = app.screen
        assert "restrict_open_weights" not in plan.actions
        await tick(pilot, app, "restrict_open_weights")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await wait_for(pilot, lambda: "Take it?" in screen_text(app))
        text = " ".join(app.screen.question.plain.split())  # what the dialog shows (it wraps over the screen)
        for words in ("Restrict open weights", "rest of the game (40 quarters)", "cannot be undone",
                      "your Release open weights", "China's fast-follow speed ×0.7", "your mindshare ×0.85",
                      "your open weights banned", "mindshare",
                      "without → with it"):
            assert words in text, words
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is plan)
        assert "restrict_open_weights" not in plan.actions
        await tick(pilot, app, "restrict_open_weights")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await wait_for(pilot, lambda: app.screen is plan and "restrict_open_weights" in plan.actions)
        await tick(pilot, app, "restrict_open_weights")  # un-ticking asks nothing
        await pilot.pause()
        assert app.screen is plan and "restrict_open_weights" not in plan.actions
        was = "stargate" in plan.actions  # a policy for eight quarters that rules nothing out: no question
        await tick(pilot, app, "stargate")
        await pilot.pause()
        assert app.screen is plan and ("stargate" in plan.actions) != was


def test_weighty_policies_are_found_from_content_not_ids():
    s = Session((Seat("human"), Seat("human")), seed=1)
    weighty = {a.policy_id for a in s.tables.actions if s.advisor(a.side).stakes(a.policy_id) is not None}
    game_long = {p.id for p in s.content.policies if p.duration < 0}
    assert game_long <= weighty
    assert s.advisor(0).stakes("stargate") is None and s.advisor(0).stakes("release_weights") is None
    tighten = s.advisor(0).stakes("tighten_export_controls")  # one-off, but a higher export tier rules out a Chinese policy
    assert tighten is not None and not tighten.game_long and any(f.startswith("China's") for f in tighten.forbids)


def test_the_rivals_new_model_shows_the_intelligence_estimate_not_the_truth():
    s = Session((Seat("human"), Seat("ai", "normal")), seed=3)
    s.submit(0, s.advisor(0).opening())
    real = s.resolve()
    exact = float(s.world.capability[0, 1])
    rival = (Milestone(f"new frontier model: X (capability {exact:.1f})", "public", "model"),)
    report = Report(real.turn, real.events, real.actions, (real.milestones[0], rival), real.money_in,
                    real.money_out, real.reasons)
    est = s.perspective(0).rival_estimate()["capability"]
    assert f"{est:.1f}" != f"{exact:.1f}"
    mine = report_text(s, report, 0).plain
    assert f"capability ~{capability(est)} (your estimate, ±" in mine and f"capability {exact:.1f}" not in mine
    assert f"capability {exact:.1f}" in report_text(s, report, None).plain  # watching or a replay: the truth
    assert f"capability {exact:.1f}" in report_text(s, report, 1).plain    # its own model: exact


async def test_quarter_one_says_the_draft_is_the_advisors_plan(tmp_path):
    app = make_app(tmp_path, mode="solo")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        assert "advisor's plan" in screen_text(app)
        await play_turns(pilot, 1)
        assert "advisor's plan" not in screen_text(app)


async def test_the_guide_shows_once_until_dismissed_and_is_remembered(tmp_path, monkeypatch):
    config = tmp_path / "config"
    monkeypatch.setenv(ENV_CONFIG, str(config))
    app = make_app(tmp_path, mode="solo")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, GuideScreen))
        text = "".join(screen_text(app).split())
        sc = app.session.tables.scoring
        assert "Firstquarter" in text and f"{app.session.tables.scenario.turns}quarters" in text
        assert sc.decisive_tier in text and "shareofthepot" in text and "Power." in text
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
    assert json.loads((config / FILE_NAME).read_text()) == {"guide_dismissed": True}
    again = make_app(tmp_path, mode="solo")
    async with again.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(again.screen, PlanningScreen))
        await pilot.pause()
        assert not isinstance(again.screen, GuideScreen)


async def test_a_corrupt_settings_file_is_one_line_and_the_guide(tmp_path, monkeypatch):
    config = tmp_path / "config"
    config.mkdir()
    (config / FILE_NAME).write_text("{[not json")
    monkeypatch.setenv(ENV_CONFIG, str(config))
    app = make_app(tmp_path, mode="solo")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, GuideScreen))
        notes = [n.message for n in app._notifications]
        assert len(notes) == 1 and "not valid JSON" in notes[0] and "\n" not in notes[0]
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
    assert json.loads((config / FILE_NAME).read_text()) == {"guide_dismissed": True}  # rewritten


def test_play_without_a_seed_leaves_it_to_the_app_and_with_one_keeps_it(monkeypatch, no_app):
    import game.cli
    import game.cli.play

    monkeypatch.setattr(game.cli.play, "needs_terminal", lambda mode: None)
    assert game.cli.main(["play"]) == 0 and no_app[-1].seed is None
    assert game.cli.main(["play", "--seed", "4242"]) == 0 and no_app[-1].seed == 4242


async def test_a_game_launched_without_a_seed_gets_one_and_shows_it(tmp_path):
    from game.tui.screens.report import ReportScreen

    app = make_app(tmp_path, mode="solo", seed=None)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        seed = app.session.seed
        assert 0 <= seed < 1_000_000
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportScreen))
        assert f"seed {seed}" in screen_text(app)


def test_the_report_keeps_a_rival_ais_reasons_to_itself():
    from game.session import Seat, Session
    from game.tui.screens.report import report_text

    s = Session((Seat("human", "us"), Seat("ai", "normal")), seed=2)
    s.submit(0, s.advisor(0).advice())
    report = s.resolve()
    assert report.reasons[1]                                      # the AI gave its reasons
    assert report.reasons[1] not in report_text(s, report, 0).plain   # the US player does not see them
    assert report.reasons[1] in report_text(s, report, None).plain    # watching or replaying does


async def test_a_game_long_policy_in_the_advisors_plan_is_asked_about_at_e(tmp_path):
    # China's first draft is the advisor's plan, which takes game-long policies nobody ticked by hand: `e` asks
    # about each with its stakes; no takes it out of the draft and nothing is sent, yes goes on to the report.
    app = make_app(tmp_path, mode="solo", side="cn")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        plan = app.screen
        t = app.session.tables
        game_long = [p for p in plan.actions if t.actions[t.action_index[(p, 1)]].duration < 0]
        assert game_long, "the advisor's first plan for China takes a game-long policy"
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "cannot be undone" in screen_text(app)
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is plan)
        assert game_long[0] not in plan.actions and not plan.sent and app.session.turn == 0
        await pilot.press("e")
        for _ in game_long[1:]:
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            dialog = app.screen
            await pilot.press("y")
            await wait_for(pilot, lambda d=dialog: app.screen is not d)
        await wait_for(pilot, lambda: plan.sent)
        assert game_long[0] not in app.session.pending.get(1, plan.orders()).actions
