"""Headless simulation: batch runner, statistics, reports."""
