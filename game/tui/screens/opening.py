"""A screen closed in the moment it opened (a key that opens it and Esc in one burst) is removed before its Mount
and Resize events are handled: by then its widgets are gone. Its handlers must then do nothing, not look them up."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from textual.screen import Screen


def while_open(handler: Callable[..., None]) -> Callable[..., None]:
    """A screen's handler (on_mount, on_resize, a call after refresh), run only while the screen is open. The
    wrapper keeps the handler's signature, which Textual reads to know whether to pass the event."""

    @functools.wraps(handler)
    def run(screen: Screen, *args: Any, **kwargs: Any) -> None:
        # On the stack, in the DOM and not being removed. A screen closed, or left on the stack by a quitting app,
        # fails one of the three; Textual's own mount and signals ask `_pruning` too (its version is pinned).
        if screen in screen.app.screen_stack and screen.is_attached and not screen._pruning:
            handler(screen, *args, **kwargs)

    return run
