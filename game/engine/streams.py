"""Every stream of counter-based random draws (mathx.uniform, unit_noise, derive_seed): a name and an id.

A draw is a pure function of (seed, turn, stream id, index), so two uses that shared an id would draw
the same numbers and be correlated. A stream used once per side takes two ids, id + side. Ids never
change: changing one changes every game played since, and every save's digests with it.
"""

from __future__ import annotations

from typing import NamedTuple


class Stream(NamedTuple):
    name: str
    id: int
    width: int      # how many consecutive ids it takes (2 for a stream drawn per side)
    use: str


EVENTS = 10
SMUGGLE = 20
INTEL = 40          # + the observing side
BREAKTHROUGH = 50
RUN = 60
EUV = 70
RANDOM_PLAY = 100   # + the deciding side
WHIM = 110          # + the deciding side
BELIEF = 120        # + the believing side
LOOKAHEAD = 130

STREAMS = (
    Stream("events", EVENTS, 1, "engine.events: which events fire this quarter"),
    Stream("smuggle", SMUGGLE, 1, "engine.infra: the share of smuggled chips seized"),
    Stream("intel", INTEL, 2, "engine.observe: noise on each side's estimate of the rival"),
    Stream("breakthrough", BREAKTHROUGH, 1, "engine.research: research breakthroughs"),
    Stream("run", RUN, 1, "engine.models: a training run's luck"),
    Stream("euv", EUV, 1, "engine.litho: the quarter a funded domestic EUV program delivers"),
    Stream("random_play", RANDOM_PLAY, 2, "ai.random_play: the random strategy's orders"),
    Stream("whim", WHIM, 2, "ai.planner: an opponent's whims"),
    Stream("belief", BELIEF, 2, "ai.belief: the seed of a believed world's look-ahead"),
    Stream("lookahead", LOOKAHEAD, 1, "ai.search: the seeds of the further futures hard averages over"),
)


def clashes(streams: tuple[Stream, ...] = STREAMS) -> list[str]:
    """Each id taken by two streams, and each name given twice, as one line apiece (none is right)."""
    out = []
    owner: dict[int, str] = {}
    for s in streams:
        for k in range(s.width):
            if s.id + k in owner:
                out.append(f"stream id {s.id + k} is taken by both {owner[s.id + k]} and {s.name}")
            owner.setdefault(s.id + k, s.name)
    names = [s.name for s in streams]
    out += [f"stream name {n} is given twice" for n in sorted({n for n in names if names.count(n) > 1})]
    return out
