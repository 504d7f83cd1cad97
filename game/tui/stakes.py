"""What a weighty policy commits a side to, written for the confirmation asked before it is ticked."""

from __future__ import annotations

from textual.content import Content

from game.advisor import PolicyStakes
from game.tui.fmt import FIGURES, busd, lines, margin, markup, points, points_change, share

LABELS = {key: (label, f) for key, label, f in FIGURES}
LABELS["treasury_busd"] = ("treasury", busd)
for _key in ("adoption", "mindshare"):  # a tenth of a percent: a policy's pull is often smaller than 1%
    LABELS[_key] = (LABELS[_key][0], lambda v: share(v, digits=1))


def stakes_text(stakes: PolicyStakes) -> Content:
    """The question: what it forbids or removes for how long, its cost, and what it changes next quarter in
    numbers. Names and effects come from content: plain text, never markup."""
    how_long = (f"for the rest of the game ({stakes.quarters} quarters): it cannot be undone" if stakes.game_long
                else f"for {stakes.quarters} quarters" if stakes.quarters > 0
                else "from now on: its one-off effects stay until something undoes them")
    out: list[Content | str] = [markup("[b]$name[/b] binds you $how_long.", name=stakes.name, how_long=how_long)]
    if stakes.forbids:
        out.append("While it is in force you may not take: " + ", ".join(stakes.forbids) + ".")
    cost = f"Cost {busd(stakes.cost_busd)} now." if stakes.cost_busd else "No cost."
    out.append(f"{cost} Effects: " + ("; ".join(stakes.effects) or "none") + ".")
    if stakes.changes:
        moves = []
        for key, without, with_it in stakes.changes:
            label, f = LABELS.get(key, (key.replace("_", " "), lambda v: f"{v:.2f}"))
            moves.append(f"{label} {f(without)} → {f(with_it)}")
        out.append("Next quarter (forecast), without → with it: " + ", ".join(moves) + ".")
    future = stakes.future
    if future is not None:
        # Its effect where it acts: to the end of the game (or of its term), in lead-track points, both futures
        # played by the engine with the normal AI on both sides. The margin on the rival decides the track; a
        # future that ends sooner (a decisive lead) gives its winner the points left, so the two margins compare;
        # each future says how it ends.
        when = "To the end of the game" if future.to_end else f"To {future.last} ({future.quarters} quarters)"

        def one(track: float, ahead: float, ends: str) -> str:
            return (f"{ends}, " if ends else "") + f"you {points(track)} ({margin(ahead)} on the rival)"

        out.append(f"{when}, the normal AI playing both sides: without it "
                   f"{one(future.track_without, future.margin_without, future.ends_without)}; with it "
                   f"{one(future.track_with, future.margin_with, future.ends_with)}. Your margin on the lead "
                   f"track: {points_change(future.margin_with - future.margin_without)}.")
    out.append("Take it?")
    return lines(out)
