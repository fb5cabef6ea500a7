"""Makeable Deals: build a casebook site from YAML case files.

The pipeline is load -> validate -> analyze -> render; see each module's docstring.
"""

__version__ = "0.1.0"
