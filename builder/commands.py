"""Site and analysis commands of the CLI (build, serve, markdown, analyze, diagnose, new)."""

from __future__ import annotations


def register(sub) -> None:
    """Add the commands defined here to the CLI's sub-parsers."""
