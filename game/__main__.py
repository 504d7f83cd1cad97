"""`python -m game` runs the same entry point as the `compute-race` command."""

from game.cli import main

raise SystemExit(main())
