"""The game's own themes: Okabe-Ito colours, so no player needs red and green told apart."""

from __future__ import annotations

from textual.theme import Theme

THEMES = (
    Theme(name="compute-race", primary="#56B4E9", secondary="#E69F00", accent="#009E73", warning="#F0E442",
          error="#D55E00", success="#009E73", foreground="#E8E8E8", background="#101418", surface="#1A2027",
          panel="#24303A", dark=True),
    Theme(name="compute-race-light", primary="#0072B2", secondary="#D55E00", accent="#009E73", warning="#B8860B",
          error="#D55E00", success="#009E73", foreground="#1A1A1A", background="#FAFAF7", surface="#EFEFEA",
          panel="#E0E4E8", dark=False),
)
