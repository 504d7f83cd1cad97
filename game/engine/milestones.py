"""Milestones: what a resolved quarter brought each side, and who may see each one."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from game.engine.observe import tier_of

if TYPE_CHECKING:
    from game.engine.state import World

VISIBILITIES = ("own", "public")


@attrs.frozen
class Milestone:
    """One side's news of a quarter. `visibility` "public": the rival sees it too (a frontier model is
    released, so the world knows); "own": only the side itself (its books, its labs, its fabs)."""

    text: str
    visibility: str = attrs.field(validator=attrs.validators.in_(VISIBILITIES))
    kind: str = ""    # "model": a new frontier model, whose figures the rival knows only by intelligence

    @property
    def public(self) -> bool:
        return self.visibility == "public"


def milestones(before: World, after: World, i: int, side: int) -> tuple[Milestone, ...]:
    """Side `side`'s milestones in game `i` of a quarter resolved from `before` to `after`."""
    t = after.tables
    out = []
    if after.model_new[i, side]:
        out.append(Milestone(f"new frontier model: {tier_of(t, float(after.model_log10_eff[i, side]))} "
                             f"(capability {after.capability[i, side]:.1f})", "public", "model"))
    if after.breakthrough[i, side]:
        out.append(Milestone("research breakthrough: a leap in training efficiency", "own"))
    if after.design_index[i, side] > before.design_index[i, side]:
        chip = t.chips[int(t.ladder[side, int(after.design_index[i, side])])]
        out.append(Milestone(f"new chip design ready: {chip.name}", "own"))
    if after.euv_domestic[i, side] and not before.euv_domestic[i, side]:
        out.append(Milestone("domestic EUV lithography works", "own"))
    if after.debt_quarters[i, side] > 0:
        out.append(Milestone(f"in crisis: debt past the limit for {int(after.debt_quarters[i, side])} quarter(s)",
                             "own"))
    if after.utilisation[i, side] < 0.9:
        out.append(Milestone(f"power short: only {after.utilisation[i, side]:.0%} of the fleet can run", "own"))
    return tuple(out)
