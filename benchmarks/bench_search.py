"""Bytes a reader downloads to search, with Pagefind, against Material's one-file index (same run).

Run: python benchmarks/bench_search.py [--site DIR | --real N] [--queries ...]

With ``--site`` it measures a built site as it is; with ``--real N`` it builds N replicas of the real
cases (as ``bench_build.py --real`` makes them) into a temporary folder first; with neither it builds
the real casebook. It serves the site on 127.0.0.1 and, for each query, opens a fresh browser page
(empty cache) at the home page, types the query into the header's search box, waits for the results
and sums the bytes of what the search fetched from ``pagefind/``, by kind: the entry file, the
scripts (pagefind.js and its worker), the WebAssembly, the metadata, the index chunks and the page
fragments of the results shown. Headless Chromium is Debian's (/usr/bin/chromium) through Playwright.

The baseline is the ``search/search_index.json`` that Material's search plugin would write for the
same pages: its own ``SearchIndex`` run over each built page's article (or the file itself, when the
site has one), which every reader who searched used to download whole. Sizes are given as served
without compression and gzipped (GitHub Pages compresses JSON, JavaScript and WebAssembly; Pagefind's
chunks and fragments are compressed already). Times are for reading: no test asserts them.

``measure(site_dir)`` returns the same numbers as a dict, for ``benchmarks/run.py``.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"]

#: Representative queries: a case by an accented word and without the accent, a concept, a common
#: word that matches nearly every page, a rare word, a two-word phrase.
QUERIES = ("Medellín", "medellin", "holding environment", "deal", "kidney", "room for the river")

#: What Pagefind fetches, by file name.
KINDS = (
    ("entry", re.compile(r"pagefind-entry\.json$")),
    ("scripts", re.compile(r"\.js$")),
    ("wasm", re.compile(r"wasm\.[\w-]+\.pagefind$")),
    ("meta", re.compile(r"\.pf_meta$")),
    ("chunks", re.compile(r"\.pf_index$")),
    ("fragments", re.compile(r"\.pf_fragment$")),
    ("filters", re.compile(r"\.pf_filter$")),
)
COMPRESSED_ALREADY = {"meta", "chunks", "fragments", "filters"}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _serve(site: Path):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_port}/"


def _kind(path: str) -> str:
    for name, pattern in KINDS:
        if pattern.search(path):
            return name
    return "other"


def material_index(site_dir: Path) -> bytes:
    """The search_index.json that Material's search plugin writes (or would write) for the built site.

    Uses the file when the site has one; otherwise runs Material's own ``SearchIndex`` over the article
    of each built page, as the plugin does over each page's content (with its default settings).
    """
    written = site_dir / "search" / "search_index.json"
    if written.is_file():
        return written.read_bytes()
    from types import SimpleNamespace

    from material.plugins.search.plugin import SearchIndex

    index = SearchIndex(lang=["en"], separator=r"[\s\-]+", pipeline=["stopWordFilter"], fields={})
    for path in sorted(site_dir.rglob("*.html")):
        rel = path.relative_to(site_dir).as_posix()
        if rel == "404.html" or rel.startswith("pagefind/"):
            continue
        html = path.read_text("utf-8")
        article = re.search(r"<article class=\"md-content__inner md-typeset\"[^>]*>(.*)</article>", html, re.S)
        title = re.search(r"<title>(.*?)</title>", html, re.S)
        url = rel[: -len("index.html")] if rel.endswith("index.html") else rel
        page = SimpleNamespace(
            content=article.group(1) if article else "",
            toc=[],
            url=url,
            title=title.group(1) if title else url,
            meta={},
        )
        index.add_entry_from_context(page)
    return index.generate_search_index(None).encode("utf-8")


def _query_once(browser, base: str, query: str) -> dict:
    """Open the home page fresh, search for ``query`` in the header box, and count what search fetched."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    fetched: list[tuple[str, bytes]] = []
    offsite: list[str] = []

    def on_response(response):
        if response.url.startswith(base) and "/pagefind/" in urlsplit(response.url).path:
            try:
                fetched.append((urlsplit(response.url).path, response.body()))
            except Exception:  # a response still streaming when the page closes
                pass

    page.on("response", on_response)
    page.route(
        "**/*",
        lambda r: r.continue_() if r.request.url.startswith(base) else (offsite.append(r.request.url), r.abort()),
    )
    page.goto(base)
    page.wait_for_load_state("networkidle")
    box = page.locator("input.md-search__input")
    box.click()
    start = time.perf_counter()
    box.fill(query)
    page.wait_for_function(
        "() => document.querySelector('.md-search-result__list').children.length > 0"
        " || /^No /.test(document.querySelector('.md-search-result__meta').textContent.trim())",
        timeout=60_000,
    )
    shown = time.perf_counter() - start
    page.wait_for_load_state("networkidle")
    results = page.locator(".md-search-result__meta").inner_text().strip()
    top = (
        page.locator(".md-search-result__item h1").first.inner_text()
        if page.locator(".md-search-result__item").count()
        else ""
    )
    context.close()
    by_kind: dict[str, int] = {}
    gzipped = 0
    for path, body in fetched:
        kind = _kind(path)
        by_kind[kind] = by_kind.get(kind, 0) + len(body)
        gzipped += len(body) if kind in COMPRESSED_ALREADY else len(gzip.compress(body, 6))
    return {
        "query": query,
        "bytes": sum(by_kind.values()),
        "bytes_gzip": gzipped,
        "by_kind": by_kind,
        "requests": len(fetched),
        "results": results,
        "top": top,
        "seconds_to_results": round(shown, 3),
        "offsite": offsite,
    }


def measure(site_dir: Path, queries: tuple[str, ...] = QUERIES, baseline: bool = True) -> dict:
    """Search bytes per query on the built site in ``site_dir``, and Material's one-file index as baseline.

    Returns ``{"pages", "queries": [{"query", "bytes", "bytes_gzip", "by_kind", "requests", "results",
    "top", "seconds_to_results", "offsite"}], "max_bytes", "median_bytes", "baseline_bytes",
    "baseline_bytes_gzip", "index_files", "index_bytes"}`` (bytes as served; ``*_gzip`` compressed as a
    host would; the baseline is None with ``baseline=False``, which skips re-indexing every page the
    way Material would). Needs Debian's Chromium and Playwright; raises RuntimeError if the site has no
    Pagefind bundle.
    """
    from playwright.sync_api import sync_playwright

    site_dir = Path(site_dir).resolve()
    bundle = site_dir / "pagefind"
    if not (bundle / "pagefind.js").is_file():
        raise RuntimeError(f"{site_dir} has no Pagefind bundle (pagefind/pagefind.js)")
    material = material_index(site_dir) if baseline else None
    files = [p for p in bundle.rglob("*") if p.is_file()]
    server, base = _serve(site_dir)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                rows = [_query_once(browser, base, q) for q in queries]
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
    sizes = [r["bytes"] for r in rows]
    return {
        "pages": sum(1 for _ in site_dir.rglob("*.html")),
        "queries": rows,
        "max_bytes": max(sizes),
        "median_bytes": statistics.median(sizes),
        "baseline_bytes": len(material) if material is not None else None,
        "baseline_bytes_gzip": len(gzip.compress(material, 6)) if material is not None else None,
        "index_files": len(files),
        "index_bytes": sum(p.stat().st_size for p in files),
    }


def _kb(n: float) -> str:
    return f"{n / 1000:,.0f} KB" if n < 10_000_000 else f"{n / 1_000_000:,.1f} MB"


def print_table(result: dict, label: str) -> None:
    """Print ``measure``'s result as a Markdown table."""
    kinds = [k for k, _ in KINDS if any(k in r["by_kind"] for r in result["queries"])]
    print(f"\n### Search, {label}: {result['pages']} HTML pages\n")
    print("| query | results | first result | " + " | ".join(kinds) + " | total | gzipped | requests |")
    print("| --- | --- | --- | " + " | ".join("---:" for _ in kinds) + " | ---: | ---: | ---: |")
    for r in result["queries"]:
        cells = [_kb(r["by_kind"].get(k, 0)) for k in kinds]
        print(
            f"| {r['query']} | {r['results']} | {r['top'][:40]} | "
            + " | ".join(cells)
            + f" | **{_kb(r['bytes'])}** | {_kb(r['bytes_gzip'])} | {r['requests']} |"
        )
    if result["baseline_bytes"] is not None:
        print(
            f"\nBaseline, Material's search_index.json for the same pages, downloaded whole by every search: "
            f"**{_kb(result['baseline_bytes'])}** ({_kb(result['baseline_bytes_gzip'])} gzipped)."
        )
    print(
        f"\nPagefind: at most {_kb(result['max_bytes'])} per query (median {_kb(result['median_bytes'])}); "
        f"its whole bundle is {result['index_files']} files, {_kb(result['index_bytes'])}."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built site to measure as it is")
    parser.add_argument("--real", type=int, metavar="N", help="build N replicas of the real cases first")
    parser.add_argument("--queries", nargs="+", default=list(QUERIES))
    parser.add_argument("--no-baseline", action="store_true", help="skip Material's index (slow at 10,000 pages)")
    args = parser.parse_args()
    if args.site:
        print_table(measure(args.site, tuple(args.queries), not args.no_baseline), str(args.site))
        return
    from builder.plugin import build_site

    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        cases, site = ROOT / "cases", Path(tmp) / "site"
        label = "the real casebook"
        if args.real:
            from bench_build import make_cases

            cases = Path(tmp) / "cases"
            cases.mkdir()
            make_cases(cases, args.real, real=True)
            label = f"{args.real} replicas of the real cases"
        start = time.perf_counter()
        error = build_site(ROOT / "mkdocs.yml", site, cases_dir=cases)
        if error:
            sys.exit(f"build failed: {error}")
        print(f"built {label} in {time.perf_counter() - start:.0f} s")
        print_table(measure(site, tuple(args.queries)), label)


if __name__ == "__main__":
    main()
