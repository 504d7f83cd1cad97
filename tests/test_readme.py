"""The README's own text: its example strategy is a sensible plan, and its vocabulary section is the generated one."""

from __future__ import annotations

import re
from pathlib import Path

from game.ai import load_strategy
from game.cli import main
from game.content import load_content
from game.sim.runner import run_games
from game.vocabulary import vocabulary_text

README = Path(__file__).resolve().parent.parent / "README.md"


def section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start:end if end >= 0 else len(text)]


def example_strategy(tmp_path: Path) -> Path:
    block = re.search(r"```toml\n(.*?)```", section("Writing a strategy"), re.S)
    assert block, "the README's strategy section has no ```toml block"
    path = tmp_path / "my_plan.toml"
    path.write_text(block.group(1), encoding="utf-8")
    return path


def test_readme_strategy_checks_clean(tmp_path, capsys) -> None:
    path = example_strategy(tmp_path)
    assert main(["content", "check", str(path)]) == 0
    out, err = capsys.readouterr()
    assert err == "" and "strategy OK" in out  # no error and no warning


def test_readme_strategy_beats_easy_as_the_us_and_wins_few_as_china(tmp_path) -> None:
    """What the README says of its example: it beats easy as the US and, as China, wins few (3-12 of 50)."""
    path = str(example_strategy(tmp_path))
    content = load_content()
    seeds = list(range(1, 51))
    as_us = run_games(content, "2025", path, "easy", seeds)
    as_cn = run_games(content, "2025", "easy", path, seeds)
    us_wins = sum(r["winner"] == "us" for r in as_us)
    cn_wins = sum(r["winner"] == "cn" for r in as_cn)
    assert us_wins > 25 and 3 <= cn_wins <= 12, (us_wins, cn_wins)


def test_readme_vocabulary_is_the_generated_text() -> None:
    block = re.search(r"<!-- vocab: generated -->\n```text\n(.*?)```\n<!-- vocab: end -->", README.read_text("utf-8"), re.S)
    assert block, "the README has no generated vocabulary block"
    assert block.group(1) == vocabulary_text(), "README vocabulary is stale: paste `compute-race content vocab` in"


def test_readme_strategy_loads_by_path(tmp_path) -> None:
    assert load_strategy(str(example_strategy(tmp_path))).name == "My plan"
