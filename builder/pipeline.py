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

from builder import analyze, background, browse, cache, downloads, render, site_pages, workers
from builder.load import no_gc
from builder.model import Case
from builder.problems import Problem
from builder.templating import Page
from builder.validate import CaseSummary, check_paths, cross_file_problems
from builder.validate import _fold as fold_title

VENDOR_JS = "assets/vendor/vis-network/vis-network.min.js"
VENDOR_CSS = "assets/vendor/vis-network/vis-network.min.css"


@dataclass
class Site:
    """Generated pages and files (bytes), keyed by their path in the site (``cases/<id>.md``: the source
    path MkDocs expects; the page itself is finished HTML, see ``builder.templating``)."""

    pages: dict[str, Page] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: What the check reported but which leaves the cases valid (``validate.Checked.warnings``).
    warnings: list[Problem] = field(default_factory=list)
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
    #: Case id -> (cache key of its file, plain-words findings, highlights): what ``refresh_cases`` reuses.
    per_case: dict[str, tuple[str, list[str], list[dict[str, Any]]]] = field(default_factory=dict)
    #: Each case's similar cases (``render.similar_index``) and what they were found from (``_similar_basis``).
    similar: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    similar_basis: dict[str, Any] = field(default_factory=dict)
    #: Case id -> what the rules across files read of it (``_summary``), made when first needed.
    summaries: dict[str, CaseSummary] = field(default_factory=dict)
    #: The cache key of the reading lists' content, kept so that ``refresh_cases`` does not read them again.
    lists_key: str = ""


def build_pages(cases_dir: Path) -> Site:
    """Load, validate, analyze and render every case under ``cases_dir``.

    The per-case work (analysis, the case page) is read from the cache
    (``builder.cache``) when the case file and every other input are unchanged,
    and otherwise done in worker processes when there are many cases
    (``builder.workers``); the downloads are made in a forked child meanwhile
    (``builder.background``). The pages and files are the same either way.
    """
    # The collector stays paused: what is made here lives to the end of the build, and every collection would
    # scan all of it (the models, analyses and pages of every case) again; it runs once the pipeline is done.
    with no_gc():
        site, corpus = _studied(cases_dir)
        if corpus is None:
            return site
        # The downloads need only the corpus: made in a forked child while the case pages are rendered here.
        files = background.start(_corpus_files, corpus)
        try:
            _add_case_pages(site, corpus)
            pages = site_pages.extra_pages(corpus.cases, corpus.analyses, corpus.data, corpus.reading_lists)
        except BaseException:
            files.cancel()
            raise
        add_corpus_outputs(site, (pages, files.result()))
    return site


def build_case_pages(cases_dir: Path) -> tuple[Site, Corpus | None]:
    """The case pages and the case index (``Site``), and the input of the pages across cases.

    The corpus is ``None`` when there are problems (then ``Site.problems`` says which).
    """
    site, corpus = _studied(cases_dir)
    if corpus is not None:
        _add_case_pages(site, corpus)
    return site, corpus


def _studied(cases_dir: Path) -> tuple[Site, Corpus | None]:
    """The cases under ``cases_dir`` checked and analyzed: ``Site`` (no pages yet) and the corpus, or ``None``."""
    with no_gc():  # the models arriving from the workers hold no cycles; see ``_per_case``
        checked = check_paths([cases_dir])
    site = Site(problems=checked.problems, warnings=checked.warnings, case_count=len(checked.cases))
    if checked.problems:
        return site, None
    cases = sorted(checked.cases, key=lambda c: c.id)
    reviewed = [c.last_reviewed for c in cases if c.last_reviewed]
    if reviewed:
        newest = max(reviewed)
        site.build_date = int(datetime.datetime(newest.year, newest.month, newest.day, tzinfo=datetime.UTC).timestamp())
    keys = [checked.keys.get(c.id) or cache.key("case-model", pickle.dumps(c)) for c in cases]
    corpus = _corpus(cases, keys, checked.reading_lists, None)
    corpus.summaries.update(checked.summaries)  # so that the first edit under serve need not make them all
    return site, corpus


def _add_case_pages(site: Site, corpus: Corpus) -> None:
    """Put the page of every case of ``corpus`` and the case index into ``site``."""
    site.pages.update(_case_pages(corpus, corpus.cases))
    site.pages["cases/index.md"] = _case_index(corpus)


def refresh_cases(previous: Corpus, paths: list[Path]) -> tuple[dict[str, Page], Corpus] | None:
    """The case pages of the edited case files ``paths``, at once: the rest follows.

    ``previous`` is the corpus of the last full build (``build_case_pages``) and ``paths`` the edited files
    among its case files (same folder, same names). Only those files are read; every other case, its
    analysis and its similar cases are taken from ``previous``. Returns ``(pages by site path, the edited
    corpus)``, or ``None`` when only a full build can tell: a problem in an edited file or across files
    (duplicate title, a source cited under two titles), or a file that is not one of ``previous``'s cases.
    The pages are those a full build of the edited files makes; the pages across cases (patterns,
    packets, downloads) are left to ``corpus_outputs`` of the returned corpus, and the case index to the build
    that follows it (at 10,000 cases the index alone takes seconds; nothing here grows with the number of cases
    but the checks of a key, a summary or a similar-cases basis per case).
    """
    checked = check_paths(paths, siblings=False)  # across files against `previous` below: no other file is read
    fresh = {c.id: c for c in checked.cases}
    known = {c.id for c in previous.cases}
    if checked.problems or len(fresh) != len(paths) or not fresh.keys() <= known:
        return None
    if {p.stem for p in paths} != fresh.keys():
        return None
    cases = [fresh.get(c.id, c) for c in previous.cases]
    if _problems_across(previous, [fresh[i] for i in sorted(fresh)]):
        return None
    keys = [checked.keys[c.id] if c.id in fresh else previous.per_case[c.id][0] for c in cases]
    corpus = _corpus(cases, keys, previous.reading_lists, previous)
    corpus.summaries.update(previous.summaries)
    corpus.summaries.update({i: _summary(case) for i, case in fresh.items()})
    edited = [c for c in cases if c.id in fresh]
    return _case_pages(corpus, edited), corpus


def _corpus(cases: list[Case], keys: list[str], lists: list[Any], previous: Corpus | None) -> Corpus:
    """The corpus of ``cases`` (sorted by id), analyses read from ``previous`` or the cache where unchanged."""
    todo = [
        i
        for i, (c, k) in enumerate(zip(cases, keys, strict=True))
        if previous is None or previous.per_case.get(c.id, ("",))[0] != k
    ]
    studied = dict(
        zip(
            [cases[i].id for i in todo],
            _per_case("analysis", [keys[i] for i in todo], _analysis_job, [cases[i] for i in todo]),
            strict=True,
        )
    )
    if previous is not None:
        for c in cases:
            if c.id not in studied:
                studied[c.id] = (previous.analyses[c.id], previous.data[c.id], *previous.per_case[c.id][1:])
    if previous is not None and previous.lists_key and lists is previous.reading_lists:
        lists_key = previous.lists_key  # dumping every list again costs more than the rest of a refresh
    else:
        lists_key = cache.key("reading-lists", pickle.dumps([r.model_dump(mode="json") for r in lists]))
    corpus = Corpus(
        cases,
        {c.id: studied[c.id][0] for c in cases},
        {c.id: studied[c.id][1] for c in cases},
        lists,
        cache.key("corpus", *keys, lists_key),
        {c.id: (k, studied[c.id][2], studied[c.id][3]) for c, k in zip(cases, keys, strict=True)},
        lists_key=lists_key,
    )
    codes = {c.id: site_pages.pattern_codes(corpus.data[c.id]) for c in cases}
    todo_ids = {cases[i].id for i in todo}
    corpus.similar_basis = {
        c.id: previous.similar_basis[c.id]
        if previous is not None and c.id not in todo_ids and c.id in previous.similar_basis
        else (sorted(render.case_features(c, codes[c.id])), sorted(r.case for r in c.related))
        for c in cases
    }
    if previous is not None and previous.similar_basis == corpus.similar_basis:
        titles = {c.id: c.title for c in cases}  # the same similar cases; only their titles may have changed
        corpus.similar = {k: [{**s, "title": titles[s["id"]]} for s in found] for k, found in previous.similar.items()}
    else:
        corpus.similar = render.similar_index(cases, codes)
    return corpus


def _case_pages(corpus: Corpus, cases: list[Case]) -> dict[str, Page]:
    """The pages of ``cases`` (some of ``corpus``'s), each read from the cache when its inputs are unchanged."""
    related = render.related_index(corpus.cases)
    inputs = [
        (
            {**corpus.data[c.id], "highlights": corpus.per_case[c.id][2]},
            corpus.per_case[c.id][1],
            related[c.id],
            corpus.similar[c.id],
        )
        for c in cases
    ]
    page_keys = [
        cache.key("page", corpus.per_case[c.id][0], pickle.dumps(args)) for c, args in zip(cases, inputs, strict=True)
    ]
    pages = _per_case("page", page_keys, _page_job, list(zip(cases, inputs, strict=True)))
    return {f"cases/{case.id}.md": page for case, page in zip(cases, pages, strict=True)}


def _case_index(corpus: Corpus) -> Page:
    return browse.render_index(
        corpus.cases, {c.id: {"pattern_codes": site_pages.pattern_codes(corpus.data[c.id])} for c in corpus.cases}
    )


def _problems_across(previous: Corpus, edited: list[Case]) -> list[Problem]:
    """The problems across files (``validate.cross_file_problems``) of ``previous`` with ``edited`` in place
    of its cases of the same ids. ``previous`` had none, so every problem involves an edited case and one
    that shares a title or a source's address with it: only those are checked."""
    if not previous.summaries:
        previous.summaries.update({c.id: _summary(c) for c in previous.cases})
    mine = [_summary(c) for c in edited]
    titles = {fold_title(s.title) for s in mine}
    urls = {a.rstrip("/") for s in mine for a, _ in s.sources if a is not None}
    ids = {s.id for s in mine}
    others = [
        s
        for s in previous.summaries.values()
        if s.id not in ids
        and (fold_title(s.title) in titles or any(a is not None and a.rstrip("/") in urls for a, _ in s.sources))
    ]
    return cross_file_problems(mine + others)


def _summary(case: Case) -> CaseSummary:
    """What the rules across files read of a case (no places: only whether there is a problem is asked)."""
    sources = tuple((None if s.url is None else str(s.url), s.title) for s in case.sources)
    return CaseSummary(f"{case.id}.yaml", case.id, case.title, sources, {})


def corpus_outputs(corpus: Corpus) -> tuple[dict[str, Page], dict[str, bytes]]:
    """The pages across cases (patterns, teaching, coverage...) and the data files, from ``corpus``."""
    pages = site_pages.extra_pages(corpus.cases, corpus.analyses, corpus.data, corpus.reading_lists)
    return pages, _corpus_files(corpus)


def _corpus_files(corpus: Corpus) -> dict[str, bytes]:
    """The data files of ``corpus`` (``builder.downloads``) and the vendored network script."""
    return {**vendor_files(), **downloads.downloads(corpus.cases, corpus.data)}


def add_corpus_outputs(site: Site, outputs: tuple[dict[str, Page], dict[str, bytes]]) -> None:
    """Put the output of ``corpus_outputs`` into ``site``."""
    site.pages.update(outputs[0])
    site.files.update(outputs[1])


def _analysis_job(case: Case) -> tuple[Any, dict[str, Any], list[str], list[dict[str, Any]]]:
    """One case's analysis, its data (with pattern counts), its plain-words summary and its highlights."""
    analysis = analyze.analyze(case)
    data = analyze.analysis_data(analysis)
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
        # The collector paused while the results arrive: they hold no cycles, and each collection would scan
        # every result received so far (about 3 CPU seconds of a 1,000-case build, growing faster than the cases).
        with no_gc():
            done = workers.run(_run_one, todo)
        for i, result in zip(todo, done, strict=True):
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
