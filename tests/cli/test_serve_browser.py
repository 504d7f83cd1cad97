"""`compute-race serve` in a real browser: Debian's chromium driven by Playwright loads the page, starts a game, ends a
quarter with `e`, and saves a screenshot of the planning screen for the README (docs/screenshot.png).

Skipped, with the reason, where there is no `chromium` on PATH (`.ci/run` installs it when it can). Never downloads a
browser and keeps every request on this machine (see /work/shared/BROWSER.md for the facts this rests on).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
from pathlib import Path

import pytest

from game.cli import main
from tests.serving import Served

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOT = ROOT / "docs" / "screenshot.png"
CHROMIUM = shutil.which("chromium")
WAIT_MS = 60_000   # a ceiling for a loaded machine, never a pause: every wait ends as soon as its condition holds

# textual-serve keeps its xterm.js terminal private: note it when the page's script assigns it (`this.terminal = ...`),
# so the test can read the screen's rows from the terminal's buffer (xterm draws on a canvas, not in the HTML).
CATCH_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  get() { return undefined; },
  set(value) {
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true, enumerable: true});
    if (value && value.buffer && !window.__terminal) { window.__terminal = value; }
  },
});
"""
SCREEN_TEXT = """
() => {
  const t = window.__terminal;
  if (!t) return "";
  const b = t.buffer.active, rows = [];
  for (let i = 0; i < t.rows; i++) {
    const line = b.getLine(b.viewportY + i);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
}
"""


def test_version_names_the_rules_version(capsys):
    from game import __version__
    from game.engine.rules_version import RULES_VERSION

    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"compute-race {__version__} (rules version {RULES_VERSION})\n"


def test_serve_help_says_it_binds_localhost(capsys):
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    out = capsys.readouterr().out
    assert "--host" in out and "127.0.0.1" in out and "--port" in out


def test_serve_refuses_a_busy_port_in_one_line(capsys):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        code = main(["serve", "--port", str(busy.getsockname()[1])])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "cannot listen" in err


@pytest.mark.skipif(CHROMIUM is None, reason="no `chromium` on PATH: the browser test needs Debian's chromium package "
                    "(apt-get install chromium; .ci/run installs it when it can)")
def test_served_game_in_chromium(tmp_path):
    from playwright.sync_api import expect, sync_playwright

    with Served(tmp_path) as served:
        # The page is at the address the server printed, key and all; it is the only address that answers.
        assert re.fullmatch(rf"http://127\.0\.0\.1:{served.port}/[A-Za-z0-9_-]{{22}}/", served.url), served.url
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=[
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"])
            page = browser.new_page(viewport={"width": 1400, "height": 860})
            page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
                f"{served.origin}/") else route.abort())
            page.add_init_script(CATCH_TERMINAL)
            page.goto(f"{served.url}?fontsize=16")
            expect(page.locator("body.-first-byte")).to_have_count(1, timeout=WAIT_MS)

            def shows(text: str) -> None:
                page.wait_for_function(f"() => ({SCREEN_TEXT})().includes({text!r})", timeout=WAIT_MS)

            shows("New game")
            page.locator(".xterm-helper-textarea").focus()
            page.keyboard.press("n")
            shows("Start")
            page.keyboard.press("s")
            shows("End turn")
            shows("2025 Q1")
            shot = tmp_path / "planning.png"
            page.screenshot(path=str(shot), animations="disabled")
            assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
            # A new game has a new seed, so the picture differs run to run: the README's copy is replaced only
            # when asked (UPDATE_SCREENSHOT=1), as snapshots are with --snapshot-update.
            if os.environ.get("UPDATE_SCREENSHOT"):
                SCREENSHOT.parent.mkdir(exist_ok=True)
                shutil.copyfile(shot, SCREENSHOT)
            page.keyboard.press("e")
            shows("Turn report")
            browser.close()


@pytest.mark.skipif(CHROMIUM is None, reason="no `chromium` on PATH: the browser test needs Debian's chromium package")
def test_served_page_asks_nothing_off_this_machine(tmp_path):
    # Offline play: every request off loopback is refused (and noted); the page must still draw the title screen and
    # must not have asked for anything elsewhere (textual-serve's page fetched a web-font stylesheet from Google).
    from playwright.sync_api import expect, sync_playwright

    outside: list[str] = []
    fonts: list[str] = []

    def route(route) -> None:
        url = route.request.url
        if url.startswith(f"{served.origin}/"):
            fonts.extend([url] if "/fonts/" in url else [])
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    with Served(tmp_path) as served:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=[
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"])
            page = browser.new_page(viewport={"width": 1000, "height": 600})
            page.route("**/*", route)
            page.add_init_script(CATCH_TERMINAL)
            page.goto(f"{served.url}?fontsize=16")
            expect(page.locator("body.-first-byte")).to_have_count(1, timeout=WAIT_MS)
            page.wait_for_function(f"() => ({SCREEN_TEXT})().includes('C O M P U T E')", timeout=WAIT_MS)
            page.wait_for_function("document.fonts.status === 'loaded'", timeout=WAIT_MS)
            browser.close()
    assert outside == [], outside
    assert fonts, "the terminal's font (Roboto Mono) comes from this server"


def test_serve_refuses_broken_content_before_listening(tmp_path, capsys):
    # A content mistake is one line and exit 2 at once: no server starts to fail on every page load.
    (tmp_path / "mod").mkdir()
    (tmp_path / "mod" / "rules.toml").write_text("not = [valid toml", encoding="utf-8")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert main(["serve", "--port", str(port), "--content", str(tmp_path / "mod")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "rules.toml" in err[0]
