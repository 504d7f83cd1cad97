"""Fuzz `compute-race serve` as a hostile page would (issue 27): foreign Origins, forged Hosts and guessed keys, and
WebSocket messages of every wrong shape (random JSON, wrong types, binary frames, unknown kinds, resizes with huge,
negative, fractional or text sizes, messages over the size cap), against one server on a free loopback port.

Must hold: the server keeps running and answers its own page; every hostile request is refused (403) and starts no
game; no more games run than pages are open (and never more than its limit); a game stays under a memory cap and ends
when its page closes.
"""

from __future__ import annotations

import asyncio
import json
import string

import aiohttp
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from game.serve import MAX_MESSAGE_BYTES, MAX_PAGES
from tests.budget import examples
from tests.serving import MEMORY_CAP_MB, Served, alive, rss_mb, wait_async

REQUEST_RUNS = 40   # cheap: refused before any game starts
PAGE_RUNS = 6       # each starts a game process (about a second)

VISIBLE = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40)
# {port} is the server's port, {other} another one: a page of another site on this machine, or a rebinding name.
ORIGINS = st.sampled_from([
    "https://evil.example", "http://evil.example:{port}", "null", "", "http://127.0.0.1:{other}", "http://127.0.0.1",
    "https://127.0.0.1:{port}", "ws://127.0.0.1:{port}", "http://localhost.evil.example:{port}",
    "http://127.0.0.1.evil.example:{port}", "http://user@127.0.0.1:{port}", "http://[::1]:{other}", "file://",
    "chrome-extension://abc", "http://127.0.0.1:{port}.evil.example",
]) | VISIBLE
HOSTS = st.sampled_from([
    "evil.example:{port}", "evil.example", "127.0.0.1", "127.0.0.1:{other}", "localhost.evil.example:{port}",
    "127.0.0.1:{port}@evil.example", "127.0.0.1:{port}/x", "", "127.0.0.1:{port}:{port}", "0.0.0.0:{port}",
    "127.0.0.2:{port}", "[::1]", "user@127.0.0.1:{port}", "127.0.0.1:{port} evil.example",
]) | VISIBLE
KEYS = st.sampled_from(["", "ws", "static", "..", "%2e%2e", "AAAAAAAAAAAAAAAAAAAAAA"]) | st.text(
    alphabet=string.ascii_letters + string.digits + "-_%.", max_size=30)

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=16),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)
SIZES = st.sampled_from([100_000, -1, 0, 2**63, -(2**63), 10**30, 1.5, -0.5, "80", float("inf"), float("nan")]) \
    | st.integers() | st.floats() | JSON
KINDS = st.sampled_from(["stdin", "resize", "ping", "blur", "focus", "pong", "quit", "exit", "open_url",
                         "deliver_file_start", "", "RESIZE"]) | st.text(max_size=8)
TOO_BIG = "x" * (MAX_MESSAGE_BYTES + 1)
FRAMES = st.one_of(
    st.builds(lambda w, h: ("text", json.dumps(["resize", {"width": w, "height": h}])), SIZES, SIZES),
    st.builds(lambda kind, data: ("text", json.dumps([kind, data])), KINDS, JSON),
    st.builds(lambda kind: ("text", json.dumps([kind])), KINDS),
    JSON.map(lambda value: ("text", json.dumps(value))),
    st.text(max_size=40).map(lambda text: ("text", text)),
    st.binary(max_size=64).map(lambda data: ("binary", data)),
    st.sampled_from([("text", "[" * 100_000), ("text", TOO_BIG), ("binary", TOO_BIG.encode()),
                     ("text", '["resize",{"width":100000,"height":100000}]'), ("text", '["resize",{"width":-1}]')]),
)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    with Served(tmp_path_factory.mktemp("serve")) as running:
        yield running


async def answers_its_page(served: Served, session: aiohttp.ClientSession) -> None:
    assert served.running(), "the server ended"
    async with session.get(served.url) as page:
        assert page.status == 200


@settings(max_examples=examples(REQUEST_RUNS), deadline=None)
@given(cases=st.lists(st.tuples(st.none() | ORIGINS, st.none() | HOSTS, st.none() | KEYS), min_size=1, max_size=3))
def test_hostile_origins_hosts_and_keys_are_refused(served, cases):
    key = served.key
    fill = {"port": served.port, "other": served.port + 1 if served.port < 65535 else 1}

    async def run() -> None:
        async with aiohttp.ClientSession() as session:
            for origin, host, guess in cases:
                if origin is None and host is None and guess is None:
                    continue  # that is the honest page
                headers = {}
                if origin is not None:
                    headers["Origin"] = origin.replace("{port}", str(fill["port"])).replace("{other}", str(fill["other"]))
                if host is not None:
                    headers["Host"] = host.replace("{port}", str(fill["port"])).replace("{other}", str(fill["other"]))
                base = served.origin + "/" + (guess if guess is not None else key) + "/"
                if guess == key:
                    continue
                try:
                    async with session.ws_connect(base + "ws", headers=headers) as ws:
                        await ws.send_json(["stdin", "n"])
                        status = 101
                except aiohttp.WSServerHandshakeError as refused:
                    status = refused.status
                except (ValueError, aiohttp.InvalidURL):
                    continue  # the client itself will not send it
                assert status == 403, (origin, host, guess, status)
                async with session.get(base, headers=headers) as page:
                    assert page.status == 403, (origin, host, guess, page.status)
                assert served.games() == [], (origin, host, guess)
            await answers_its_page(served, session)

    asyncio.run(run())


@settings(max_examples=examples(PAGE_RUNS), deadline=None)
@given(frames=st.lists(FRAMES, min_size=1, max_size=12))
def test_hostile_page_messages(served, frames):
    peak_mb = 0.0

    def check(game: int) -> bool:
        nonlocal peak_mb
        running = served.games()
        assert len(running) <= min(1, MAX_PAGES), running  # one page open: at most its one game
        peak_mb = max(peak_mb, rss_mb(game))
        assert peak_mb < MEMORY_CAP_MB, f"the game holds {peak_mb:.0f} MB"
        return alive(game)

    async def run() -> None:
        async with aiohttp.ClientSession() as session:
            async with session.ws_connect(served.ws_url, headers={"Origin": served.origin}) as ws:
                games = await wait_async(served.games, "the page's game to start")
                assert len(games) == 1, f"one page open, games running: {games}"
                game = games[0]
                for kind, data in frames:
                    if ws.closed:
                        break  # the server closed a page that broke the rules (a message over the cap)
                    try:
                        await (ws.send_str(data) if kind == "text" else ws.send_bytes(data))
                    except ConnectionResetError:
                        break
                    check(game)
            await wait_async(lambda: not check(game), f"game {game} to end after its page closed")
            await answers_its_page(served, session)

    asyncio.run(run())
