"""A plain-text game loop against a strategy: what `make play` starts until the Textual app lands."""

from __future__ import annotations

import argparse

import numpy as np

from game.ai import load_strategy
from game.content import load_content
from game.engine import CATEGORIES, SPLITS, OrderError, Orders, Tables, legal_actions, new_world, resolve
from game.engine.observe import tier_of, view
from game.engine.state import FLOWS, REASONS, WINNERS
from game.sim.runner import find_scenario

HELP = """Commands:
  a CATEGORY SHARE   set an allocation share, e.g. "a compute 0.4" (categories: {cats})
  s T I R            set the compute split for training, inference, research, e.g. "s 0.4 0.4 0.2"
  t ACTION           toggle a policy action for this turn (see the list)
  e                  end the turn (submit orders)
  v                  show the dashboard again
  q                  quit
""".format(cats=", ".join(CATEGORIES))


def show(world, side: int, orders: Orders) -> None:
    t = world.tables
    me, them = ("United States", "China") if side == 0 else ("China", "United States")
    seen = view(world, side)
    year = t.year(world.turn)[0]
    q = int(round((year % 1) * 4)) + 1
    print(f"\n=== {int(year)} Q{q} - turn {int(world.turn[0]) + 1} of {t.scenario.turns} - you are {me} ===")
    own = {k[5:]: float(v[0]) for k, v in seen.items() if k.startswith("self.")}
    riv = {k[6:]: float(v[0]) for k, v in seen.items() if k.startswith("rival.")}
    err = float(seen["sigma"][0])
    print(f"{'':22}{'you':>14}{them + ' (est. +-' + format(err, '.0%') + ')':>30}")
    rows = [("capability (0-100)", "capability", "{:.1f}"), ("compute EFLOP/s", "compute_eflops", "{:,.0f}"),
            ("chips installed", "fleet_chips", "{:,.0f}"), ("efficiency (log10)", "efficiency_log10", "{:.2f}"),
            ("treasury $B", "treasury_busd", "{:,.1f}"), ("AI revenue $B/q", "revenue_busd", "{:,.1f}"),
            ("power MW", "power_mw", "{:,.0f}"), ("EUV tools", "euv_tools", "{:.0f}"),
            ("mindshare", "mindshare", "{:.0%}"), ("deployment", "adoption", "{:.0%}"), ("score", "score", "{:.1f}")]
    for label, key, fmt in rows:
        print(f"{label:22}{fmt.format(own[key]):>14}{fmt.format(riv[key]):>30}")
    print(f"Your model: {tier_of(t, own['model_log10_eff'])}; export-control tier {int(world.export_tier[0])}")
    print("Allocation: " + ", ".join(f"{k} {orders.allocation.get(k, 0):.2f}" for k in CATEGORIES)
          + f"  (total {sum(orders.allocation.values()):.2f})")
    print("Split: " + ", ".join(f"{k} {orders.split.get(k, 0):.2f}" for k in SPLITS))
    legal = legal_actions(world)[0]
    avail = [f"{a.policy_id} (${a.cost_busd:g}B)" for i, a in enumerate(t.actions) if a.side == side and legal[i]]
    print("Actions available: " + (", ".join(avail) if avail else "none"))
    print("Chosen actions: " + (", ".join(orders.actions) if orders.actions else "none"))


def report(before, after, side: int, rival_orders) -> None:
    t = after.tables
    for e in np.flatnonzero(after.event_now[0]):
        print(f"  EVENT: {t.events[e].headline}")
    for a in np.flatnonzero(rival_orders.actions[0]):
        print(f"  The rival enacted: {t.actions[a].name}")
    if after.model_new[0, side]:
        print(f"  Your new frontier model: {tier_of(t, float(after.model_log10_eff[0, side]))} "
              f"(capability {after.capability[0, side]:.1f})")
    flows = after.flows_busd[0, side]
    print("  Money: " + ", ".join(f"{name} {flows[i]:,.1f}" for i, name in enumerate(FLOWS) if abs(flows[i]) > 0.05))


def play(args: argparse.Namespace) -> int:
    content = load_content(args.content)
    scenario = find_scenario(content, args.scenario)
    tables = Tables(content, scenario)
    side = 0 if args.side == "us" else 1
    rival = load_strategy(args.opponent, content.root)
    mine = load_strategy("balanced", content.root)
    world = new_world(tables, [args.seed])
    print(f"Compute Race - {scenario.name}. {scenario.description}\nType h for help.")
    plan = mine.decide(world, side)
    orders = Orders(allocation={k: float(v) for k, v in zip(CATEGORIES, plan.allocation[0])},
                    split={k: float(v) for k, v in zip(SPLITS, plan.split[0])})
    show(world, side, orders)
    while not world.done[0]:
        try:
            line = input("> ").strip().split()
        except EOFError:
            print("\nGoodbye.")
            return 0
        if not line:
            continue
        cmd = line[0].lower()
        try:
            if cmd in ("h", "help", "?"):
                print(HELP)
            elif cmd in ("q", "quit"):
                print("Goodbye.")
                return 0
            elif cmd == "v":
                show(world, side, orders)
            elif cmd == "a" and len(line) == 3 and line[1] in CATEGORIES:
                orders = Orders({**orders.allocation, line[1]: float(line[2])}, orders.split, orders.actions)
            elif cmd == "s" and len(line) == 4:
                orders = Orders(orders.allocation, dict(zip(SPLITS, map(float, line[1:]))), orders.actions)
            elif cmd == "t" and len(line) == 2:
                acts = tuple(a for a in orders.actions if a != line[1])
                orders = Orders(orders.allocation, orders.split,
                                acts if len(acts) < len(orders.actions) else acts + (line[1],))
            elif cmd == "e":
                mine_batch = orders.to_batch(tables, side)
                rival_batch = rival.decide(world, 1 - side)
                pair = (mine_batch, rival_batch) if side == 0 else (rival_batch, mine_batch)
                before = world
                world = resolve(world, *pair)
                report(before, world, side, rival_batch)
                orders = Orders(orders.allocation, orders.split, ())
                if not world.done[0]:
                    show(world, side, orders)
            else:
                print("Not understood; type h for help.")
        except ValueError as exc:
            print(f"Not accepted: {exc}")
    winner = WINNERS[int(world.winner[0])]
    you = ("us", "cn")[side]
    verdict = "You win" if winner == you else "Draw" if winner == "draw" else "You lose"
    print(f"\nGame over after {int(world.turn[0])} quarters: {verdict} ({REASONS[int(world.reason[0])]}). "
          f"Scores: US {world.score[0, 0]:.1f}, China {world.score[0, 1]:.1f}.")
    return 0
