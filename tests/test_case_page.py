"""The case page for reading and for print: links grouped by pair, terms linked to their definitions,
similar cases, the static network picture, phone width, and a printed case of at most 12 A4 pages.

The browser tests use Debian's Chromium through Playwright (see conftest). They write screenshots of a
case page (1280 and 390 px wide) and of a printed page to ``$CASEBOOK_SHOTS`` (default: a folder
``casebook-shots`` in the system's temporary folder), for a person to look at.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from builder import analyze, render
from builder.network import network_data
from builder.pipeline import build_pages
from builder.similar import feature_weights, similar_cases
from builder.svg import network_picture
from builder.validate import check_paths
from conftest import DATA, ROOT

SHOTS = Path(os.environ.get("CASEBOOK_SHOTS") or Path(tempfile.gettempdir()) / "casebook-shots")
REAL_CASES = sorted(p.stem for p in (ROOT / "cases").glob("*.yaml"))


@pytest.fixture(scope="module")
def fixture_pages():
    return build_pages(DATA / "valid").pages


# --- similar cases (builder/similar.py) on a corpus checked by hand -------------------------------------------

#: Four cases. Weights over N = 4: pair (4 cases) log 1 = 0; cycle (3) log 4/3 = 0.288;
#: safety, water (2 each) log 2 = 0.693; convener (1) log 4 = 1.386 but nobody shares it.
TINY = {
    "boston": {("pattern", "pair"), ("pattern", "cycle"), ("domain", "safety"), ("mechanism", "convener")},
    "chicago": {("pattern", "pair"), ("pattern", "cycle"), ("domain", "safety")},
    "delft": {("pattern", "pair"), ("domain", "water")},
    "rhine": {("pattern", "pair"), ("pattern", "cycle"), ("domain", "water")},
}


def test_feature_weights_by_hand():
    w = feature_weights(TINY)
    assert w[("pattern", "pair")] == 0.0
    assert round(w[("pattern", "cycle")], 3) == 0.288
    assert round(w[("domain", "water")], 3) == 0.693
    assert round(w[("mechanism", "convener")], 3) == 1.386


def test_similar_cases_by_hand():
    found = similar_cases(TINY, k=5)
    # boston: chicago shares safety + cycle (0.981), rhine only the cycle (0.288); delft shares only the pair
    # that every case has, which says nothing, so delft is not listed.
    assert [(s["id"], s["score"]) for s in found["boston"]] == [("chicago", 0.980829), ("rhine", 0.287682)]
    assert found["boston"][0]["shared"] == [("domain", "safety"), ("pattern", "cycle")]
    # rhine: delft (water, 0.693) before boston and chicago (cycle, 0.288 each; tie broken by id).
    assert [s["id"] for s in found["rhine"]] == ["delft", "boston", "chicago"]
    assert [s["id"] for s in found["delft"]] == ["rhine"]
    assert [s["id"] for s in similar_cases(TINY, k=1)["rhine"]] == ["delft"]


def test_similar_cases_do_not_depend_on_input_order_or_walking_long_postings():
    reordered = {k: TINY[k] for k in reversed(list(TINY))}
    assert similar_cases(reordered) == similar_cases(TINY)
    # With no posting walked (all longer than 1), candidates come from the common features, and the scores
    # of the cases found are still complete.
    assert similar_cases(TINY, max_posting=1)["boston"] == similar_cases(TINY)["boston"]


def test_similar_cases_scale_through_the_index():
    """1,000 cases in 50 domains: each case meets only the cases of its own domain and pattern postings."""
    corpus = {
        f"c{i:04d}": {("domain", f"d{i % 50}"), ("pattern", "pair"), ("mechanism", f"m{i % 7}")} for i in range(1000)
    }
    found = similar_cases(corpus, k=5)
    assert len(found) == 1000
    first = found["c0000"]
    # the best share both the domain (i % 50 == 0) and the mechanism (i % 7 == 0): i a multiple of 350
    assert [s["id"] for s in first[:2]] == ["c0350", "c0700"]
    assert all(("domain", "d0") in s["shared"] for s in first)


def test_similar_cases_on_the_real_corpus_say_why():
    checked = check_paths([ROOT / "cases"])
    codes = {c.id: [k for k, n in analyze.pattern_counts(analyze.analyze(c)).items() if n] for c in checked.cases}
    index = render.similar_index(checked.cases, codes)
    assert set(index) == {c.id for c in checked.cases}
    for case_id, items in index.items():
        assert 1 <= len(items) <= 5, case_id
        assert all(i["id"] != case_id and 1 <= len(i["shares"]) <= 4 for i in items)


# --- the rendered page ------------------------------------------------------------------------------------------


def test_case_page_golden(fixture_pages, golden):
    """The whole body of the fixture's case page; rewrite with --update-golden and read the diff."""
    golden("river-town-example.html", fixture_pages["cases/river-town-example.md"].body)


def test_interdependencies_are_grouped_by_pair_with_stable_anchors(fixture_pages):
    body = fixture_pages["cases/river-town-example.md"].body
    section = body.split('id="interdependencies"')[1].split('id="timeline"')[0]
    pairs = re.findall(r'<section id="(pair-[a-z0-9-]+)">', section)
    # town, board and farmers: farmers-board, board-town (four links, both ways), town-farmers
    assert pairs == ["pair-board--farmers", "pair-town--board", "pair-town--farmers"]
    links = re.findall(r'class="cb-link cb-l-(helps|hurts)" id="(edge-[a-z0-9-]+)"', section)
    assert len(links) == 6 and ("hurts", "edge-permits-hurt-room") in links
    town_board = section.split('id="pair-town--board"')[1].split("</section>")[0]
    assert "⇄" in town_board and town_board.count('class="cb-link') == 4
    # the holder's asset, the effect and the target's purpose, then when it was seen and whether realized
    card = section.split('id="edge-permits-for-income"')[1].split("</div>")[0]
    assert "<strong>Town</strong>: Planning permits for land use." in card
    assert '<span class="cb-helps">helps →</span> <strong>Farmers</strong>: Keep farm incomes stable.' in card
    assert 'Seen: Envisioning the deal, <a href="#event-covenant">12 June 2003</a> · Realized: yes' in card
    # each actor's card links to its pairs
    town = body.split('id="actor-town"')[1].split("</section>")[0]
    assert '<a href="#pair-town--board">Water board</a> (4)' in town


def test_findings_link_each_term_to_its_definition(fixture_pages):
    body = fixture_pages["cases/river-town-example.md"].body
    findings = body.split('<ul class="cb-findings">')[1].split("</ul>")[0]
    assert '<a href="../../concepts/#makeable-deal">makeable deal</a>' in findings
    assert '<a href="../../patterns/latent-deal/">recognized only in hindsight</a>' in findings


def test_finding_terms_link_once_per_finding():
    runs = render.finding_runs("2 cycles and 3 cycles; one-way dependences.", "")
    assert [r.get("href") for r in runs if "href" in r] == ["patterns/cycle/", "patterns/one-way-dependence/"]
    assert "".join(r["text"] for r in runs) == "2 cycles and 3 cycles; one-way dependences."


def test_network_picture_uses_the_drawings_positions_and_escapes_labels():
    case = check_paths([DATA / "valid"]).cases[0]
    data = network_data(case)
    data["nodes"][0]["label"] = '<b>"x"</b>'
    picture = network_picture(data, "label")
    assert [(n["x"], n["y"]) for n in picture["nodes"]] == [(n["x"], n["y"]) for n in data["nodes"]]
    assert len(picture["edges"]) == len(data["edges"])
    from builder.templating import render_fragment

    svg = render_fragment("partials/case-network-svg.html", c={"picture": picture, "ids": {"title": "t"}})
    assert "&lt;b&gt;&#34;x&#34;&lt;/b&gt;" in svg and "<b>" not in svg
    assert svg.count("<circle") == len(data["nodes"]) and svg.count('<path d="M') - len(picture["markers"]) == len(
        data["edges"]
    )


def test_the_pictures_caption_keys_each_dot_colour_to_its_sector():
    """Print has no interactive legend: the caption names each sector beside a dot of its colour."""
    case = check_paths([DATA / "valid"]).cases[0]
    data = network_data(case)
    picture = network_picture(data, "label")
    sectors = {a.sector for a in case.actors}
    assert {k["label"].lower() for k in picture["legend"]} == {str(s).lower() for s in sectors}
    from builder.templating import render_fragment

    svg = render_fragment("partials/case-network-svg.html", c={"picture": picture, "ids": {"title": "t"}})
    caption = svg.split("<figcaption>")[1]
    for key in picture["legend"]:
        assert f'<span class="cb-dot" style="background:{key["color"]}"></span>{key["label"]}' in caption
    # Every dot drawn has its colour in the key.
    assert {n["fill"] for n in picture["nodes"]} <= {k["color"] for k in picture["legend"]}


# --- in Chromium: phone width, print, no scripts ----------------------------------------------------------------


def _page(browser, site_url, width, scripts=True):
    context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=scripts)
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(site_url) else r.abort())
    return context, page


def test_no_horizontal_scroll_at_390_px(browser, site_url):
    context, page = _page(browser, site_url, 390)
    wide = {}
    for case_id in REAL_CASES:
        page.goto(site_url + f"cases/{case_id}/")
        width = page.evaluate("document.scrollingElement.scrollWidth")
        if width > 390:
            wide[case_id] = width
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(site_url + "cases/boston-operation-ceasefire/#interdependencies")
    page.screenshot(path=str(SHOTS / "case-390-links.png"))
    page.goto(site_url + "cases/boston-operation-ceasefire/")
    page.screenshot(path=str(SHOTS / "case-390.png"))
    context.close()
    assert wide == {}


def test_desktop_screenshots_and_the_picture_gives_way_to_the_drawing(browser, site_url):
    context, page = _page(browser, site_url, 1280)
    page.goto(site_url + "cases/boston-operation-ceasefire/")
    page.wait_for_selector(".cb-network[data-ready] canvas", timeout=15_000)
    assert page.locator(".cb-svg").is_hidden()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "case-1280.png"))
    page.goto(site_url + "cases/boston-operation-ceasefire/#interdependencies")
    page.screenshot(path=str(SHOTS / "case-1280-links.png"))
    context.close()


def test_without_scripts_the_static_picture_shows(browser, site_url):
    context, page = _page(browser, site_url, 1280, scripts=False)
    page.goto(site_url + "cases/flint-water-crisis/")
    picture = page.locator(".cb-svg svg")
    assert picture.is_visible() and picture.bounding_box()["height"] > 200
    assert page.locator(".cb-svg circle").count() == 12
    assert page.locator(".cb-network-wrap").is_hidden()
    context.close()


def _pdf_pages(pdf: bytes) -> int:
    """Pages in a PDF: its /Type /Page objects (Chromium writes no object streams)."""
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf))


def test_the_page_counter_counts_pages():
    fake = b"<< /Type /Pages /Count 2 >> << /Type /Page >> << /Type/Page /Parent 1 0 R >>"
    assert _pdf_pages(fake) == 2


def test_outcomes_at_phone_width_label_each_part_and_hide_empty_ones(browser, site_url):
    """At 390 px the outcomes table is a list of cards: an empty cell (no before and after figures) shows nothing,
    not its label alone, and the result is labelled."""
    context, page = _page(browser, site_url, 390)
    page.goto(site_url + "cases/boston-operation-ceasefire/")
    cells = page.evaluate(
        """() => [...document.querySelectorAll('.cb-outcomes tbody tr:first-child td')].map(td => [
             td.textContent.trim() === '', getComputedStyle(td).display, getComputedStyle(td, '::before').content])"""
    )
    context.close()
    empty = [c for c in cells if c[0]]
    assert empty and all(display == "none" for _, display, _ in empty), cells
    assert cells[2][2] == '"Result: "', cells


def test_printed_from_the_dark_theme_the_page_has_the_light_colours(browser, site_url):
    """A reader whose system is dark gets Material's slate theme on screen; on paper the page is white with the
    light theme's text and "helps"/"hurts" colours (pale blue on white was about 2:1), with no dark margin."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(site_url) else r.abort())
    page.goto(site_url + "cases/flint-water-crisis/")
    assert page.evaluate("() => document.body.getAttribute('data-md-color-scheme')") == "slate"

    def colours():
        return page.evaluate(
            """() => { const helps = document.querySelector('.cb-helps'), p = document.querySelector('.md-content__inner');
                 return [getComputedStyle(helps).color, getComputedStyle(p).color,
                         getComputedStyle(document.documentElement).backgroundColor,
                         getComputedStyle(document.body).backgroundColor]; }"""
        )

    on_screen = colours()
    page.emulate_media(media="print")
    printed = colours()
    context.close()
    assert on_screen[0] == "rgb(127, 176, 234)"  # the dark theme's light blue, on screen
    assert printed[0] == "rgb(43, 108, 176)"  # the light theme's #2b6cb0 on paper
    assert printed[1] in ("rgb(0, 0, 0)", "rgba(0, 0, 0, 0.87)"), printed  # dark text, not the slate theme's light
    assert printed[2] in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)") and printed[3] == "rgb(255, 255, 255)", printed


@pytest.mark.parametrize("case_id", REAL_CASES)
def test_a_printed_case_fits_12_a4_pages_with_its_network(browser, site_url, case_id):
    context, page = _page(browser, site_url, 1280)
    page.goto(site_url + f"cases/{case_id}/")
    page.emulate_media(media="print")
    page.set_viewport_size({"width": 711, "height": 1000})  # A4 less the print margins, at 96 px per inch
    picture = page.locator(".cb-svg svg")
    assert picture.is_visible() and picture.bounding_box()["height"] > 150
    assert page.locator(".cb-svg text").count() >= 2
    assert page.locator(".md-sidebar").first.is_hidden() and page.locator(".md-header").is_hidden()
    # Tables fit the page width: nothing in the content is wider than its column.
    too_wide = page.evaluate(
        """() => [...document.querySelectorAll('.md-typeset table')].filter(
             t => t.getBoundingClientRect().right > document.querySelector('.md-content').getBoundingClientRect().right + 1
           ).length"""
    )
    # No actor card is split between the two columns (a split box has a rectangle in each).
    split_cards = page.evaluate(
        "() => [...document.querySelectorAll('.cb-actor')].filter(a => a.getClientRects().length > 1).map(a => a.id)"
    )
    assert split_cards == []
    pdf = page.pdf(format="A4")
    context.close()
    pages = _pdf_pages(pdf)
    if case_id == "flint-water-crisis":  # the longest case
        SHOTS.mkdir(parents=True, exist_ok=True)
        (SHOTS / "flint-print.pdf").write_bytes(pdf)
        if shutil.which("pdftoppm"):
            subprocess.run(
                [
                    "pdftoppm",
                    "-r",
                    "60",
                    "-png",
                    "-f",
                    "1",
                    "-l",
                    "3",
                    str(SHOTS / "flint-print.pdf"),
                    str(SHOTS / "print"),
                ],
                check=True,
            )
    assert too_wide == 0
    assert 1 <= pages <= 12, f"{case_id} prints to {pages} A4 pages"


def test_a_term_for_a_pattern_the_case_does_not_show_links_to_its_rule():
    runs = render.finding_runs("No makeable deals (reciprocal pairs or cycles of help).", "", shown={"broker"})
    hrefs = [r["href"] for r in runs if "href" in r]
    assert hrefs == [
        "concepts/#makeable-deal",
        "patterns/reciprocal-pair/#the-exact-rule",
        "patterns/cycle/#the-exact-rule",
    ]


def test_each_case_legend_explains_only_the_lines_its_network_draws(built_site, corpus):
    """A legend entry for a kind of line the drawing never uses (a dotted "not known" link in a case where every
    link is dated) only puzzles a reader; each case's legend lists the kinds its links have."""
    for case in corpus.cases:
        page = (built_site / "cases" / case.id / "index.html").read_text("utf-8")
        legend = page[page.index('<ul class="cb-legend">') :].split("</ul>", 1)[0]
        edges = case.interdependencies
        assert ("when it was seen is not known" in legend) == any(e.recognized == "unknown" for e in edges), case.id
        assert ("unseen: never recognized" in legend) == any(e.recognized in ("hindsight", "never") for e in edges)
        assert ("cb-line-hurts" in legend) == any(e.effect == "hurts" for e in edges), case.id
