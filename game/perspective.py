"""What one viewer may see of a game: a Perspective is bound to one side (its own figures exact, the rival's as its
intelligence estimated them), Truth to no side (watch and replay see everything). OpenSpiel's observer bound to a
player is the model: a screen asks its perspective, never branches on who is looking.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.ai.belief import believed
from game.engine.observe import deployment, sigma, tier_of, verdict, view
from game.engine.observe import lead_months as observe_lead_months
from game.engine.state import OBS
from game.schema import OBS_INDEX
from game.units import capability

if TYPE_CHECKING:
    from game.session import Report, Session


class Perspective:
    """The game as side `viewer` sees it."""

    def __init__(self, session: Session, viewer: int) -> None:
        self.session = session
        self.viewer = viewer

    def verdict(self) -> np.ndarray:
        """This quarter's verdict (2, VERDICT_PARTS) computed in the world the viewer believes in: its own parts
        exact, the rival's resting on intelligence estimates."""
        out: np.ndarray = verdict(believed(self.session.world, self.viewer))[0]
        return out

    def lead_months(self) -> float:
        """The viewer's own lead in months as its view estimates it."""
        return float(view(self.session.world, self.viewer)["lead_months"][0])

    def sees_exactly(self, side: int) -> bool:
        return side == self.viewer

    def decisive_gaps(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """Each side's way to the decisive tier and deployment bar: ((log10 short of the tier, deployment) US,
        (...) China); a gap <= 0 means the tier is reached (compared in log10 effective compute, never a rounded
        capability). The rival's as the viewer's intelligence estimates them."""
        s = self.session
        bar = s.tables.decisive_log10
        dep = deployment(s.world)[0]
        out = []
        for side in (0, 1):
            if self.sees_exactly(side):
                log10_eff, share = float(s.world.model_log10_eff[0, side]), float(dep[side])
            else:
                est = self.rival_estimate()
                log10_eff, share = est["model_log10_eff"], est["adoption"]
            out.append((bar - log10_eff, share))
        return (out[0], out[1])

    def news(self, report: Report, side: int) -> list[str]:
        """`side`'s milestones of a resolved quarter as the viewer may see them: all of its own; of the rival, only
        the public ones, and a rival's new model with the figures the viewer's intelligence gave it after that
        quarter (the estimate the planning screen shows), never the exact ones."""
        if self.sees_exactly(side):
            return [m.text for m in report.milestones[side]]
        s = self.session
        out = []
        for m in report.milestones[side]:
            if not m.public:
                continue
            if m.kind == "model":
                est = s.seen[report.turn][self.viewer]
                tier = tier_of(s.tables, float(est[OBS_INDEX["model_log10_eff"]]))
                out.append(f"new frontier model released: ~{tier}, capability ~{capability(float(est[OBS_INDEX['capability']]))} "
                           f"(your estimate, ±{100 * self.intel_error_at(report.turn):.0f}%)")
            else:
                out.append(m.text)
        return out

    def intel_error_at(self, turn: int) -> float:
        """The relative error of the viewer's estimates after `turn` quarters."""
        return float(self.session.sigma_at(turn)[self.viewer])

    def intel_error(self) -> float:
        return float(sigma(self.session.world)[0, self.viewer])

    def rival_estimate(self) -> dict[str, float]:
        """The rival as the viewer's intelligence sees it now."""
        row = self.session.seen[-1][self.viewer]
        return {name: float(row[i]) for i, name in enumerate(OBS)}

    def series(self, key: str) -> tuple[list[float], list[float]]:
        """(US, China) history of one figure as the viewer knew it (the track is public: exact for everyone)."""
        s = self.session
        if key == "track":
            return s.track_series()
        i = OBS_INDEX[key]
        own = [float(row[self.viewer, i]) for row in s.truth]
        rival = [float(row[self.viewer, i]) for row in s.seen]
        return (own, rival) if self.viewer == 0 else (rival, own)


class Truth(Perspective):
    """The game as it is: both sides exact (watch, replay, a finished game)."""

    def __init__(self, session: Session) -> None:
        super().__init__(session, -1)

    def verdict(self) -> np.ndarray:
        out: np.ndarray = self.session.world.verdict[0].copy()
        return out

    def lead_months(self) -> float:
        """The US's lead in months."""
        return float(observe_lead_months(self.session.world)[0, 0])

    def sees_exactly(self, side: int) -> bool:
        return True

    def intel_error(self) -> float:
        return 0.0   # the truth is exact

    def intel_error_at(self, turn: int) -> float:
        return 0.0

    def rival_estimate(self) -> dict[str, float]:
        raise ValueError("the truth has no rival to estimate: ask a side's perspective")

    def series(self, key: str) -> tuple[list[float], list[float]]:
        s = self.session
        if key == "track":
            return s.track_series()
        i = OBS_INDEX[key]
        return [float(row[0, i]) for row in s.truth], [float(row[1, i]) for row in s.truth]
