"""``python -m builder`` is the same as the ``casebook`` command."""

from builder.cli import main

raise SystemExit(main())
