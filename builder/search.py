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
- not the pages :data:`EXCLUDED` names (packets repeat whole case pages), nor a page whose
  front matter says ``search: {exclude: true}`` (Material's own convention);
- not the elements :data:`IGNORED` names (badges, legends, network data, permalinks, citation
  markers): they would run into the excerpts. A template can keep any element out with the
  attribute ``data-pagefind-ignore``.

Ranking is Pagefind's: words in headings count more (``h1`` 7, ``h2`` 6, ... the rest 1), so a
case's title, a pattern's name and a concept's heading outrank pages that merely mention them.
Pages are indexed as English (``<html lang="en">``); Pagefind folds diacritics when searching,
so "medellin" finds "Medellín", and splits words at spaces and punctuation in any script.
"""

from __future__ import annotations

import fnmatch
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

#: The folder, inside the site, that Pagefind writes its bundle to (search.js loads it from there).
OUTPUT = "pagefind"

#: Pages left out of the index, as MkDocs page URLs (``fnmatch`` patterns), each with why.
EXCLUDED: tuple[tuple[str, str], ...] = (
    ("teaching/lists/*/packet/", "a printable packet repeats whole case pages: results would come twice"),
    ("teaching/lists/*/packet/*", "the same, for the student and instructor versions of a packet"),
)

#: Elements never indexed (CSS selectors): text that reads badly in a result's excerpt.
IGNORED: tuple[str, ...] = (
    ".headerlink",  # the ¶ after each heading
    ".cb-badge",  # draft / reviewed / 85% complete
    ".cb-network-wrap",  # the network's legend and pattern buttons
    ".cb-data",  # the network's data (hidden)
    ".cb-cites",  # citation markers: [1][2, disputes]
    ".cb-edit",  # Edit this case · Report a problem · Download as JSON
    ".cb-cite-this",  # the citation line repeats the title on every case
    ".md-source-file",  # Material's page dates
    "thead",  # column headings, which Pagefind runs together ("By the stage ofSeenShare")
    "[hidden]",
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
)


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
    >>> indexed("teaching/lists/holding-environments/packet/")
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


def index_site(site_dir: Path) -> IndexResult:
    """Index the built site in ``site_dir`` and write the search bundle to ``site_dir/pagefind/``.

    Deterministic: the same site gives the same files byte for byte. Raises
    :class:`SearchIndexError` with Pagefind's output when it fails or indexes no page.
    """
    start = time.perf_counter()
    done = subprocess.run(command(site_dir), capture_output=True, text=True, encoding="utf-8", check=False)
    seconds = time.perf_counter() - start
    output = done.stdout + done.stderr
    if done.returncode != 0:
        raise SearchIndexError(f"pagefind failed ({done.returncode}): {output.strip()[-2000:]}")
    pages = re.search(r"Indexed (\d+) pages?", output)
    if not pages or int(pages.group(1)) == 0:
        raise SearchIndexError(f"pagefind indexed no page: {output.strip()[-2000:]}")
    for name in UNUSED:
        (site_dir / OUTPUT / name).unlink(missing_ok=True)
    return IndexResult(pages=int(pages.group(1)), seconds=seconds)
