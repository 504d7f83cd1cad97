"""The text-mode game loop: commands, a resolved turn, quitting and end of input."""

from __future__ import annotations

import builtins

from game.cli import main


def feed(monkeypatch, lines: list[str]) -> None:
    it = iter(lines)

    def fake_input(prompt: str = "") -> str:
        try:
            return next(it)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr(builtins, "input", fake_input)


def test_a_few_turns_then_quit(monkeypatch, capsys) -> None:
    feed(monkeypatch, ["h", "a compute 0.3", "s 0.5 0.3 0.2", "t intelligence_operation", "e", "e", "v", "q"])
    assert main(["play", "--side", "cn", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert "turn 1 of 40" in out and "turn 3 of 40" in out
    assert "compute 0.30" in out
    assert "Money:" in out
    assert "Goodbye." in out


def test_bad_commands_are_answered_not_crashed(monkeypatch, capsys) -> None:
    feed(monkeypatch, ["a fabs 2", "e", "a fabs x", "a fabs 0.1", "s 1 1 1", "e", "zzz"])
    assert main(["play"]) == 0  # ends at end of input
    out = capsys.readouterr().out
    assert "Not accepted: orders for us: allocation.fabs: expected a share from 0 to 1, found 2" in out
    assert "Not understood" in out
    assert "split: training, inference and research add up to 3.0000" in out


def test_plays_to_the_end(monkeypatch, capsys) -> None:
    feed(monkeypatch, ["e"] * 45)
    assert main(["play", "--scenario", "2022", "--seed", "9"]) == 0
    assert "Game over after" in capsys.readouterr().out
