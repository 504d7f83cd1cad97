"""The budget's "borrows $N" is what the engine borrows for the draft (issue 26 item 4): the engine resolves the
draft and money.drawn counts what its rows really spend beyond the treasury and the base budget."""

from __future__ import annotations

import numpy as np

from game.ai.belief import believed
from game.engine import CATEGORIES, Orders, money, resolve
from game.engine.state import FLOWS
from game.tui.fmt import busd
from game.tui.screens.planning import PlanningScreen
from tests.tui.conftest import SIZE, make_app, wait_for


def engine_borrows(session, side: int, orders: Orders) -> float:
    """What the engine borrows for `orders`, worked out here from a resolve of the believed world."""
    start = believed(session.world, side)
    theirs = session.advisor(0).strategy.decide(start, 1 - side)
    mine = orders.to_batch(session.tables, side)
    after = resolve(start, mine, theirs) if side == 0 else resolve(start, theirs, mine)
    spent = float(after.flows_busd[0, side, [FLOWS.index(k) for k in CATEGORIES]].sum())
    own = max(float(session.world.treasury_busd[0, side] + money.income(session.world)[0, side]), 0.0)
    return max(spent - own, 0.0)


async def test_the_budget_line_borrows_what_the_engine_borrows(tmp_path):
    app = make_app(tmp_path, mode="solo", side="cn", seed=3)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PlanningScreen))
        screen = app.screen
        for alloc in ({"compute": 0.6, "fabs": 0.35}, {"compute": 0.85}):
            screen.alloc = {k: alloc.get(k, 0.0) for k in CATEGORIES}
            screen.refresh_all()
            await pilot.pause()
            text = str(screen.query_one("#alloc-total").render())
            n = engine_borrows(app.session, 1, screen.orders())
            if n > 0:
                assert f"borrows {busd(n)}" in text
            else:   # money a row cannot use is never borrowed: 85% into compute China cannot spend
                assert "borrows" not in text and "keeps" in text
        assert np.isfinite(n)
