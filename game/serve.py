"""`compute-race serve`: textual-serve's server, made safe to leave running while the player browses elsewhere.

textual-serve (1.1.3) answers any page that asks: a WebSocket from another site's page drove a game and saved files,
one resize message grew a game process by gigabytes, and a game busy elsewhere outlived its page. Here:
- only its own pages: every address lives under a secret path segment made at launch (`/TOKEN/`), compared in
  constant time; the Host must name this server (a DNS-rebinding page names its own domain) and an Origin, when
  present, must be this same address. Anything else is a 403 before a game process starts;
- bounded pages: at most MAX_PAGES games at once, sizes clamped, messages capped in size and rate, malformed ones
  dropped;
- a game ends with its page: asked to quit, then SIGTERM, then SIGKILL, each after a short grace.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import json
import logging
import secrets
import shlex
import socket
import time
import urllib.parse
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import attrs
import jinja2
from aiohttp import WSCloseCode, WSMsgType, hdrs, web
from textual_serve.app_service import AppService
from textual_serve.server import Server, to_int

from game.text import quote

log = logging.getLogger("textual-serve")
# The page: textual-serve's own, less the web-font stylesheet it fetched from the internet (the font it names is in
# textual-serve's static folder, which this server serves), so a page loads with no request off this machine.
PAGE_TEMPLATES = Path(__file__).parent / "page"

# A page's terminal size in cells. The widest real page: a 4K screen (3840 px) at the smallest legible font (about
# 8 px a cell) is 480 columns, and 2160 px at about 11 px a line is 196 rows; the narrowest screen the game can draw
# anything useful on is 20 by 10. Outside these bounds a size is clamped: 100000 by 100000 asked a game process for
# gigabytes.
WIDTH_CELLS = (20, 500)
HEIGHT_CELLS = (10, 200)
# The page sends a key, a paste or a mouse move as one small JSON message; a paste larger than this is no play.
MAX_MESSAGE_BYTES = 64 * 1024
# Mouse-motion reporting sends one message per pointer move, up to the display's frame rate (60-144 a second), on
# top of keys and resizes: a page gets that with room to spare; beyond it messages are dropped.
MESSAGES_PER_S = 200.0
MESSAGE_BURST = 400
MAX_PAGES = 8          # games running at once; one player needs one or two tabs, each game holds ~100 MB
QUIT_GRACE_S = 3.0     # a game asked to quit has this long before SIGTERM...
TERM_GRACE_S = 2.0     # ...and this long after it before SIGKILL
HEARTBEAT_S = 15.0     # textual-serve's ping interval: a page that vanished without closing is noticed this fast
TOKEN_BYTES = 16       # 128 random bits in the printed address
PING_CHARS = 64        # the page's ping carries its clock in milliseconds: a few digits
EVERY_ADDRESS = ("", "*")  # --host values that mean every address (IPv4 and IPv6), as aiohttp reads ""


class ServeRefused(Exception):
    """A --host or --port that cannot be served (the message names the value and what to do)."""


@attrs.frozen
class Listen:
    """Where the server listens, which addresses a request may name, and the address printed for the player."""

    bind_host: str                  # what aiohttp binds ("" is every address, IPv4 and IPv6)
    port: int
    token: str                      # the secret first path segment of every page
    names: frozenset[str]           # host names a request's Host may use (lower case, IPv6 without brackets)
    any_address: bool               # a wildcard bind: any address literal reaches it (no DNS name, so no rebinding)
    local: bool                     # only this machine can connect
    url: str                        # the page, as this machine opens it
    network_url: str | None = None  # a wildcard bind: the page as another machine on the network may open it

    def refusal(self, host_header: str | None, origin: str | None, path: str) -> str | None:
        """Why a request is refused, or None: Host, Origin and token checked, in that order."""
        host = split_host(host_header) if host_header is not None else None
        if host is None or not self.names_this(*host):
            return "this server answers only requests addressed to it (the Host names another server)"
        if origin is not None and not same_origin(origin, host):
            return "this server answers only its own pages (the Origin is another site)"
        segment = path.split("/", 2)[1] if path.startswith("/") else ""
        given = segment.encode("utf-8", "surrogateescape")
        if not hmac.compare_digest(given, self.token.encode("ascii")):
            return "open the address compute-race serve printed, with its key"
        return None

    def names_this(self, name: str, port: int) -> bool:
        if port != self.port:
            return False
        try:
            literal = str(ipaddress.ip_address(name))  # one spelling of an address: [0:0::1] is ::1
        except ValueError:
            return name in self.names
        return self.any_address or literal in self.names


def split_host(text: str) -> tuple[str, int] | None:
    """A Host header's (name, port), or None when it is not a bare host[:port]."""
    try:
        parts = urllib.parse.urlsplit("//" + text)
        name, port = parts.hostname, parts.port
    except ValueError:
        return None
    if not name or parts.username is not None or parts.password is not None or parts.path or parts.query \
            or parts.fragment or parts.netloc != text:
        return None
    return name, port or 80


def same_origin(origin: str, host: tuple[str, int]) -> bool:
    """True when a page's Origin is this server's own address (as the request's checked Host names it)."""
    try:
        parts = urllib.parse.urlsplit(origin)
        port = parts.port or 80
    except ValueError:
        return False
    return parts.scheme == "http" and (parts.hostname, port) == host and parts.path in ("", "/") \
        and not parts.query and parts.username is None


def url_host(name: str) -> str:
    return f"[{name}]" if ":" in name else name


def addresses_of(host: str, port: int) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    if host in EVERY_ADDRESS:
        return [ipaddress.ip_address("0.0.0.0"), ipaddress.ip_address("::")]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]  # fe80::1%eth0: scope cut
    except (OSError, UnicodeError, ValueError):
        raise ServeRefused(f"--host {quote(host)} is not an address of this machine") from None


def probe(addresses: Sequence[ipaddress.IPv4Address | ipaddress.IPv6Address], host: str, port: int) -> None:
    """Bind each address once, so a busy port or a foreign address is one line now, not a traceback later."""
    for address in dict.fromkeys(addresses):
        family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
        try:
            trial = socket.socket(family)
        except OSError:
            if host in EVERY_ADDRESS:
                continue  # a machine without IPv6: every address is every IPv4 address (asyncio skips it too)
            raise
        try:
            with trial:
                if family == socket.AF_INET6:
                    trial.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)  # as asyncio binds it
                trial.bind((str(address), port))
        except OSError as exc:
            raise ServeRefused(f"cannot listen on {quote(host)} port {port} ({exc.strerror}); "
                               "give another --port or --host") from None


def network_address(version: int = 4) -> str:
    """This machine's address on its network, as the route out would use it (no packet is sent), else its name."""
    family, outside = (socket.AF_INET, "192.0.2.1") if version == 4 else (socket.AF_INET6, "2001:db8::1")
    try:  # documentation addresses: any address off this machine picks the outgoing interface
        with socket.socket(family, socket.SOCK_DGRAM) as route:
            route.connect((outside, 9))
            return str(route.getsockname()[0])
    except OSError:
        return socket.gethostname()


def plan(host: str, port: int, public: bool) -> Listen:
    """Check --host and --port and decide what the server answers; ServeRefused says why not."""
    addresses = addresses_of(host, port)
    every = any(address.is_unspecified for address in addresses)
    if every and not public:
        raise ServeRefused(f"--host {quote(host)} listens on every address of this machine, open to its network: add "
                           "--public if that is meant (without --host it listens on 127.0.0.1, this machine only)")
    probe(addresses, host, port)
    local = all(address.is_loopback for address in addresses)
    names = {host.lower(), *(str(address) for address in addresses)}
    if local or every:
        names |= {"localhost", "127.0.0.1", "::1"}
    if every:
        names |= {socket.gethostname().lower(), socket.getfqdn().lower()}
    token = secrets.token_urlsafe(TOKEN_BYTES)
    if every:
        version = 4 if any(address.version == 4 for address in addresses) else 6
        shown = "127.0.0.1" if version == 4 else "::1"
        network = f"http://{url_host(network_address(version))}:{port}/{token}/"
    else:
        shown, network = host, None
    return Listen(bind_host="" if host in EVERY_ADDRESS else host, port=port, token=token, names=frozenset(names),
                  any_address=every, local=local, url=f"http://{url_host(shown)}:{port}/{token}/", network_url=network)


def clamp(value: int, bounds: tuple[int, int]) -> int:
    return max(bounds[0], min(bounds[1], value))


def page_size(data: object) -> tuple[int, int] | None:
    """A resize's (width, height) in cells, clamped; None unless both are whole numbers (not true/false)."""
    if not isinstance(data, dict):
        return None
    width, height = data.get("width"), data.get("height")
    if type(width) is not int or type(height) is not int:
        return None
    return clamp(width, WIDTH_CELLS), clamp(height, HEIGHT_CELLS)


def page_message(text: str) -> tuple[str, Any] | None:
    """A page's message as (kind, data), or None when it is not one the page sends: dropped, never an error."""
    try:
        envelope = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
        return None
    kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
    if kind == "stdin" and isinstance(data, str):
        try:
            return kind, data.encode("utf-8")  # a lone surrogate cannot be typed: it would break the game's decoder
        except UnicodeEncodeError:
            return None
    if kind == "resize":
        size = page_size(data)
        return (kind, size) if size is not None else None
    if kind == "ping" and isinstance(data, str) and len(data) <= PING_CHARS:
        return kind, data
    if kind in ("blur", "focus"):
        return kind, None
    return None


class MessageBudget:
    """A token bucket: `burst` messages at once, refilled at `per_s` a second; a message over it is dropped."""

    def __init__(self, per_s: float = MESSAGES_PER_S, burst: int = MESSAGE_BURST,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.per_s, self.burst, self.clock = per_s, float(burst), clock
        self.left = float(burst)
        self.at_s = clock()

    def take(self) -> bool:
        now_s = self.clock()
        self.left = min(self.burst, self.left + (now_s - self.at_s) * self.per_s)
        self.at_s = now_s
        if self.left < 1:
            return False
        self.left -= 1
        return True


class GameProcess(AppService):
    """One page's game: started without a shell (the pid held is the game's), and ended when its page goes."""

    def __init__(self, argv: Sequence[str], *, write_bytes: Callable[[bytes], Awaitable[None]],
                 write_str: Callable[[str], Awaitable[None]], close: Callable[[], Awaitable[Any]],
                 server: Server) -> None:
        super().__init__(shlex.join(argv), write_bytes=write_bytes, write_str=write_str, close=close,
                         download_manager=server.download_manager)
        self.argv = list(argv)
        self._stopping: asyncio.Task[None] | None = None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        self._process = process = await asyncio.create_subprocess_exec(
            *self.argv, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            env=self._build_environment(width=width, height=height))
        self._stdin = process.stdin
        return process

    async def run(self) -> None:
        """textual-serve's loop over the game's output; a game that ends by itself (or fails to start) closes its page,
        which would otherwise stay open on a blank screen, holding a place among MAX_PAGES."""
        try:
            await super().run()
        except asyncio.CancelledError:
            # textual-serve cancels its stderr reader and awaits it; when the game ended before that reader first
            # ran, the reader's cancellation escapes run(). Only a cancellation of this task itself is passed on.
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                raise
        await self.remote_close()

    async def stop(self) -> None:
        """End the game, however busy it is; safe to call more than once and from several tasks."""
        if self._stopping is None:
            self._stopping = asyncio.ensure_future(self._end())
        await asyncio.shield(self._stopping)

    async def _quit(self) -> None:
        """textual-serve's stop (ask the game to quit, read its output to the end), then the game's own exit: its
        output closes before it has finished exiting."""
        await super().stop()
        if self._process is not None:
            await self._process.wait()

    async def _end(self) -> None:
        process = self._process
        # Not wait_for: cancelling textual-serve's stop cancels its output reader, which swallows the cancellation,
        # so the stop would go on waiting (for a game that never quits) and wait_for with it.
        quitting = asyncio.ensure_future(self._quit())
        try:
            await asyncio.wait({quitting}, timeout=QUIT_GRACE_S)
            if process is not None and process.returncode is None:
                log.warning("a game did not quit within %g s of its page closing: stopping it", QUIT_GRACE_S)
                try:
                    process.terminate()
                    await asyncio.wait_for(process.wait(), TERM_GRACE_S)
                except ProcessLookupError:
                    pass
                except TimeoutError:
                    self._kill(process)
                    await process.wait()
            await asyncio.wait({quitting}, timeout=TERM_GRACE_S)  # the game's output has ended with it
        except BaseException:
            self._kill(process)
            raise
        finally:
            if quitting.done():
                if not quitting.cancelled() and quitting.exception() is not None:
                    log.warning("ending a game: %r", quitting.exception())
            else:
                quitting.cancel()

    @staticmethod
    def _kill(process: asyncio.subprocess.Process | None) -> None:
        if process is not None and process.returncode is None:
            try:
                process.kill()
            except ProcessLookupError:
                pass


class GameServer(Server):
    """textual-serve's Server answering only its own pages, within bounds (see the module's docstring)."""

    def __init__(self, argv: Sequence[str], listen: Listen, max_pages: int = MAX_PAGES) -> None:
        super().__init__(shlex.join(argv), host=listen.bind_host, port=listen.port, title="Compute Race",
                         public_url=listen.url)
        self.argv = list(argv)
        self.listen = listen
        self.max_pages = max_pages
        self.pages: dict[GameProcess, web.WebSocketResponse] = {}

    @web.middleware
    async def guard(self, request: web.Request,
                    handler: Callable[[web.Request], Awaitable[web.StreamResponse]]) -> web.StreamResponse:
        """Refuse, before any route runs, a request that is not from this server's own page (403)."""
        hosts = request.headers.getall(hdrs.HOST, [])
        origins = request.headers.getall(hdrs.ORIGIN, [])
        refusal = "more than one Host or Origin" if len(hosts) > 1 or len(origins) > 1 else self.listen.refusal(
            hosts[0] if hosts else None, origins[0] if origins else None, request.path)
        if refusal is not None:
            log.warning("refused %s %s: %s", request.method, quote(request.path[:8] + "..."), refusal)
            raise web.HTTPForbidden(text=f"compute-race serve: {refusal}\n")
        response = await handler(request)
        if not response.prepared:
            response.headers["Referrer-Policy"] = "no-referrer"  # the key in the address stays on this server
        return response

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self.guard])
        aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(PAGE_TEMPLATES))
        base = f"/{self.listen.token}"
        # No download route: the game never sends files (textual-serve's would be outside the key's path).
        app.add_routes([
            web.get(base, self.handle_bare),
            web.get(f"{base}/", self.handle_index),
            web.get(f"{base}/ws", self.handle_websocket),
            web.static(f"{base}/static", self.statics_path),
        ])
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def on_shutdown(self, app: web.Application) -> None:
        """Close every page and end its game, so Ctrl+C leaves no game process behind."""
        for websocket in list(self.pages.values()):
            await websocket.close(code=WSCloseCode.GOING_AWAY)
        await asyncio.gather(*(game.stop() for game in list(self.pages)), return_exceptions=True)

    async def handle_bare(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(f"/{self.listen.token}/")

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        """textual-serve's page, its addresses on the Host the browser used (checked by guard), under the key."""
        base = f"/{self.listen.token}"
        return {"font_size": to_int(request.query.get("fontsize", "16"), 16),
                "app_websocket_url": f"ws://{request.host}{base}/ws",
                "config": {"static": {"url": f"{base}/static/"}},
                "application": {"name": self.title}}

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        if len(self.pages) >= self.max_pages:
            raise web.HTTPServiceUnavailable(text=f"compute-race serve: {self.max_pages} games are open already; "
                                             "close one and reload\n")
        websocket = web.WebSocketResponse(heartbeat=HEARTBEAT_S, max_msg_size=MAX_MESSAGE_BYTES)
        game = GameProcess(self.argv, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                           close=websocket.close, server=self)
        self.pages[game] = websocket  # counted before the first await, so parallel pages cannot pass the limit
        try:
            await websocket.prepare(request)
            width = clamp(to_int(request.query.get("width", "80"), 80), WIDTH_CELLS)
            height = clamp(to_int(request.query.get("height", "24"), 24), HEIGHT_CELLS)
            await game.start(width, height)
            await self._process_messages(websocket, game)
        except Exception as error:  # one page's failure is logged; the server and the other pages go on
            log.exception(error)
        finally:
            try:
                await game.stop()
            finally:
                del self.pages[game]
                await websocket.close()
        return websocket

    async def _process_messages(self, websocket: web.WebSocketResponse, app_service: AppService) -> None:
        """textual-serve's loop, taking only well-formed messages at a human rate; the rest are dropped."""
        budget = MessageBudget()
        dropped = 0
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue  # binary frames: the page never sends one
            parsed = page_message(message.data) if budget.take() else None
            if parsed is None:
                dropped += 1
                continue
            kind, data = parsed
            if kind == "stdin":
                await app_service.send_bytes(data)
            elif kind == "resize":
                await app_service.set_terminal_size(*data)
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await app_service.blur()
            elif kind == "focus":
                await app_service.focus()
        if dropped:
            log.warning("a page sent %d messages that were malformed or too fast; they were dropped", dropped)
