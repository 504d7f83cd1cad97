"""Training arithmetic shared by the engine and `compute-race calc`: FLOP, time, GPU-hours, energy, cost."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    import numpy as np

SECONDS_PER_DAY = 86400.0

# A number or an array of them: quarter_flop works on both.
F = TypeVar("F", float, "np.ndarray")


def flop_per_second(count: float, chip_flops: float, mfu: float, goodput: float) -> float:
    """Sustained FLOP/s of a cluster: peak x model FLOP utilisation x share of time making progress."""
    return count * chip_flops * mfu * goodput


def run_seconds(flop: float, count: float, chip_flops: float, mfu: float, goodput: float) -> float:
    return flop / flop_per_second(count, chip_flops, mfu, goodput)


def gpu_hours(seconds: float, count: float) -> float:
    return seconds / 3600.0 * count


def energy_mwh(seconds: float, count: float, server_kw: float, pue: float) -> float:
    return count * server_kw * pue * seconds / 3600.0 / 1000.0


def quarter_flop(flops: F, seconds_per_quarter: float, mfu: float, goodput: float = 1.0) -> F:
    """FLOP a fleet delivers in one quarter (works on numpy arrays too). The engine leaves goodput at 1
    here and takes it off the training share only: serving and research lose no time to restarts."""
    return flops * seconds_per_quarter * mfu * goodput
