"""What a search query downloads (issue #12: at most 300 KB at 10,000 cases): what a case page leaves out of
Pagefind's index, and what the header's search box fetches, in a real Chromium with no network.

The sizes themselves are measured by ``benchmarks/bench_search.py``, never asserted here."""

from __future__ import annotations

import re

import pytest

from builder import search
from conftest import guard_page, require_chromium

#: The section titles the case partials write quietly (macros.html heading(..., quiet=true)), by id.
QUIET = {
    "what-the-analysis-finds": "What the analysis finds",
    "actors-and-their-assets": "Actors and their assets",
    "interdependencies": "Interdependencies",
    "timeline": "Timeline",
    "the-process-stage-by-stage": "The process, stage by stage",
    "the-holding-environment": "The holding environment",
    "envisioning-the-deal": "Envisioning the deal",
    "the-deal": "The deal",
    "teaching-notes": "Teaching notes",
}

#: Text every case page writes in the same words (or vocabulary labels), none of which is indexed now.
BOILERPLATE = (
    "Each entry: an asset held by one actor",
    "How each finding is defined",
    "Claims made about this effort",
    "On the timeline:",
    "Actors and their assets",
    "The process, stage by stage",
    "Envisioning the deal",
    "Cite this case",
    "Answers to.",
    "Links with",
    "Last checked against sources",
    "Evidence:",
    "Concepts:",
    "Policy domains",
    "Learning objectives",
    "Discussion questions",
)


@pytest.fixture(scope="module")
def records(built_site):
    return search.records(built_site)


def test_case_section_titles_are_quiet_but_still_end_their_sections(built_site, records):
    html = (built_site / "cases" / "medellin-metrocable" / "index.html").read_text("utf-8")
    for ident, title in QUIET.items():
        assert re.search(rf'<h[23] id="{ident}"><span data-pagefind-ignore>{re.escape(title)}</span>', html), ident
    # The heading is still an anchor (so text after it is not taken for the section before), with no text.
    anchors = {a["id"]: a for a in records["/cases/medellin-metrocable/"]["anchors"]}
    for ident in QUIET:
        assert anchors[ident]["text"] == "", ident
    # Other pages' headings are indexed as before.
    concepts = {a["id"]: a["text"] for a in records["/concepts/"]["anchors"]}
    assert concepts["holding-environment"] == "Holding environment"


def test_case_pages_index_their_own_words_and_not_the_boilerplate(records, corpus):
    for case in corpus.cases:
        text = records[f"/cases/{case.id}/"]["content"]
        for words in BOILERPLATE:
            assert words not in text, (case.id, words)
        assert not re.search(r"\b(Government|Community|Private|Nonprofit) · ", text), case.id  # sector · level
        # The summary, the title and the actors' names are still there.
        first = " ".join(case.summary.split()[:8])
        assert first in " ".join(text.split()), case.id
        assert text.startswith(case.title.split()[0]), case.id
        for actor in case.actors[:3]:
            assert actor.name.split()[0] in text, (case.id, actor.name)


def test_a_few_vocabulary_cells_are_not_indexed(built_site, records):
    """The outcomes' period, confidence and citation columns, and where a disputed claim stands."""
    html = (built_site / "cases" / "room-for-the-river" / "index.html").read_text("utf-8")
    period = re.search(r"<td>(\d{4} reservation vs \d{4} reported cost)</td><td>(\w+)</td>", html)
    assert period, "the outcome this test reads has changed: pick another"
    assert period.group(1) not in records["/cases/room-for-the-river/"]["content"]


# --- In the browser ---------------------------------------------------------------------------


@pytest.fixture
def page(browser, site_url):
    require_chromium()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    guard_page(pg, site_url, ("error", "warning"))
    yield pg
    context.close()


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


def test_a_word_only_in_a_quiet_heading_no_longer_finds_the_case(page, site_url, records, corpus):
    """Every case has the stage "Envisioning the deal"; a case whose own text never says "envision" is no longer
    a result for it (before, all of them were), and a word of its summary still finds it."""
    quiet = [c for c in corpus.cases if "envision" not in records[f"/cases/{c.id}/"]["content"].lower()]
    assert quiet, "every case now writes 'envision' in its own text: pick another heading word"
    case = quiet[0]
    word = max(re.findall(r"[A-Za-z]{9,}", case.summary), key=len)
    page.goto(site_url)
    found = page.evaluate(FIND, ["envisioning", word])
    assert f"/cases/{case.id}/" not in found["envisioning"]
    assert "/concepts/" in found["envisioning"]  # the pages about the stage still are
    assert f"/cases/{case.id}/" in found[word], (word, found[word])
    assert page.offsite == [] and page.errors == []


ITEMS = ".md-search-result__item:not(.cb-search-more)"


def _shown(page) -> int:
    return page.locator(ITEMS).count()


def _total(page) -> int:
    return int(re.match(r"(\d+) matching", page.locator(".md-search-result__meta").inner_text()).group(1))


def test_search_box_fetches_three_fragments_then_ten_more_on_show_more(page, site_url):
    """The first display is three results (their fragments are what a query costs); "Show more results" then
    adds ten at a time, so that 23 results need two clicks, not seven."""
    fetched: list[str] = []
    page.on("response", lambda r: fetched.append(r.url) if "/pagefind/" in r.url else None)
    page.goto(site_url)
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("water")
    more = page.locator(".cb-search-more button")
    more.wait_for(timeout=15_000)
    page.wait_for_load_state("networkidle")
    assert _shown(page) == 3
    assert len([u for u in fetched if u.endswith(".pf_fragment")]) == 3
    # Pagefind's search code is loaded once, in the page: no web worker (a second copy of it).
    assert [u.rsplit("/", 1)[1] for u in fetched if u.endswith(".js")] == ["pagefind.js"]
    total = _total(page)
    assert total > 13, f"'water' finds {total} pages: pick a commoner word, so that a second click is needed"
    assert more.inner_text().strip() == f"Show more results ({total - 3})"
    more.click()
    page.wait_for_function(f"() => document.querySelectorAll('{ITEMS}').length === 13")
    page.wait_for_load_state("networkidle")
    assert len([u for u in fetched if u.endswith(".pf_fragment")]) == 13
    assert more.inner_text().strip() == f"Show more results ({total - 13})"
    more.click()
    page.wait_for_function(f"(n) => document.querySelectorAll('{ITEMS}').length === n", arg=min(total, 23))
    assert page.locator(".cb-search-more").count() == (1 if total > 23 else 0)  # one button, while results are left
    assert page.offsite == [] and page.errors == []


def test_scrolling_to_the_end_of_the_results_shows_ten_more(page, site_url):
    page.set_viewport_size({"width": 1280, "height": 480})  # so that three results overflow the dialog
    page.goto(site_url)
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("water")
    page.locator(".cb-search-more button").wait_for(timeout=15_000)
    page.wait_for_load_state("networkidle")
    assert _shown(page) == 3
    wrap = page.locator(".md-search__scrollwrap")
    assert wrap.evaluate("(el) => el.scrollHeight > el.clientHeight"), "three results fit: nothing to scroll"
    wrap.evaluate("(el) => { el.scrollTop = el.scrollHeight; }")
    page.wait_for_function(f"() => document.querySelectorAll('{ITEMS}').length === 13")
    assert page.offsite == [] and page.errors == []


def test_show_more_is_reached_with_the_keyboard(page, site_url):
    page.goto(site_url)
    page.keyboard.press("/")
    page.keyboard.type("water")
    page.locator(".cb-search-more button").wait_for(timeout=15_000)
    total = _total(page)
    assert _shown(page) == 3 and total > 13
    page.keyboard.press("ArrowUp")  # from the search box up to the end of the list: the button
    assert page.evaluate("() => document.activeElement.closest('.cb-search-more') !== null")
    page.keyboard.press("Enter")
    # Ten more results are shown and the keyboard goes on from the first of them.
    page.wait_for_function(f"() => document.querySelectorAll('{ITEMS}').length === 13")
    first_new = page.locator(f"{ITEMS} > .md-search-result__link").nth(3)
    page.wait_for_function("(el) => el === document.activeElement", arg=first_new.element_handle())
    # Moving down with the arrow keys to the last result shown brings the rest (one more press past the end,
    # before they are in, goes round to the search box, as in Material).
    for _ in range(80):
        page.keyboard.press("ArrowDown")
        if _shown(page) > 13 or page.evaluate("() => document.activeElement.matches('input.md-search__input')"):
            break
        # Focus stays in the list, or on its "Show more" button while the next results load.
        assert page.evaluate(
            "() => document.activeElement.closest('.md-search-result__list, .cb-search-more') !== null"
        )
    page.wait_for_function(f"(n) => document.querySelectorAll('{ITEMS}').length === n", arg=min(total, 23))
    assert page.offsite == [] and page.errors == []


def test_the_keyboard_on_show_more_goes_on_to_the_last_results(page, site_url):
    """When the last results arrive while the keyboard is on "Show more", the button goes and the focus goes on to
    the first of them (it was left on the page body, so that the arrow keys scrolled the page). The results' fragments
    are held until the button has the focus, so that the order of events is always this one."""
    page.goto(site_url)
    page.keyboard.press("/")
    page.keyboard.type("water")
    more = page.locator(".cb-search-more button")
    more.wait_for(timeout=15_000)
    while _total(page) - _shown(page) > 10:  # until the next ten are the last
        shown = _shown(page)
        more.click()
        page.wait_for_function(f"(n) => document.querySelectorAll('{ITEMS}').length > n", arg=shown)
    page.wait_for_load_state("networkidle")
    shown = _shown(page)
    held = []
    page.route("**/*.pf_fragment", lambda route: held.append(route))
    more.focus()  # in view: the last results are asked for, and held
    page.wait_for_function("() => document.activeElement.closest('.cb-search-more') !== null")
    page.wait_for_timeout(300)
    assert held, "the last results were not asked for"
    for route in held:
        route.continue_()
    page.unroute("**/*.pf_fragment")
    page.locator(".cb-search-more").wait_for(state="detached", timeout=15_000)
    first_new = page.locator(ITEMS).nth(shown).locator("> .md-search-result__link").first
    page.wait_for_function("(el) => el === document.activeElement", arg=first_new.element_handle(), timeout=5_000)
    assert page.offsite == [] and page.errors == []
