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
import pickle
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from builder import analyze, browse, cache, downloads, render, site_pages, workers
from builder.model import Case
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


@dataclass
class Corpus:
    """What the pages across cases are made from; ``key`` names this exact input (for caches)."""

    cases: list[Case]
    analyses: dict[str, Any]
    data: dict[str, dict[str, Any]]
    reading_lists: list[Any]
    key: str


def build_pages(cases_dir: Path) -> Site:
    """Load, validate, analyze and render every case under ``cases_dir``.

    The per-case work (analysis, the case page) is read from the cache
    (``builder.cache``) when the case file and every other input are unchanged,
    and otherwise done in worker processes when there are many cases
    (``builder.workers``); the pages are the same either way.
    """
    site, corpus = build_case_pages(cases_dir)
    if corpus is not None:
        add_corpus_outputs(site, corpus_outputs(corpus))
    return site


def build_case_pages(cases_dir: Path) -> tuple[Site, Corpus | None]:
    """The case pages and the case index (``Site``), and the input of the pages across cases.

    The corpus is ``None`` when there are problems (then ``Site.problems`` says which).
    """
    checked = check_paths([cases_dir])
    site = Site(problems=checked.problems, case_count=len(checked.cases))
    if checked.problems:
        return site, None
    cases = sorted(checked.cases, key=lambda c: c.id)
    reviewed = [c.last_reviewed for c in cases if c.last_reviewed]
    if reviewed:
        newest = max(reviewed)
        site.build_date = int(datetime.datetime(newest.year, newest.month, newest.day, tzinfo=datetime.UTC).timestamp())
    keys = [checked.keys.get(c.id) or cache.key("case-model", pickle.dumps(c)) for c in cases]
    studied = _per_case("analysis", keys, _analysis_job, cases)
    analyses = {c.id: r[0] for c, r in zip(cases, studied, strict=True)}
    data = {c.id: r[1] for c, r in zip(cases, studied, strict=True)}
    related = render.related_index(cases)
    similar = render.similar_index(cases, {c.id: site_pages.pattern_codes(data[c.id]) for c in cases})
    inputs = [
        ({**data[c.id], "highlights": r[3]}, r[2], related[c.id], similar[c.id])
        for c, r in zip(cases, studied, strict=True)
    ]
    page_keys = [cache.key("page", k, pickle.dumps(args)) for k, args in zip(keys, inputs, strict=True)]
    pages = _per_case("page", page_keys, _page_job, list(zip(cases, inputs, strict=True)))
    for case, page in zip(cases, pages, strict=True):
        site.pages[f"cases/{case.id}.md"] = page
    site.pages["cases/index.md"] = browse.render_index(
        cases, {c.id: {"pattern_codes": site_pages.pattern_codes(data[c.id])} for c in cases}
    )
    lists = checked.reading_lists
    corpus_key = cache.key("corpus", *keys, pickle.dumps([r.model_dump(mode="json") for r in lists]))
    return site, Corpus(cases, analyses, data, lists, corpus_key)


def corpus_outputs(corpus: Corpus) -> tuple[dict[str, Page], dict[str, bytes]]:
    """The pages across cases (patterns, teaching, coverage...) and the data files, from ``corpus``."""
    pages = site_pages.extra_pages(corpus.cases, corpus.analyses, corpus.data, corpus.reading_lists)
    files = {**vendor_files(), **downloads.downloads(corpus.cases, corpus.data)}
    return pages, files


def add_corpus_outputs(site: Site, outputs: tuple[dict[str, Page], dict[str, bytes]]) -> None:
    """Put the output of ``corpus_outputs`` into ``site``."""
    site.pages.update(outputs[0])
    site.files.update(outputs[1])


def _analysis_job(case: Case) -> tuple[Any, dict[str, Any], list[str], list[dict[str, Any]]]:
    """One case's analysis, its data (with pattern counts), its plain-words summary and its highlights."""
    analysis = analyze.analyze(case)
    data = {**analysis.to_dict(), "pattern_counts": analyze.pattern_counts(analysis)}
    return analysis, data, analyze.summarize(analysis), site_pages.highlights(case, data)


def _page_job(item: tuple[Case, tuple[dict[str, Any], list[str], list[dict[str, Any]], list[dict[str, Any]]]]) -> Page:
    """One case's page; its headings and ids are read here, so a cached page carries them."""
    case, (page_data, findings, related, similar) = item
    page = render.render_case(case, page_data, findings, related=related, similar=similar)
    _ = page.headings, page.anchors
    return page


#: The work of the current ``_per_case`` call: (kind, keys, job, items); read by forked workers by index.
_WORK: tuple[str, list[str], Callable[[Any], Any], list[Any]] | None = None


def _per_case(kind: str, keys: list[str], job: Callable[[Any], Any], items: list[Any]) -> list[Any]:
    """``[job(item) for item in items]``, each result read from the cache under its key when there."""
    global _WORK
    results = [cache.get(kind, k) for k in keys]
    todo = [i for i, r in enumerate(results) if r is None]
    _WORK = (kind, keys, job, items)
    try:
        for i, result in zip(todo, workers.run(_run_one, todo), strict=True):
            results[i] = result
    finally:
        _WORK = None
    return results


def _run_one(index: int) -> Any:
    assert _WORK is not None
    kind, keys, job, items = _WORK
    result = job(items[index])
    cache.put(kind, keys[index], result)
    return result
