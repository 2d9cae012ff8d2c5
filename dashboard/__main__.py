"""``python -m dashboard``: the command line (:mod:`dashboard.cli.main`)."""

from dashboard.cli.main import main

raise SystemExit(main())
