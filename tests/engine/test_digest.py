"""The canonical digest: exact bits of every value, -0.0 as 0.0, and NaN or infinity refused by name."""

from __future__ import annotations

import numpy as np
import pytest

from game.content import load_content
from game.engine import Tables, digests, new_world
from game.engine.state import NonFiniteState

CONTENT = load_content()
TABLES = Tables(CONTENT, CONTENT.scenario("2025"))


def world():
    return new_world(TABLES, [1, 2])


def test_one_bit_changes_the_digest():
    w = world()
    before = digests(w)
    w.treasury_busd[1, 0] = np.nextafter(w.treasury_busd[1, 0], np.inf)
    after = digests(w)
    assert after[0] == before[0] and after[1] != before[1]


def test_minus_zero_is_zero():
    w = world()
    w.revenue_busd[0, 1] = 0.0
    before = digests(w)
    w.revenue_busd[0, 1] = -0.0
    assert digests(w) == before


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_nan_or_infinity_raises_naming_the_field(bad):
    w = world()
    w.mindshare[1, 1] = bad
    with pytest.raises(NonFiniteState, match=rf"state field mindshare holds {bad} \(game 1, element 1\)"):
        digests(w)


def test_a_non_finite_value_in_a_wide_field_is_found_by_its_element():
    w = world()
    w.fleet[0, 1, 2, 3] = np.nan
    with pytest.raises(NonFiniteState, match=r"state field fleet holds nan \(game 0, element "):
        w.digest()


def test_the_digest_is_the_bytes_of_the_fields_in_name_order():
    import hashlib

    w = world()
    names = sorted(w.names)
    parts = [getattr(w, n)[0].reshape(-1) for n in names]
    raw = b"".join(p.astype("<f8").tobytes() if p.dtype == np.float64 else p.astype("<i8").tobytes() for p in parts)
    assert w.digest(0) == hashlib.sha256(raw).hexdigest()
