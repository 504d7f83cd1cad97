"""`compute-race serve` against hostile pages (issue 27): it answers only its own pages, a page cannot exhaust the
machine, a game ends with its page, and a wildcard --host is asked for explicitly.

The WebSocket is aiohttp's client (a textual-serve dependency); the browser test is tests/cli/test_serve_browser.py.
"""

from __future__ import annotations

import asyncio
import re
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import pytest
from aiohttp import WSMsgType, web

import game.serve as serve
from game.cli import main
from game.serve import (
    HEIGHT_CELLS,
    MAX_MESSAGE_BYTES,
    WIDTH_CELLS,
    GameServer,
    MessageBudget,
    page_message,
    plan,
)
from tests.serving import CEILING_S, MEMORY_CAP_MB, POLL_S, Served, alive, free_port, rss_mb, wait_async, wait_for

TITLE = b"C O M P U T E"   # the title screen has been drawn: the game took its first size
GAME_THAT_WILL_NOT_GO = """
import signal, sys
signal.signal(signal.SIGTERM, signal.SIG_IGN)  # neither the quit message nor SIGTERM ends it
sys.stdout.write("__GANGLION__\\n")
sys.stdout.flush()
while True:
    signal.pause()
"""


async def screen_until(ws: aiohttp.ClientWebSocketResponse, needle: bytes, watch=lambda: None) -> bytes:
    """The game's output up to the first frame holding `needle`; `watch()` runs between frames (it may assert)."""
    seen = b""
    deadline = asyncio.get_running_loop().time() + CEILING_S
    while needle not in seen:
        watch()
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"waited {CEILING_S:g} s for {needle!r} on the screen")
        try:
            message = await asyncio.wait_for(ws.receive(), POLL_S * 5)
        except TimeoutError:
            continue
        if message.type == WSMsgType.BINARY:
            seen = seen[-len(needle):] + message.data
        elif message.type in (WSMsgType.CLOSE, WSMsgType.CLOSED, WSMsgType.ERROR):
            raise AssertionError(f"the page closed before {needle!r} was on the screen")
    return seen


# --- 1. only its own pages -------------------------------------------------------------------------------------

def hostile_requests(served: Served) -> dict[str, tuple[str, dict[str, str]]]:
    """What a page of another site, or a DNS-rebinding page, could send: (WebSocket address, headers)."""
    key = served.key
    wrong = "A" * len(key) if key else "A" * 22
    return {
        "a foreign Origin": (served.ws_url, {"Origin": "https://evil.example"}),
        "a foreign Origin on this port": (served.ws_url, {"Origin": f"http://evil.example:{served.port}"}),
        "Origin null": (served.ws_url, {"Origin": "null"}),
        "a forged Host (DNS rebinding)": (served.ws_url, {"Host": f"evil.example:{served.port}",
                                                          "Origin": f"http://evil.example:{served.port}"}),
        "a forged Host, no Origin": (served.ws_url, {"Host": f"evil.example:{served.port}"}),
        "no key": (f"{served.origin}/ws", {"Origin": served.origin}),
        "a wrong key": (f"{served.origin}/{wrong}/ws", {"Origin": served.origin}),
        "the key and more": (f"{served.origin}/{key}x/ws", {"Origin": served.origin}),
    }


def test_only_this_servers_address_and_key_are_answered():
    listen = plan("127.0.0.1", free_port(), public=False)
    port, page = listen.port, f"/{listen.token}/"
    for host in [f"127.0.0.1:{port}", f"localhost:{port}", f"LOCALHOST:{port}", f"[::1]:{port}", f"[0:0::1]:{port}"]:
        assert listen.refusal(host, None, page) is None, host
        assert listen.refusal(host, f"http://{host}", page + "ws") is None, host
    for host in [f"evil.example:{port}", f"127.0.0.2:{port}", f"127.0.0.1:{port + 1}", "127.0.0.1", "",
                 f"127.0.0.1:{port} ", f"a@127.0.0.1:{port}", f"127.0.0.1:{port}/x", f"localhost.evil.example:{port}"]:
        assert "Host" in listen.refusal(host, None, page), host
    for origin in ["null", "", "https://evil.example", f"http://evil.example:{port}", f"https://127.0.0.1:{port}",
                   f"http://localhost:{port}", f"http://127.0.0.1:{port + 1}", f"http://a@127.0.0.1:{port}"]:
        assert "Origin" in listen.refusal(f"127.0.0.1:{port}", origin, page), origin
    for path in ["/", "/ws", f"/{listen.token}x/", f"/{listen.token[:-1]}/", f"/{listen.token.upper()}/", "//",
                 f"/x/{listen.token}/", "/\udcff/"]:
        assert "key" in listen.refusal(f"127.0.0.1:{port}", None, path), path
    every = plan("", free_port(), public=True)
    assert every.refusal(f"192.0.2.7:{every.port}", None, f"/{every.token}/") is None  # an address: no rebinding
    assert every.refusal(f"evil.example:{every.port}", None, f"/{every.token}/") is not None


def test_serve_refuses_pages_of_other_sites_and_wrong_keys(tmp_path):
    # The attack: a WebSocket from evil.example typed keys and saved `pwned-by-evil-site.json`.
    attack = ["n", "s", "\x1b", "\x13", "pwned-by-evil-site", "\r"]
    with Served(tmp_path) as served:
        async def attempt(session, url, headers) -> int:
            try:
                async with session.ws_connect(url, headers=headers) as ws:
                    for key in attack:
                        await ws.send_json(["stdin", key])
                    return 101
            except aiohttp.WSServerHandshakeError as refused:
                return refused.status

        async def run():
            refusals = {}
            async with aiohttp.ClientSession() as session:
                for name, (url, headers) in hostile_requests(served).items():
                    refusals[name] = await attempt(session, url, headers)
                    page = url.removesuffix("ws")
                    async with session.get(page, headers=headers) as response:
                        refusals[name + " (page)"] = response.status
                    assert served.games() == [], f"{name}: a game process started"
            return refusals

        refusals = asyncio.run(run())
        assert refusals == {name: 403 for name in refusals}
        assert served.running()
    assert not served.saves.exists() or not any(served.saves.iterdir())


def test_the_printed_address_plays_and_its_game_ends_with_the_page(tmp_path):
    with Served(tmp_path) as served:
        assert re.fullmatch(rf"http://127\.0\.0\.1:{served.port}/[A-Za-z0-9_-]{{22}}/", served.url), served.url
        key = served.key

        async def run() -> int:
            async with aiohttp.ClientSession() as session:
                async with session.get(served.url) as page:
                    assert page.status == 200
                    assert page.headers["Referrer-Policy"] == "no-referrer"
                    html = await page.text()
                assert f'data-session-websocket-url="ws://127.0.0.1:{served.port}/{key}/ws"' in html
                async with session.get(f"{served.url}static/js/textual.js") as script:
                    assert script.status == 200
                async with session.get(served.url.rstrip("/")) as bare:  # the key without its slash: sent on
                    assert bare.status == 200 and str(bare.url) == served.url
                async with session.ws_connect(served.ws_url, headers={"Origin": served.origin}) as ws:
                    await screen_until(ws, TITLE)
                    (game,) = served.games()
                    await ws.send_json(["stdin", "n"])
                    await screen_until(ws, b"Start")
                return game

        game = asyncio.run(run())
        wait_for_end(game)
        assert served.running() and served.games() == []


def wait_for_end(pid: int) -> None:
    wait_for(lambda: not alive(pid), f"game process {pid} to end after its page closed")


# --- 2. a page cannot exhaust the machine ------------------------------------------------------------------------

def test_a_huge_resize_is_clamped_and_the_game_ends_when_its_socket_closes(tmp_path):
    with Served(tmp_path) as served:
        async def run() -> tuple[int, float]:
            peak_mb = 0.0
            async with aiohttp.ClientSession() as session:
                async with session.ws_connect(served.ws_url, headers={"Origin": served.origin}) as ws:
                    await screen_until(ws, TITLE)
                    (game,) = served.games()

                    def watch() -> None:
                        nonlocal peak_mb
                        peak_mb = max(peak_mb, rss_mb(game))
                        assert peak_mb < MEMORY_CAP_MB, f"the game holds {peak_mb:.0f} MB after one resize"

                    await ws.send_json(["resize", {"width": 100000, "height": 100000}])
                    # drawn again at the clamped size: its last row is the largest height allowed
                    await screen_until(ws, f"\x1b[{HEIGHT_CELLS[1]};".encode(), watch)
                    watch()
            return game, peak_mb

        game, peak_mb = asyncio.run(run())
        assert 0 < peak_mb < MEMORY_CAP_MB
        wait_for_end(game)
        assert served.running()


def test_page_messages_are_checked_and_sizes_clamped():
    assert page_message('["resize",{"width":100000,"height":100000}]') == ("resize", (WIDTH_CELLS[1], HEIGHT_CELLS[1]))
    assert page_message('["resize",{"width":-5,"height":0}]') == ("resize", (WIDTH_CELLS[0], HEIGHT_CELLS[0]))
    assert page_message('["resize",{"width":120,"height":40}]') == ("resize", (120, 40))
    assert page_message('["stdin","n"]') == ("stdin", b"n")
    assert page_message('["ping","1700000000000"]') == ("ping", "1700000000000")
    assert page_message('["focus"]') == ("focus", None)
    for malformed in ['["resize",{"width":80.5,"height":24}]', '["resize",{"width":"80","height":24}]',
                      '["resize",{"width":true,"height":24}]', '["resize",{"width":80}]', '["resize",[80,24]]',
                      '["resize"]', '["stdin",5]', '["stdin","\\ud800"]', '["ping",{}]', f'["ping","{"1" * 100}"]',
                      '["quit"]', '["open_url","http://evil.example"]', "[]", "{}", '"stdin"', "not json", "",
                      "[" * 100_000, "[1e999999]", "[" + "9" * 5000 + "]", "[null]", "NaN"]:
        assert page_message(malformed) is None, malformed


def test_the_message_budget_refills_at_its_rate():
    now = [0.0]
    budget = MessageBudget(per_s=10, burst=3, clock=lambda: now[0])
    assert [budget.take() for _ in range(4)] == [True, True, True, False]
    now[0] += 0.1   # one message's worth
    assert [budget.take() for _ in range(2)] == [True, False]
    now[0] += 100   # a long pause refills only to the burst
    assert sum(budget.take() for _ in range(10)) == 3


@asynccontextmanager
async def in_process(argv: list[str], max_pages: int = serve.MAX_PAGES) -> AsyncIterator[tuple[GameServer, str]]:
    """A GameServer in this event loop (so the test sees its pages), on a free loopback port."""
    listen = plan("127.0.0.1", free_port(), public=False)
    server = GameServer(argv, listen, max_pages=max_pages)
    runner = web.AppRunner(await server._make_app())
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", listen.port).start()
    try:
        yield server, listen.url
    finally:
        await runner.cleanup()


def test_a_game_that_will_not_quit_is_killed_when_its_page_goes(monkeypatch):
    monkeypatch.setattr(serve, "QUIT_GRACE_S", 0.2)
    monkeypatch.setattr(serve, "TERM_GRACE_S", 0.2)

    async def run():
        async with in_process([sys.executable, "-c", GAME_THAT_WILL_NOT_GO]) as (server, url):
            async with aiohttp.ClientSession() as session:
                async with session.ws_connect(url + "ws") as ws:
                    (game,) = await wait_async(lambda: [g for g in server.pages if g.pid], "the game to start")
                    await ws.send_str("x" * (MAX_MESSAGE_BYTES + 1))  # too big: the server closes the page
                    closing = await ws.receive()
                    assert closing.type in (WSMsgType.CLOSE, WSMsgType.CLOSED), closing
                    assert ws.close_code == aiohttp.WSCloseCode.MESSAGE_TOO_BIG
                pid = game.pid
                await wait_async(lambda: not alive(pid), "the stuck game to be killed")
                await wait_async(lambda: not server.pages, "the page to be forgotten")

    asyncio.run(run())


def test_a_game_that_ends_by_itself_closes_its_page():
    # Else the page would stay open on a blank screen, its place among the server's games taken. Several pages at
    # once, a few times: a game that ends before textual-serve's stderr reader first runs once left its page open.
    async def page(session: aiohttp.ClientSession, url: str) -> None:
        async with session.ws_connect(url + "ws") as ws:
            closing = await asyncio.wait_for(ws.receive(), CEILING_S)
            assert closing.type in (WSMsgType.CLOSE, WSMsgType.CLOSED), closing

    async def run():
        async with in_process([sys.executable, "-c", "print('__GANGLION__')"]) as (server, url):
            async with aiohttp.ClientSession() as session:
                for _ in range(4):
                    await asyncio.gather(*(page(session, url) for _ in range(6)))
                    # a closed page is forgotten once its game is reaped: the next round waits, or on a busy
                    # machine two rounds' pages pass the limit of games at once (503)
                    await wait_async(lambda: not server.pages, "the pages to be forgotten")

    asyncio.run(run())


def test_the_readme_states_the_limits():
    text = " ".join((Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8").split())
    for claim in [f"at most {serve.MAX_PAGES} at once", f"{WIDTH_CELLS[0]}-{WIDTH_CELLS[1]} columns",
                  f"{HEIGHT_CELLS[0]}-{HEIGHT_CELLS[1]} rows", f"within {MAX_MESSAGE_BYTES // 1024} KiB",
                  f"{serve.MESSAGES_PER_S:g} a second", "--public", "[--public]"]:
        assert claim in text, claim


def test_serve_runs_at_most_its_limit_of_games(monkeypatch):
    monkeypatch.setattr(serve, "QUIT_GRACE_S", 0.2)
    monkeypatch.setattr(serve, "TERM_GRACE_S", 0.2)

    async def run():
        async with in_process([sys.executable, "-c", GAME_THAT_WILL_NOT_GO], max_pages=2) as (server, url):
            async with aiohttp.ClientSession() as session:
                first = await session.ws_connect(url + "ws")
                second = await session.ws_connect(url + "ws")
                with pytest.raises(aiohttp.WSServerHandshakeError) as third:
                    await session.ws_connect(url + "ws")
                assert third.value.status == 503 and len(server.pages) == 2
                await first.close()
                await wait_async(lambda: len(server.pages) == 1, "the first page's game to end")
                again = await session.ws_connect(url + "ws")
                assert len(server.pages) == 2
                for ws in (second, again):
                    await ws.close()
            await wait_async(lambda: not server.pages, "every game to end")

    asyncio.run(run())


# --- 3. every address only when asked for --------------------------------------------------------------------------

@pytest.fixture
def no_server(monkeypatch):
    """Stop where the server would start listening; the list holds each server that would have run."""
    from textual_serve.server import Server

    started = []
    monkeypatch.setattr(Server, "serve", lambda self, *a, **k: started.append(self))
    return started


@pytest.mark.parametrize("host", ["", "0.0.0.0", "::", "*", "0"])
def test_serve_refuses_every_address_unless_public(capsys, no_server, host):
    port = free_port()
    assert main(["serve", "--host", host, "--port", str(port)]) == 2
    out, err = capsys.readouterr()
    assert not no_server and out == ""
    assert err.count("\n") == 1 and "every address" in err and "--public" in err, err


def has_ipv6() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
        return True
    except OSError:
        return False


@pytest.mark.parametrize("host", ["", "0.0.0.0", "*", "::"])
def test_serve_public_prints_a_usable_address_and_warns(capsys, no_server, host):
    if host == "::" and not has_ipv6():
        pytest.skip("no IPv6 on this machine")
    port = free_port()
    assert main(["serve", "--host", host, "--port", str(port), "--public"]) == 0
    out, err = capsys.readouterr()
    (server,) = no_server
    assert server.host == ("" if host == "*" else host)
    here = r"\[::1\]" if host == "::" else r"127\.0\.0\.1"  # :: is IPv6 only, as asyncio binds it
    found = re.fullmatch(rf"Serving Compute Race at (http://{here}:{port}/[A-Za-z0-9_-]{{22}}/) - .*\n", out)
    assert found, out
    assert err.count("\n") == 1 and "every address" in err and "anyone who can reach it" in err, err
    network = re.search(r"open (http://\S+/) ", err)
    assert network and network.group(1).endswith(found.group(1).split(str(port), 1)[1])
    assert "http://:" not in out + err


def test_serve_warns_for_any_address_off_this_machine(capsys, no_server):
    # The same warning as a wildcard, for an address of this machine that is not loopback (when it has one).
    from game.serve import network_address

    address = network_address()
    if address.startswith("127.") or not re.fullmatch(r"[0-9.]+", address):
        pytest.skip("this machine has no network address to listen on")
    assert main(["serve", "--host", address, "--port", str(free_port())]) == 0
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "anyone who can reach it" in err


def test_serve_on_every_address_answers_its_printed_address(tmp_path):
    with Served(tmp_path, "--host", "", "--public") as served:
        async def run() -> tuple[int, int]:
            async with aiohttp.ClientSession() as session:
                async with session.get(served.url) as page:
                    printed = page.status
                async with session.get(served.url, headers={"Host": f"evil.example:{served.port}"}) as page:
                    rebound = page.status
            return printed, rebound

        assert asyncio.run(run()) == (200, 403)
        log = Path(served.log).read_text()
        assert "http://:" not in log
