"""Planning: one side's orders for the quarter, with live totals and the engine's forecast."""

from __future__ import annotations

import attrs
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Static
from textual.worker import get_current_worker

from game.engine import CATEGORIES, SPLITS, Orders
from game.tui import forecast
from game.tui.drift import Drift, drifts
from game.tui.fmt import (
    CATEGORY_HELP,
    SIDE_NAMES,
    SPLIT_HELP,
    busd,
    capability,
    compute,
    fit_line,
    markup,
    pct,
    points,
    side_tag,
    toward,
)
from game.tui.fmt import lines as join_lines
from game.tui.lead import track_block
from game.tui.screens.opening import while_open
from game.tui.widgets.rows import PolicyList, PolicyRow, ShareRow


def quarters(n: int) -> str:
    """"1 quarter", "3 quarters"."""
    return f"{n} quarter" + ("" if n == 1 else "s")


class PlanningScreen(Screen):
    """Orders for `side`. The draft lives here until `e` seals it; the app resolves the quarter."""

    BINDINGS = [
        Binding("e", "end_turn", "End turn"),
        Binding("a", "advice", "Advisor"),
        Binding("d", "dashboard", "Dash"),
        Binding("w", "explain", "The focused row explained in full", show=False),  # the hint line says so
        Binding("z", "reset", "Reset to last quarter's orders", show=False),
    ]
    OUTLOOK_DELAY_S = 0.15   # the far forecast waits for typing to pause this long (debounce)
    SHORT_ROWS = 34          # the -short breakpoint (app.py): below it the lead block and the detail share rows
    MORE = " · w: whole"     # ends a hint line cut short: `w` shows the whole explanation

    class OutlookReady(Message):
        """The worker's forecast several quarters ahead for the draft `key`."""

        def __init__(self, key: tuple, outlook) -> None:
            super().__init__()
            self.key = key
            self.outlook = outlook

    # The draft: one value the screen's widgets are refreshed from whenever it changes (watch_draft); every
    # change (a row, a policy, the advisor's plan, a reset, a new quarter) replaces it whole.
    draft: reactive[Orders] = reactive(Orders, init=False)

    def __init__(self, session, side: int) -> None:
        super().__init__(classes=("us", "cn")[side])
        self.session = session
        self.side = side
        self.advisor = session.advisor(side)          # the advisor's work for this side (game.advisor)
        self.perspective = session.perspective(side)  # what this side may see (game.perspective)
        self.set_reactive(PlanningScreen.draft, self.whole(self.advisor.opening(), self._legal_ids()))
        self.confirmed: set[str] = set()  # game-long policies the player has said yes to this quarter
        self.turn = session.turn     # the quarter these orders are for
        self.sent = False            # sealed: a second `e` must not submit next quarter's orders
        self.explaining = False      # `w`: the focused row's whole explanation in the detail area (at 80x24)
        self.drifts: dict[str, Drift] = drifts(session, side)   # carried rows whose share moved, and why
        self.set_base("the advisor's plan" if not session.turns else "carried")
        # The forecast 4 and 8 quarters ahead comes from a worker: the draft it is for, and it once there.
        self._far_key: tuple | None = None
        self._far = None
        self._far_timer = None

    # -- layout ----------------------------------------------------------------------------------
    def title_text(self) -> Content:
        s = self.session
        rival = 1 - self.side
        opponent = s.seats[rival].label if s.seats[rival].kind == "ai" else "a player"  # a strategy id or path
        return markup(f"{side_tag(self.side)} [b]{SIDE_NAMES[self.side]}[/b] · $date · quarter {s.turn + 1} "
                      f"of {s.tables.scenario.turns} · against $opponent", date=s.date(), opponent=opponent)

    def compose(self) -> ComposeResult:
        yield Static(self.title_text(), id="title")
        yield Static(id="lead")
        yield Static(id="policy-detail")  # the focused policy in full: its row has room for the name only
        with Horizontal(id="planning"):
            with Vertical(id="budget"):
                yield Static(id="pot")
                for k in CATEGORIES:
                    yield ShareRow("alloc", k, k, self.alloc[k], 0.01, CATEGORY_HELP.get(k, ""), full=0.25)
                    if k == "fabs" and self.chooses_onshore:  # the fab money's onshore share, under its row
                        yield ShareRow("onshore", "onshore", " └ onshore", self.onshore, 0.05, self.onshore_help())
                yield Static(id="alloc-total", classes="total")
                yield Static(id="split-head", classes="heading")
                for k in SPLITS:
                    yield ShareRow("split", k, k, self.split[k], 0.05, SPLIT_HELP.get(k, ""))
                yield Static(id="split-total", classes="total")
            with Vertical(id="side-panel"):
                yield Static(id="forecast")
                yield Static(self.rival_text(), id="rival")
                with PolicyList(id="policies", can_focus=False):  # ↓ goes from the split to the rows
                    for a in self._own_actions():
                        act = self.session.tables.actions[a]
                        yield PolicyRow(act.policy_id, act.name, act.cost_busd, self._policy_hint(a))
        yield Static(id="hint")
        yield Footer(compact=True)

    @while_open
    def on_mount(self) -> None:
        self.query_one(PolicyList).tell_hidden()
        self.query_one("#policies").can_focus = False  # ↑/↓ go row to row and out of the list, not to its scrollbar
        self.query_one("#budget").border_title = "Budget"
        self.query_one("#forecast").border_title = "Forecast: this draft every q"
        self.query_one("#forecast").border_subtitle = "rival: advisor's plan"
        self.query_one("#rival").border_title = self.rival_title()
        self.label_draft()
        self.refresh_lead()
        self.refresh_all()
        self.query(ShareRow).first().focus()
        self.watch(self, "focused", lambda _: self.show_policy_detail(), init=False)

    def set_hint(self, text: str) -> None:
        """The hint line: engine words and content text, plain, cut to the terminal's width between its parts
        (" · ") or words, never through a figure; a cut one ends saying `w` shows it whole (the detail area)."""
        self.query_one("#hint", Static).update(Content(self.hint_line(text, max(self.app.size.width - 2, 10))))

    @classmethod
    def hint_line(cls, text: str, width: int) -> str:
        """`text` whole if it fits `width`, else cut (fmt.fit_line) to leave room for saying `w` shows it whole."""
        return text if len(text) <= width else fit_line(text, width - len(cls.MORE)) + cls.MORE

    def rival_title(self) -> str:
        """The rival panel's title: whose estimates, how far off and how old (fits the 35 cells at 80x24)."""
        return f"Rival: estimates ±{100 * self.perspective.intel_error():.0f}%, 1q old"

    def rival_text(self) -> Content:
        """The rival as this side's intelligence sees it, and its public acts last quarter."""
        s = self.session
        rival = 1 - self.side
        est = self.perspective.rival_estimate()
        # Each line fits the 35 cells the panel has at 80x24, with a unit on every figure; `~` marks an estimate
        # (the track is public, so exact).
        # The panel's title says how good the estimates are (rival_title): every row here is room for a policy.
        lines: list[Content | str] = [
                 f"capability ~{capability(est['capability'])}/100 · ~{compute(est['compute_eflops'])}",
                 f"revenue ~{busd(est['revenue_busd'])}/q · track {points(float(s.world.track[0, rival]))}"]
        if s.turns and s.turns[-1].report.actions[rival]:
            lines.append(self._enacted(list(s.turns[-1].report.actions[rival])))
        if s.world.model_open[0, rival]:
            lines.append("weights open: cheap to fast-follow")
        if self.app.size.height < 34:   # the -short breakpoint: three lines, so the policy list keeps its rows
            lines = lines[:3]
        return join_lines(lines)  # policy names come from content: plain text

    def _enacted(self, names: list[str]) -> str:
        """The rival's acts last quarter on one line of the panel (the report lists them all): as many names as
        fit, then how many more."""
        room = (self.query_one("#rival").content_region.width if self.is_mounted else 0) or 35
        shown = len(names)
        while shown > 0 and len(self._enacted_line(names, shown)) > room:
            shown -= 1
        return self._enacted_line(names, shown)

    @staticmethod
    def _enacted_line(names: list[str], shown: int) -> str:
        more = len(names) - shown
        if not shown:
            return f"enacted {len(names)} policies (see the report)"
        return "enacted: " + ", ".join(names[:shown]) + (f" +{more} more" if more else "")

    def new_quarter(self) -> None:
        """The same screen, next quarter: a fresh draft from last quarter's orders (rebuilding it costs more)."""
        self.confirmed = set()
        self.turn = self.session.turn
        self.sent = False
        self.drifts = drifts(self.session, self.side)
        self.set_reactive(PlanningScreen.draft, self.whole(self.advisor.opening(), set()))
        self.set_base("carried")
        focused = self.focused
        self.set_hint(getattr(focused, "hint", "") if focused else "")
        self.query_one("#title", Static).update(self.title_text())
        self.query_one("#rival", Static).update(self.rival_text())
        self.query_one("#rival").border_title = self.rival_title()
        self.label_draft()
        self.refresh_lead()
        self.refresh_all()
        self.show_policy_detail()

    # -- the draft -------------------------------------------------------------------------------
    def orders(self) -> Orders:
        return self.draft

    def whole(self, orders: Orders, legal: set[str]) -> Orders:
        """`orders` with every row named (0 for a missing one), only the policies in `legal`, and the onshore share
        for a side that chooses it (the scenario's default where `orders` give none), None for one that does not."""
        return Orders({k: float(orders.allocation.get(k, 0.0)) for k in CATEGORIES},
                      {k: float(orders.split.get(k, 0.0)) for k in SPLITS},
                      tuple(a for a in orders.actions if a in legal),
                      self._onshore_of(orders) if self.chooses_onshore else None)

    def watch_draft(self, old: Orders, new: Orders) -> None:
        if self.is_mounted:
            self.refresh_all()

    def start_from(self, orders: Orders, base: str) -> None:
        """Replace the draft with `orders`, which came from `base` (the budget's title says so)."""
        self.set_base(base, orders)
        if orders == self.draft:
            self.refresh_all()  # the same rows (the watcher fires on a change only): the title's origin changes
        else:
            self.draft = orders

    # Views of the draft, read and replaced whole (the rows and the tests read them); each keeps the other fields.
    @property
    def alloc(self) -> dict[str, float]:
        return dict(self.draft.allocation)

    @alloc.setter
    def alloc(self, value: dict[str, float]) -> None:
        self.draft = attrs.evolve(self.draft, allocation=dict(value))

    @property
    def split(self) -> dict[str, float]:
        return dict(self.draft.split)

    @split.setter
    def split(self, value: dict[str, float]) -> None:
        self.draft = attrs.evolve(self.draft, split=dict(value))

    @property
    def actions(self) -> list[str]:
        return list(self.draft.actions)

    @actions.setter
    def actions(self, value: list[str]) -> None:
        self.draft = attrs.evolve(self.draft, actions=tuple(value))

    @property
    def onshore(self) -> float:
        """The share of new fab money built onshore the onshore row shows (the scenario's default if unset)."""
        return self._onshore_of(self.draft)

    @onshore.setter
    def onshore(self, value: float) -> None:
        self.draft = attrs.evolve(self.draft, onshore=float(value) if self.chooses_onshore else None)

    @property
    def chooses_onshore(self) -> bool:
        """Whether this side may build fabs abroad, so where its fab money builds is a choice (scenario)."""
        return bool(self.session.tables.builds_abroad[self.side])

    def _onshore_of(self, orders: Orders) -> float:
        t = self.session.tables
        return float(t.new_fabs_onshore[self.side]) if orders.onshore is None else orders.onshore

    def onshore_help(self) -> str:
        t = self.session.tables
        s = self.side
        return (f"share of fab money built at home: +{t.onshore_premium[s]:.0%} cost, {t.fab_build_q[s]}q to build "
                f"(abroad {t.abroad_fab_build_q[s]}q); only chips from home fabs count for supply")

    def _own_actions(self) -> list[int]:
        return [a for a, act in enumerate(self.session.tables.actions) if act.side == self.side]

    def _legal_ids(self) -> set[str]:
        return {self.session.tables.actions[a].policy_id for a in self.session.legal(self.side)}

    def _policy_hint(self, a: int) -> str:
        act = self.session.tables.actions[a]
        lasts = "for the game" if act.duration < 0 else "once" if act.duration == 0 else f"for {quarters(act.duration)}"
        cost = busd(act.cost_busd) if act.cost_busd else "no cost"
        wait = f"cool-down {quarters(act.cooldown)}" if act.cooldown else "no cool-down"
        return f"{act.description} ({cost}, {lasts}, {wait})"

    def policy_detail(self, policy_id: str) -> Content:
        """The whole of a policy: name, cost, how long it lasts, cool-down, whether it can be taken now, what it does."""
        a = next(a for a in self._own_actions() if self.session.tables.actions[a].policy_id == policy_id)
        act = self.session.tables.actions[a]
        lasts = ("for the rest of the game" if act.duration < 0 else "once" if act.duration == 0
                 else f"for {act.duration} quarter{'s' if act.duration != 1 else ''}")
        cooldown = f"{act.cooldown} quarter{'s' if act.cooldown != 1 else ''}" if act.cooldown else "none"
        blocked = self.session.blocked(self.side)
        now = f" [$warning]{self._blocked(blocked[a])}[/]" if a in blocked else ""
        return markup(f"[b]$name[/b]{now} ($cost, lasts $lasts, cool-down $cooldown): $description",
                      name=act.name, cost=busd(act.cost_busd) if act.cost_busd else "free", lasts=lasts,
                      cooldown=cooldown, description=act.description)  # names and text come from content

    def show_policy_detail(self) -> None:
        """With a policy row focused (and the orders not yet sealed), its full text replaces the one-line hint
        and, at 80x24, the lead block (the panels below keep their rows). So does a share row's whole explanation
        when the hint line cannot hold it: at once where the screen has rows to spare or its key clause would be cut,
        else (80x24) when `w` asks."""
        focused = self.focused
        policy = isinstance(focused, PolicyRow) and not self.sent
        hint = getattr(focused, "hint", "") if isinstance(focused, ShareRow) and not self.sent else ""
        short = self.app.size.height < self.SHORT_ROWS
        width = self.app.size.width - 2
        # The key clause (a carried row's move, or why more buys nothing) is never cut: when the hint line cannot
        # hold it whole, the detail area opens unasked, even at 80x24.
        key = focused.key_clause if isinstance(focused, ShareRow) else ""
        key_cut = len(key) + len(self.MORE) + 1 > width
        whole = bool(hint) and len(hint) > width and (self.explaining or not short or key_cut)
        shown = policy or whole
        detail = self.query_one("#policy-detail", Static)
        if policy:
            detail.update(self.policy_detail(focused.policy_id))
        elif whole:
            detail.update(Content(hint))  # engine words and content text: plain
        detail.set_class(shown, "-shown")
        detail.set_class(whole and not policy, "-whole")
        self.query_one("#hint").display = not shown
        self.query_one("#lead").set_class(shown, "-covered")
        if policy:  # the list has just lost rows to the detail: keep the focused row in sight
            self.call_after_refresh(focused.scroll_visible, animate=False)

    @staticmethod
    def _blocked(reason: tuple[str, int]) -> str:
        kind, turns = reason
        return {"in force": "in force", "cooling down": f"wait {turns}q"}.get(kind, "not now")

    def on_share_row_changed(self, message: ShareRow.Changed) -> None:
        if not self.sent:  # sealed orders stay as sent (the rows go back to them)
            if message.group == "alloc":
                self.alloc = {**self.draft.allocation, message.key: message.value}
            elif message.group == "onshore":
                self.onshore = message.value
            else:
                self.split = {**self.draft.split, message.key: message.value}
        else:
            self.refresh_all()

    def on_policy_row_toggled(self, message: PolicyRow.Toggled) -> None:
        pid = message.policy_id
        if not self.sent and pid not in self.actions and self.ask_stakes(pid):
            return  # a game-long policy, or one that rules others out: the player confirms first
        if not self.sent:
            self.actions = [a for a in self.actions if a != pid] if pid in self.actions else self.actions + [pid]
        else:
            self.refresh_all()

    def ask_stakes(self, pid: str) -> bool:
        """Ask before ticking a weighty policy, with what it binds, forbids, costs and changes (tui/stakes.py);
        True if asked (the policy is added on yes)."""
        from game.tui.screens.dialogs import ConfirmScreen
        from game.tui.stakes import stakes_text

        stakes = self.advisor.stakes(pid, self.orders())
        if stakes is None:
            return False

        def answer(yes: bool | None) -> None:
            if yes and not self.sent and pid not in self.actions and self.session.turn == self.turn:
                self.actions = self.actions + [pid]
                self.confirmed.add(pid)
            self.refresh_all()

        self.app.push_screen(ConfirmScreen(stakes_text(stakes)), answer)
        return True

    def ask_game_long(self) -> bool:
        """A policy for the rest of the game that the player never ticked (the advisor's plan ticks them) is asked
        about at `e`, with the same stakes as ticking it by hand: yes keeps it and goes on, no takes it out of the
        draft and stays. True if asked."""
        from game.tui.screens.dialogs import ConfirmScreen
        from game.tui.stakes import stakes_text

        t = self.session.tables
        for pid in self.actions:
            a = t.action_index.get((pid, self.side))
            if pid in self.confirmed or a is None or t.actions[a].duration >= 0:
                continue
            stakes = self.advisor.stakes(pid, self.orders())
            if stakes is None:
                continue

            def answer(yes: bool | None, pid: str = pid) -> None:
                if self.sent or self.session.turn != self.turn:
                    return
                if yes:
                    self.confirmed.add(pid)
                    self._submit()
                else:
                    self.actions = [a for a in self.actions if a != pid]

            self.app.push_screen(ConfirmScreen(stakes_text(stakes)), answer)
            return True
        return False

    def set_base(self, name: str, orders: Orders | None = None) -> None:
        """The draft as it stands (or `orders`, about to be it) came from `name` (the advisor's plan, or last
        quarter's orders carried)."""
        self._base = (name, self._draft_key(orders))

    def label_draft(self) -> None:
        """Where the draft came from, in the budget box's title (80x24 has no bottom rule): the advisor's plan only
        while it is the advisor's, carried orders with how many rows moved, or the player's own once edited."""
        name, key = getattr(self, "_base", ("", None))
        if key != self._draft_key():
            self.draft_label = " · edited by you"
        elif name == "carried":
            moved = len(self.drifts)
            self.draft_label = " · carried" + (f", {moved} row{'s' if moved != 1 else ''} moved" if moved else "")
        else:
            self.draft_label = f" · {name}" if name else ""

    def on_descendant_focus(self, event) -> None:
        self.call_after_refresh(self.show_hint)

    def on_descendant_blur(self, event) -> None:
        self.call_after_refresh(self.show_hint)  # focus may go nowhere (a click on the background)

    def show_hint(self) -> None:
        """The hint of whatever has focus once focus has settled, or none: never the row before's."""
        if not self.sent and self.is_mounted:
            focused = self.focused
            self.set_hint(getattr(focused, "hint", "") if focused else "")

    def rival_thinking(self) -> None:
        """The orders are sealed and the AI opponent is deciding (in a worker); say so until the report opens."""
        rival = self.session.seats[1 - self.side]
        self.show_policy_detail()
        self.query_one("#hint", Static).update(markup(f"[b]Orders sealed.[/b] {SIDE_NAMES[1 - self.side]} "
                                                      "($label) is thinking…", label=rival.label))

    # -- what the screen shows -------------------------------------------------------------------
    def refresh_lead(self) -> None:
        """The lead track as this side sees it: it changes with the quarter, not with the draft."""
        self.query_one("#lead", Static).update(track_block(self.session, self.side))

    def refresh_all(self) -> None:
        s = self.session
        side = self.side
        money = self.advisor.budget(self.orders())
        pot = money.pot_busd
        for row in self.query(ShareRow):
            if row.group == "onshore":
                row.value = self.onshore
                continue
            row.value = (self.alloc if row.group == "alloc" else self.split)[row.key]
            row.dollars = row.value * pot if row.group == "alloc" else None
        blocked = s.blocked(side)
        for a, row in zip(self._own_actions(), self.query(PolicyRow)):
            row.blocked = self._blocked(blocked[a]) if a in blocked else ""
            row.chosen = row.policy_id in self.actions
        error = s.check(side, self.orders())
        problem = self.problem_text(error) if error else None
        share = sum(self.alloc.values())
        self.label_draft()
        self.query_one("#budget").border_title = f"Budget · pot {busd(pot)}{getattr(self, 'draft_label', '')}"
        self.query_one("#pot", Static).update(self.pot_line(money))
        alloc_line = f"allocated {pct(share, 1)} = {busd(money.spend_busd)}"
        alloc_line += f"; borrows {busd(money.borrow_busd)}" if money.borrow_busd > 0 else f"; keeps {busd(money.keep_busd)}"
        split_line = f"of installed compute: {pct(sum(self.split.values()))}"
        # The engine's error names its field; it shows beside the group that field belongs to.
        group = error.field.split(".")[0] if error else ""
        alloc_problem = problem if group == "allocation" else ""
        split_problem = problem if group == "split" else ""
        # An error's text may quote a name from a file: it is a value, never markup.
        self.query_one("#alloc-total", Static).update(
            markup("[b]$line[/b]" + ("\n[$error]✗ $problem[/]" if alloc_problem else ""), line=alloc_line,
                   problem=alloc_problem))
        self.query_one("#split-head", Static).update(
            markup("[b]Compute split[/b] $line" + (" ✗" if split_problem else " ✓"), line=split_line))
        self.query_one("#split-total", Static).update(markup("[$error]✗ $problem[/]", problem=split_problem))
        self.query_one("#split-total").display = bool(split_problem)
        self.query_one("#alloc-total").set_class(bool(alloc_problem), "problem")
        self.query_one("#split-total").set_class(bool(split_problem), "problem")
        self.update_buys(problem)
        self.update_forecast(problem)

    def problem_text(self, error) -> str:
        """The engine's error as the player reads it: a sum of shares in the percent the rows show ("add up to
        125.1%", never "1.2510"), kept past the bar it broke; any other error in the engine's words."""
        if error.field not in ("allocation", "split"):
            return error.detail
        shares = self.alloc if error.field == "allocation" else self.split
        total = toward(100 * sum(shares.values()), 1, 100.0, rising=error.field == "split" and
                       sum(shares.values()) < 1.0)
        if error.field == "allocation":
            return (f"allocation: shares add up to {total:.1f}%; they must add up to at most 100% "
                    "(what is not allocated stays in the treasury)")
        return f"split: training, inference and research add up to {total:.1f}%; they must add up to 100%"

    def pot_line(self, money) -> str:
        """Where the pot comes from, on the one line the budget box has for it: the longest wording that fits
        (a treasury in debt with a $250B credit line wrapped "credit $250B" onto a second line)."""
        pot = self.query_one("#pot")
        room = pot.content_region.width or pot.size.width or 42
        figures = (busd(money.treasury_busd), busd(money.budget_busd), busd(money.credit_busd))
        wordings = ("treasury {}, budget {}, credit {}", "treasury {} budget {} credit {}", "cash {} budget {} credit {}")
        texts = [w.format(*figures) for w in wordings]
        return next((text for text in texts if len(text) <= room), fit_line(texts[2], room))

    def update_buys(self, problem: str | None) -> None:
        """Beside each allocation row, what its money buys this quarter (the engine in the believed world), a
        flag where more buys nothing, and a note where a carried order no longer buys what it did."""
        rows = {} if problem or self.sent else self.advisor.buys(self.orders())
        opening = self.advisor.opening()
        notes = self.advisor.carried().notes
        for row in self.query(ShareRow):
            if row.group != "alloc":
                continue
            got = rows.get(row.key)
            carried = abs(row.value - opening.allocation.get(row.key, 0.0)) < 1e-9
            note = notes.get(row.key, "") if carried else ""
            drift = self.drifts.get(row.key) if carried else None
            row.buys = got.texts if got else ()
            # Flagged: more buys nothing, money that buys nothing that counts, a carried order buys less, or a
            # carried share fell to zero or under half.
            row.flagged = bool(got and (got.capped or got.waste or note)) or bool(drift and drift.fell)
            moved = drift.note if drift else ""
            # A row that buys less says that first; how its share moved follows, "carried" said once.
            parts = [p for p in (note, moved.removeprefix("carried: ") if note else moved) if p]
            if got and got.waste:
                parts.append(got.waste)
            if got and got.capped:
                parts.append(f"more buys nothing this quarter: {got.capped}")
            elif got and got.later:
                parts.append(got.later)
            # Never cut (the hint line begins with it): a carried row that buys less or fell hard, why more buys
            # nothing; a share that moved with the pot, its dollars kept, is told but may wait for `w`.
            told = note or (drift and drift.fell) or (got and (got.capped or got.waste or got.later))
            row.key_clause = " · ".join(parts) if told else ""
            if got:
                parts.append(got.detail)
            row.detail = " · ".join(parts)
        focused = self.focused
        if isinstance(focused, ShareRow) and focused.group == "alloc" and not self.sent:
            self.set_hint(focused.hint)
            self.show_policy_detail()

    def update_forecast(self, problem: str | None) -> None:
        """Now and next quarter at once (one quarter of the engine is quick); 4 and 8 quarters ahead from a worker,
        started when typing pauses and replaced when the draft changes (the columns show '…' until it is in)."""
        panel = self.query_one("#forecast", Static)
        if problem:
            self._drop_outlook()
            panel.update(markup("[$error]Orders cannot be submitted:[/]\n$problem", problem=problem))
            return
        s = self.session
        orders = self.orders()
        first = self.advisor.outlook(orders, (1,))
        if first is None:
            self._drop_outlook()
            panel.update("The game is over.")
            return
        key = self._draft_key()
        if key != self._far_key and not self.sent:
            self._drop_outlook()
            self._far_key = key
            self._far_timer = self.set_timer(self.OUTLOOK_DELAY_S, lambda: self._outlook_worker(key, orders))
        # At 80x24 the power takes one line (what is short or spare) so the policy list keeps its rows.
        panel.update(forecast.panel(s, self.side, first, self._far, compact=self.app.size.height < 34))  # the -short breakpoint

    def _draft_key(self, orders: Orders | None = None) -> tuple:
        """The draft (or `orders`) as a value to compare: what the far forecast and the title's origin are for."""
        d = self.draft if orders is None else orders
        return (self.session.turn, tuple(sorted(d.allocation.items())), tuple(sorted(d.split.items())),
                tuple(d.actions), d.onshore)

    def _drop_outlook(self) -> None:
        """Forget the far forecast and stop the one being made (a thread finishes, but its result is dropped)."""
        if self._far_timer is not None:
            self._far_timer.stop()
            self._far_timer = None
        self.workers.cancel_group(self, "outlook")
        self._far_key = None
        self._far = None

    @property
    def outlook_pending(self) -> bool:
        """True while the forecast for the draft on screen is still being made (tests wait on this)."""
        return not self.sent and self._far_key is not None and self._far is None

    @work(thread=True, exclusive=True, group="outlook")
    def _outlook_worker(self, key: tuple, orders: Orders) -> None:
        result = self.advisor.outlook(orders)
        if not get_current_worker().is_cancelled:
            self.post_message(self.OutlookReady(key, result))

    def on_planning_screen_outlook_ready(self, message: OutlookReady) -> None:
        if message.key != self._far_key or message.outlook is None or message.outlook.turn != self.session.turn:
            return  # an older draft's, or a quarter already resolved
        self._far = message.outlook
        self._far_timer = None
        self.refresh_all()

    # -- actions ---------------------------------------------------------------------------------
    def action_end_turn(self) -> None:
        for row in self.query(ShareRow):
            if row.typed:
                row.commit()
        self.call_after_refresh(self._submit)

    def _submit(self) -> None:
        if self.sent or self.session.turn != self.turn:
            return
        problem = self.session.problem(self.side, self.orders())
        if problem is not None:
            self.app.bell()
            self.notify(problem, title="Orders not submitted", severity="error", markup=False)
            return
        if self.ask_game_long():
            return
        self.sent = True
        self._drop_outlook()  # the draft is sealed: its forecast is no longer wanted
        self.app.submit_orders(self.side, self.orders())

    def action_advice(self) -> None:
        if self.sent:
            return
        advice = self.advisor.advice()
        self.start_from(self.whole(advice, set(advice.actions)), "the advisor's plan")
        self.notify("The advisor's plan (what the normal AI would do in your seat).", timeout=3)

    def action_reset(self) -> None:
        if self.sent:
            return
        self.start_from(self.whole(self.advisor.opening(), set()),
                        "the advisor's plan" if not self.session.turns else "carried")

    def action_explain(self) -> None:
        """Show (or hide again) the focused row's whole explanation in the detail area: at 80x24 it takes the lead
        block's rows, so it is asked for; a taller screen shows it whenever the hint line cannot hold it."""
        self.explaining = not self.explaining
        self.show_policy_detail()

    def action_dashboard(self) -> None:
        from game.tui.screens.dashboard import DashboardScreen

        self.app.open_overlay(DashboardScreen(self.session, self.side))

