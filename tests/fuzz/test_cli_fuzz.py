"""Fuzz the command line: unknown options, bad numbers, missing files, for every command. Each run ends with
an exit status and, on a refusal, one line on stderr; never a traceback. (The interface is not started:
`play` runs are checked up to the point where the app would open.)"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import game.cli as cli
from tests.budget import examples

ARG_RUNS = 300
COMMANDS = ["sim", "balance", "calc", "content", "bench", "play", "replay", "tune"]
TOKENS = ["--games", "--us", "--cn", "--seed", "--scenario", "--jobs", "--json", "--explain", "--sprt", "--saves",
          "--strategies", "--check", "--flop", "--chip", "--count", "--mfu", "--usd-per-hour", "--verify", "--to",
          "--side", "--difficulty", "--hotseat", "--watch", "--load", "--theme", "--content", "--quick", "--ui",
          "--opponent", "--nonsense", "-x", "training", "check", "--trials", "--out",
          "0", "-1", "1", "2", "1e99", "nan", "inf", "abc", "", "99999999999999999999999", "0.3,0.7", "0.7,0.3",
          "h100", "nochip", "us", "cn", "mars", "2025", "normal", "hard", "nobody", "/nonexistent/file.json",
          "/nonexistent/dir", "/", "x.toml", str(10**400), "-" + str(10**400), "3.0", "1e400", "0x10", "a\nb",
          "\x1b[31m", "[b]x[/]"]
# A token is one of TOKENS or any short text at all: newlines, control characters, other scripts.
ANY_TOKEN = st.sampled_from(TOKENS) | st.text(max_size=8)


def cheap(argv: list[str]) -> bool:
    """Runs that would play many games or time the interface are left to the real tests."""
    if argv and argv[0] in ("bench",):
        return False
    if argv and argv[0] in ("sim", "balance"):
        for flag in ("--games",):
            if flag in argv:
                i = argv.index(flag)
                if i + 1 < len(argv) and argv[i + 1] not in ("0", "-1", "abc", "", "1e99", "nan", "inf",
                                                             "99999999999999999999999", "1", "2"):
                    return False
        if argv[0] == "balance" and "--games" not in argv:
            return False  # the default balance run plays a hundred games a pairing
        if "--games" not in argv:
            return False  # 100 games by default
    return True


@settings(max_examples=examples(ARG_RUNS), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(argv=st.tuples(st.sampled_from(COMMANDS), st.lists(ANY_TOKEN, max_size=5)).map(
    lambda t: [t[0], *t[1]]))
def test_random_arguments(capsys, no_app, tmp_path_factory, argv):
    if not cheap(argv) or "--json" in argv or ("--saves" in argv and "/" not in argv):
        argv = argv[:1] + ["--nonsense"]  # keep the run short and the disk clean: an unknown option
    try:
        code = cli.main(argv)
    except SystemExit as exc:  # --help prints and exits 0
        code = exc.code
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "Traceback" not in out
    assert code in (0, 1, 2), (argv, code, err)
    if code == 2:
        assert err.strip() and err.strip().count("\n") == 0, (argv, err)
