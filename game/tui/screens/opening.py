"""A screen closed in the moment it opened (a key that opens it and Esc in one burst), or left on the stack by a
quitting app, is removed before its queued events are handled: by then its widgets are gone. Its handlers (Mount,
Resize, a quarter the AI resolved meanwhile) must then do nothing, not look them up."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from textual.screen import Screen
from textual.widget import Widget


def is_live(node: Widget) -> bool:
    """In the DOM and not being removed. Textual's own mount and signals ask `_pruning` too (its version is
    pinned)."""
    return node.is_attached and not node._pruning


def is_open(screen: Screen) -> bool:
    """On the stack and live. A screen closed, or left on the stack by a quitting app, fails one of the two."""
    return screen in screen.app.screen_stack and is_live(screen)


def while_open(handler: Callable[..., Any]) -> Callable[..., Any]:
    """A screen's handler (on_mount, on_resize, a call after refresh; plain or async), run only while the screen
    is open. The wrapper keeps the handler's signature, which Textual reads to know whether to pass the event."""
    if inspect.iscoroutinefunction(handler):
        @functools.wraps(handler)
        async def run_async(screen: Screen, *args: Any, **kwargs: Any) -> None:
            if is_open(screen):
                await handler(screen, *args, **kwargs)

        return run_async

    @functools.wraps(handler)
    def run(screen: Screen, *args: Any, **kwargs: Any) -> None:
        if is_open(screen):
            handler(screen, *args, **kwargs)

    return run
