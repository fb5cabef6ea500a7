"""Site search (builder/search.py, docs/assets/javascripts/search.js): what Pagefind indexes, how results
rank and read, and the header's search box in a real Chromium with no network."""

from __future__ import annotations

import re
import shutil
import threading
from pathlib import Path

import material
import pytest

from builder import search
from builder.csp import POLICY
from conftest import ROOT, guard_page, require_chromium, serve_site

OVERRIDES = ROOT / "overrides"


def fragments(site: Path) -> dict[str, dict]:
    return search.records(site)


@pytest.fixture(scope="module")
def indexed(built_site):
    return fragments(built_site)


# --- What is indexed --------------------------------------------------------------------------


def test_material_search_index_is_gone(built_site):
    assert not (built_site / "search").exists(), "Material's search plugin wrote its one-file index again"
    assert (built_site / "pagefind" / "pagefind.js").is_file()
    assert (built_site / "pagefind" / "pagefind-entry.json").is_file()
    for name in search.UNUSED:
        assert not (built_site / "pagefind" / name).exists(), name
    assert not [p.name for p in built_site.iterdir() if p.name.startswith(".pagefind")]


def test_every_case_pattern_and_concept_page_is_indexed_and_no_packet(built_site, indexed, corpus):
    urls = set(indexed)
    for case in corpus.cases:
        assert f"/cases/{case.id}/" in urls, case.id
    assert "/concepts/" in urls
    patterns = {p.parent.name for p in (built_site / "patterns").glob("*/index.html")}
    assert len(patterns) >= 10 and {f"/patterns/{p}/" for p in patterns} <= urls
    packets = [p for p in built_site.rglob("packet/index.html")]
    assert packets, "the site has no packet pages to leave out"
    assert not [u for u in urls if "/packet/" in u]
    assert "/404.html" not in urls and not [u for u in urls if "404" in u]


def test_only_the_article_is_indexed(indexed):
    medellin = indexed["/cases/medellin-metrocable/"]["content"]
    assert medellin.startswith("Medellín's Metrocable Line K")  # the h1: no header, tabs or sidebar first
    for chrome in ("Makeable Deals", "Skip to content", "Back to top", "Made with", "Table of contents"):
        assert chrome not in medellin, chrome


def test_excerpts_have_no_badges_permalinks_or_citation_markers(indexed, corpus):
    for case in corpus.cases:
        text = indexed[f"/cases/{case.id}/"]["content"]
        assert "% complete" not in text, case.id
        assert not re.search(r"\b(draft|reviewed)\s*\d+%", text), case.id
        assert "¶" not in text, case.id
        assert not re.search(r"\[\d+(, [a-z ]+)?\]", text), case.id  # [3] or [2, disputes]
        assert "Download as JSON" not in text and "Edit this case" not in text, case.id
        assert "Reciprocity " not in text, case.id  # the metrics line
        # Table cells and column headings are not run together ("ofSeenShare").
        assert not re.search(r"[a-z](Seen|Share|Country|When)\b", text), case.id


def test_tagline_then_facts_read_as_sentences(indexed):
    text = indexed["/cases/medellin-metrocable/"]["content"]
    tagline_end = text.index("around its stations.")
    assert text[tagline_end:].startswith("around its stations. Where Colombia;")


def test_titles_and_defined_terms_are_tagged(indexed):
    assert indexed["/cases/medellin-metrocable/"]["meta"]["title"].startswith("Medellín's Metrocable")
    assert indexed["/patterns/latent-deal/"]["meta"] == {"title": "Latent deal", "defines": "Latent deal"}
    concepts = indexed["/concepts/"]["meta"]["defines"]
    assert "Holding environment" in concepts and "Latent deal" in concepts
    headings = {a["id"]: a["text"] for a in indexed["/concepts/"]["anchors"] if a["element"] == "h2"}
    assert headings["holding-environment"] == "Holding environment"  # a sub-result per concept, no ¶


def test_concepts_page_does_not_list_case_titles_in_the_index(indexed):
    assert "Cases:" not in indexed["/concepts/"]["content"]


def test_hostile_titles_reach_the_index_as_text(payload_site):
    """A title made of markup is stored as the text the reader saw; search.js sets it as text."""
    records = fragments(payload_site)
    assert records
    titles = [r["meta"].get("title", "") for r in records.values()]
    assert any("<" in t for t in titles), "the payload titles should be in the index, as text"
    for url, record in records.items():
        assert "&lt;" not in record["meta"].get("title", ""), url  # not double-escaped either


@pytest.mark.parametrize(
    ("url", "meta", "expected"),
    [
        ("", None, True),
        ("cases/x/", {}, True),
        ("teaching/packet/", None, False),
        ("teaching/case/exercise/", None, False),
        ("teaching/case/roles/", None, False),
        ("teaching/lists/a/", None, False),
        ("data/", {"search": {"exclude": True}}, False),
        ("data/", {"search": {"boost": 2}}, True),
        (None, None, False),
    ],
)
def test_which_pages_are_indexed(url, meta, expected):
    assert search.indexed(url, meta) is expected


def test_index_is_the_same_byte_for_byte_on_the_same_site(built_site, tmp_path):
    """Pagefind's output is deterministic: indexing two copies of one site gives the same files."""
    copies = []
    for name in ("a", "b"):
        site = tmp_path / name
        shutil.copytree(built_site, site, ignore=shutil.ignore_patterns("pagefind"))
        search.index_site(site)
        copies.append(
            {p.relative_to(site).as_posix(): p.read_bytes() for p in (site / "pagefind").rglob("*") if p.is_file()}
        )
    assert copies[0].keys() == copies[1].keys()
    assert [k for k in copies[0] if copies[0][k] != copies[1][k]] == []
    original = {
        p.relative_to(built_site).as_posix(): p.read_bytes()
        for p in (built_site / "pagefind").rglob("*")
        if p.is_file()
    }
    assert original == copies[0]


def test_a_site_with_nothing_to_index_is_an_error(tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html><html lang='en'><body></body></html>", "utf-8")
    with pytest.raises(search.SearchIndexError, match="not able to build an index|indexed no page"):
        search.index_site(tmp_path)
    assert not (tmp_path / "pagefind").exists() and not (tmp_path / ".pagefind-new").exists()


def test_a_cancelled_run_leaves_the_old_index(built_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(built_site, site)
    before = sorted(p.name for p in (site / "pagefind").iterdir())
    cancel = threading.Event()
    cancel.set()
    assert search.index_site(site, cancel) is None
    assert sorted(p.name for p in (site / "pagefind").iterdir()) == before
    assert not (site / ".pagefind-new").exists()


# --- The theme override -----------------------------------------------------------------------


def test_header_override_is_materials_header_but_for_the_search_box():
    """If Material changes its header, this fails: copy the new header.html and re-apply the marked change."""
    theirs = (Path(material.__file__).parent / "templates" / "partials" / "header.html").read_text("utf-8")
    ours = (OVERRIDES / "partials" / "header.html").read_text("utf-8")
    start = theirs.index('    {% if "material/search" in config.plugins %}')
    end = theirs.index("    {% if config.repo_url %}")
    mine = ours.index("    {#- casebook:")
    assert ours[ours.index("{% set class") : mine] == theirs[theirs.index("{% set class") : start]
    assert ours[ours.index("    {% if config.repo_url %}") :] == theirs[end:]
    assert '{% include "partials/search.html" %}' in ours[mine:]


def test_search_partial_has_none_of_materials_search_hooks():
    """Material's script mounts its own search on data-md-component="search" and a form named search."""
    partial = (OVERRIDES / "partials" / "search.html").read_text("utf-8")
    assert 'data-md-component="search' not in partial
    assert 'name="search"' not in partial
    assert "data-casebook-search" in partial
    config = (ROOT / "mkdocs.yml").read_text("utf-8")
    plugins = config[config.index("\nplugins:") : config.index("\nmarkdown_extensions:")]
    assert "- search" not in plugins and "search.suggest" not in config
    assert "assets/javascripts/search.js" in config


def test_policy_allows_webassembly_for_search_and_nothing_more():
    directives = dict(d.strip().split(" ", 1) for d in POLICY.split(";"))
    assert directives["script-src"].split() == ["'self'", "'wasm-unsafe-eval'"]
    assert "'unsafe-eval'" not in POLICY.split()


def test_pagefind_scripts_need_no_eval_or_inline_script(built_site):
    for path in sorted((built_site / "pagefind").glob("*.js")):
        code = path.read_text("utf-8")
        assert "eval(" not in code and "new Function" not in code, path.name
        assert "createObjectURL" not in code, path.name  # a blob: worker would need blob: in the policy
    js = (ROOT / "docs" / "assets" / "javascripts" / "search.js").read_text("utf-8")
    assert "innerHTML" not in js and "eval(" not in js


# --- In the browser ---------------------------------------------------------------------------


RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.effectiveDirective + " " + (e.blockedURI || "") + " " + (e.sample || ""));
});
"""


@pytest.fixture
def page(browser, site_url):
    """A page that may only talk to the local server; anything else is recorded and blocked."""
    require_chromium()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_VIOLATIONS)
    pg = context.new_page()
    guard_page(pg, site_url, ("error", "warning"))
    yield pg
    context.close()


def _search(pg, words: str) -> list[dict]:
    """Type into the header's search box; return each result's title and links, once they are shown."""
    box = pg.locator("input.md-search__input")
    box.click()
    box.fill("")
    box.press_sequentially(words)
    pg.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    pg.wait_for_function(
        "(n) => document.querySelector('.md-search-result__meta').textContent.trim() !== ''", arg=len(words)
    )
    return pg.evaluate(
        """() => Array.from(document.querySelectorAll('.md-search-result__item')).map(li => ({
             title: li.querySelector('h1').textContent,
             links: Array.from(li.querySelectorAll('a')).map(a => new URL(a.href).pathname + new URL(a.href).hash),
             text: li.textContent }))"""
    )


def _clean(pg) -> None:
    assert pg.offsite == []
    assert pg.errors == []
    assert pg.evaluate("() => window.__violations") == []


def test_search_finds_a_case_by_an_accented_word_with_and_without_the_accent(page, site_url):
    page.goto(site_url + "cases/")
    for words in ("Medellín", "medellin"):
        results = _search(page, words)
        assert results[0]["links"][0] == "/cases/medellin-metrocable/", (words, results[0])
        assert results[0]["title"].startswith("Medellín's Metrocable")
        assert re.search(r"\d+ matching documents?", page.locator(".md-search-result__meta").inner_text())
    assert page.locator(".md-search-result__item mark").count() > 0  # the matched words are marked
    _clean(page)


def test_search_finds_a_case_by_a_portuguese_word_without_its_accent(page, site_url):
    page.goto(site_url)
    results = _search(page, "familia")
    assert results[0]["links"][0] == "/cases/cadastro-unico-bolsa-familia/"


def test_search_finds_a_concept_by_its_name_on_the_concepts_page(page, site_url):
    page.goto(site_url)
    results = _search(page, "holding environment")
    assert results[0]["links"][0] == "/concepts/", [r["title"] for r in results]
    assert "/concepts/#holding-environment" in results[0]["links"][:3]
    # A pattern's own page comes before the concepts page that also defines it.
    results = _search(page, "latent deal")
    assert [r["links"][0] for r in results[:2]] == ["/patterns/latent-deal/", "/concepts/"]
    _clean(page)


def test_results_show_no_badges_and_open_the_page(page, site_url):
    page.goto(site_url)
    results = _search(page, "ceasefire")
    assert results[0]["links"][0] == "/cases/boston-operation-ceasefire/"
    assert not [r for r in results if "% complete" in r["text"] or "¶" in r["text"]]
    page.locator(".md-search-result__item a").first.click()
    page.wait_for_url("**/cases/boston-operation-ceasefire/")
    assert not page.locator("#__search").is_checked()  # the dialog closed
    _clean(page)


def test_stop_words_are_left_out_of_a_query_unless_it_has_only_those(page, site_url):
    """ "for" and "the" match nearly every page (their part of the index is the largest): search.js drops them."""
    page.goto(site_url)
    results = _search(page, "room for the river")
    assert results[0]["links"][0] == "/cases/room-for-the-river/"
    assert page.locator(".md-search-result__item").first.locator("mark", has_text="the").count() == 0
    assert _search(page, "the")  # a query of stop words alone is searched as it is
    _clean(page)


def test_a_quoted_phrase_keeps_its_stop_words(page, site_url):
    """A query that is one "quoted phrase" (curly quotes too, or one still being typed) is matched word for word by
    Pagefind, so search.js leaves its stop words in (dropping its "of" found nothing). Pagefind matches a phrase only
    when it is the whole query: in a longer one the quotes are dropped and the words searched as any others (two
    phrases found nothing)."""
    page.goto(site_url)
    for words in ('"umbrella of legitimacy"', "\u201cumbrella of legitimacy\u201d", '"umbrella of legitimacy'):
        results = _search(page, words)
        # the one case, and the pages that quote the phrase as an example (limits, changelog)
        assert results[0]["links"][0] == "/cases/boston-operation-ceasefire/", (words, results)
        assert {r["links"][0] for r in results[1:]} <= {"/contribute/limits/", "/changelog/"}, results
        assert '(the "umbrella of legitimacy")' in results[0]["text"], (words, results[0]["text"])
    results = _search(page, '"umbrella of legitimacy" "pulling levers"')
    assert results[0]["links"][0] == "/cases/boston-operation-ceasefire/"
    _clean(page)


def test_keyboard_opens_moves_and_closes_search(page, site_url):
    page.goto(site_url + "frame/")
    page.keyboard.press("/")
    assert page.locator("#__search").is_checked()
    page.keyboard.type("kidney")
    page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.classList.contains('md-search-result__link')")
    page.keyboard.press("Escape")
    assert not page.locator("#__search").is_checked()
    page.keyboard.press("s")
    assert page.locator("#__search").is_checked()
    page.keyboard.press("Enter")  # the best result
    page.wait_for_url("**/patterns/cycle/")
    _clean(page)


def _all_results(pg, words: str) -> list[str]:
    """Search in the header's box and press "Show more results" until every result is shown: their URLs."""
    _search(pg, words)
    more = pg.locator(".cb-search-more button")
    while more.count():
        shown = pg.locator(".md-search-result__item").count()
        more.click()
        pg.wait_for_function("(n) => document.querySelectorAll('.md-search-result__item').length > n", arg=shown)
    return pg.evaluate(
        """() => Array.from(document.querySelectorAll('.md-search-result__item'))
             .map(li => new URL(li.querySelector('a').href).pathname)"""
    )


CONTRIBUTOR = re.compile(r"^/(contribute|changelog)/")
READER = re.compile(r"^/(cases/[^/]+|concepts|patterns/[^/]+)/$")


@pytest.mark.parametrize("words", ["network", "actors"])
def test_cases_concepts_and_patterns_rank_above_contributor_pages(page, site_url, words):
    """An ordinary word the contributor pages use in passing finds the cases, concepts and patterns first
    (search.WEIGHTED); before, the changelog, architecture and performance pages were among the first results."""
    page.goto(site_url)
    urls = _all_results(page, words)
    contributor = [i for i, u in enumerate(urls) if CONTRIBUTOR.match(u)]
    reader = [i for i, u in enumerate(urls) if READER.match(u)]
    assert contributor and len(reader) >= 10, (words, urls)  # the word is on both kinds of page
    assert min(contributor) >= 15, (words, urls)
    assert sum(i < min(contributor) for i in reader) >= 0.75 * len(reader), (words, urls)
    _clean(page)


def test_a_contributor_page_is_still_found_by_its_title_and_its_own_words(page, site_url):
    page.goto(site_url)
    assert _search(page, "performance at scale")[0]["links"][0] == "/contribute/performance/"
    assert _search(page, "pagefind")[0]["links"][0].startswith("/contribute/")
    _clean(page)


def test_contributor_pages_carry_their_weight(built_site):
    for rel in ("contribute/index.html", "contribute/performance/index.html", "changelog/index.html"):
        html = (built_site / rel).read_text("utf-8")
        assert 'data-pagefind-body data-pagefind-weight="0.01"' in html, rel
    for rel in ("cases/medellin-metrocable/index.html", "concepts/index.html", "index.html"):
        assert "data-pagefind-weight" not in (built_site / rel).read_text("utf-8"), rel


def test_no_results_says_so(page, site_url):
    page.goto(site_url)
    box = page.locator("input.md-search__input")
    box.click()
    # No word of the site starts with these letters (Pagefind matches a query word as a prefix, and a data
    # page's Python sample has "z", which "zzqxv" reached).
    box.press_sequentially("qxjvkw")
    page.wait_for_function("() => /^No /.test(document.querySelector('.md-search-result__meta').textContent.trim())")
    assert page.locator(".md-search-result__item").count() == 0
    _clean(page)


def test_search_fetches_only_small_parts_of_the_index(page, site_url, built_site):
    """A query fetches Pagefind's entry, code and the chunks and fragments it needs, not the whole index."""
    fetched = []
    page.on("response", lambda r: fetched.append(r.url) if "/pagefind/" in r.url else None)
    page.goto(site_url)
    _search(page, "water")
    page.wait_for_load_state("networkidle")
    chunks = [u for u in fetched if u.endswith(".pf_index")]
    frags = [u for u in fetched if u.endswith(".pf_fragment")]
    all_chunks = list((built_site / "pagefind" / "index").glob("*.pf_index"))
    assert 1 <= len(chunks) < len(all_chunks)
    assert 1 <= len(frags) <= 10 < len(list((built_site / "pagefind" / "fragment").iterdir()))


def test_non_latin_script_and_diacritics_in_a_small_site(tmp_path, browser):
    """Pagefind splits words at spaces in any script, so a Korean word finds its page; and it folds
    diacritics both ways. (The casebook's cases have no Korean text yet: this is a synthetic page.)"""
    require_chromium()
    pages = {
        "ko": "<h1>Korean words</h1><p>서울 청계천 복원 사업</p>",
        "pt": "<h1>Portuguese words</h1><p>inconsistências do Cadastro Único, written once as Medellin</p>",
        "other": "<h1>Other</h1><p>A deal on the waterfront.</p>",
    }
    for name, body in pages.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.html").write_text(
            f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{name}</title></head>"
            f"<body><main data-pagefind-body>{body}</main></body></html>",
            "utf-8",
        )
    (tmp_path / "index.html").write_text("<!doctype html><html lang='en'><body></body></html>", "utf-8")
    search.index_site(tmp_path)
    server, url = serve_site(tmp_path)
    try:
        pg = browser.new_page()
        pg.goto(url)
        found = pg.evaluate(
            """async (queries) => {
                 const pf = await import('/pagefind/pagefind.js');
                 await pf.init();
                 const out = {};
                 for (const q of queries) {
                   const s = await pf.search(q);
                   out[q] = await Promise.all(s.results.map(r => r.data().then(d => d.url)));
                 }
                 return out;
               }""",
            ["청계천", "복원", "inconsistencias", "único", "unico", "Medellín", "waterf", "deals"],
        )
        pg.close()
    finally:
        server.shutdown()
        server.server_close()
    assert found == {
        "청계천": ["/ko/"],
        "복원": ["/ko/"],
        "inconsistencias": ["/pt/"],
        "único": ["/pt/"],
        "unico": ["/pt/"],
        "Medellín": ["/pt/"],  # an accent in the query finds the word written without it
        "waterf": ["/other/"],  # words are found by their beginning
        "deals": ["/other/"],  # and English words by their stem
    }
