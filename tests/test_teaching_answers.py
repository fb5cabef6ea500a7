"""The teaching materials keep the answer for the instructor and read cleanly (an instructor's report, #teachfix).

- The student packet of a reading list carries each case without anything that states who helps whom: no
  network drawing, no Interdependencies section, no findings, no "what each would have done alone", no
  similar cases (they name the patterns the analysis found), no teaching notes (instructor material), no
  "Links with" list on the actor cards, no list of interdependencies an agreement put to use. The
  instructor's packet keeps them all.
- Items joined in generated text never read ".;" (full sentences are joined with a space).
- The exercise's asset choice starts empty and a guess needs one; its options fit a phone; a makeable deal
  counts as found only when every step was guessed with an asset the case records for that step.

Every page check runs in real Chromium (conftest's ``browser``) on a built site served on 127.0.0.1.
Screenshots (1280 and 390 px; the exercise light and dark) and the two printed packets (PDF) go to
$CASEBOOK_SHOTS (default /tmp/teaching-shots).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from builder.templating import ends_sentence, join_items
from conftest import guard_page, require_chromium

SHOTS = Path(os.environ.get("CASEBOOK_SHOTS", "/tmp/teaching-shots"))
LIST = "spotting-interdependence"
FIXTURE = "river-town-example"
EXERCISE = f"teaching/case/exercise/?case={FIXTURE}"

#: The case page's sections that state who helps whom (their heading ids), left out of the student packet.
ANSWER_SECTIONS = (
    "what-the-analysis-finds",
    "the-network-of-interdependence",
    "interdependencies",
    "what-each-would-have-done-alone",
    "teaching-notes",
    "similar-cases",
)
#: Markers of the answer inside the kept sections and of the answer sections themselves.
ANSWER_MARKERS = ".cb-pairs, .cb-link, .cb-findings, .cb-svg, .cb-network, .cb-network-wrap, .cb-al, .cb-similar"


@pytest.fixture
def chromium(request):
    require_chromium()
    return request.getfixturevalue("browser")


def _page(browser, base, width=1280, height=900, scheme="light"):
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
    pg = context.new_page()
    guard_page(pg, base)
    return context, pg


def _built(pg):
    pg.wait_for_selector(".cb-teach[data-ready='1']", state="attached", timeout=30_000)
    return pg.inner_text("article")


def _answer_ids(pg, case_ids):
    """The answer sections' headings present in a packet, as (case id, section id)."""
    ids = set(pg.eval_on_selector_all("article [id]", "els => els.map(e => e.id)"))
    return {(c, s) for c in case_ids for s in ANSWER_SECTIONS if f"{c}-{s}" in ids}


def test_join_items_never_puts_a_semicolon_after_a_full_stop():
    assert join_items(["Reduce gun violence in Boston.", "Win the support of the community."]) == (
        "Reduce gun violence in Boston. Win the support of the community."
    )
    assert join_items(["Boston Police", "ATF", "Harvard"]) == "Boston Police; ATF; Harvard"
    assert join_items(["Asks (since 2009).", "The municipality's plan"]) == "Asks (since 2009). The municipality's plan"
    assert join_items(['He said "stop."', "then"]) == 'He said "stop." then'
    assert join_items([]) == ""
    assert ends_sentence("Why?") and ends_sentence("Wait…") and not ends_sentence("Police (BPD)")


def test_student_packet_leaves_out_the_answer_and_the_instructors_keeps_it(chromium, site_url, corpus):
    reading = next(r for r in corpus.reading_lists if r.id == LIST)
    cases = {c.id: c for c in corpus.cases}
    case_ids = [item.case for item in reading.items]
    SHOTS.mkdir(parents=True, exist_ok=True)
    context, page = _page(chromium, site_url)
    try:
        page.goto(site_url + f"teaching/packet/?list={LIST}")
        student = _built(page)
        assert page.locator(".cb-packet-case").count() == len(case_ids)
        assert page.locator(f".cb-packet-text :is({ANSWER_MARKERS})").count() == 0
        assert _answer_ids(page, case_ids) == set()
        for marker in ("helps →", "hurts →", "Seen: ", "Links with", "What the analysis finds", "Patterns in this"):
            assert marker not in student, marker
        for cid in case_ids:
            case = cases[cid]
            # No interdependency's own description, and no counterfactual, is printed for the student (the deal's
            # commitments stay: what each party was bound to do, which may repeat a link's description, but
            # not whose purpose it served) ...
            committed = [x.commitment for d in (case.deal, *case.agreements) for x in d.commitments]
            leaks = [
                e.id
                for e in case.interdependencies
                if e.description[:80] in student and not any(e.description[:80] in x for x in committed)
            ]
            assert leaks == [], (cid, leaks)
            assert not [x.alone for x in case.counterfactuals if x.alone[:80] in student], cid
            # ... but the case is there: its summary, its actors with their assets, and an exercise sheet.
            assert case.summary.split(".")[0] in " ".join(student.split())
            for actor in case.actors:
                assert page.locator(f"#{cid}-actor-{actor.id}").count() == 1, (cid, actor.id)
            assert page.locator(f"#{cid}-sheet").count() == 1
        assert "without their interdependencies, network or analysis" in student
        page.screenshot(path=str(SHOTS / "packet-student-1280.png"))
        # Every sheet has the same rows, more than any case of the casebook has links: the rows tell nothing.
        rows = page.eval_on_selector_all(".cb-sheet", "ss => ss.map(s => s.querySelectorAll('tbody tr').length)")
        most = max(len(c.interdependencies) for c in cases.values())
        assert len(set(rows)) == 1 and rows[0] > most, (rows, most)
        page.emulate_media(media="print")
        # On paper the asset and purpose columns are the widest, "helps or hurts" the narrowest.
        widths = page.eval_on_selector_all(
            ".cb-sheet th",
            "ts => ts.slice(0, 5).map(t => t.getBoundingClientRect().width)",
        )
        assert widths[2] == min(widths) and min(widths[1], widths[4]) > max(widths[0], widths[3]), widths
        page.pdf(path=str(SHOTS / "packet-student.pdf"), format="A4")
        page.screenshot(path=str(SHOTS / "packet-student-print-1280.png"), full_page=True)
        page.emulate_media(media="screen")
        assert page.errors == [] and page.offsite == []

        page.goto(site_url + f"teaching/packet/?list={LIST}&for=instructor")
        instructor = _built(page)
        for marker in ("helps →", "Seen: ", "What the analysis finds"):
            assert marker in instructor, marker
        for cid in case_ids:
            case = cases[cid]
            sections = {s for c, s in _answer_ids(page, [cid])}
            expected = {"what-the-analysis-finds", "the-network-of-interdependence", "interdependencies"}
            expected |= {"what-each-would-have-done-alone"} if case.counterfactuals else set()
            assert expected <= sections, (cid, expected - sections)
            art = page.locator(".cb-packet-case").nth(case_ids.index(cid))
            assert art.locator(".cb-packet-text .cb-link").count() == len(case.interdependencies), cid
            assert art.locator(".cb-packet-text .cb-findings").count() == 1, cid
            assert art.locator(".cb-packet-text .cb-svg").count() == 1, cid
        page.screenshot(path=str(SHOTS / "packet-instructor-top-1280.png"))
        page.emulate_media(media="print")
        page.pdf(path=str(SHOTS / "packet-instructor.pdf"), format="A4")
        assert page.errors == [] and page.offsite == []
    finally:
        context.close()
    context, page = _page(chromium, site_url, width=390, height=844)
    try:
        page.goto(site_url + f"teaching/packet/?list={LIST}")
        _built(page)
        page.locator(f"#{case_ids[0]}-sheet").scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "packet-student-sheet-390.png"))
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


def _sheet_items(page):
    return page.locator(".cb-sheet-actors li").all_inner_texts()


def test_joined_sentences_read_cleanly_on_the_briefs_and_the_sheets(chromium, site_url, corpus):
    """The role briefs' "Everyone at the table" and the packet's exercise sheets join full sentences with a
    space: no ".;" anywhere in them, for every case of the list (the Boston case's purposes are sentences)."""
    reading = next(r for r in corpus.reading_lists if r.id == LIST)
    context, page = _page(chromium, site_url)
    try:
        boston = next(c for c in corpus.cases if c.id == "boston-operation-ceasefire")
        for cid in ("boston-operation-ceasefire", reading.items[0].case):
            page.goto(site_url + f"teaching/case/roles/?case={cid}")
            _built(page)
            table = page.inner_text(".cb-brief-table")
            assert ".;" not in table, cid
            assert "Purposes: " in table
            if cid == boston.id:
                # Hand-checked: the Boston police's purposes are full sentences, now joined with a space.
                actor = next(a for a in boston.actors if len(a.purposes) > 1)
                first, second = actor.purposes[:2]
                assert first.description.endswith(".")
                assert f"{first.description} {second.description}" in " ".join(table.split())
            others = page.locator(".cb-brief:not(.cb-brief-table)").first.inner_text()
            assert ".;" not in others and ". ." not in others, cid
        page.goto(site_url + f"teaching/packet/?list={LIST}")
        _built(page)
        items = _sheet_items(page)
        assert items and not [t for t in items if ".;" in t]
        joined = [t for t in items if re.search(r"\w\. \w", t)]
        assert joined, "some actor holds two or more assets written as sentences"
        assert page.errors == []
    finally:
        context.close()


def test_case_pages_join_committed_assets_without_dot_semicolon(built_site):
    for path in sorted((built_site / "cases").glob("*/index.html")):
        for assets in re.findall(r"Assets: ([^<]*)</span>", path.read_text("utf-8")):
            assert ".;" not in assets, (path.parent.name, assets[:120])


def _ready(pg):
    pg.wait_for_selector(".cb-exercise[data-ready] .cb-guess-form:not([hidden])")
    pg.evaluate("window.localStorage.clear()")
    pg.reload()
    pg.wait_for_selector(".cb-exercise[data-ready] .cb-guess-form:not([hidden])")


def _score(pg):
    return json.loads(pg.locator(".cb-score-summary").get_attribute("data-score"))


def test_the_asset_starts_empty_and_a_guess_needs_one(chromium, fixture_url):
    context, page = _page(chromium, fixture_url)
    try:
        page.goto(fixture_url + EXERCISE)
        _ready(page)
        form = page.locator(".cb-guess-form")
        asset = form.locator("select[name=asset]")
        assert asset.input_value() == ""
        assert asset.locator("option").first.inner_text() == "choose an asset"
        form.locator("select[name=holder]").select_option("town")
        assert asset.input_value() == "", "choosing a holder does not choose an asset"
        form.locator("select[name=target]").select_option("board")
        form.locator("button[type=submit]").click()
        assert page.locator(".cb-guess-list li").count() == 0
        assert page.inner_text(".cb-guess-count").startswith("Choose the asset ")
        assert "before adding the guess" in page.inner_text(".cb-guess-count")
        assert asset.get_attribute("aria-invalid") == "true"
        assert page.evaluate("document.activeElement.name") == "asset"
        asset.select_option("budget")
        assert asset.get_attribute("aria-invalid") is None
        chosen = page.locator(".cb-asset-chosen")
        assert chosen.is_visible() and chosen.inner_text().startswith("Asset chosen: ")
        form.locator("button[type=submit]").click()
        assert page.locator(".cb-guess-list li").count() == 1
        assert page.errors == []
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_asset_choices_fit_a_phone_and_show_in_full_once_chosen(chromium, site_url, scheme):
    """Boston's assets are long sentences: at 390 px every select stays inside the page, the options are
    shortened with "…" (full text in their title), and the chosen asset is printed in full under the form."""
    context, page = _page(chromium, site_url, width=390, height=844, scheme=scheme)
    try:
        page.goto(site_url + "teaching/case/exercise/?case=boston-operation-ceasefire")
        _ready(page)
        form = page.locator(".cb-guess-form")
        options = form.locator("select[name=asset] option")
        texts = options.all_inner_texts()
        assert texts[0] == "choose an asset" and len(texts) > 1
        long = [i for i in range(1, len(texts)) if options.nth(i).get_attribute("title")]
        assert long, "Boston's first actor has an asset too long to show whole"
        for i in range(1, len(texts)):
            assert len(texts[i]) <= 35, texts[i]
        i = long[0]
        full = options.nth(i).get_attribute("title")
        assert texts[i].endswith("…") and full.startswith(texts[i][:-1].rstrip())
        form.locator("select[name=asset]").select_option(index=i)
        assert page.inner_text(".cb-asset-chosen") == "Asset chosen: " + full
        for name in ("holder", "asset", "effect", "target"):
            box = form.locator(f"select[name={name}]").bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390, (name, box)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        SHOTS.mkdir(parents=True, exist_ok=True)
        form.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"exercise-asset-390-{scheme}.png"))
        assert page.errors == []
    finally:
        context.close()
    context, page = _page(chromium, site_url, width=1280, height=900, scheme=scheme)
    try:
        page.goto(site_url + "teaching/case/exercise/?case=boston-operation-ceasefire")
        _ready(page)
        page.locator(".cb-guess-form select[name=asset]").select_option(index=1)
        page.locator(".cb-guess-form").scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / f"exercise-asset-1280-{scheme}.png"))
    finally:
        context.close()


def test_a_deal_guessed_with_another_asset_is_not_counted_as_found(chromium, fixture_url):
    """The fixture's one makeable deal is Water board ⇄ Town (board's flood data helps the town; the town's
    budget helps the board). Guessing the town → board step with its permits (not a real asset of that step:
    the permits hurt the board) gives the right pairs on the wrong grounds: 0 deals found, 1 with another
    asset, and the step itself is "right pair, other asset". With the budget, the deal is found."""
    context, page = _page(chromium, fixture_url)
    try:
        page.goto(fixture_url + EXERCISE)
        _ready(page)
        form = page.locator(".cb-guess-form")

        def guess(holder, asset, target):
            form.locator("select[name=holder]").select_option(holder)
            form.locator("select[name=asset]").select_option(asset)
            form.locator("select[name=effect]").select_option("helps")
            form.locator("select[name=target]").select_option(target)
            form.locator("button[type=submit]").click()

        guess("board", "flood-data", "town")
        guess("town", "permits", "board")
        page.locator(".cb-reveal-network").click()
        assert _score(page) == {
            "hits": 1,
            "near": 1,
            "wrong": 0,
            "missed": 5,
            "deals": 0,
            "dealsOtherAsset": 1,
            "latent": 0,
        }
        summary = page.inner_text(".cb-score-summary")
        assert "Makeable deals the room found (every step guessed with an asset the case records for it): 0 of 1." in (
            summary
        )
        assert "Deals with the right pairs but another asset on some step (not counted as found): 1." in summary
        assert page.locator(".cb-score-deals .cb-verdict").all_inner_texts() == ["right pairs, other asset"]
        guess("town", "budget", "board")
        assert _score(page)["deals"] == 1 and _score(page)["dealsOtherAsset"] == 0
        assert page.locator(".cb-score-deals .cb-verdict").all_inner_texts() == ["found"]
        assert page.errors == []
    finally:
        context.close()
