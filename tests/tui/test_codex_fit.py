"""Codex tables at 80 columns: a table too wide for the page becomes a list, one that fits stays a table."""

from __future__ import annotations

from game.tui.codex import fit_tables

TABLE = """Before.

| chip | maker | BF16 TFLOP/s | price |
|---|---|---|---|
| NVIDIA H100 | us | 989 | $30k |
| Huawei Ascend 910B | cn | 320 | $16.5k |

After."""


def test_a_table_that_fits_is_kept():
    assert fit_tables(TABLE, 80) == TABLE


def test_a_table_too_wide_becomes_a_list_with_every_figure_beside_its_header():
    fitted = fit_tables(TABLE, 40)
    assert "|" not in fitted
    assert "- **NVIDIA H100** — maker: us · BF16 TFLOP/s: 989 · price: $30k" in fitted
    assert "- **Huawei Ascend 910B** — maker: cn · BF16 TFLOP/s: 320 · price: $16.5k" in fitted
    assert fitted.startswith("Before.\n") and fitted.endswith("\nAfter.")
