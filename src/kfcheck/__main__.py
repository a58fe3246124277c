"""``python -m kfcheck``."""

from kfcheck.cli import main

raise SystemExit(main())
