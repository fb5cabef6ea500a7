"""What every search query downloads first (issue #12: at most 300 KB a query at 10,000 cases): Pagefind's
metadata, whose size grows with the pages indexed and the index chunks it lists, the chunks themselves, and
the WebAssembly. builder/search.py sets the chunk size from the number of pages, leaves reading lists out, and
writes the metadata and WebAssembly again with Zopfli. The bytes per query are measured by
``benchmarks/bench_search.py``, never asserted here."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess

import pytest

from builder import search
from conftest import guard_page, require_chromium, serve_site


@pytest.fixture(scope="module")
def records(built_site):
    return search.records(built_site)


@pytest.fixture(scope="module")
def pagefinds_own(built_site, tmp_path_factory):
    """The real site indexed by Pagefind as it comes: its own chunk size and its own gzip."""
    site = tmp_path_factory.mktemp("pagefinds-own") / "site"
    shutil.copytree(built_site, site, ignore=shutil.ignore_patterns(search.OUTPUT))
    env = {k: v for k, v in os.environ.items() if k != search.CHUNK_SIZE_VARIABLE}
    done = subprocess.run(search.command(site), env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-2000:]
    return site


# --- The chunk size ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pages", "size"),
    [(0, 1_000), (51, 1_071), (1_000, 4_743), (1_190, 5_174), (10_030, 15_022), (17_778, 20_000), (10**6, 20_000)],
)
def test_chunk_size_grows_as_the_square_root_of_the_pages(pages, size):
    assert search.chunk_size(pages) == size


def test_pages_counted_for_the_chunk_size_are_the_pages_indexed(built_site, records):
    # Front matter can leave a page out that the count includes (the data page); nothing else differs.
    assert 0 <= search.indexed_pages(built_site) - len(records) <= 2
    assert search.environment(built_site)[search.CHUNK_SIZE_VARIABLE] == str(
        search.chunk_size(search.indexed_pages(built_site))
    )


def test_pagefind_reads_the_chunk_size(built_site, pagefinds_own):
    """If a later Pagefind stops reading the variable, its chunks are its own size again (20,000): this fails."""
    ours = search.metadata(built_site)["chunks"]
    own = search.metadata(pagefinds_own)["chunks"]
    assert len(own) >= 3
    assert len(ours) >= 5 * len(own), (len(ours), len(own))
    # Same pages, same words: only the cut between chunks differs.
    assert search.metadata(built_site)["pages"] == search.metadata(pagefinds_own)["pages"]
    assert ours[0][0] == own[0][0] and ours[-1][1] == own[-1][1]


# --- Zopfli -----------------------------------------------------------------------------------


def test_metadata_and_webassembly_are_smaller_with_the_same_content(built_site, pagefinds_own):
    import zopfli.gzip

    ours, own = built_site / search.OUTPUT, pagefinds_own / search.OUTPUT
    wasm = "wasm.en.pagefind"
    assert gzip.decompress((ours / wasm).read_bytes()) == gzip.decompress((own / wasm).read_bytes())
    assert (ours / wasm).stat().st_size < 0.97 * (own / wasm).stat().st_size
    (meta,) = ours.glob("pagefind.*.pf_meta")
    content = gzip.decompress(meta.read_bytes())
    assert content.startswith(b"pagefind_dcd")
    assert meta.read_bytes() == zopfli.gzip.compress(content, numiterations=15)


def _fragment(path):
    data = gzip.decompress(path.read_bytes())
    assert data.startswith(b"pagefind_dcd")
    return json.loads(data[len(b"pagefind_dcd") :])


def test_fragments_keep_their_names_and_all_but_the_anchors_that_are_not_headings(built_site, pagefinds_own):
    """search.slim_fragments: a fragment is Pagefind's own (same name, same text and metadata) less the anchors
    that Pagefind's results never use (an actor card's, a purpose's, a timeline event's, with their text)."""
    ours, own = built_site / search.OUTPUT / "fragment", pagefinds_own / search.OUTPUT / "fragment"
    assert sorted(p.name for p in ours.iterdir()) == sorted(p.name for p in own.iterdir())
    slimmed = 0
    for path in sorted(own.iterdir()):
        mine, theirs = _fragment(ours / path.name), _fragment(path)
        headings = [a for a in theirs["anchors"] if re.fullmatch(r"h[1-6]", a["element"])]
        assert mine == {**theirs, "anchors": headings}, path.name
        slimmed += len(headings) < len(theirs["anchors"])
    medellin = next(_fragment(p) for p in ours.iterdir() if _fragment(p)["url"] == "/cases/medellin-metrocable/")
    assert {a["element"] for a in medellin["anchors"]} <= {"h1", "h2", "h3"}
    assert slimmed >= 19  # every case page had anchors that were not headings
    assert sum(p.stat().st_size for p in ours.iterdir()) < 0.95 * sum(p.stat().st_size for p in own.iterdir())


def test_recompress_refuses_a_file_that_is_not_gzip(tmp_path):
    path = tmp_path / "wasm.en.pagefind"
    path.write_bytes(b"not gzip")
    with pytest.raises(search.SearchIndexError, match="not gzip"):
        search.recompress(path)


# --- Reading lists ----------------------------------------------------------------------------


def test_reading_lists_are_not_indexed_and_their_index_only_by_its_introduction(built_site, records, corpus):
    assert corpus.reading_lists, "the casebook has no reading list to check"
    assert (built_site / "teaching" / "lists" / corpus.reading_lists[0].id / "index.html").is_file()
    assert not [u for u in records if u.startswith("/teaching/lists/")]
    assert search.indexed(f"teaching/lists/{corpus.reading_lists[0].id}/") is False
    index = records["/teaching/reading-lists/"]["content"]
    assert index.startswith("Reading lists") and "Sequences of cases" in index
    for reading in corpus.reading_lists:
        assert reading.title not in index, reading.id


@pytest.fixture(scope="module")
def site_url(built_site):
    server, url = serve_site(built_site)
    yield url
    server.shutdown()
    server.server_close()


FIND = """async (queries) => {
  const pf = await import('/pagefind/pagefind.js');
  await pf.options({ noWorker: true });
  await pf.init();
  const out = {};
  for (const q of queries) {
    const s = await pf.search(q);
    out[q] = await Promise.all(s.results.map(r => r.data().then(d => d.url)));
  }
  return out;
}"""


def _only_in(reading, records) -> list[str]:
    """Words of a reading list's own text that no indexed page has, even as the start of a word (the query
    finds words by their stem and beginning: the test looks for the word less its last three letters)."""
    text = " ".join(
        [reading.title, reading.summary]
        + [i.why for i in reading.items]
        + [q for i in reading.items for q in i.questions]
    )
    pages = " ".join(r["content"] for r in records.values()).lower()
    words = sorted({w.lower() for w in re.findall(r"[A-Za-z]{7,}", text)})
    return [w for w in words if not re.search(r"\b" + re.escape(w[:-3]), pages)]


def test_a_word_only_a_reading_list_has_finds_nothing_and_its_cases_are_found(browser, site_url, records, corpus):
    require_chromium()
    reading = next(r for r in corpus.reading_lists if _only_in(r, records))
    word = _only_in(reading, records)[0]
    first = next(c for c in corpus.cases if c.id == reading.items[0].case)
    context = browser.new_context()
    page = context.new_page()
    guard_page(page, site_url, ("error", "warning"))
    try:
        page.goto(site_url)
        found = page.evaluate(FIND, [word, reading.title, first.title])
        assert found[word] == [], (reading.id, word)  # the reading list's page was the one result
        assert not [u for u in found[reading.title] if u.startswith("/teaching/lists/")]
        assert found[first.title][0] == f"/cases/{first.id}/", found[first.title][:3]
        assert page.offsite == [] and page.errors == []
    finally:
        context.close()
