"""What each allocation row's money buys this quarter, and where more buys nothing: asked of the engine.

One resolve of a small batch in the world the side believes in (as Advisor.forecast does): the draft, the
draft with each row at zero (what the row's money buys is the difference), the draft with each row given
more money (nothing more bought: the row is saturated) and the training run given all the money it could
use (what funds it fully). Every other row keeps its dollars in every variant: the extra money is put in
the variant's treasury, so the pot grows by exactly what the row is given. Every figure is the engine's own
state after the quarter; nothing here models a rule.
"""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np

from game.ai.belief import believed
from game.engine import CATEGORIES, Orders, money, resolve
from game.engine.litho import has_euv
from game.engine.observe import deployment, sigma
from game.engine.orders import OrderBatch
from game.engine.state import FLOWS, World, quarter_name
from game.units import adoption_gain, busd, compute, count, mw, pct, sci, share, signed_busd

CAT = {name: i for i, name in enumerate(CATEGORIES)}
N = len(CATEGORIES)
DRAFT, ZERO, MORE, PLENTY = 0, 1, 1 + N, 1 + 2 * N  # variant rows in the batch: draft, N zeros, N mores, plenty
# The probe for "more buys nothing": a row given this share of the pot more (at least MORE_MIN_BUSD). A UI
# question, not a rule: big enough to see a gain above rounding, small enough to stay this quarter's margin.
MORE_SHARE = 0.05
MORE_MIN_BUSD = 1.0
PLENTY_BUSD = 1e5      # the training run given this much more: all the compute it can use this quarter
FLAT = 1e-3            # a gain below this share of what the row buys already counts as nothing
FULL = 0.999           # a run funded this far is fully funded (the rest is rounding)
# Rows whose carried order is said to no longer buy what it did when it buys under half as much (design
# progress banks toward a chip and the estimate error falls ever slower, so those two are not compared).
HALVES = ("fabs", "lithography", "compute", "research", "applications")
STEP = 0.001           # the share a person edits in (game.advisor.rounded)


@attrs.frozen
class RowBuys:
    """What one allocation row's money buys this quarter, by the engine in the believed world."""

    key: str
    texts: tuple[str, ...]     # the figure with its unit, longest first, so a row can show the one that fits
    detail: str                # the figures in words, for the hint line
    amount: float              # the row's main figure (for comparing a carried order with last quarter)
    capped: str = ""           # why more money in this row buys nothing this quarter; "" when it buys more
    funded: float = 1.0        # training: the share of the run's compute this quarter that the money pays for
    need_busd: float = 0.0     # training: the money that funds the run fully this quarter
    note: str = ""             # a carried order that no longer buys what it did says so here
    later: str = ""            # what more money buys in later quarters when it buys nothing more this one
    waste: str = ""            # why (some of) the money this row already has buys nothing that counts; "" if none


@attrs.frozen
class Carried:
    """Last quarter's orders carried into this one, and the rows that no longer buy what they did."""

    orders: Orders
    notes: dict[str, str]


def date(tables: Any, turn: int) -> str:
    """The quarter a turn count resolves, as Session.date names it."""
    return quarter_name(float(tables.year(np.array([turn]))[0]))


def _tile(batch: OrderBatch, n: int) -> OrderBatch:
    return batch.take(np.repeat(np.arange(batch.allocation.shape[0]), n))


def probe(world: World, side: int, orders: Orders, advisor: Any,
          base: tuple[World, OrderBatch] | None = None) -> tuple[World, World, float]:
    """The believed world before, the batch of variants after one quarter, and the pot (see the module).
    `base`: the believed world and the rival's orders in it, when the caller has them already."""
    t = world.tables
    start = believed(world, side) if base is None else base[0]
    n = PLENTY + 1
    w = start.repeat(n)
    pot = float(money.spendable(start, money.income(start))[0, side])
    mine = orders.to_batch(t, side)
    dollars = np.repeat(mine.allocation * pot, n, 0)
    extra = np.zeros(n)
    more = max(MORE_SHARE * pot, MORE_MIN_BUSD)
    for k in range(N):
        dollars[ZERO + k, k] = 0.0
        dollars[MORE + k, k] += more
        extra[MORE + k] = more
    dollars[PLENTY, CAT["training"]] += PLENTY_BUSD
    extra[PLENTY] = PLENTY_BUSD
    w.treasury_busd[:, side] += extra
    pots = money.spendable(w, money.income(w))[:, side]
    alloc = np.clip(dollars / np.maximum(pots, 1e-12)[:, None], 0.0, 1.0)
    total = alloc.sum(axis=1, keepdims=True)
    alloc = np.where(total > 1.0, alloc / np.maximum(total, 1e-12), alloc)  # a rounding crumb over 1
    variants = OrderBatch(alloc, np.repeat(mine.split, n, 0), np.repeat(mine.actions, n, 0),
                          None if mine.onshore is None else np.repeat(mine.onshore, n, 0))
    theirs = _tile(advisor.decide(start, 1 - side) if base is None else base[1], n)
    after = resolve(w, variants, theirs) if side == 0 else resolve(w, theirs, variants)
    return start, after, pot


def what_buys(world: World, side: int, orders: Orders, advisor: Any,
              base: tuple[World, OrderBatch] | None = None) -> dict[str, RowBuys]:
    """Each allocation row's figures this quarter if `orders` stand (valid orders, a game not over), in the
    world `side` believes in, the rival played by `advisor` (`base`: see probe). Empty when there is no pot."""
    start, a, pot = probe(world, side, orders, advisor, base)
    if pot <= 0:
        return {}
    t = world.tables
    s = side
    out: dict[str, RowBuys] = {}

    def gains(measure: np.ndarray, k: str, tol: float) -> tuple[float, float, bool]:
        """(what the row's money buys, what more would add, whether more buys nothing) for a measure per variant."""
        i = CAT[k]
        bought = float(measure[DRAFT] - measure[ZERO + i])
        extra = float(measure[MORE + i] - measure[DRAFT])
        return bought, extra, extra <= FLAT * abs(bought) + tol

    # fabs: wafers a quarter of capacity started (built plus being built), online after the build time
    wafers = a.fab_wafers_per_q[:, s].sum(-1) + a.fab_pipeline[:, s].sum(-1) + a.fab_pipeline_onshore[:, s].sum(-1)
    bought, _, capped = gains(wafers, "fabs", 0.5)
    pack = float(a.packaging_chips_per_q[DRAFT, s] - a.packaging_chips_per_q[ZERO + CAT["fabs"], s])
    # Online when the first of it is: abroad (faster) if any of it is built there, else at home.
    abroad = bool(t.builds_abroad[s]) and float(orders.to_batch(t, s).onshore_or_default(t, s)[0]) < 1.0
    online = int(start.turn[0]) + int(t.abroad_fab_build_q[s] if abroad else t.fab_build_q[s])
    # A fab that comes online after the last quarter never makes a chip in this game: its money is spent for nothing.
    late = bought > 0.5 and online >= int(t.scenario.turns)
    out["fabs"] = RowBuys("fabs", (f"{count(bought)} wafers/q", f"{count(bought)} wfr/q"),
                          f"{count(bought)} wafers/q of fab capacity started, online {date(t, online)}; "
                          f"packaging +{count(pack)} chips/q",
                          bought, "",
                          waste=f"fabs started now come online {date(t, online)}, after the game ends" if late else "")

    # lithography: scanners bought (and the domestic EUV program's money)
    euv = a.euv_tools[:, s]
    duv = a.duv_tools[:, s]
    prog = a.euv_program_busd[:, s]
    i = CAT["lithography"]
    n_euv, n_duv = float(euv[DRAFT] - euv[ZERO + i]), float(duv[DRAFT] - duv[ZERO + i])
    bought, _, capped = gains(euv + duv, "lithography", 0.005)
    prog_now = float(prog[DRAFT] - prog[ZERO + i])
    capped = capped and float(prog[MORE + i] - prog[DRAFT]) <= 1e-6
    euv_for_sale = bool(has_euv(a)[DRAFT, s])
    reason = ""
    if capped:
        reason = (f"every scanner on offer is bought ({n_euv:.1f} EUV, {n_duv:.0f} DUV"
                  + ("" if euv_for_sale else "; no EUV for sale to this side") + ")")
    detail = f"{n_euv:.1f} EUV + {n_duv:.1f} DUV scanners"
    if prog_now > 0:
        detail += f"; {busd(prog_now)} into the domestic EUV program ({busd(float(prog[DRAFT]))} so far)"
    out["lithography"] = RowBuys("lithography", (f"{n_euv:.0f} EUV {n_duv:.0f} DUV", f"{n_euv:.0f}E {n_duv:.0f}D tools",
                                                 f"{bought:.0f} tools"), detail, bought, reason)

    # design: progress toward the next chip on the ladder (a chip unlocked when it is paid for and due)
    i = CAT["design"]
    progress = a.design_progress_busd[:, s]
    bought, _, capped = gains(progress + 1e3 * a.design_index[:, s], "design", 1e-6)
    level = int(a.design_index[DRAFT, s])
    at_top = level >= int(t.ladder_len[s]) - 1
    nxt = int(t.ladder[s, min(level + 1, int(t.ladder_len[s]) - 1)])
    cost = float(t.chip_design_cost[nxt])
    progress_share = float(progress[DRAFT]) / cost if cost > 0 else 1.0
    unlocked = level > int(a.design_index[ZERO + i, s])
    name = t.chips[int(t.ladder[s, level])].name
    waste = ""
    if unlocked:
        texts: tuple[str, ...] = (f"unlocks {name}", "unlocks chip")
        detail = f"the design of the {name} is paid for: it is built from this quarter"
    elif at_top:
        texts, detail = ("ladder done",), "the last chip on the design ladder is designed"
    else:
        added = float(progress[DRAFT] - progress[ZERO + i]) / cost if cost > 0 else 0.0
        texts = (f"+{pct(added)} → {pct(progress_share, bar=1.0)}", f"+{pct(added)} design")
        detail = (f"design +{pct(added)} → {pct(progress_share, bar=1.0)} of the {t.chips[nxt].name} "
                  f"(due from {quarter_name(float(t.design_next_year[s, level]))})")
        if progress_share > 1.0 + 1e-9:
            # Paid for but not yet due: the chip waits for its year; the money past 100% only banks toward the next.
            waste = (f"the {t.chips[nxt].name} is funded past 100% ({pct(progress_share, bar=1.0)}) and waits for its year; "
                     "the rest only banks toward the chip after")
    out["design"] = RowBuys("design", texts, detail, bought,
                            "the design ladder is done" if capped and at_top else "", waste=waste)

    # compute: chips bought and the power built with them (power for later quarters once chips run out)
    i = CAT["compute"]
    chips = a.chips_bought[:, s].sum(-1)
    power = a.power_mw[:, s] + a.power_pipeline[:, s].sum(-1)
    bought, _, capped = gains(chips, "compute", 0.5)
    new_mw = float(power[DRAFT] - power[ZERO + i])
    more_mw = float(power[MORE + i] - power[DRAFT])
    flops = float(a.compute_flops[DRAFT, s] - a.compute_flops[ZERO + i, s]) / 1e18
    reason = later = ""
    if capped:
        made = float(a.chips_made[MORE + i, s])
        dom, imp, smug = (float(x) for x in a.chips_bought[MORE + i, s])
        if made - dom > 0.01 * made + 1.0:
            reason = "no power is on for more chips"
        else:
            parts = [f"all {count(made)} domestic chips bought"]
            if t.imports_chips[s]:
                parts.append(f"the {count(imp)} import quota too" if imp > 0.5 else "imports barred")
            if t.smuggles_chips[s] and smug > 0.5:
                parts.append(f"all {count(smug)} smuggled")
            reason = "chip supply exhausted: " + ", ".join(parts)
        # Money past that builds power for the chips of later quarters, if any can come (then more is not wasted:
        # the forecast grows with it, so the row says when it pays off); else it stays unspent.
        if more_mw > 0.5:
            on = date(t, int(start.turn[0]) + int(t.power_build_q[s]))
            later = f"more buys no chips now ({reason}): it builds power for more chips from {on}"
            reason = ""
        else:
            reason += "; more stays in the treasury, for next quarter's pot"
    out["compute"] = RowBuys("compute", (f"{count(bought)} chips {mw(new_mw)}", f"{count(bought)} chips", count(bought)),
                             f"{count(bought)} chips (+{compute(flops)}) and {mw(new_mw)} of power", bought, reason,
                             later=later)

    # training: the run's FLOP after this quarter, and how much of its compute the money pays for
    i = CAT["training"]
    finished = a.run_quarters[:, s] == 0
    run = np.where(finished, a.last_run_flop[:, s], a.run_flop[:, s])
    used = float(run[DRAFT] - run[ZERO + i])
    usable = float(run[PLENTY] - run[ZERO + i])
    funded = used / usable if usable > 0 else 1.0
    need = float(a.flows_busd[PLENTY, s, FLOWS.index("training")])
    eff = float(run[DRAFT]) * 10.0 ** float(a.efficiency_log10[DRAFT, s])
    part = share(funded, bar=1.0)  # toward: a run 99.6% funded is not "100%"
    q = int(start.run_quarters[0, s]) + 1
    total_q = int(t.rules.training.run_quarters)
    detail = f"run {sci(float(run[DRAFT]))} FLOP ({sci(eff)} effective) after quarter {min(q, total_q)} of {total_q}"
    if usable <= 0:
        reason = "no training compute in the split"
        detail += "; no training compute this quarter"
    elif funded >= FULL:
        reason = "the run is fully funded: the training split sets its compute"
        detail += f"; fully funded ({busd(need)} is enough)"
    else:
        reason = ""
        detail += f"; funded {part}: {busd(need)} funds it fully"
    texts = ((f"{sci(eff)} eFLOP", f"{sci(eff)} eff") if funded >= FULL
             else (f"{sci(eff)} eFLOP {part}", f"{part} funded", f"{part} run"))
    out["training"] = RowBuys("training", texts,
                              detail, used, reason, funded=funded, need_busd=need)

    # research: algorithmic efficiency. A breakthrough is luck; the believed world's draws are not the real
    # game's, so its jump is left out of what the money buys.
    i = CAT["research"]
    jump = t.rules.research.breakthrough_log10 * a.breakthrough[:, s]
    eff_log = a.efficiency_log10[:, s] - jump
    bought, _, capped = gains(eff_log, "research", 1e-7)
    gain = 10.0 ** bought - 1.0
    split_research = float(orders.split.get("research", 0.0))
    reason = ""
    if capped:
        reason = ("no research compute in the split: money alone buys nothing"
                  if split_research <= 0 else "research is saturated this quarter")
    out["research"] = RowBuys("research", (f"+{100 * gain:.1f}% efficiency", f"+{100 * gain:.1f}% effic",
                                           f"+{100 * gain:.1f}% eff"),
                              f"algorithmic efficiency +{100 * gain:.2f}% (+{bought:.3f} log10)", bought, reason)

    # applications: deployment (market-weighted adoption) points and revenue
    i = CAT["applications"]
    dep = deployment(a)[:, s] * 100.0
    bought, _, capped = gains(dep, "applications", 1e-4)
    rev = float(a.revenue_busd[DRAFT, s] - a.revenue_busd[ZERO + i, s])
    reason = ""
    if capped:
        served = float(a.served[MORE + i, s])
        if served < FULL:
            reason = f"inference is short ({share(served, bar=1.0)} served): more inference in the split, not money"
        elif not (start.capability[0, s] >= t.sector_min_cap).any():
            reason = "the model's capability opens no market yet"
        else:
            reason = "the markets open to the model are saturated"
    out["applications"] = RowBuys("applications", (f"{adoption_gain(bought)} adoption", adoption_gain(bought)),
                                  f"deployment {adoption_gain(bought)}, revenue {signed_busd(rev)}/q",
                                  bought, reason)

    # intelligence: the error of this side's estimates of its rival next quarter
    i = CAT["intelligence"]
    err = sigma(a)[:, s] * 100.0
    bought, _, capped = gains(-err, "intelligence", 1e-4)
    now, without = float(err[DRAFT]), float(err[ZERO + i])
    out["intelligence"] = RowBuys("intelligence", (f"±{now:.0f}% error", f"±{now:.0f}% err"),
                                  f"estimate error ±{now:.1f}% next quarter (±{without:.1f}% without this money)",
                                  bought, "more does not sharpen the estimates" if capped else "")
    return out


def carry(world: World, previous: World, side: int, last: Orders, advisor: Any) -> Carried:
    """Last quarter's orders for this one, so that they keep what they bought: each row keeps last quarter's
    dollars (shares of a pot that changed would not), and a training share that fully funded the run carries
    as the share that funds it fully now. Rows that no longer buy what they did get a note saying so."""
    pot_then = float(money.spendable(previous, money.income(previous))[0, side])
    pot_now = float(money.spendable(world, money.income(world))[0, side])
    if pot_now <= 0:
        zero = Orders({k: 0.0 for k in CATEGORIES}, dict(last.split), (), last.onshore)
        return Carried(zero, {k: "carried: the pot is empty this quarter" for k in CATEGORIES
                              if last.allocation.get(k, 0.0) > 0})
    shares = {k: last.allocation.get(k, 0.0) * pot_then / pot_now for k in CATEGORIES}
    notes: dict[str, str] = {}
    total = sum(shares.values())
    if total > 1.0:
        shares = {k: v / total for k, v in shares.items()}
        for k in CATEGORIES:
            if shares[k] > 0:
                notes[k] = f"carried: the pot shrank, so {100 / total:.0f}% of last quarter's dollars"
    then = what_buys(previous, side, last, advisor)
    orders = _stepped(shares, last)
    if last.allocation.get("training", 0.0) > 0 and then and then["training"].funded >= FULL:
        need = what_buys(world, side, orders, advisor)["training"].need_busd
        room = 1.0 - sum(v for k, v in orders.allocation.items() if k != "training")
        fund = min(math.ceil(need / pot_now / STEP - 1e-9) * STEP, math.floor(room / STEP + 1e-9) * STEP)
        orders = Orders({**orders.allocation, "training": round(max(fund, 0.0), 10)}, orders.split, (), orders.onshore)
    now = what_buys(world, side, orders, advisor)
    for k in CATEGORIES:
        if last.allocation.get(k, 0.0) <= 0 or k not in now or k not in then:
            continue
        was, got = then[k], now[k]
        if k == "training":
            if was.funded >= FULL and got.funded < FULL:
                notes[k] = (f"carried: funds {share(got.funded, bar=1.0)} of the run now (all of it last quarter); "
                            f"{busd(got.need_busd)} funds it fully")
        elif k in HALVES and was.amount > 0 and got.amount < 0.5 * was.amount:
            notes.setdefault(k, f"carried: buys {got.texts[1]} now, {was.texts[1]} last quarter")
    return Carried(orders, notes)


def _stepped(shares: dict[str, float], last: Orders) -> Orders:
    """Shares rounded to the nearest whole editing step (what a person edits), last quarter's split. Rounded down
    instead, a row lost up to a step every quarter with nobody touching it (a 0.3% row fell to 0.0% in three
    quarters); down only when the nearest steps would add up to more than the pot."""
    alloc = {k: round(round(shares[k] / STEP) * STEP, 10) for k in CATEGORIES}
    if sum(alloc.values()) > 1.0 + 1e-9:
        alloc = {k: round(math.floor(shares[k] / STEP + 1e-9) * STEP, 10) for k in CATEGORIES}
    return Orders(alloc, dict(last.split), (), last.onshore)
