"""The whole pipeline, from case files to site pages, as one function.

In: a folder of case files. Out: ``Site`` (pages keyed by site path, plus the
problems found). Both the CLI and the MkDocs adapter call ``build_pages``, so the
site is the same whichever builds it. Nothing is written here.

The stages, and where each one's code and templates are:

1. load (``builder.load``) and validate (``builder.validate``, ``builder.model``);
2. analyze (``builder.analyze``, pure networkx functions);
3. render: view data in ``builder.render`` (case pages),
   ``builder.browse`` (case index and map), ``builder.site_pages`` (patterns, cross-case, coverage, teaching pages) and
   ``builder.reference`` (field reference, vocabularies, problem codes), markup in
   ``builder/templates/``; data files in ``builder.downloads``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

from builder import analyze, browse, downloads, render, site_pages
from builder.problems import Problem
from builder.templating import Page
from builder.validate import check_paths

VENDOR_JS = "assets/vendor/vis-network/vis-network.min.js"
VENDOR_CSS = "assets/vendor/vis-network/vis-network.min.css"


@dataclass
class Site:
    """Generated pages and files (bytes), keyed by their path in the site (``cases/<id>.md``: the source
    path MkDocs expects; the page itself is finished HTML, see ``builder.templating``)."""

    pages: dict[str, Page] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    case_count: int = 0
    #: Seconds since 1970 of the newest `last_reviewed` date: the site's build date (sitemap).
    build_date: int | None = None


def vendor_files() -> dict[str, bytes]:
    """The one copy of vis-network that serves every page: the build shipped in pyvis's wheel."""
    import pyvis

    lib = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
    return {
        VENDOR_JS: (lib / "vis-network.min.js").read_bytes(),
        VENDOR_CSS: (lib / "vis-network.css").read_bytes(),
    }


def build_pages(cases_dir: Path) -> Site:
    """Load, validate, analyze and render every case under ``cases_dir``."""
    checked = check_paths([cases_dir])
    site = Site(problems=checked.problems, case_count=len(checked.cases))
    if checked.problems:
        return site
    cases = sorted(checked.cases, key=lambda c: c.id)
    reviewed = [c.last_reviewed for c in cases if c.last_reviewed]
    if reviewed:
        newest = max(reviewed)
        site.build_date = int(datetime.datetime(newest.year, newest.month, newest.day, tzinfo=datetime.UTC).timestamp())
    analyses = {c.id: analyze.analyze(c) for c in cases}
    data = {c.id: {**analyses[c.id].to_dict(), "pattern_counts": analyze.pattern_counts(analyses[c.id])} for c in cases}
    highlights = {c.id: site_pages.highlights(c, data[c.id]) for c in cases}
    related = render.related_index(cases)
    similar = render.similar_index(cases, {c.id: site_pages.pattern_codes(data[c.id]) for c in cases})
    for case in cases:
        page_data = {**data[case.id], "highlights": highlights[case.id]}
        site.pages[f"cases/{case.id}.md"] = render.render_case(
            case, page_data, analyze.summarize(analyses[case.id]), related=related[case.id], similar=similar[case.id]
        )
    site.pages["cases/index.md"] = browse.render_index(
        cases, {c.id: {"pattern_codes": site_pages.pattern_codes(data[c.id])} for c in cases}
    )
    site.pages.update(site_pages.extra_pages(cases, analyses, data, checked.reading_lists))
    site.files.update(vendor_files())
    site.files.update(downloads.downloads(cases, data))
    return site
