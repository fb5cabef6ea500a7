"""The teaching pages: the makeable-deals exercise (hide, guess, reveal, score), role briefs, the instructor's
debrief and the student and instructor packets of each reading list. They are shared shells that teaching.js
fills from each case's own page and data/cases/<id>.json, so every check here runs in real Chromium.

Browser tests use Debian's Chromium through Playwright (conftest's ``browser``), on a built site served on
127.0.0.1 with every other host blocked. Screenshots of the exercise before and after the reveal, at 1280 and
390 px, go to /tmp/teaching-shots/ (or $CASEBOOK_SHOTS).
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

import pytest

from builder import analyze
from builder.validate import check_paths
from conftest import DATA, guard_page, require_chromium, serve_site

SHOTS = Path(os.environ.get("CASEBOOK_SHOTS", "/tmp/teaching-shots"))
FIXTURE = "river-town-example"
EXERCISE = f"teaching/case/exercise/?case={FIXTURE}"
ROLES = f"teaching/case/roles/?case={FIXTURE}"
DEBRIEF = f"teaching/case/debrief/?case={FIXTURE}"
#: The shared teaching pages, whatever the number of cases.
SHELLS = ("teaching/case/exercise", "teaching/case/roles", "teaching/case/debrief", "teaching/packet")

#: The fixture's interdependencies, as written in tests/data/valid/river-town-example.yaml.
EDGE_TEXTS = (
    "Fields could flood in high water",
    "Engineering that lowers flood levels",
    "Permits for farm diversification",
    "Flood maps show where housing",
    "Co-funding for the bypass",
    "Building permits on the floodplain",
)

#: Five guesses on the fixture, checked by hand against its six interdependencies and its one makeable deal
#: (Water board ⇄ Town, latent: the town's budget for the board's floodplain was seen only in hindsight):
#: farmers' land → board helps: hit (land-for-room); town's budget → board helps: hit (budget-for-room);
#: board's flood data → town helps: hit (data-for-growth); board's engineers → farmers helps: wrong (the board
#: holds nothing for the farmers); town's budget → farmers helps: right pair, other asset (it is the permits).
#: Missed: engineers-for-safety, permits-for-income, permits-hurt-room. The deal board ⇄ town has both steps
#: guessed (board → town, town → board), so it is found, and it is the latent one.
GUESSES = (
    ("farmers", "land", "helps", "board"),
    ("town", "budget", "helps", "board"),
    ("board", "flood-data", "helps", "town"),
    ("board", "engineers", "helps", "farmers"),
    ("town", "budget", "helps", "farmers"),
)
EXPECTED_SCORE = {"hits": 3, "near": 1, "wrong": 1, "missed": 3, "deals": 1, "dealsOtherAsset": 0, "latent": 1}


def _page(browser, base, width=1280, height=900):
    context = browser.new_context(viewport={"width": width, "height": height})
    pg = context.new_page()
    guard_page(pg, base)
    return context, pg


@pytest.fixture
def chromium(request):
    """conftest's session Chromium, or a skip (a failure in CI) where Debian's chromium is missing."""
    require_chromium()
    return request.getfixturevalue("browser")


@pytest.fixture
def page(chromium, fixture_url):
    context, pg = _page(chromium, fixture_url)
    yield pg
    context.close()


def _ready(pg):
    pg.wait_for_selector(".cb-exercise[data-ready] .cb-guess-form:not([hidden])")


def _built(pg, timeout=20_000):
    """Wait until teaching.js has built the page from its case's (or list's) page."""
    pg.wait_for_selector(".cb-teach[data-ready='1']", state="attached", timeout=timeout)
    return html.unescape(pg.inner_text("article"))


def _guess(pg, holder, asset, effect, target):
    form = pg.locator(".cb-guess-form")
    form.locator("select[name=holder]").select_option(holder)
    form.locator("select[name=asset]").select_option(asset)
    form.locator("select[name=effect]").select_option(effect)
    form.locator("select[name=target]").select_option(target)
    form.locator("button[type=submit]").click()


def _findings():
    checked = check_paths([DATA / "valid"])
    case = checked.cases[0]
    return analyze.summarize(analyze.analyze(case))


def test_exercise_hides_links_and_analysis_before_the_reveal(page, fixture_url):
    page.goto(fixture_url + EXERCISE)
    _ready(page)
    visible = page.inner_text("body")
    # The actors, their purposes and their assets are there ...
    for text in ("Regional water board", "Widen the river's floodplain.", "Low-lying fields along the river."):
        assert text in visible
    # ... but no interdependency, no recognition stage, and nothing the analysis finds.
    for text in EDGE_TEXTS + ("Recognized:", "latent", "makeable deal (a", "reciprocal pair"):
        assert text not in visible, text
    for sentence in _findings():
        assert sentence not in visible
        assert sentence not in page.content(), "analysis sentences stay off the student's page entirely"
    # No network in the document until the reveal: it waits in an inert template.
    assert page.locator(".cb-network").count() == 0
    assert page.locator("canvas").count() == 0
    assert page.locator(".cb-score").is_hidden()
    assert page.errors == [] and page.offsite == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "exercise-before-1280.png"), full_page=True)


def test_guesses_survive_a_reload_and_clear(page, fixture_url):
    page.goto(fixture_url + EXERCISE)
    _ready(page)
    page.evaluate("window.localStorage.clear()")
    page.reload()
    _ready(page)
    _guess(page, *GUESSES[0])
    _guess(page, *GUESSES[1])
    _guess(page, *GUESSES[1])  # the same guess twice is kept once
    assert page.locator(".cb-guess-list li").count() == 2
    page.reload()
    _ready(page)
    items = page.locator(".cb-guess-list li")
    assert items.count() == 2
    assert "Farmers → Water board (helps): Low-lying fields along the river." in items.nth(0).inner_text()
    stored = json.loads(page.evaluate(f"window.localStorage.getItem('casebook-exercise:{FIXTURE}')"))
    assert stored == [
        {"holder": "farmers", "asset": "land", "target": "board", "effect": "helps"},
        {"holder": "town", "asset": "budget", "target": "board", "effect": "helps"},
    ]
    page.locator(".cb-guess-remove").first.click()
    assert page.locator(".cb-guess-list li").count() == 1
    page.locator(".cb-guess-clear").click()
    assert page.locator(".cb-guess-list li").count() == 0
    page.reload()
    _ready(page)
    assert page.locator(".cb-guess-list li").count() == 0
    assert page.evaluate(f"window.localStorage.getItem('casebook-exercise:{FIXTURE}')") is None
    assert page.errors == []


@pytest.mark.parametrize("width", [1280, 390])
def test_reveal_draws_the_network_and_scores_the_guesses(chromium, fixture_url, width):
    context, page = _page(chromium, fixture_url, width=width, height=900 if width > 400 else 844)
    try:
        page.goto(fixture_url + EXERCISE)
        _ready(page)
        page.evaluate("window.localStorage.clear()")
        for guess in GUESSES:
            _guess(page, *guess)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"exercise-guesses-{width}.png"), full_page=True)
        page.locator(".cb-reveal-network").click()
        page.wait_for_selector(".cb-score .cb-network[data-ready] canvas", timeout=10_000)
        box = page.locator(".cb-score .cb-network canvas").first.bounding_box()
        assert box["width"] > 200 and box["height"] > 200
        score = json.loads(page.locator(".cb-score-summary").get_attribute("data-score"))
        assert score == EXPECTED_SCORE
        summary = page.locator(".cb-score-summary").inner_text()
        assert "Hits: 3 of the 6 real interdependencies." in summary
        assert "Latent deals the room found (the real parties had not seen them by the time of agreement): 1 of 1." in (
            summary
        )
        verdicts = page.locator(".cb-score-guesses .cb-verdict").all_inner_texts()
        assert verdicts == ["hit", "hit", "hit", "not in the case", "right pair, other asset"]
        missed = page.locator(".cb-score-missed li").all_inner_texts()
        assert len(missed) == 3 and any("Hydraulic engineers" in m for m in missed)
        # Removing a guess after the reveal re-scores at once.
        page.locator(".cb-guess-remove").nth(1).click()
        score = json.loads(page.locator(".cb-score-summary").get_attribute("data-score"))
        assert score == {"hits": 2, "near": 1, "wrong": 1, "missed": 4, "deals": 0, "dealsOtherAsset": 0, "latent": 0}
        page.locator(".cb-guess-clear").click()
        for guess in GUESSES:
            _guess(page, *guess)
        page.screenshot(path=str(SHOTS / f"exercise-after-{width}.png"), full_page=True)
        assert page.errors == [] and page.offsite == []
    finally:
        context.close()


def test_exercise_shell_golden(golden):
    """The exercise is one shared shell: no case's text is in it (the golden is checked by hand)."""
    from builder.pipeline import build_pages

    site = build_pages(DATA / "valid")
    golden("exercise-shell.html", site.pages["teaching/case/exercise.md"].body)


def test_teaching_pages_are_shared_shells_without_case_text(fixture_site):
    """Four shared pages whatever the number of cases, and none carries any case's text."""
    assert not (fixture_site / "teaching" / "cases").exists()
    for shell in SHELLS:
        body = html.unescape((fixture_site / shell / "index.html").read_text("utf-8"))
        for text in EDGE_TEXTS + ("Regional water board", "Widen the river's floodplain.", FIXTURE):
            assert text not in body, (shell, text)
        assert "needs JavaScript" in body


def test_answer_key_and_deals_of_the_fixture():
    from builder.teaching import answer_key

    checked = check_paths([DATA / "valid"])
    case = checked.cases[0]
    key = answer_key(case, analyze.analyze(case).to_dict())
    assert len(key["edges"]) == 6
    assert key["deals"] == [
        {
            "kind": "pair",
            "actors": ["board", "town"],
            "steps": [["board", "town"], ["town", "board"]],
            "latent": True,
            "recognized": "hindsight",
            "seen": "seen only in hindsight",
        }
    ]


def test_role_briefs_keep_the_answer_key_off(page, fixture_url):
    page.goto(fixture_url + ROLES)
    roles = _built(page)
    assert page.locator(".cb-brief").count() == 4  # everyone at the table, then one per actor
    assert page.locator(".cb-brief:not(.cb-brief-table)").count() == 3
    for text in ("You are: River Town council", "Keep farming viable.", "It would have raised the dikes instead."):
        assert text in roles
    for text in EDGE_TEXTS:
        assert text not in roles
        assert text not in page.content()
    assert "Who has something I could use for my purposes?" in roles
    assert page.title().startswith("Role briefs: ")
    assert page.errors == [] and page.offsite == []
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "roles-1280.png"))


def test_debrief_follows_the_stages(page, fixture_url):
    page.goto(fixture_url + DEBRIEF)
    article = _built(page)
    stages = [
        "Recognizing the interdependence",
        "Creating a mutual sense of it",
        "The holding environment",
        "The dimensions of value",
        "Envisioning the deal",
    ]
    headings = page.locator(".cb-debrief h2").all_inner_texts()
    positions = [headings.index(s) for s in stages]
    assert positions == sorted(positions)
    assert headings[0] == "How many makeable deals?"
    assert "Who saw the interdependence first?" in article
    assert "What kept the farmers at the table?" in article
    assert "Which deal was left on the table?" in article
    assert "latent: seen only in hindsight" in article
    assert "The case has 1 makeable deal" in article
    for sentence in _findings():
        assert sentence in article
    assert page.errors == [] and page.offsite == []
    page.screenshot(path=str(SHOTS / "debrief-1280.png"))


def test_teaching_pages_say_what_needs_javascript(chromium, fixture_url):
    context = chromium.new_context(java_script_enabled=False)
    try:
        pg = context.new_page()
        for path in (EXERCISE, ROLES, DEBRIEF, "teaching/packet/?list=x"):
            pg.goto(fixture_url + path)
            status = pg.locator(".cb-teach-status")
            assert "needs JavaScript" in status.inner_text()
            assert status.locator("a").first.get_attribute("href").endswith(("cases/", "reading-lists/"))
    finally:
        context.close()


def test_a_teaching_page_without_a_case_says_how_to_choose_one(page, fixture_url):
    page.goto(fixture_url + "teaching/case/roles/")
    page.wait_for_selector(".cb-teach[data-ready='error']", state="attached")
    assert "needs one named in its address" in page.inner_text(".cb-teach-status")
    page.goto(fixture_url + "teaching/case/roles/?case=no-such-case")
    page.wait_for_selector(".cb-teach[data-ready='error']", state="attached")
    assert "Could not load the case." in page.inner_text(".cb-teach-status")


def test_case_page_links_to_its_teaching_pages(fixture_site):
    page = (fixture_site / "cases" / FIXTURE / "index.html").read_text("utf-8")
    for kind in ("exercise", "roles", "debrief"):
        assert f'href="../../teaching/case/{kind}/?case={FIXTURE}"' in page
        assert (fixture_site / "teaching" / "case" / kind / "index.html").exists()


def _packets(page, url, reading):
    """The student and instructor packets of a reading list as their article text, and the instructor's ids."""
    page.goto(url + f"teaching/packet/?list={reading.id}")
    student = _built(page)
    assert page.locator(".cb-packet-case").count() == len(reading.items)
    assert page.locator(".cb-sheet").count() == len(reading.items)
    assert page.locator(".cb-debrief").count() == 0
    page.goto(url + f"teaching/packet/?list={reading.id}&for=instructor")
    instructor = _built(page)
    assert page.locator(".cb-packet-case").count() == len(reading.items)
    assert page.locator(".cb-packet-debrief .cb-debrief").count() == len(reading.items)
    ids = page.eval_on_selector_all("article [id]", "els => els.map(e => e.id)")
    return student, instructor, ids


def test_packets_carry_the_lists_questions_and_keep_the_debrief_for_the_instructor(chromium, site_url, corpus):
    by_id = {c.id: c for c in corpus.cases}
    context, page = _page(chromium, site_url)
    try:
        for reading in corpus.reading_lists:
            student, instructor, ids = _packets(page, site_url, reading)
            for packet in (student, instructor):
                for item in reading.items:
                    assert by_id[item.case].title in packet
                    for q in item.questions:
                        assert q in packet, q
                for q in reading.closing_questions:
                    assert q in packet
            for item in reading.items:
                findings = analyze.summarize(analyze.analyze(by_id[item.case]))
                assert findings[0] in instructor
                assert findings[0] not in student
            assert "How many makeable deals?" in instructor and "How many makeable deals?" not in student
            assert "What the analysis finds" in instructor and "What the analysis finds" not in student
            assert len(ids) == len(set(ids)), "element ids are unique in a packet"
        assert page.errors == [] and page.offsite == []
        page.screenshot(path=str(SHOTS / "packet-instructor-1280.png"))
    finally:
        context.close()


def test_each_case_starts_a_new_printed_page(chromium, site_url, corpus):
    reading = corpus.reading_lists[0]
    context, page = _page(chromium, site_url)
    try:
        for kind in ("", "&for=instructor"):
            page.goto(site_url + f"teaching/packet/?list={reading.id}{kind}")
            _built(page)
            page.emulate_media(media="print")
            breaks = page.eval_on_selector_all(
                ".cb-packet-case", "els => els.map(e => getComputedStyle(e).breakBefore)"
            )
            assert breaks == ["page"] * len(reading.items), kind
            pdf = page.pdf(format="A4")
            assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") > len(reading.items), kind
            page.emulate_media(media="screen")
        page.goto(site_url + f"teaching/case/roles/?case={reading.items[0].case}")
        _built(page)
        page.emulate_media(media="print")
        breaks = page.eval_on_selector_all(".cb-brief", "els => els.map(e => getComputedStyle(e).breakBefore)")
        assert len(breaks) > 1 and breaks[1:] == ["page"] * (len(breaks) - 1)
        # The printed briefs carry no answer key: no interdependency's description is on the page.
        case = next(c for c in corpus.cases if c.id == reading.items[0].case)
        text = page.inner_text("article")
        assert not [e.description for e in case.interdependencies if e.description[:60] in text]
    finally:
        context.close()


#: Rules the theme itself breaks (as in test_browser.py); packets repeat the nav labels of several cases.
THEME_RULES = {"aria-dialog-name"}
PACKET_RULES = {"landmark-unique"}


@pytest.mark.parametrize(
    "path",
    [
        "teaching/case/exercise/?case=vancouver-agreement",
        "teaching/case/roles/?case=vancouver-agreement",
        "teaching/case/debrief/?case=vancouver-agreement",
        "teaching/packet/?list=spotting-interdependence&for=instructor",
    ],
)
def test_teaching_pages_pass_axe(chromium, site_url, path):
    from axe_playwright_python.sync_playwright import Axe

    context, page = _page(chromium, site_url)
    try:
        page.goto(site_url + path)
        _built(page)
        if "exercise/" in path:
            _ready(page)
            _guess(
                page,
                "city-of-vancouver",
                page.locator("select[name=asset] option").nth(1).get_attribute("value"),
                "helps",
                "province-of-british-columbia",
            )
            page.locator(".cb-reveal-network").click()
            page.wait_for_selector(".cb-score .cb-network[data-ready] canvas", timeout=10_000)
        allowed = THEME_RULES | (PACKET_RULES if "packet" in path else set())
        violations = [
            (v["id"], [n["target"] for n in v["nodes"][:3]])
            for v in Axe().run(page).response["violations"]
            if v["id"] not in allowed
        ]
        assert violations == []
        assert page.errors == []
    finally:
        context.close()


@pytest.fixture(scope="module")
def payload_url(payload_site):
    server, url = serve_site(payload_site)
    yield url
    server.shutdown()
    server.server_close()


def test_hostile_case_text_stays_text_on_the_teaching_pages(chromium, payload_url):
    """Every free-text field of the case carries script payloads (tests/payloads.py): the exercise (guesses,
    score and network tips are set with textContent), the briefs, the debrief and both packets keep them text."""
    context, page = _page(chromium, payload_url)
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.goto(payload_url + "teaching/case/exercise/?case=boston-operation-ceasefire")
        _ready(page)
        form = page.locator(".cb-guess-form")
        form.locator("select[name=asset]").select_option(index=1)
        form.locator("select[name=target]").select_option(index=2)
        form.locator("button[type=submit]").click()
        assert "<script>window.__pwned=1</script>" in page.locator(".cb-guess-list").inner_text()
        page.locator(".cb-reveal-network").click()
        page.wait_for_selector(".cb-score .cb-network[data-ready] canvas", timeout=10_000)
        assert "<script>window.__pwned=1</script>" in page.locator(".cb-score-missed").inner_text()
        pages = [
            "teaching/case/roles/?case=boston-operation-ceasefire",
            "teaching/case/debrief/?case=boston-operation-ceasefire",
            "teaching/packet/?list=holding-environments",
            "teaching/packet/?list=holding-environments&for=instructor",
        ]
        for path in [None, *pages]:
            if path:
                page.goto(payload_url + path)
                _built(page)
            assert page.evaluate("() => typeof window.__pwned") == "undefined", path
            assert page.locator("img[src=x]").count() == 0, path
        assert dialogs == []
    finally:
        context.close()


def test_every_real_case_gives_its_briefs_and_the_debrief_counts_the_analysis(chromium, site_url, corpus):
    """teaching.js reads every real case through the case page's hooks (actor cards, purposes, assets) and
    counts the makeable deals as teaching.makeable_deals does from the same analysis."""
    from builder.teaching import makeable_deals

    context, page = _page(chromium, site_url)
    try:
        for case in corpus.cases:
            page.goto(site_url + f"teaching/case/roles/?case={case.id}")
            _built(page)
            briefs = page.locator(".cb-brief:not(.cb-brief-table)")
            assert briefs.count() == len(case.actors), case.id
            for i, actor in enumerate(case.actors):
                brief = briefs.nth(i)
                assert brief.locator("h2").inner_text() == f"You are: {actor.name}", case.id
                assert brief.locator("ul").first.locator("li").count() == len(actor.purposes), (case.id, actor.id)
                assert brief.locator(".cb-kind").count() == len(actor.assets), (case.id, actor.id)
            deals = makeable_deals(analyze.analyze(case).to_dict())
            latent = sum(1 for d in deals if d["latent"])
            page.goto(site_url + f"teaching/case/debrief/?case={case.id}")
            text = _built(page)
            plural = "" if len(deals) == 1 else "s"
            assert f"The case has {len(deals)} makeable deal{plural} (" in text, case.id
            if deals:
                assert f"of which {latent} {'was' if latent == 1 else 'were'} latent" in text, case.id
            assert page.locator(".cb-debrief-deals li").count() == len(deals), case.id
            assert page.locator(".cb-debrief-edges li").count() == len(case.interdependencies), case.id
        assert page.errors == [] and page.offsite == []
    finally:
        context.close()
