"""Saves of real games, made once per test session (a short game with a person and an AI, and one AI v AI)."""

from __future__ import annotations

import pytest

from game.saves import encode, save_data
from game.session import Seat, Session


def played(turns: int, seats: tuple[Seat, Seat] | None = None, seed: int = 11) -> Session:
    s = Session(seats or (Seat("human"), Seat("ai", "normal")), seed=seed)
    for _ in range(turns):
        if s.over:
            break
        for side in s.humans:
            s.submit(side, s.advisor(side).opening())
        s.resolve()
    return s


@pytest.fixture(scope="session")
def game6() -> Session:
    return played(6)


@pytest.fixture(scope="session")
def save6_bytes(game6) -> bytes:
    return encode(save_data(game6, "six"))
