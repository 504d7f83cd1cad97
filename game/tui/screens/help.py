"""Help: every key binding, screen by screen, read from the bindings themselves."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static


def keys_of(bindings) -> list[tuple[str, str]]:
    out = []
    for b in bindings:
        if isinstance(b, Binding):
            keys, desc, action = b.key, b.description, b.action
        else:
            keys, action, desc = b[0], b[1], (b[2] if len(b) > 2 else "")
        label = " / ".join(k.replace("question_mark", "?").replace("equals_sign", "=") for k in keys.split(","))
        out.append((label, desc or action))
    return out


def help_text(app_bindings: list) -> str:
    """Every screen's keys; the app's own bindings are passed in (the app imports this module)."""
    from game.tui.screens.charts import ChartsScreen
    from game.tui.screens.codex import CodexScreen
    from game.tui.screens.dashboard import DashboardScreen
    from game.tui.screens.gameover import GameOverScreen
    from game.tui.screens.handover import HandoverScreen
    from game.tui.screens.planning import PlanningScreen
    from game.tui.screens.replay import ReplayScreen
    from game.tui.screens.report import ReportScreen
    from game.tui.screens.title import NewGameScreen, TitleScreen
    from game.tui.screens.watch import WatchScreen
    from game.tui.widgets.rows import PolicyRow, ShareRow

    sections = [
        ("Everywhere", list(app_bindings) + [Binding("ctrl+p", "command_palette", "Commands: new game, save, "
                                                          "load, codex, help, theme, quit")]),
        ("Title", TitleScreen.BINDINGS), ("New game", [b for b in NewGameScreen.BINDINGS if b.show] + [
            Binding("up,down,tab", "", "Move between fields; Enter opens one")]),
        ("Planning", PlanningScreen.BINDINGS + [Binding("up,down,tab", "", "Move between rows")]),
        ("A share row (allocation, split)", ShareRow.BINDINGS + [
            Binding("0-9 .", "", "Type a percentage, Enter sets it"), Binding("click − / +", "", "Move the share"),
            Binding("mouse wheel", "", "Move the share")]),
        ("A policy row", PolicyRow.BINDINGS), ("Dashboard", DashboardScreen.BINDINGS),
        ("Turn report", ReportScreen.BINDINGS), ("Hand-over (hot-seat)", HandoverScreen.BINDINGS),
        ("Charts", ChartsScreen.BINDINGS), ("Codex", CodexScreen.BINDINGS + [Binding("up,down", "", "Choose a topic")]),
        ("Watching", WatchScreen.BINDINGS), ("Game over", GameOverScreen.BINDINGS),
        ("Replay viewer", ReplayScreen.BINDINGS),
    ]
    lines = []
    for title, bindings in sections:
        lines.append(f"[b]{title}[/b]")
        lines += [f"  {k:<22} {d}" for k, d in keys_of(bindings)]
        lines.append("")
    return "\n".join(lines)


class HelpScreen(Screen):
    BINDINGS = [Binding("escape,question_mark,f1", "app.back", "Back")]

    def compose(self) -> ComposeResult:
        yield Static("[b]Keys[/b] · the footer always shows the ones that work on the screen you are on", id="title")
        with VerticalScroll(id="help"):
            yield Static(help_text(self.app.BINDINGS), id="help-body")
        yield Footer(compact=True)
