"""Makeable Deals: build a casebook site from YAML case files.

The pipeline is load -> validate -> analyze -> render; see each module's docstring.
"""

from builder.release import VERSION as __version__  # one place: the release module the site cites

__all__ = ["__version__"]
