"""The player's settings (the first-quarter guide dismissed) in the user's config folder, and a new game's seed.

Nothing here reaches the rules: the seed is chosen at the interface (CLI or title form) and the engine stays
deterministic given it. The settings file is data only (JSON); a missing, unreadable or hostile one gives one
line and the defaults, never a traceback; writes are atomic and never follow a link (game/atomic.py).
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

import attrs

from game.atomic import AtomicWriteError, ReadRefused, atomic_write, not_replaceable, read_regular
from game.text import cut, path_text

ENV_CONFIG = "COMPUTE_RACE_CONFIG"
FILE_NAME = "settings.json"
MAX_BYTES = 64 * 1024     # a settings file is a few dozen bytes
SEED_BELOW = 1_000_000    # a new game's seed: six digits at most, easy to read off the screen and type again


def new_seed() -> int:
    """A fresh seed for a new game (from the operating system's randomness, never the engine's)."""
    return secrets.randbelow(SEED_BELOW)


@attrs.frozen
class Settings:
    guide_dismissed: bool = False


def config_dir(override: str | Path | None = None) -> Path:
    """`override`, else $COMPUTE_RACE_CONFIG, else the user's config folder (platformdirs)."""
    if override:
        return Path(override)
    if os.environ.get(ENV_CONFIG):
        return Path(os.environ[ENV_CONFIG])
    import platformdirs

    return Path(platformdirs.user_config_dir("compute-race", appauthor=False))


def settings_path(override: str | Path | None = None) -> Path:
    return config_dir(override) / FILE_NAME


def load_settings(override: str | Path | None = None) -> tuple[Settings, str]:
    """The settings and a one-line problem ("" if none). A missing file is the defaults, silently."""
    path = settings_path(override)
    why = not_replaceable(path)  # a link is never followed, read or written
    if why is not None:
        return Settings(), f"{path_text(path)}: {why}; using the default settings"
    try:
        raw = read_regular(path, MAX_BYTES)
    except ReadRefused as exc:
        if str(exc) == "no such file":
            return Settings(), ""
        return Settings(), f"{path_text(path)}: {exc}; using the default settings"
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_refuse)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        return Settings(), f"{path_text(path)}: not valid JSON ({cut(str(exc), 60)}); using the default settings"
    if not isinstance(data, dict):
        return Settings(), f"{path_text(path)}: expected a JSON object; using the default settings"
    dismissed = data.get("guide_dismissed", False)
    if not isinstance(dismissed, bool):
        return Settings(), f"{path_text(path)}: guide_dismissed: expected true or false; using the default settings"
    return Settings(guide_dismissed=dismissed), ""


def _refuse(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def save_settings(settings: Settings, override: str | Path | None = None) -> Path:
    """Write the settings atomically (the folder is made if missing); AtomicWriteError or OSError if it cannot."""
    path = settings_path(override)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise AtomicWriteError(f"{path_text(path.parent)}: cannot create the config folder ({exc.strerror})") \
            from None
    payload = json.dumps({"guide_dismissed": settings.guide_dismissed}, indent=1) + "\n"
    return atomic_write(path, payload.encode("utf-8"))
