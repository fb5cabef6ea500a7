"""The casebook's release: version, release date, title and addresses, in one place.

The version and date here are the ones in ``pyproject.toml``, ``CITATION.cff`` and ``CHANGELOG.md``;
``tests/test_downloads.py`` checks that all four agree, so a release bump that misses one fails.
Citations, the Atom feed and the downloads read them from here.
"""

from __future__ import annotations

import datetime

#: The casebook's version (``project.version`` in pyproject.toml), as cited.
VERSION = "0.2.0"
#: The day this version was released (``date-released`` in CITATION.cff).
RELEASE_DATE = datetime.date(2026, 11, 30)
#: The casebook's full title, as in CITATION.cff.
TITLE = "Makeable Deals: an open casebook of collaborative-government efforts mapped as networks of interdependence"
#: The short name of the casebook, as the container of a case.
NAME = "Makeable Deals casebook"
#: Who wrote it, as one corporate author.
AUTHOR = "Makeable Deals contributors"
#: Where the site is published (``site_url`` in mkdocs.yml) and where its source lives.
SITE_URL = "https://makeable-deals.github.io/casebook/"
REPO_URL = "https://github.com/makeable-deals/casebook"
#: The licence of the case texts and data.
LICENSE = "CC-BY-4.0"
