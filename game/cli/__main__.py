"""`python -m game.cli`: the same as `compute-race` (and `python -m game`)."""

from game.cli import main

raise SystemExit(main())
