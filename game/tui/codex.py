"""The codex: every mechanic explained, with the figures and sources the loaded content carries.

Built from content, not written beside it: a modder's change to a chip, a rule or a policy shows up
here. The constants of each rules section are listed with the comment the TOML file gives them (the
REFERENCE row or "design assumption"); the file is read as text, never run.
"""

from __future__ import annotations

import re
from pathlib import Path

import attrs

from game.content import Content
from game.schema import VERDICT_PARTS
from game.words import MAKERS, effect_phrase, effect_side

COMMENTED = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*([^#]+?)\s*#\s*(.+)$")
SECTION = re.compile(r"^\s*\[\[?\s*([A-Za-z0-9_.]+)\s*\]?\]\s*$")
CONTINUED = re.compile(r"^\s+#\s*(.+)$")  # an indented comment line carries on the comment above it
# Plain-text shorthands in TOML comments, written as a reader expects them.
SHORTHANDS = (("+-", "±"), (" -> ", " → "))


@attrs.frozen
class Topic:
    title: str
    body: str  # Markdown


def commented_values(path: Path) -> dict[str, tuple[str, str]]:
    """`section.key` -> (value as written, its comment) for each line of a TOML file with a trailing comment."""
    out: dict[str, tuple[str, str]] = {}
    section = ""
    last = ""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return out
    for line in lines:
        head = SECTION.match(line)
        if head:
            section, last = head.group(1), ""
            continue
        more = CONTINUED.match(line)
        if more and last:
            value, note = out[last]
            out[last] = (value, f"{note} {plain(more.group(1).strip())}")
            continue
        m = COMMENTED.match(line)
        last = (f"{section}.{m.group(1)}" if section else m.group(1)) if m else ""
        if m:
            out[last] = (m.group(2), plain(m.group(3).strip()))
    return out


def plain(note: str) -> str:
    """A TOML comment as a reader reads it: `+-` is ±, `->` is →."""
    for short, long in SHORTHANDS:
        note = note.replace(short, long)
    return note


def paragraph(text: str) -> str:
    """`text` as a Markdown paragraph between blank lines, or nothing (no run of empty lines) when it is empty."""
    return f"\n{text}\n" if text else ""


def quarters(n: int) -> str:
    return f"{n} quarter" if n == 1 else f"{n} quarters"


def constants(notes: dict[str, tuple[str, str]], section: str, keys: tuple[str, ...] = ()) -> str:
    """A Markdown list of a section's commented constants."""
    rows = []
    for full, (value, note) in notes.items():
        sec, _, key = full.rpartition(".")
        if sec == section and (not keys or key in keys):
            rows.append(f"- `{key} = {value}` — {note}")
    return "\n".join(rows)


def effect_text(effects) -> str:
    """Each effect as the change it makes: `+1`, `−25` (never `+-25`), `×0.5`, `= 1`."""
    parts = [effect_phrase(effect_side(e.side), e.target, e.op, e.value) for e in effects]
    return ", ".join(parts) if parts else "none"


def access(scenario) -> str:
    """What each side of a scenario may get from abroad: allied EUV, imported and smuggled chips."""
    lines = []
    for label, start in (("US", scenario.sides.us), ("China", scenario.sides.cn)):
        euv = "buys allied EUV" if start.allied_euv else "no allied EUV"
        imports = "imports what the export tier allows" if start.imports_chips else "imports no chips"
        smuggles = "smuggles the rival's chips" if start.smuggles_chips else "smuggles none"
        lines.append(f"- {label}: {euv}; {imports}; {smuggles}")
    return "\n".join(lines)


READABLE_CELL = 14  # cells: the narrowest a wrapped table column still reads well


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def fit_tables(markdown: str, width: int) -> str:
    """`markdown` with each table too wide for `width` cells written as a list instead, one item a row
    ("**first cell** — header: value · header: value ..."): squeezed into 50 cells a table's columns shrink to
    slivers that cut figures and units; a list wraps like prose."""
    out: list[str] = []
    lines = markdown.split("\n")
    i = 0
    while i < len(lines):
        if not (lines[i].lstrip().startswith("|") and i + 1 < len(lines) and set(lines[i + 1].strip()) <= set("|-: ")
                and lines[i + 1].strip()):
            out.append(lines[i])
            i += 1
            continue
        end = i + 2
        while end < len(lines) and lines[end].lstrip().startswith("|"):
            end += 1
        head, rows = _cells(lines[i]), [_cells(line) for line in lines[i + 2:end]]
        # A column reads well at its natural width, or wrapped to READABLE_CELL cells if longer (never below its
        # longest word); a table whose columns cannot all have that is a list.
        widths = [min(max(len(row[c]) if c < len(row) else 0 for row in [head, *rows]),
                      max(READABLE_CELL, *(len(word) for row in [head, *rows] if c < len(row) for word in row[c].split())))
                  for c in range(len(head))]
        if sum(widths) + 3 * len(widths) + 1 <= width:
            out.extend(lines[i:end])
        else:
            for row in rows:
                pairs = [f"{h}: {v}" for h, v in zip(head[1:], row[1:], strict=False) if v]
                out.append(f"- **{row[0]}**" + (" — " + " · ".join(pairs) if pairs else "") if row else "")
        i = end
    return "\n".join(out)


def source(text: str) -> str:
    return f" *Source: {text}.*" if text else ""


def topics(content: Content) -> list[Topic]:
    root = Path(content.root)
    rules = commented_values(root / "rules.toml")
    scoring_notes = commented_values(root / "scoring.toml")
    r = content.rules
    sc = content.scoring
    out: list[Topic] = []

    out.append(Topic("How a quarter works", f"""\
# How a quarter works

Each turn is one quarter. Both sides write **sealed orders** at once; the engine resolves them
together, in a fixed order: money, policies, events, chip design, lithography, fabs, supply,
datacenters and power, the compute split, research, the frontier run, applications,
intelligence, the books, the lead track.

**Orders** are three things:

- **Allocation**: shares of the quarter's pot (treasury + base budget + a credit line of
  {r.money.credit_share:g}× the debt limit) for fabs, lithography, design, compute, training, research,
  applications and intelligence. What you do not allocate stays in the treasury (up to a point: see
  Money); spend past the treasury and you borrow.
- **Compute split**: your installed compute divided between training (the frontier run),
  inference (serving customers) and research (experiments that raise efficiency). It must add up to 100%.
- **Policy actions**: export controls, subsidies, stockpiles, open-weights releases, each with a
  cost, a duration and a cool-down.

**Winning.** Every quarter the world gives a verdict — your share of the frontier lead, compute,
applications, mindshare and onshore supply — and it adds points to both sides' totals on the
lead track, later quarters weighing more; the totals add up to 100 at the end and the higher wins.
Reach the {sc.decisive_tier} tier with deployment {sc.decisive_deployment:.0%} of the markets the rest
of the world leaves and a lead of {sc.decisive_margin_months:g} months or more, and you win at once. A side past its
debt limit for {r.money.bankrupt_quarters} quarters in a row is bankrupt and loses.
"""))

    tiers = "\n".join(f"| {t.name} | 1e{t.log10_eff:g} | {t.description} |" for t in r.capability.tiers)
    out.append(Topic("Capability and models", f"""\
# Capability and models

Capability (0–100) is a saturating curve of the **effective training compute** of your best
model: physical FLOP × your algorithmic-efficiency multiplier. Known runs are where they belong:
GPT-4 (~2e25 FLOP, 2023) low on the curve, a 2025 frontier run near 30.

| tier | from (effective FLOP) | what it means |
|---|---|---|
{tiers}
{paragraph(constants(rules, "capability"))}
A frontier run trains for {r.training.run_quarters} quarters on the training share of your compute,
and costs opex on top of the chips. **Fast-following**: once the rival has a better model, your
compute goes {r.training.follow_closed_mult:g}× further catching up to it, and
{r.training.follow_open_mult:g}× if its weights are open — copying is cheaper than inventing, but it
stops at the rival's model.

{constants(rules, "training")}
"""))

    out.append(Topic("Research and efficiency", f"""\
# Research and efficiency (the DeepSeek moment)

Research money and the research share of compute raise your **algorithmic efficiency**, a
multiplier on every FLOP of training: mixture-of-experts, FP8, distillation. DeepSeek-V3 matched
GPT-4-class models with about a tenth of the physical compute. Research also brings small
**breakthroughs** (a leap of ×{10 ** r.research.breakthrough_log10:.2f} each): at full pace in an even race a
quarter brings one {r.research.breakthrough_chance:.0%} of the time, more often the further your research pace is
ahead of your rival's (at most twice as often), less often behind. Pressing research is how you make your luck.
Published work spreads: each quarter a share of the efficiency gap closes by itself, faster when
weights are open.

{constants(rules, "research")}
"""))

    chips = "\n".join(
        f"| {c.name} | {MAKERS.get(c.maker, c.maker)} | {c.bf16_tflops:,.0f} | {c.hbm_gb:g} | ${c.price_kusd:g}k | {c.year} | "
        f"{'never' if c.export_max_tier < 0 else f'≤ tier {c.export_max_tier}'} | {c.source} |" for c in content.chips)
    out.append(Topic("Chips and design", f"""\
# Chips and design

Each side climbs its own **design ladder** of accelerators; design money pays for the next
generation, which then comes off your fabs (or, for a side that imports, is bought abroad while
export controls allow). FLOP/s per chip and per watt decide how much compute your power buys.

| chip | maker | BF16 TFLOP/s | HBM GB | price | year | may be imported | source |
|---|---|---|---|---|---|---|---|
{chips}
"""))

    nodes = "\n".join(
        f"| {n.name} | {n.year} | {'yes' if n.needs_euv else 'no'} | {n.start_yield:.0%}→{n.max_yield:.0%} | "
        f"${n.fab_cost_busd_per_kwpq:g}B | {n.source} |" for n in content.nodes)
    out.append(Topic("Fabs, nodes and EUV", f"""\
# Fabs, nodes and EUV

Chips come from **fabs**: wafers per quarter on a process node, × dies per wafer × yield. Yield
rises with experience. A fab takes years to build. Leading nodes need **EUV lithography** — made
by one allied supplier, and each scenario says which side may buy from it (see Scenarios). Without
EUV a side can reach 7 nm and 5 nm by DUV multipatterning, at a cost in yield and tool time, and can
fund a long domestic EUV programme: once funded it delivers by chance, and never before the
earliest year.

| node | year | needs EUV | yield | fab cost per 1k wafers/q | source |
|---|---|---|---|---|---|
{nodes}

{constants(rules, "supply", ("euv_price_busd", "duv_price_busd", "euv_wafers_per_tool_q", "duv_wafers_per_tool_q",
                               "euv_supply_per_q", "duv_supply_per_q", "euv_program_busd", "euv_program_share",
                               "euv_domestic_earliest_year", "euv_domestic_chance_per_q",
                               "domestic_tool_price_mult", "domestic_tool_output_mult", "domestic_euv_supply_mult",
                               "blocked_duv_supply_mult", "idle_euv_money_share", "tool_life_quarters"))}
"""))

    out.append(Topic("Supply: HBM, packaging, imports", f"""\
# Supply: HBM, packaging, imports

A die is not a chip until it is packaged with **HBM** memory (CoWoS): packaging capacity caps
how many chips a quarter you make, whatever your fabs turn out. Packaging and HBM lines grow no
faster than the fastest build-out on record, and slower for a side cut off from foreign HBM. A side
the scenario lets import may also **import** the chips the export-control tier still allows, and a
side that smuggles buys the rival's chips a generation or more back at a mark-up, with a share
seized (see Scenarios for who may do which). Legal chips come first, the better usable FLOP a dollar
first; smuggled chips only top up with what money is left. Under a licence for a revenue share the
importer pays a fee on each licensed chip, and the fee goes each quarter into the exporter's treasury.
Chips made abroad add compute and feed the frontier, but they are not your own: the supply part of
the verdict counts only chips from your onshore fabs.

{constants(rules, "supply", ("packaging_share_of_fabs", "packaging_busd_per_kchips_q", "packaging_max_growth_per_year",
                               "packaging_min_add_chips_per_q", "import_cap_busd_per_q",
                               "smuggle_price_mult", "smuggle_seizure_max", "smuggle_generations_back",
                               "fleet_life_quarters", "wafer_diameter_mm"))}
"""))

    sides_2025 = (content.scenarios["2025"].sides.us, content.scenarios["2025"].sides.cn) \
        if "2025" in content.scenarios else ()
    starts = "\n".join(
        f"| {('US', 'China')[i]} | {s.power_mw:,.0f} | {s.power_max_mw_per_q:,.0f} | {s.power_build_quarters} | "
        f"${s.power_capex_musd_per_mw:g}M | {100 * s.power_usd_per_kwh:.1f}¢ | {s.pue:g} |"
        for i, s in enumerate(sides_2025))
    out.append(Topic("Power and datacenters", f"""\
# Power and datacenters

Chips only compute if they are powered: compute money buys chips and the datacenter power to run
them. Power takes quarters to build, and the grid connects only so much a quarter; beyond it,
on-site generation costs {r.supply.power_over_grid_cost_mult:g}× as much. A fleet without power idles
— the report tells you when only part of it can run. Chips age out after
{r.supply.fleet_life_quarters // 4} years.

| 2025 | power MW | grid connects MW/q | build quarters | capex per MW | price per kWh | PUE |
|---|---|---|---|---|---|---|
{starts}

{constants(rules, "supply", ("power_over_grid_cost_mult",))}
"""))

    sectors = "\n".join(
        f"| {s.name} | {s.min_capability:g} | ${s.market_busd_per_q:g}B{' each (national)' if s.national else ''} | "
        f"{s.growth_per_year:.0%} | {s.source} |"
        for s in content.sectors)
    out.append(Topic("Applications and revenue", f"""\
# Applications and revenue

The payoff is in **applications**. Each sector opens once your model passes its capability bar;
application money and inference compute then raise adoption, and adoption earns revenue. Without
enough inference compute, adoption stalls. The verdict's **applications** part is your share of
adoption × capability across every sector, each weighed by its market (defense among them); global
**mindshare** follows whose models people use — open weights help.

**One market, shared.** A sector's market is one world market: the rest of the world keeps
{r.apps.rest_of_world_share:.0%} of it, you win new customers only from the part nobody serves, and
each quarter {r.apps.switching_per_q:.0%} of each side's customers reconsider and go to whichever side
pushes harder. A national sector (defense) is a market of its own for each side. You earn your
share at your own token price (the scenario's revenue_mult: China's tokens sell for far less,
REFERENCE s7), and every customer needs inference compute whatever the price.

| sector | capability bar | world market per quarter (2025) | growth a year | source |
|---|---|---|---|---|
{sectors}

{constants(rules, "apps")}
"""))

    out.append(Topic("Money", f"""\
# Money

Income each quarter is the base budget (state and private capital) plus the reinvested share of AI
revenue ({r.money.reinvest_share:.0%}; firms return the rest to shareholders and spend it outside the race).
Every dollar is accounted for: treasury next quarter = treasury + income − spending. You may borrow to the
debt limit; past it you are in **crisis** (base budget cut), and {r.money.bankrupt_quarters} quarters
in a row past it is bankruptcy.

**Idle money is not free.** Capital follows what can be built: at each quarter's close,
{r.money.idle_return_share:.0%} of a treasury above {r.money.idle_cap_quarters:g} quarters of your base budget flows back to
investors ("returned" in the books). Spend it, or lose it.

{constants(rules, "money")}
"""))

    tiers_x = "\n".join(f"| {i + 1} | {t.name} | {t.description} |" for i, t in enumerate(r.export_tiers))
    out.append(Topic("Export controls", f"""\
# Export controls

The US sets an **export-control tier**; each tier holds while the tier is at least that high.
Which chips China may still buy is each chip's export limit (see Chips). Events can loosen or
tighten the tier.

| tier | name | what it does |
|---|---|---|
| 0 | no controls | China buys what it can pay for |
{tiers_x}
"""))

    pol = []
    for p in content.policies:
        who = {"us": "US", "cn": "China", "both": "either side"}[p.side]
        lasts = "the whole game" if p.duration < 0 else "once" if p.duration == 0 else quarters(p.duration)
        cost = f"cost ${p.cost_busd:g}B" if p.cost_busd else "no cost"
        cooldown = f"cool-down {quarters(p.cooldown)}" if p.cooldown else "no cool-down"
        pol.append(f"## {p.name}\n\n{p.description}\n\n- taken by {who}; {cost}; "
                   f"lasts {lasts}; {cooldown}\n- effects: {effect_text(p.effects)}\n"
                   f"{source(p.source)}")
    out.append(Topic("Policy actions", "# Policy actions\n\n" + "\n\n".join(pol)))

    ev = []
    for e in content.events:
        # Turns count from 0 in the engine; the player counts quarters from 1 ("quarter 1 of 40").
        window = (f"quarters {e.turn_min + 1}–{e.turn_max + 1}" if e.turn_max < 1000
                  else "from the first quarter" if e.turn_min == 0 else f"from quarter {e.turn_min + 1}")
        if e.year_min > 0:  # dated by history: a calendar quarter whatever the scenario
            year, quarter = int(e.year_min), int(round((e.year_min % 1) * 4)) + 1
            window += f", not before {year} Q{quarter}"
        about = f"{e.description}\n\n" if e.description.strip() else ""
        ev.append(f"## {e.name}\n\n*{e.headline}*\n\n{about}- chance {e.probability:.0%} a quarter, "
                  f"{window}; lasts {quarters(e.duration)}\n- effects: {effect_text(e.effects)}\n{source(e.source)}")
    out.append(Topic("Events", "# Events\n\nEach quarter every event whose window and conditions hold may "
                     "fire with its chance.\n\n" + "\n\n".join(ev)))

    out.append(Topic("Intelligence", f"""\
# Intelligence

You see your own state exactly, and the rival's only through **intelligence**: last quarter's
figures, with noise. The dashboard and charts mark them as estimates (±error). Intelligence money
sharpens the estimate; without funding, networks fade.

{constants(rules, "intel")}
"""))

    weights = "\n".join(f"- {name}: {getattr(sc, name):g} — {scoring_notes.get(name, ('', ''))[1]}"
                        for name in VERDICT_PARTS)
    out.append(Topic("The lead track and endings", f"""\
# The lead track and endings

The lead in months: 12 × the gap between the two frontiers in log10 effective compute, over the
frontier's growth of {r.lead.growth_log10_per_year:g} log10 a year. It never saturates.

Each quarter's verdict is each side's share of five parts, weighted:

{weights}

The frontier part is logistic(lead / {sc.frontier_scale_months:g} months). A quarter adds 100 × its weight × the
verdict to each side's total; the weights grow {sc.quarter_growth_per_year:.0%} a year and add up to 1, so the
totals add up to 100 at the end.

A decisive lead: the {sc.decisive_tier} tier, deployment ≥ {sc.decisive_deployment:.0%} and a lead of at least
{sc.decisive_margin_months:g} months wins at once. Bankruptcy: {r.money.bankrupt_quarters} quarters past the debt
limit loses. At the end, totals within {sc.tie_margin:g} points are level; then the lead in months, then
cumulative revenue decide.

## On screen

The planning screen and the dashboard show both totals, the points still to play and who is ahead in
months (~: your estimate). The verdict row gives this quarter's share of each part (front, comp, rev,
sec, mind, supp; all: the weighted share): yours exact, the rival's (~) from intelligence. Beside it,
each side's way to a decisive win: how far its best model is below the {sc.decisive_tier} tier in log10
effective compute (rounded up: a model shown short has not reached it) and its deployment against the
bar (rounded down). The turn report gives the points each side gained; game over charts both totals,
lists the quarters where the lead changed hands and names the parts that decided the game.
"""))

    # The id is what --scenario takes; a name often holds it already ("Before the controls (2022)"): not in the heading.
    scen = "\n\n".join(f"## {s.name}\n\n{s.description}\n\n- {s.start_year} Q{s.start_quarter}, "
                       f"{s.turns} quarters; export tier {s.export_tier}; play it with `--scenario {s.id}`\n{access(s)}"
                       for s in content.scenarios.values())
    out.append(Topic("Scenarios", "# Scenarios\n\n" + scen))
    return out
