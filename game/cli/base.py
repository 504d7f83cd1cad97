"""What every command shares: the one-line usage error, the parser that raises it, a command's record, the
`--content` option a command declares, and the mapping from a refusal to one stderr line and an exit status."""

from __future__ import annotations

import argparse
import errno
import sys
from collections.abc import Callable
from typing import NoReturn

import attrs

from game.cli.args import path_arg
from game.console import finish_output, quiet_closed_stdout
from game.text import OneLine

PROG = "compute-race"


class UsageError(OneLine, Exception):
    """Bad command-line input: one line, exit status 2."""


class Parser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line and never prints a traceback."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")


@attrs.frozen
class Command:
    """One command of `compute-race`: its name and summary (the top-level help), the options it declares on its
    own parser, and what it runs with the parsed options (an exit status). Registered in game/cli/__init__.py."""

    name: str
    help: str
    add_arguments: Callable[[Parser], None]
    run: Callable[[argparse.Namespace], int]


# The dest of a `--content` given after a command; main() merges it over the one given before the command.
CONTENT_AFTER = "content_after"
CONTENT_HELP = "content folder to use instead of the built-in one (also accepted before the command)"


def content_option(parser: Parser, help: str = CONTENT_HELP) -> None:
    """`--content DIR` after a command, as before it (`compute-race sim --content DIR`). Left out, it sets nothing
    (SUPPRESS), so a subcommand's parser never resets what its group's parser or the top level was given."""
    parser.add_argument("--content", metavar="DIR", dest=CONTENT_AFTER, type=path_arg, default=argparse.SUPPRESS,
                        help=help)


def merge_content(args: argparse.Namespace) -> None:
    """The content folder the command uses: a `--content` after the command wins over one before it (the later on
    the line, as for any option given twice)."""
    after = vars(args).pop(CONTENT_AFTER, None)
    if after is not None:
        args.content = after


def one_line_errors(run: Callable[[], int]) -> int:
    """Run a command and return its exit status: any refusal is one line on stderr (status 2; 130 when
    interrupted, 1 when the reader of stdout went away), never a traceback."""
    from game.ai import StrategyError
    from game.content import ContentError
    from game.engine import OrderError
    from game.engine.state import NonFiniteState
    from game.saves import SaveError

    try:
        code = run()
        finish_output()
        return code
    except UsageError as exc:
        print(exc, file=sys.stderr)
        return 2
    except ContentError as exc:
        print(exc, file=sys.stderr)
        return 2
    except (StrategyError, OrderError, SaveError) as exc:
        print(f"{PROG}: {exc}", file=sys.stderr)
        return 2
    except NonFiniteState as exc:  # the engine's guard after every quarter (sim, trace, backtest, balance, ...)
        print(f"{PROG}: {exc}: NaN and infinity never belong in the state, so a content value may be "
              "at fault (a price, cost or factor near its bound); run `compute-race content check`, and if it "
              "passes, report this as an engine bug", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`| head`): end quietly; anything to keep was written before printing.
        quiet_closed_stdout()
        return 1
    except OSError as exc:  # stdout cannot be written (a full device); what did not fit is dropped
        if exc.errno not in (errno.ENOSPC, errno.EIO, errno.EDQUOT):
            raise
        quiet_closed_stdout()
        print(f"{PROG}: cannot write the output ({exc.strerror})", file=sys.stderr)
        return 2


def version_text() -> str:
    from game import __version__
    from game.engine.rules_version import RULES_VERSION

    return f"{PROG} {__version__} (rules version {RULES_VERSION})"
