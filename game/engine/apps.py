"""Applications: adoption by sector (capability bars, money, inference capacity), revenue, mindshare."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from game.engine import jit, mathx
from game.engine.mathx import rowsum
from game.engine.state import along_batch

if TYPE_CHECKING:
    from game.engine.state import World
    from game.engine.tables import Tables


def inference_demand(t: Tables, adoption: np.ndarray, market: np.ndarray, efficiency_log10: np.ndarray,
                     axis: int = -1) -> np.ndarray:
    """Inference compute (1e18 FLOP) that serving `adoption` of `market` needs, whatever the side's token
    price; efficiency gains make each customer cheaper to serve. Sectors along `axis` (the last unless told) of
    adoption and market; efficiency shaped like the result."""
    infer_scale = mathx.pow10(efficiency_log10 - t.rules.research.inference_ref_log10)
    served = adoption * market
    served *= t.sector_infer.reshape((-1,) + (1,) * (served.ndim - 1 - axis % served.ndim))
    demand: np.ndarray = rowsum(served, axis) / infer_scale
    return demand


def deploy(world: World, money: np.ndarray, inference_flop: np.ndarray) -> np.ndarray:
    """Each sector is one world market: the rest of the world keeps its share, each side wins new customers
    from the part nobody serves, and the customers who reconsider each quarter split between the sides by how
    hard each pushes. A side earns its share of the market at its own token price (revenue_mult)."""
    if jit.active(world.batch):
        from game.engine.kernels import apps as k

        return k.deploy(world, money, inference_flop)
    t = world.tables
    ap = t.rules.apps
    mi = t.mod_index
    mods = world.modifiers
    world.market_busd *= t.sector_growth_q(world.turn)
    # Markets are worked out side by sector by game, (2, sectors, batch): a side's or a market's figure then
    # broadcasts over whole rows of games, which numpy does at full speed (along a short last axis it crawls).
    market = np.ascontiguousarray(world.market_busd.T)[None]
    cap = along_batch(world.capability)[:, None, :]
    min_cap = t.sector_min_cap[:, None]
    weights = np.where(cap >= min_cap, market, 0.0)  # the markets its models can serve
    total_w = rowsum(weights, axis=1)[:, None, :]
    q = along_batch(money)[:, None, :] * weights  # the money, by market size, over the money a market takes
    q /= np.maximum(total_w, 1e-12)
    np.copyto(q, 0.0, where=~(total_w > 0))
    q /= ap.ref_busd
    push = 2.0 * q
    q += 1.0
    push /= q
    pull = cap - min_cap  # readiness, then pull: how hard each side pushes in each market
    pull /= ap.readiness_span
    np.maximum(pull, 0.0, out=pull)
    np.minimum(pull, 1.0, out=pull)
    pull *= t.sector_speed[:, None]
    pull *= push
    pull *= along_batch(mods[:, :, mi["adoption"]])[:, None, :]
    adoption = sector_contest(np.ascontiguousarray(world.adoption.transpose(1, 2, 0)), pull,
                              t.sector_open_share[:, None], t.sector_national, ap.switching_per_q)
    # Serving needs inference compute for every customer, whatever the token price; efficiency gains make
    # each customer cheaper to serve. Customers lost for want of it go back to the uncaptured market.
    demand = inference_demand(t, adoption, market, along_batch(world.efficiency_log10), axis=1)
    served = np.where(demand > 0, np.minimum(1.0, along_batch(inference_flop) / 1e18 / np.maximum(demand, 1e-12)), 1.0)
    lost = adoption * t.sector_churn[:, None]
    lost *= 1.0 - served[:, None, :]
    adoption -= lost
    world.adoption[:] = adoption.transpose(2, 0, 1)
    world.served[:] = served.T
    priced = market * t.revenue_mult[:, None, None]
    priced *= adoption
    revenue = rowsum(priced, axis=1).T * world.served * mods[:, :, mi["revenue"]]
    world.revenue_busd[:] = revenue
    world.cum_revenue_busd[:] = world.cum_revenue_busd + revenue
    # Mindshare drifts toward each side's appeal among all the world's models.
    appeal = world.capability * (1.0 + ap.open_appeal_bonus * world.model_open) * mods[:, :, mi["mindshare"]]
    target = appeal / (appeal[:, :1] + appeal[:, 1:] + ap.rest_of_world_appeal)
    world.mindshare[:] = np.minimum(np.maximum(world.mindshare + ap.mindshare_rate * (target - world.mindshare), 0.0), 1.0)
    return money


def contest(adoption: np.ndarray, pull: np.ndarray, open_share: np.ndarray, national: np.ndarray,
            switching: float) -> np.ndarray:
    """Both sides' adoption after a quarter, (batch, 2, sectors). In a world market the two sides' shares stay
    within `open_share` (what the rest of the world leaves): each side wins new customers from the uncaptured
    part, and the customers who reconsider (`switching` of each side's) split by pull - while neither side
    pulls they stay. In a `national` sector each side adopts up to all of its own market. `pull` (>= 0) is
    how hard each side pushes: the share of the open room it would win alone in a quarter."""
    out: np.ndarray = sector_contest(adoption.transpose(1, 2, 0), pull.transpose(1, 2, 0), open_share[:, None],
                                     national, switching).transpose(2, 0, 1)
    return out


def sector_contest(adoption: np.ndarray, pull: np.ndarray, open_share: np.ndarray, national: np.ndarray,
                   switching: float) -> np.ndarray:
    """contest on arrays shaped (2, sectors, batch), open_share (sectors, 1): a new array of that shape."""
    # Figures of both sides together carry a leading axis of one: numpy broadcasts them faster that way.
    held = (adoption[0] + adoption[1])[None]
    room = np.maximum(open_share - held, 0.0)
    total = (pull[0] + pull[1])[None]
    live = total > 0
    switched = pull / np.where(live, total, 1.0)  # the split, then who switches
    switched *= held
    switched -= adoption
    # Nobody switches where neither side pulls (x 0.0 leaves a -0.0 at most, which adds nothing).
    switched *= switching
    switched *= live.astype(np.float64)  # the same product as by the flag itself, without a cast each element
    won = room * pull
    won /= np.maximum(total, 1.0)
    out: np.ndarray = adoption + switched
    out += won
    if mathx.some(national):  # national sectors: each side adopts from all of its own market
        nat = national.nonzero()[0]
        own = adoption[:, nat]
        out[:, nat] = own + (1.0 - own) * np.minimum(pull[:, nat], 1.0)
    out.clip(0.0, 1.0, out=out)  # np.clip's work, one wrapper fewer
    return out
