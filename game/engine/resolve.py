"""One quarter: both sides' sealed orders resolved together, layer by layer, in one fixed order.

The order of resolution (part of the design):
  1. orders validated (an invalid order raises; nothing is applied)
  2. money: the quarter's base budget; what the allocation shares divide
  3. policy: actions taken (costs, cool-downs, one-off effects)
  4. events: the deck is drawn (one-off effects now, modifiers while they last)
  5. modifiers rebuilt from policies, export tiers and events in force
  6. design  -> 7. lithography -> 8. fabs -> 9. supply (production, packaging)
  10. infrastructure: chips and power bought, the fleet ages; usable compute
  11. the compute split: training, inference, research FLOP
  12. research (efficiency) -> 13. models (frontier run, fast-follow, capability)
  14. applications (adoption, revenue, mindshare) -> 15. intelligence
  16. money: energy, interest, the books closed (idle money returned, debt, crisis)
  17. scoring and the three ways a game ends; durations tick down
Games already over are left exactly as they were.
"""

from __future__ import annotations

import numpy as np

from game.engine import (
    apps,
    design,
    events,
    fabs,
    infra,
    jit,
    litho,
    models,
    money,
    observe,
    physics,
    policy,
    research,
    supply,
)
from game.engine import (
    orders as orders_mod,
)
from game.engine.mathx import some
from game.engine.orders import OrderBatch
from game.engine.scoring import settle
from game.engine.state import FLOWS, World, check_finite
from game.engine.tables import CATEGORIES

CAT = {name: i for i, name in enumerate(CATEGORIES)}
FLOW = {name: i for i, name in enumerate(FLOWS)}


def resolve(world: World, orders_us: OrderBatch, orders_cn: OrderBatch) -> World:
    """Return the world one quarter on. Pure: `world` is not changed."""
    w = world.copy()
    advance(w, orders_us, orders_cn)
    return w


# Games over are set aside while a quarter resolves: by copying them out and back when they are few, or by
# resolving the others alone (copied out and back) once they are at least this share of the live ones.
LIVE_ALONE_SHARE = 0.125


def advance(w: World, orders_us: OrderBatch, orders_cn: OrderBatch, legal: np.ndarray | None = None) -> None:
    """Resolve one quarter in place (for runners that own their batch); see resolve. NaN or infinity anywhere in
    the state afterwards raises NonFiniteState naming the field, the game and the quarter. `legal`:
    policy.legal_actions(w), if the caller has it (it is what the orders are checked against)."""
    # Numpy's warnings (divide by zero, ...) would only say less clearly, and on several lines, what the check
    # after the quarter says: the state's figures are all that matters, and each is checked.
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        if legal is None:
            legal = policy.legal_actions(w)
        orders_mod.validate(w, orders_us, 0, legal)
        orders_mod.validate(w, orders_cn, 1, legal)
        finished = w.done.nonzero()[0]
        if not finished.size:
            quarter(w, orders_us, orders_cn, all_live=True)
        elif finished.size < w.batch * LIVE_ALONE_SHARE / (1.0 + LIVE_ALONE_SHARE):
            # A game's quarter does not depend on the games beside it, so resolving the finished ones too and
            # putting them back as they were is the same as leaving them alone.
            frozen = w.take(finished)
            quarter(w, orders_us, orders_cn)
            for name in w.names:
                getattr(w, name)[finished] = getattr(frozen, name)
        elif finished.size < w.batch:
            live = np.flatnonzero(~w.done)
            part = w.take(live)
            quarter(part, orders_of(orders_us, live), orders_of(orders_cn, live), all_live=True)
            for name in w.names:
                getattr(w, name)[live] = getattr(part, name)
    check_finite(w)


def orders_of(orders: OrderBatch, games: np.ndarray) -> OrderBatch:
    return orders.take(games)


def quarter(w: World, orders_us: OrderBatch, orders_cn: OrderBatch, all_live: bool = False) -> None:
    """The layers in order, on orders already validated (see advance). `all_live`: no game of `w` is over."""
    t = w.tables
    # The feed: this quarter's figures, as they stand before it (nothing reads last quarter's during it).
    observe.observe(w, out=w.obs_lag)
    interest = money.interest(w)
    b = w.batch
    fused = jit.active(b)  # the glue below in loops over the games (game/engine/kernels/resolve.py)
    if fused:
        from game.engine.kernels import resolve as k

        flows = k.flow_columns(w)  # every flow written whole, a flow at a time; the books copy them into w.flows_busd
    else:
        flows = w.flows_busd  # every flow is written below, and nothing reads last quarter's
    grants = np.zeros((b, 2))
    losses = np.zeros((b, 2))

    # 2. money in, and what the shares divide
    if fused:
        base, pot, money_by = k.money_by_category(w, orders_us.allocation, orders_cn.allocation)
    else:
        base = money.income(w)
        pot = money.spendable(w, base)
        # The money for each category, (categories, batch, 2): a category's money for both sides is one row.
        money_by = np.empty((len(CATEGORIES), b, 2))
        np.multiply(orders_us.allocation.T, pot[:, 0], out=money_by[:, :, 0])
        np.multiply(orders_cn.allocation.T, pot[:, 1], out=money_by[:, :, 1])
    actions = orders_us.actions | orders_cn.actions
    if not all_live:
        live = ~w.done
        money_by = np.where(live[None, :, None], money_by, 0.0)
        actions &= live[:, None]
    # 3. policy actions
    action_cost = policy.take_actions(w, actions, grants, losses)
    # 4. events, 5. modifiers
    events.draw_events(w, grants, losses)
    policy.compute_modifiers(w)
    # 6-9. the supply chain
    flows[:, :, FLOW["design"]] = design.advance(w, money_by[CAT["design"]])
    flows[:, :, FLOW["lithography"]] = litho.buy_tools(w, money_by[CAT["lithography"]])
    fab_money = money_by[CAT["fabs"]]
    pack_money = fab_money * t.rules.supply.packaging_share_of_fabs
    build_money = fab_money - pack_money
    onshore = np.empty((b, 2))  # each side's column (np.stack's work, without its Python)
    onshore[:, 0] = orders_us.onshore_or_default(t, 0)
    onshore[:, 1] = orders_cn.onshore_or_default(t, 1)
    fabs.build(w, build_money, onshore)
    flows[:, :, FLOW["fabs"]] = build_money + supply.build_packaging(w, pack_money)
    made = supply.production(w)
    # 10. datacenters and power
    spent, _credit_used, fee = infra.install(w, money_by[CAT["compute"]], made)
    if some(fee):  # a licence for a revenue share (REFERENCE s5, Aug 2025): the buyer's fee goes to the exporter
        losses += fee
        grants += fee[:, ::-1]
    flows[:, :, FLOW["compute"]] = spent
    flops = infra.usable_compute(w)
    # 11. the compute split
    if fused:
        quarter, training_share, inference_flop, research_flop = k.compute_split(w, flops, orders_us.split,
                                                                                 orders_cn.split)
    else:
        quarter = physics.quarter_flop(flops, t.rules.supply.seconds_per_quarter, t.rules.training.mfu)
        split = np.empty((b, 2, orders_us.split.shape[1]))
        split[:, 0] = orders_us.split
        split[:, 1] = orders_cn.split
        training_share = split[:, :, 0]
        inference_flop = quarter * split[:, :, 1]
        research_flop = quarter * split[:, :, 2]
    training_flop = models.training_flop(t, quarter, training_share, t.frontier_share(w.turn),
                                         w.modifiers[:, :, t.mod_index["training"]])
    # 12-14. research, models, applications (both sides update at once, so each reads the other's
    # figures as they stood before this step)
    flows[:, :, FLOW["research"]] = research.advance(w, money_by[CAT["research"]], research_flop)
    flows[:, :, FLOW["training"]] = models.train(w, money_by[CAT["training"]], training_flop)
    flows[:, :, FLOW["applications"]] = apps.deploy(w, money_by[CAT["applications"]], inference_flop)
    # 15. intelligence, and the flows of 16. the books
    intel_money = money_by[CAT["intelligence"]]
    if fused:  # energy reads neither intel nor flows
        k.book_flows(w, flows, FLOW, intel_money, base, grants, infra.energy_cost(w), action_cost, interest, losses)
    else:
        it = t.rules.intel
        w.intel_level[:] = w.intel_level * it.decay + intel_money / it.ref_busd
        flows[:, :, FLOW["intelligence"]] = intel_money
        # 16. the books
        flows[:, :, FLOW["base_budget"]] = base
        flows[:, :, FLOW["revenue"]] = w.revenue_busd * t.rules.money.reinvest_share  # the rest leaves the race
        flows[:, :, FLOW["grants"]] = grants
        flows[:, :, FLOW["energy"]] = infra.energy_cost(w)
        flows[:, :, FLOW["actions"]] = action_cost
        flows[:, :, FLOW["interest"]] = interest
        flows[:, :, FLOW["losses"]] = losses
    money.close_books(w, flows)
    # 17. the end, and the clock
    w.turn += 1
    policy.tick(w)
    settle(w)
