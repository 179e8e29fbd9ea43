"""`python -m simulator` is the same as the `kefu` command."""

from simulator.cli import main

raise SystemExit(main())
