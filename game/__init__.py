"""Compute Race: a terminal strategy game about the US-China race for AI."""

__version__ = "0.1.0"
