"""Site search: a chunked static index (Pagefind) made from the finished site.

Material's own search plugin writes one ``search/search_index.json`` holding the text of every
page, which each reader who searches downloads whole (1.6 MB for 19 cases, 46 MB at 1,000).
Pagefind instead splits the index into small chunks keyed by word prefix and keeps each page's
text in its own fragment: a query fetches a small entry file, the WebAssembly search code, the
chunks its words fall in and the fragments of the results it shows, so what a reader downloads
grows with the query, not with the casebook (``benchmarks/bench_search.py`` measures it).

The index is made after MkDocs has written the site (``CasebookPlugin.on_post_build`` calls
:func:`index_site`), by the Pagefind binary that the ``pagefind[extended]`` package ships, into
``<site>/pagefind/``. Nothing here imports MkDocs. What is indexed:

- only a page's article (Material's ``<article class="md-content__inner">``, which
  ``overrides/main.html`` marks ``data-pagefind-body`` when :func:`indexed` says so): no header,
  navigation, table of contents or footer;
- not the pages :data:`EXCLUDED` names (the teaching shells, filled in the browser, and the reading
  lists), nor a page whose front matter says ``search: {exclude: true}`` (Material's own convention);
- not the elements :data:`IGNORED` names (badges, legends, network data, permalinks, citation
  markers): they would run into the excerpts. A template can keep any element out with the
  attribute ``data-pagefind-ignore``.

What a query fetches first is the same for every query: ``pagefind.js``, the WebAssembly and the metadata,
which has a row for every page indexed and for every index chunk. So :func:`index_site` sets Pagefind's
chunk size from the number of pages (:func:`chunk_size`), which keeps the metadata's list of chunks and the
chunks a word fetches small together, and writes the metadata and WebAssembly again with Zopfli
(:func:`recompress`), the same gzip format, smaller.

Each result shown fetches its page's fragment, from which :func:`slim_fragments` removes the anchors that
are not headings (Pagefind's results use none of them).

Ranking is Pagefind's: words in headings count more (``h1`` 7, ``h2`` 6, ... the rest 1), so a
case's title, a pattern's name and a concept's heading outrank pages that merely mention them; the
contributor pages and the changelog count for little (:data:`WEIGHTED`), so the cases come first.
Pages are indexed as English (``<html lang="en">``); Pagefind folds diacritics when searching,
so "medellin" finds "Medellín", and splits words at spaces and punctuation in any script.
"""

from __future__ import annotations

import fnmatch
import gzip
import json
import math
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

#: The folder, inside the site, that Pagefind writes its bundle to (search.js loads it from there).
OUTPUT = "pagefind"

#: Pages left out of the index, as MkDocs page URLs (``fnmatch`` patterns), each with why.
EXCLUDED: tuple[tuple[str, str], ...] = (
    ("teaching/case/*", "the shared exercise, role briefs and debrief: shells filled in the browser, no text to find"),
    ("teaching/packet/", "the shared packet: a shell filled in the browser with whole case pages"),
    (
        "teaching/lists/*",
        "reading lists: each is reached from the Teaching page and the page of reading lists, and its cases are"
        " found on their own pages; each indexed page costs every query a row of Pagefind's metadata (issue #12)",
    ),
)

#: Pages whose words count for less in the ranking than a case's, a concept's or a pattern's, as MkDocs page
#: URLs (``fnmatch`` patterns), each with its weight (Pagefind's ``data-pagefind-weight``, 0-10, default 1, on
#: the page's article) and why. The weight holds for every word of the article, headings too (Pagefind gives
#: an explicit weight to everything inside it). Pagefind keeps weights in 24ths and counts them squared, so
#: 0.01 is its least weight but zero, 1/24: a word there counts about 1/576 of a case's. The page is still
#: found by its title (search.js's ``metaWeights``) and by words no case has, with excerpts around the words
#: found (weight 0 would rank the pages last but lose their excerpts), and comes after the cases, concepts and
#: patterns for ordinary words, though not always after a page that has the word once where it has it fifty times.
WEIGHTED: tuple[tuple[str, float, str], ...] = (
    (
        "contribute/*",
        0.01,
        "contributor documentation: long pages about the builder that use the casebook's words (deal, network,"
        " actor) in passing; a reader searching them wants the cases, concepts and patterns first",
    ),
    ("changelog/", 0.01, "the changelog: names every part of the casebook in passing"),
)

#: Elements never indexed (CSS selectors): text that reads badly in a result's excerpt.
IGNORED: tuple[str, ...] = (
    ".headerlink",  # the ¶ after each heading
    ".cb-badge",  # draft / reviewed / 85% complete
    ".cb-network-wrap",  # the network's legend and pattern buttons
    ".cb-data",  # the network's data (hidden)
    'a[href^="#source-"]',  # citation markers: [1][2, disputes]
    ".cb-citation",  # the case's citation in BibTeX, RIS and CSL-JSON
    ".cb-edit",  # Edit this case · Report a problem · Download as JSON
    ".cb-cite-this",  # the citation line repeats the title on every case
    ".cb-sources",  # the list of sources: titles, publishers, dates and addresses, a fifth of a case's words
    ".cb-details",  # the analysis's folded tables: stage names and percentages
    ".cb-metrics",  # Reciprocity 91% · density 0.58 · ...
    ".md-source-file",  # Material's page dates
    "thead",  # column headings, which Pagefind runs together ("By the stage ofSeenShare")
    "[hidden]",
    # What every case page says in the same words, or names of other pages, kept out so that results are
    # the pages about the words searched for and the index stays small per case (issue #12):
    ".cb-findings",  # the analysis's findings in generated sentences ("3 makeable deals (reciprocal pairs...")
    ".cb-pattern-links",  # Patterns in this case: Reciprocal pair (3), ... (each pattern has its own page)
    ".cb-svg",  # the printed network: actors' short labels and the legend, already in the actors' list
    ".cb-teach-links",  # Teach this case: the exercise, role briefs, debrief
    ".cb-similar",  # other cases' titles: a search for one case would find every case similar to it
    ".cb-link > p:first-child",  # an interdependency's holder, asset, target and purpose: the actors' list has them
    ".cb-lm",  # an interdependency's "Seen: ... · Realized: ..." line
    # Lists of every case (one row per case), on the case index, coverage and each pattern's page: the case's
    # own page is the result for its words, and these lists would grow the index with every case.
    ".cb-index",
    ".cb-coverage",
    ".cb-pattern-cases",
    # Words every case page has in the same place, which made nearly every case a result for "holding
    # environment" or "deal" and the index chunks of those words the largest a query fetched (about 100 KB
    # each at 10,000 cases, issue #12). The fixed section titles written by the case partials carry
    # data-pagefind-ignore on their text (macros.html ``heading(..., quiet=true)``); these are the ones
    # case.html writes, whose sections are read as the page's own text (or are ignored already):
    "h2#summary",
    "h2#the-network-of-interdependence",
    "h2#related-cases",
    "h2#similar-cases",
    "h2#sources",
    "h2#cite-this-case",
    ".cb-kind",  # vocabulary labels: an asset's kind (Money, Expertise), an event's (Launch), a stage's
    ".cb-actor > .cb-muted",  # an actor's sector and level: Government · Local
    ".cb-actor strong",  # an actor card's labels: Mission. Answers to. Purposes Links Assets
    ".cb-al",  # an actor's "Links with" other actors (n): the other actors' names, each on its own card
    ".cb-stakes td:nth-child(2)",  # a stake's dimension: Money, Politics, Reputation
    ".cb-outcomes td:nth-child(n+4)",  # an outcome's period, confidence (High) and citation markers
    ".cb-claims td:nth-child(4)",  # where a disputed claim stands: Disputed
    ".cb-evidence",  # an outcome's evidence: Monitoring figure · measured by the programme itself
    # The facts but for Where and When: policy domains, scale and the deal's status and forms (vocabulary, which
    # the cases page filters by), the counts of actors and interdependencies, and the date last checked.
    ".cb-facts tr:nth-child(n+3)",
    ".cb-outcomes td:nth-child(2)",  # an outcome's figures before and after, which its result says in words
)

#: Files of Pagefind's bundle that the site does not use (Pagefind's own search interfaces):
#: removed after indexing, so that only what search.js loads is published.
UNUSED = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
    # Pagefind's web worker: search.js searches in the page (noWorker), since the worker is a second copy of
    # the search code that each reader would fetch on top of pagefind.js (41 KB).
    "pagefind-worker.js",
)


#: Pagefind's index chunk size (in its own unit: one for each page a word is on, plus one for each time it
#: occurs there) grows as the square root of the number of pages indexed: CHUNK_FACTOR * sqrt(pages),
#: within CHUNK_LIMITS. Every query loads the metadata, which lists every chunk (about 12 bytes each), and
#: then the chunks its words fall in, so small chunks make the list long and large chunks make each word
#: cost more; the sum is least near this size (measured in docs/contribute/performance.md, "Search bytes at
#: 10,000 (search300)": 1,000 cases about 5,000, 10,000 cases about 15,000; Pagefind's own size is 20,000).
CHUNK_FACTOR = 150
CHUNK_LIMITS = (1_000, 20_000)

#: How Pagefind 1.5 is told the chunk size: an environment variable it names unstable (a later Pagefind
#: may drop it, and chunks then have Pagefind's own size: tests/test_search_bytes.py checks it is read).
CHUNK_SIZE_VARIABLE = "PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE"

#: Files of the bundle that every query fetches whole, gzipped by Pagefind: written again with Zopfli, which
#: makes the same gzip format about 12 % (metadata) and 5 % (WebAssembly) smaller. Chunks and fragments are
#: too many to be worth it (a second of CPU for each file at most, but thousands of files).
RECOMPRESSED = ("pagefind.*.pf_meta", "wasm.*.pagefind")


class SearchIndexError(RuntimeError):
    """Pagefind could not index the site (its message says why)."""


@dataclass(frozen=True)
class IndexResult:
    """What one run of Pagefind did: ``pages`` indexed, in ``seconds`` of wall time."""

    pages: int
    seconds: float


def indexed(url: str | None, meta: dict | None = None) -> bool:
    """Whether the page at MkDocs page URL ``url`` (``"cases/x/"``, ``""`` for the home page) is searched.

    ``meta`` is the page's front matter; ``search: {exclude: true}`` leaves a page out.
    ``None`` (a page MkDocs renders without a source, such as 404.html) is never indexed.

    >>> indexed("cases/medellin-metrocable/")
    True
    >>> indexed("teaching/packet/")
    False
    >>> indexed("teaching/case/exercise/")
    False
    >>> indexed("data/", {"search": {"exclude": True}})
    False
    >>> indexed(None)
    False
    """
    if url is None:
        return False
    search = (meta or {}).get("search")
    if isinstance(search, dict) and search.get("exclude"):
        return False
    return not any(fnmatch.fnmatchcase(url, pattern) for pattern, _why in EXCLUDED)


def defines(url: str | None, title: str | None) -> str | None:
    """The terms the page at ``url`` defines, for the ``defines`` metadata that search ranks high, or None.

    A pattern's page defines the pattern (its title). The concepts page tags its own list of
    concepts in its template (``concepts.html``). search.js weighs a match in ``defines`` above
    a match in a title (``metaWeights``), so a definition comes before a page that mentions the term.

    >>> defines("patterns/latent-deal/", "Latent deal")
    'Latent deal'
    >>> defines("patterns/", "Patterns of interdependence") is None
    True
    """
    if url and title and fnmatch.fnmatchcase(url, "patterns/?*/"):
        return title
    return None


def weight(url: str | None) -> str | None:
    """The ``data-pagefind-weight`` of the page at MkDocs page URL ``url`` (:data:`WEIGHTED`), or None for the
    default weight.

    >>> weight("contribute/performance/"), weight("contribute/"), weight("changelog/")
    ('0.01', '0.01', '0.01')
    >>> weight("cases/medellin-metrocable/") is None, weight("") is None, weight(None) is None
    (True, True, True)
    """
    if url is None:
        return None
    for pattern, value, _why in WEIGHTED:
        if fnmatch.fnmatchcase(url, pattern):
            return f"{value:g}"
    return None


def executable() -> Path:
    """The Pagefind binary shipped by the ``pagefind[extended]`` (or ``pagefind[bin]``) package.

    ``PAGEFIND_BINARY_PATH`` names another one. Raises :class:`SearchIndexError` if there is none.
    """
    try:
        from pagefind.service import get_executable
    except ImportError as exc:  # pragma: no cover - pagefind is a dependency
        raise SearchIndexError("the pagefind package is not installed: pip install 'pagefind[extended]'") from exc
    found = get_executable()
    if found is None or not Path(found).is_file():
        raise SearchIndexError("no Pagefind binary: pip install 'pagefind[extended]'")
    return Path(found)


def command(site_dir: Path) -> list[str]:
    """The Pagefind command line that indexes ``site_dir`` into ``site_dir/pagefind``."""
    return [
        str(executable()),
        "--site",
        str(site_dir),
        "--output-subdir",
        OUTPUT,
        "--exclude-selectors",
        ", ".join(IGNORED),
    ]


def chunk_size(pages: int) -> int:
    """Pagefind's index chunk size for a site of ``pages`` indexed pages (:data:`CHUNK_FACTOR`).

    >>> chunk_size(1_000), chunk_size(10_000), chunk_size(50), chunk_size(100_000)
    (4743, 15000, 1061, 20000)
    """
    low, high = CHUNK_LIMITS
    return max(low, min(high, round(CHUNK_FACTOR * math.sqrt(max(pages, 1)))))


def indexed_pages(site_dir: Path) -> int:
    """How many pages of the built site in ``site_dir`` are indexed: its ``index.html`` files whose URL
    :func:`indexed` accepts (front matter is not read here, so a page excluded by it is counted)."""
    count = 0
    for folder, dirs, files in os.walk(site_dir):
        rel = Path(folder).relative_to(site_dir).as_posix()
        if rel == ".":
            rel = ""
        elif rel == OUTPUT or Path(rel).name.startswith("."):
            dirs.clear()
            continue
        if "index.html" in files and indexed(f"{rel}/" if rel else ""):
            count += 1
    return count


def environment(site_dir: Path) -> dict[str, str]:
    """The environment Pagefind runs in for ``site_dir``: this process's, with the chunk size set."""
    return {**os.environ, CHUNK_SIZE_VARIABLE: str(chunk_size(indexed_pages(site_dir)))}


def index_site(site_dir: Path, cancel: threading.Event | None = None) -> IndexResult | None:
    """Index the built site in ``site_dir`` and write the search bundle to ``site_dir/pagefind/``.

    The bundle is written beside the old one and then put in its place, so a site being served
    never has half an index. Deterministic: the same site gives the same files byte for byte.
    Returns None, leaving the old bundle, if ``cancel`` is set before Pagefind finishes. Raises
    :class:`SearchIndexError` with Pagefind's output when it fails or indexes no page.
    """
    start = time.perf_counter()
    fresh = site_dir / f".{OUTPUT}-new"
    shutil.rmtree(fresh, ignore_errors=True)
    argv = command(site_dir)
    argv[argv.index("--output-subdir") + 1] = fresh.name
    env = environment(site_dir)
    with subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8", env=env
    ) as run:
        while True:
            try:
                output, _ = run.communicate(timeout=0.2)
                break
            except subprocess.TimeoutExpired:
                if cancel is not None and cancel.is_set():
                    run.kill()
                    run.communicate()
                    shutil.rmtree(fresh, ignore_errors=True)
                    return None
    if run.returncode != 0:
        shutil.rmtree(fresh, ignore_errors=True)
        raise SearchIndexError(f"pagefind failed ({run.returncode}): {output.strip()[-2000:]}")
    pages = re.search(r"Indexed (\d+) pages?", output)
    if not pages or int(pages.group(1)) == 0:
        shutil.rmtree(fresh, ignore_errors=True)
        raise SearchIndexError(f"pagefind indexed no page: {output.strip()[-2000:]}")
    for name in UNUSED:
        (fresh / name).unlink(missing_ok=True)
    for pattern in RECOMPRESSED:
        for path in fresh.glob(pattern):
            recompress(path)
    if not slim_fragments(fresh, cancel):
        shutil.rmtree(fresh, ignore_errors=True)
        return None
    _swap(fresh, site_dir / OUTPUT)
    return IndexResult(pages=int(pages.group(1)), seconds=time.perf_counter() - start)


def slim_fragments(bundle: Path, cancel: threading.Event | None = None) -> bool:
    """Leave out of each page fragment in ``bundle/fragment/`` the anchors that are not headings.

    Pagefind records an anchor for every element with an ``id`` in the indexed article, with that element's
    text: on a case page, each actor card, purpose, pair of actors, link and timeline event, whose text the
    fragment then holds twice (a fifth to a third of a case's fragment, gzipped). Its search code makes a
    result's sections from the heading anchors alone (``h1`` to ``h6``), and search.js reads nothing else of
    them, so the others cost each result shown and give nothing. The fragment keeps its name (Pagefind fetches
    fragments by the name the index gives, without checking their content) and is written with gzip at level
    9 and no timestamp, so the same site gives the same bytes. Returns False if ``cancel`` was set first.
    """
    paths = sorted((bundle / "fragment").glob("*.pf_fragment"))
    step = 256  # fragments between two looks at ``cancel``; gzip and zlib work outside the GIL, so in threads
    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        for start in range(0, len(paths), step):
            if cancel is not None and cancel.is_set():
                return False
            list(pool.map(_slim_fragment, paths[start : start + step]))
    return True


def _slim_fragment(path: Path) -> None:
    """:func:`slim_fragments` for the fragment at ``path``."""
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_FRAGMENT_MARK):
        raise SearchIndexError(f"{path} is not a Pagefind fragment")
    record = json.loads(data[len(_FRAGMENT_MARK) :])
    anchors = record.get("anchors") or []
    kept = [a for a in anchors if _HEADING.fullmatch(str(a.get("element", "")))]
    if len(kept) == len(anchors):
        return
    record["anchors"] = kept
    text = json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    path.write_bytes(gzip.compress(_FRAGMENT_MARK + text, compresslevel=9, mtime=0))


_HEADING = re.compile(r"[hH][1-6]")


def recompress(path: Path) -> None:
    """Write the gzip file at ``path`` again with Zopfli (same content, smaller, the same bytes every time).

    Raises :class:`SearchIndexError` if it is not gzip."""
    data = path.read_bytes()
    key = (path.name, len(data), hash(data))
    if key not in _RECOMPRESSED:
        try:
            content = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise SearchIndexError(f"{path} is not gzip: {exc}") from exc
        import zopfli.gzip

        smaller = zopfli.gzip.compress(content, numiterations=15)
        if len(_RECOMPRESSED) > 8:
            _RECOMPRESSED.clear()
        _RECOMPRESSED[key] = smaller if len(smaller) < len(data) else data
    path.write_bytes(_RECOMPRESSED[key])


#: Files recompressed in this process, by name, size and hash: the WebAssembly is the same in every build.
_RECOMPRESSED: dict[tuple[str, int, int], bytes] = {}


def _swap(fresh: Path, target: Path) -> None:
    """Put the folder ``fresh`` in the place of ``target`` (which may not exist)."""
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def records(site_dir: Path) -> dict[str, dict]:
    """What the index holds for each page, by URL path (``"/cases/x/"``), read back from its fragments.

    Each record is Pagefind's: ``{"url", "content": the indexed text, "word_count", "meta": {"title", ...},
    "anchors": [{"element", "id", "text", "location"}], "filters"}``. For tests and benchmarks.
    """
    out = {}
    for path in sorted((site_dir / OUTPUT / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        if not data.startswith(_FRAGMENT_MARK):
            raise SearchIndexError(f"{path} is not a Pagefind fragment")
        record = json.loads(data[len(_FRAGMENT_MARK) :])
        out[record["url"]] = record
    return out


_FRAGMENT_MARK = b"pagefind_dcd"


def metadata(site_dir: Path) -> dict[str, list]:
    """Pagefind's metadata file, which every query loads first, read back: ``{"pages": [(fragment hash, word
    count)], "chunks": [(first word, last word, chunk hash)]}`` in Pagefind's order (words as stems or
    prefixes of them). For tests and benchmarks; raises :class:`SearchIndexError` if it cannot be read."""
    found = sorted((site_dir / OUTPUT).glob("pagefind.*.pf_meta"))
    if len(found) != 1:
        raise SearchIndexError(f"expected one metadata file in {site_dir / OUTPUT}, found {len(found)}")
    data = gzip.decompress(found[0].read_bytes())
    if not data.startswith(_FRAGMENT_MARK):
        raise SearchIndexError(f"{found[0]} is not Pagefind's metadata")
    meta, _ = _cbor(data, len(_FRAGMENT_MARK))
    return {"pages": [tuple(p) for p in meta[1]], "chunks": [tuple(c) for c in meta[2]]}


def _cbor(data: bytes, i: int):
    """The CBOR item at ``data[i:]`` (the kinds Pagefind writes: integers, text, arrays) and where it ends."""
    major, info = data[i] >> 5, data[i] & 31
    i += 1
    if info < 24:
        value = info
    elif info <= 27:
        size = 1 << (info - 24)
        value = int.from_bytes(data[i : i + size], "big")
        i += size
    else:
        raise SearchIndexError(f"unexpected CBOR item {data[i - 1]:#x} at {i - 1}")
    if major == 0:
        return value, i
    if major == 1:
        return -1 - value, i
    if major in (2, 3):
        text = data[i : i + value]
        return (text.decode("utf-8") if major == 3 else text), i + value
    if major == 4:
        items = []
        for _ in range(value):
            item, i = _cbor(data, i)
            items.append(item)
        return items, i
    raise SearchIndexError(f"unexpected CBOR item {data[i - 1]:#x}")


class BackgroundIndex:
    """Pagefind run in a thread after each build of ``mkdocs serve``, so a page is served (and the
    browser reloaded) as soon as MkDocs has written it, and search answers from the new index a
    few seconds later. Meanwhile the previous index is served: :meth:`keep` sets it aside before
    a rebuild empties the site folder, and :meth:`start` puts it back until the new one is made."""

    def __init__(self, report) -> None:
        #: Called with the IndexResult, or with the SearchIndexError, when a run ends.
        self._report = report
        self._thread: threading.Thread | None = None
        self._cancel = threading.Event()
        self._kept: Path | None = None

    def keep(self, site_dir: Path) -> None:
        """Stop any run still going and set the site's current index aside (the site is about to be rebuilt)."""
        self.stop()
        current = site_dir / OUTPUT
        if current.is_dir() and self._kept is None:
            self._kept = Path(tempfile.mkdtemp(prefix="casebook-search-")) / OUTPUT
            shutil.move(current, self._kept)

    def start(self, site_dir: Path) -> None:
        """Put the index set aside back (if the build left none), then index ``site_dir`` in the background."""
        self.stop()
        self.restore(site_dir)
        self._cancel = threading.Event()
        cancel = self._cancel

        def run() -> None:
            try:
                result = index_site(site_dir, cancel)
            except (SearchIndexError, OSError) as exc:
                self._report(exc)
                return
            if result is not None:
                self._report(result)

        self._thread = threading.Thread(target=run, name="pagefind", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """End the run still going, if any, and wait for it."""
        self._cancel.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def close(self) -> None:
        """Stop, and remove the index set aside, if any."""
        self.stop()
        if self._kept is not None:
            shutil.rmtree(self._kept.parent, ignore_errors=True)
            self._kept = None

    def restore(self, site_dir: Path) -> None:
        """Put the index set aside back into ``site_dir`` if the site has none (before a new run, or after a failed
        rebuild: the pages of the last good build are still served, and search keeps answering for them)."""
        if self._kept is None:
            return
        if not (site_dir / OUTPUT).exists() and site_dir.is_dir():
            shutil.move(self._kept, site_dir / OUTPUT)
        shutil.rmtree(self._kept.parent, ignore_errors=True)
        self._kept = None
