"""Browsing: the case index's facets, counts and address, the level filter, and the map (builder/browse.py,
builder/geo.py, browse.js). Counts are checked against counts computed here from the case files, not from the
builder's own functions; the browser tests use Debian's Chromium on the built site with every other host blocked.
Screenshots go to /tmp/browse-shots/.
"""

from __future__ import annotations

import math
import os
import re
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from builder import browse, geo
from builder.render import sort_title
from conftest import guard_page

#: Screenshots of the index and the map go here, beside the other browser tests' ($CASEBOOK_SHOTS).
SHOTS = Path(os.environ.get("CASEBOOK_SHOTS") or Path(tempfile.gettempdir()) / "casebook-shots")

# Hand-checked from the case files: the cases with a *government* actor at the regional level. Medellín (Metro de
# Medellín is a public enterprise), Whānau Ora (regional nonprofits) and Working for Water (regional scientists
# and landowners) have regional actors but no regional government body, so "Level of government: Regional" leaves
# them out; before this change the filter labelled "Level" counted any actor and listed all eleven.
REGIONAL_GOVERNMENT = {
    "boston-operation-ceasefire",
    "calfed-bay-delta-program",
    "flint-water-crisis",
    "huduma-centres",
    "kudumbashree",
    "murray-darling-basin-plan",
    "room-for-the-river",
    "vancouver-agreement",
}
REGIONAL_OTHER_ONLY = {"medellin-metrocable", "whanau-ora", "working-for-water"}


# --- geo: projection, outlines, places -------------------------------------------------------------------------


def test_equal_earth_matches_its_published_extent_and_symmetry():
    # Šavrič et al. (2018): the equator spans ±2.7066 and the poles sit at ±1.3174 (unit sphere).
    assert equal(geo.equal_earth(180, 0), (2.7066, 0.0))
    assert equal(geo.equal_earth(0, 90), (0.0, 1.3174))
    for lon, lat in [(30, 10), (-120, 45), (151, -33.9)]:
        x, y = geo.equal_earth(lon, lat)
        assert equal(geo.equal_earth(-lon, -lat), (-x, -y))
    # Equal area: a 10° cell at the equator and one at 60° N keep the ratio of their true areas (cos φ).
    assert cell_area(0) / cell_area(60) == pytest.approx(
        (math.sin(math.radians(10)) - 0) / (math.sin(math.radians(70)) - math.sin(math.radians(60))), rel=2e-3
    )


def equal(a, b, places=4):
    return all(round(p, places) == round(q, places) for p, q in zip(a, b, strict=True))


def cell_area(lat):
    """Shoelace area of the projected 10°×10° cell from (0, lat)."""
    pts = [geo.equal_earth(lo, la) for lo, la in [(0, lat), (10, lat), (10, lat + 10), (0, lat + 10)]]
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1], strict=True))) / 2


def _inside(point, ring):
    """Even-odd point-in-polygon, in map units."""
    x, y = point
    pts = [geo.to_map(lon, lat) for lon, lat in ring]
    hit = False
    for (x0, y0), (x1, y1) in zip(pts, pts[1:] + pts[:1], strict=True):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            hit = not hit
    return hit


def _in_country(point, code):
    return any(_inside(point, polygon[0]) for polygon in geo.world()[code])


@pytest.mark.parametrize("code", ["US", "BR", "CL", "AU", "KE", "IN", "DK", "KR", "NZ", "CO", "ZA", "CA", "GB"])
def test_each_country_mark_is_inside_its_country(code):
    x, y, _ = geo.centroid(code)
    assert _in_country((x, y), code)


def test_outlines_stay_on_the_map_and_never_streak_across_it():
    for code, polygons in geo.world().items():
        for polygon in polygons:
            for ring in polygon:
                pts = [geo.to_map(lon, max(geo.SOUTH, min(geo.NORTH, lat))) for lon, lat in ring]
                assert all(-0.01 <= x <= geo.WIDTH + 0.01 and -0.01 <= y <= geo.HEIGHT + 0.6 for x, y in pts), code
                # Russia's and Fiji's rings cross the antimeridian; clamped, no edge runs half the map long.
                assert all(abs(a[0] - b[0]) < geo.WIDTH / 2 for a, b in zip(pts, pts[1:], strict=False)), code
    assert "AQ" not in geo.world()


def test_map_geometry_is_small_and_deterministic():
    first = "".join(geo.path_data(p) for p in geo.world().values())
    again = "".join(geo.path_data(p) for p in geo.world().values())
    assert first == again
    assert 10_000 < len(first) < 50_000  # every country of the world in under 50 KB of path data
    assert "." not in first  # whole map units


def test_a_case_is_placed_at_its_point_else_at_its_countries():
    # Its own point wins over its country.
    assert geo.place(["BR"], -22.9, -43.2) == tuple(round(v, 1) for v in geo.to_map(-43.2, -22.9))
    # One country: its centroid.
    assert geo.place(["CL"]) == tuple(round(v, 1) for v in geo.centroid("CL")[:2])
    # The Nile basin's ten countries, area-weighted: the mark falls inside South Sudan, mid-basin.
    nile = geo.place(["EG", "SD", "SS", "ET", "UG", "KE", "TZ", "RW", "BI", "CD"])
    assert _in_country(nile, "SS")
    # Too small for 1:110m: not placed (the map says so in its caption).
    assert geo.place(["SG"]) is None


def test_marks_that_share_a_place_are_spread_apart():
    out = geo.spread([(100, 100)] * 3 + [(300, 300)])
    assert out[3] == (300, 300)
    assert len(set(out[:3])) == 3
    assert all(math.dist(p, (100, 100)) == pytest.approx(12, abs=0.1) for p in out[:3])


# --- browse view data --------------------------------------------------------------------------------------------


def _python_counts(cases):
    """Per facet and value, how many cases have it: computed straight from the case fields."""
    counts = {}
    for c in cases:
        values = {
            "domain": set(c.domains),
            "country": set(c.countries),
            "scale": {c.scale},
            "level": {a.level for a in c.actors if a.sector == "government"},
            "status": {c.deal.status},
            "concept": set(c.teaching.concepts),
        }
        for key, vals in values.items():
            for v in vals:
                counts.setdefault(key, {}).setdefault(v, 0)
                counts[key][v] += 1
    return counts


def test_facet_counts_with_and_without_choices():
    # rows[case][facet]: three cases, facets (domain, scale).
    rows = [[[0], [0]], [[1], [0]], [[0, 1], [1]]]
    assert browse.facet_counts(rows, [set(), set()]) == (3, [[2, 2], [2, 1]])
    # Domain 0 chosen: cases 0 and 2 match; the domain counts ignore the domain choice, the scale counts honour it.
    assert browse.facet_counts(rows, [{0}, set()]) == (2, [[2, 2], [1, 1]])
    # Both domains (OR) and scale 0 (AND): cases 0 and 1.
    assert browse.facet_counts(rows, [{0, 1}, {0}]) == (2, [[1, 1], [2, 1]])


def test_the_index_orders_titles_as_a_catalogue_does(corpus):
    """A leading "The" does not file a case under T: "The Flint water crisis" sits among the Fs."""
    rows = browse.index_view(corpus.cases)["rows"]
    titles = [r["title"] for r in rows]
    assert titles == sorted(titles, key=sort_title)
    assert titles.index("The Flint water crisis") < titles.index("Huduma Centres, Kenya")
    assert titles.index("The CALFED Bay-Delta Program") < titles.index(
        "Chile Crece Contigo, Chile's intersectoral early-childhood protection system"
    )
    assert not titles[-1].startswith("The ")  # no block of "The ..." titles at the end


def test_index_view_counts_match_the_case_files(corpus):
    view = browse.index_view(corpus.cases, {})
    expected = _python_counts(corpus.cases)
    facets = {f["key"]: f for f in view["facets"]}
    for key, per_value in expected.items():
        assert {o["value"]: o["count"] for o in facets[key]["options"]} == per_value, key
    assert view["count"] == len(corpus.cases)
    assert [r["title"] for r in view["rows"]] == sorted((c.title for c in corpus.cases), key=sort_title)
    assert len(view["data"]["rows"]) == len(corpus.cases)


def test_level_facet_is_levels_of_government_bodies(corpus):
    view = browse.index_view(corpus.cases, {})
    level = next(f for f in view["facets"] if f["key"] == "level")
    assert level["label"] == "Level of government"
    # No case has a neighbourhood or international *government* body, so those values are not offered.
    assert [o["value"] for o in level["options"]] == ["local", "regional", "national"]
    regional = {c.id for c in corpus.cases if "regional" in browse.government_levels(c)}
    assert regional == REGIONAL_GOVERNMENT
    scale = next(f for f in view["facets"] if f["key"] == "scale")
    assert scale["label"] == "Scale of the effort"


def test_years_facet_counts_decades_active():
    from types import SimpleNamespace as N

    assert browse.decades(N(years=N(start=1961, end="ongoing")), 2026) == [f"{d}s" for d in range(1960, 2030, 10)]
    assert browse.decades(N(years=N(start=2009, end=2010)), 2026) == ["2000s", "2010s"]
    assert browse.decades(N(years=N(start=1995, end=1995)), 2026) == ["1990s"]


def test_map_view_places_every_real_case(corpus):
    the_map = browse.map_view(sorted(corpus.cases, key=lambda c: sort_title(c.title)))
    assert len(the_map["marks"]) == len(corpus.cases)
    assert the_map["unplaced"] == []
    assert sorted(the_map["row_marks"]) == list(range(len(corpus.cases)))
    assert {c["code"] for c in the_map["countries"]} == {k for c in corpus.cases for k in c.countries}
    assert not the_map["grouped"]


def _replicas(corpus, n):
    base = sorted(corpus.cases, key=lambda c: c.id)
    return [base[i % len(base)].model_copy(update={"id": f"r{i:05d}", "title": f"Replica {i:05d}"}) for i in range(n)]


def test_map_size_does_not_grow_with_the_corpus(corpus):
    from builder.templating import render_fragment

    small = browse.map_view(_replicas(corpus, 1_000))
    large = browse.map_view(_replicas(corpus, 10_000))
    assert small["grouped"] and large["grouped"]
    assert len(large["marks"]) == len(small["marks"]) <= browse.MAX_MARKS
    assert sum(m["n"] for m in large["marks"]) == 10_000
    svg_small = render_fragment("browse-map.html", map=small)
    svg_large = render_fragment("browse-map.html", map=large)
    assert abs(len(svg_large) - len(svg_small)) < 200  # only the counts' digits differ
    assert len(svg_large) < 60_000


# --- in Chromium -------------------------------------------------------------------------------------------------


def _page(browser, site_url, width=1280, **options):
    context = browser.new_context(viewport={"width": width, "height": 900}, **options)
    pg = context.new_page()
    guard_page(pg, site_url)
    return pg


@pytest.fixture
def page(browser, site_url):
    pg = _page(browser, site_url)
    yield pg
    assert pg.offsite == []
    assert pg.errors == []
    pg.context.close()


def _ready(pg):
    pg.wait_for_selector("form.cb-browse[data-ready]:not([hidden])")


def _visible_ids(pg):
    return set(
        pg.eval_on_selector_all(
            ".cb-index tbody tr:not([hidden]) a", "as => as.map(a => a.pathname.split('/').slice(-2)[0] + '/')"
        )
    )


def _wait_visible(pg, ids) -> None:
    """Wait until the rows shown are those of ``ids`` (after back or forward the page may be drawn again)."""
    pg.wait_for_function(
        "(want) => JSON.stringify(Array.from(document.querySelectorAll('.cb-index tbody tr:not([hidden]) a'))"
        ".map(a => a.pathname.split('/').slice(-2)[0] + '/').sort()) === JSON.stringify(want)",
        arg=sorted(ids),
    )


def _choose(pg, facet, value):
    box = pg.locator(f'details[data-facet="{facet}"]')
    if box.get_attribute("open") is None:
        box.locator("summary").click()
    box.locator(f'input[value="{value}"]').check()


def _shown_counts(pg, facet):
    return pg.eval_on_selector_all(
        f'details[data-facet="{facet}"] label',
        "ls => Object.fromEntries(ls.map(l => [l.querySelector('input').value, l.querySelector('.cb-n').textContent]))",
    )


def _query(pg):
    return parse_qs(urlsplit(pg.url).query)


def _ids(cases):
    return {f"{c.id}/" for c in cases}


def test_the_index_by_keyboard_skip_link_and_visible_focus(page, site_url):
    """The first Tab reaches Material's skip link (the title has an id, so the page has a table of contents to
    skip to); a link near the top jumps past the filters and the map, so the next Tab is in the list of cases;
    a filter's checkbox reached by Tab shows a focus outline."""
    page.goto(site_url + "cases/")
    _ready(page)
    page.keyboard.press("Tab")
    skip = page.evaluate(
        "() => [document.activeElement.classList.contains('md-skip'), document.activeElement.getAttribute('href')]"
    )
    assert skip[0] and skip[1].endswith("#cases"), skip  # Material writes the address out in full
    page.locator('a[href$="#case-list"]').focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => location.hash === '#case-list'")
    # The list's scrollable region is the link's target and takes the focus. Material's instant navigation handles
    # the address change after the browser has, and can move the focus while it does: a reader's next key comes
    # later than that, so the test waits as long before it presses Tab.
    page.wait_for_timeout(1000)
    page.keyboard.press("Tab")  # the list's region (when the target kept the starting point only) or its first case
    assert page.evaluate("() => document.activeElement.closest('.cb-index') !== null")
    box = page.locator("details.cb-facet").first
    box.locator("summary").focus()
    page.keyboard.press("Enter")  # opens the filter
    page.keyboard.press("Tab")  # to its first checkbox
    style = page.evaluate(
        "() => { const e = document.activeElement, s = getComputedStyle(e);"
        " return [e.type, s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert style[0] == "checkbox" and style[1] != "none" and style[2] >= 2, style


def test_an_address_with_a_value_the_index_lacks_says_so(page, site_url, corpus):
    """A shared link such as ?domain=water (no such domain) filters by what it can and names what it left out,
    instead of showing the whole list as if it were the filtered one; a good address shows no such note."""
    page.goto(site_url + "cases/?domain=water&scale=national")
    _ready(page)
    note = page.locator(".cb-unknown")
    assert note.is_visible() and note.inner_text() == "Not a filter of this index, left out: Policy domain: water."
    national = {f"{c.id}/" for c in corpus.cases if c.scale == "national"}
    _wait_visible(page, national)
    page.locator(".cb-clear").click()  # the reader chose anew: the address's leftovers are no longer there
    _wait_visible(page, {f"{c.id}/" for c in corpus.cases})
    assert note.is_hidden()
    page.goto(site_url + "cases/?scale=national")
    _ready(page)
    assert page.locator(".cb-unknown").is_hidden()


def test_one_facet_widens_and_another_narrows_with_true_counts(page, site_url, corpus):
    cases = corpus.cases
    n = len(cases)
    page.goto(site_url + "cases/")
    _ready(page)
    assert page.locator(".cb-count").inner_text() == f"{n} of {n} cases"
    assert page.locator(".cb-count").get_attribute("aria-live") == "polite"
    env = [c for c in cases if "environment" in c.domains]
    _choose(page, "domain", "environment")
    assert _visible_ids(page) == _ids(env)
    either = [c for c in cases if {"environment", "health"} & set(c.domains)]
    _choose(page, "domain", "health")
    assert _visible_ids(page) == _ids(either)
    assert len(either) > len(env)
    assert page.locator(".cb-count").inner_text() == f"{len(either)} of {n} cases"
    # The scale counts are those of the chosen domains; the domain counts those of every case (no other choice yet).
    scale_counts = {s: f"({sum(1 for c in either if c.scale == s)})" for s in {c.scale for c in cases}}
    assert _shown_counts(page, "scale") == scale_counts
    domain_counts = {d: f"({v})" for d, v in _python_counts(cases)["domain"].items()}
    assert _shown_counts(page, "domain") == domain_counts
    local = [c for c in either if c.scale == "local"]
    _choose(page, "scale", "local")
    assert 0 < len(local) < len(either)
    assert _visible_ids(page) == _ids(local)
    assert page.locator(".cb-count").inner_text() == f"{len(local)} of {n} cases"
    # Now the domain counts honour the scale choice: local cases with each domain.
    local_all = [c for c in cases if c.scale == "local"]
    assert _shown_counts(page, "domain") == {
        d: f"({sum(1 for c in local_all if d in c.domains)})" for d in _python_counts(cases)["domain"]
    }
    assert _query(page) == {"domain": ["environment", "health"], "scale": ["local"]}
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "index-filtered-1280.png"), full_page=True)


def test_the_filtered_list_survives_a_reload_and_back_and_forward(page, site_url, corpus):
    n = len(corpus.cases)
    both = [c for c in corpus.cases if {"environment", "health"} & set(c.domains) and c.scale == "local"]
    page.goto(site_url + "cases/?domain=environment&domain=health&scale=local")
    _ready(page)
    assert _visible_ids(page) == _ids(both)
    assert page.locator('input[name="domain"][value="health"]').is_checked()
    page.reload()
    _ready(page)
    assert _visible_ids(page) == _ids(both)
    assert page.locator(".cb-count").inner_text() == f"{len(both)} of {n} cases"
    # A further choice is a new history entry; back restores the list before it, forward the list after it.
    wider = [c for c in corpus.cases if {"environment", "health"} & set(c.domains) and c.scale in {"local", "national"}]
    _choose(page, "scale", "national")
    assert _visible_ids(page) == _ids(wider)
    assert _query(page)["scale"] == ["local", "national"]
    page.go_back()
    page.wait_for_function("() => !location.search.includes('national')")
    _ready(page)
    page.wait_for_function(f"() => document.querySelector('.cb-count').textContent.startsWith('{len(both)} of')")
    _wait_visible(page, _ids(both))
    assert not page.locator('input[name="scale"][value="national"]').is_checked()
    page.go_forward()
    page.wait_for_function(f"() => document.querySelector('.cb-count').textContent.startsWith('{len(wider)} of')")
    _wait_visible(page, _ids(wider))
    # Clearing empties the address.
    page.locator(".cb-clear").click()
    assert page.locator(".cb-count").inner_text() == f"{n} of {n} cases"
    assert urlsplit(page.url).query == ""


def test_the_level_filter_counts_only_government_bodies(page, site_url, corpus):
    page.goto(site_url + "cases/?level=regional")
    _ready(page)
    assert _visible_ids(page) == {f"{i}/" for i in REGIONAL_GOVERNMENT}
    assert not _visible_ids(page) & {f"{i}/" for i in REGIONAL_OTHER_ONLY}
    summary = page.locator('details[data-facet="level"] summary').inner_text()
    assert summary.startswith("Level of government")
    page.locator('details[data-facet="level"] summary').click()
    assert "government body" in page.locator('details[data-facet="level"] .cb-hint').inner_text()


def test_the_map_has_a_mark_per_case_and_countries_that_filter(page, site_url, corpus):
    page.goto(site_url + "cases/")
    _ready(page)
    marks = page.locator(".cb-map-mark")
    assert marks.count() == len(corpus.cases)
    hrefs = page.eval_on_selector_all(".cb-map-mark", "as => as.map(a => a.href.baseVal)")
    assert set(hrefs) == _ids(corpus.cases)
    titles = page.eval_on_selector_all(".cb-map-mark title", "ts => ts.map(t => t.textContent)")
    assert sorted(titles) == sorted(c.title for c in corpus.cases)
    links = page.eval_on_selector_all(".cb-map-country", "as => as.map(a => a.href.baseVal)")
    assert sorted(links) == sorted(f"?country={k}" for k in {k for c in corpus.cases for k in c.countries})
    # Choosing Brazil on the map filters the list in place and dims the other marks and countries.
    brazil = [c for c in corpus.cases if "BR" in c.countries]
    page.locator('.cb-map-country[data-country="BR"]').click()
    assert _query(page) == {"country": ["BR"]}
    assert _visible_ids(page) == _ids(brazil)
    assert page.locator(".cb-map-mark.cb-dim").count() == len(corpus.cases) - len(brazil)
    assert page.locator('.cb-map-country[data-country="BR"].cb-dim').count() == 0
    assert page.locator('.cb-map-country[data-country="US"].cb-dim').count() == 1
    # A case's mark opens the case.
    page.locator(".cb-map-mark:not(.cb-dim)").first.click()
    page.wait_for_url("**/cases/cadastro-unico-bolsa-familia/")


def test_a_country_link_opened_directly_filters_the_index(page, site_url, corpus):
    page.goto(site_url + "cases/?country=US")
    _ready(page)
    assert _visible_ids(page) == _ids(c for c in corpus.cases if "US" in c.countries)


def test_a_concept_link_opened_directly_filters_the_index(page, site_url, corpus):
    # The concepts page links here when a concept has more cases than it lists (site_pages.CONCEPT_CASES_MAX).
    used = sorted({k for c in corpus.cases for k in c.teaching.concepts})
    code = next(k for k in used if 0 < sum(k in c.teaching.concepts for c in corpus.cases) < len(corpus.cases))
    page.goto(site_url + f"cases/?concept={code}")
    _ready(page)
    assert _visible_ids(page) == _ids(c for c in corpus.cases if code in c.teaching.concepts)


def test_without_scripts_the_index_is_the_full_list(browser, site_url, corpus):
    pg = _page(browser, site_url, java_script_enabled=False)
    try:
        pg.goto(site_url + "cases/?domain=environment")
        assert pg.locator(".cb-index tbody tr:not([hidden])").count() == len(corpus.cases)
        assert not pg.locator("form.cb-browse").is_visible()
        assert pg.locator(".cb-map-mark").count() == len(corpus.cases)
        assert pg.offsite == []
    finally:
        pg.context.close()


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_the_filtered_index_and_the_map(browser, site_url, width, scheme):
    pg = _page(browser, site_url, width=width, color_scheme=scheme)
    try:
        pg.goto(site_url + "cases/?domain=environment&domain=health&scale=local")
        _ready(pg)
        SHOTS.mkdir(parents=True, exist_ok=True)
        pg.locator(".cb-map").screenshot(path=str(SHOTS / f"map-{width}-{scheme}.png"))
        pg.locator('details[data-facet="domain"] summary').click()
        pg.screenshot(path=str(SHOTS / f"index-{width}-{scheme}.png"))
        # The map takes the text column's full width, and nothing sticks out of the window at phone width.
        column = pg.locator(".md-content__inner").bounding_box()
        assert pg.locator(".cb-map-svg").bounding_box()["width"] >= column["width"] * 0.9
        assert pg.evaluate("document.documentElement.scrollWidth") <= width
        assert pg.errors == [] and pg.offsite == []
    finally:
        pg.context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_filtered_index_with_a_panel_open_passes_axe(browser, site_url, scheme):
    from axe_playwright_python.sync_playwright import Axe

    pg = _page(browser, site_url, color_scheme=scheme)
    try:
        pg.goto(site_url + "cases/?domain=environment&domain=health&scale=local")
        _ready(pg)
        pg.locator('details[data-facet="domain"] summary').click()
        violations = [
            (v["id"], [n["target"] for n in v["nodes"][:3]])
            for v in Axe().run(pg).response["violations"]
            if v["id"] != "aria-dialog-name"  # Material's search dialog, as in test_browser.py
        ]
        assert violations == []
    finally:
        pg.context.close()


def test_pattern_counts_on_the_page_match_the_analysis(page, site_url, corpus):
    from builder import analyze

    expected = {}
    for case in corpus.cases:
        for code, n in analyze.pattern_counts(analyze.analyze(case)).items():
            if n:
                expected[code] = expected.get(code, 0) + 1
    page.goto(site_url + "cases/")
    _ready(page)
    assert _shown_counts(page, "pattern") == {code: f"({n})" for code, n in expected.items()}
    # Choosing a pattern lists exactly the cases that show it.
    code = min(expected, key=lambda k: (expected[k], k))
    _choose(page, "pattern", code)
    assert page.locator(".cb-count").inner_text() == f"{expected[code]} of {len(corpus.cases)} cases"


def test_filters_survive_a_visit_to_a_case_and_back(page, site_url, corpus):
    # Through Material's instant navigation both ways: in from the home page's tab, out to a case, back again.
    page.goto(site_url)
    page.locator(".md-tabs a", has_text="Cases").first.click()
    page.wait_for_url("**/cases/")
    _ready(page)
    _choose(page, "status", "partial")
    partial = [c for c in corpus.cases if c.deal.status == "partial"]
    assert _visible_ids(page) == _ids(partial)
    page.locator(".cb-index tbody tr:not([hidden]) a").first.click()
    page.wait_for_url("**/cases/*/")
    page.go_back()
    page.wait_for_url("**/cases/?status=partial")
    _ready(page)
    page.wait_for_function(f"() => document.querySelector('.cb-count').textContent.startsWith('{len(partial)} of')")
    assert _visible_ids(page) == _ids(partial)
    assert page.locator('input[name="status"][value="partial"]').is_checked()


def test_index_rows_at_phone_width_read_as_one_line_of_facts(browser, site_url):
    """At 390 px each row is a block whose facts run on as text: no cell padding or border left from the table
    (Material's own table rule is as specific as ours must be)."""
    pg = _page(browser, site_url, width=390)
    try:
        pg.goto(site_url + "cases/")
        styles = pg.evaluate(
            """() => [...document.querySelectorAll('.cb-index tbody tr:first-child td')].map(td => {
                 const s = getComputedStyle(td);
                 return [s.display, s.paddingLeft, s.paddingRight, s.borderTopWidth];
               })"""
        )
        assert styles[0][0] == "block"
        assert all(s == ["inline", "0px", "0px", "0px"] for s in styles[1:]), styles
        assert pg.evaluate("() => document.scrollingElement.scrollWidth") <= 390
    finally:
        pg.context.close()


def test_country_names_read_as_readers_know_them_not_inverted_for_sorting():
    """ISO 3166 writes a few short names inverted ("Congo, The Democratic Republic of the"); the filter and the
    pages use the name readers know (checked by hand against the Unicode CLDR's English names)."""
    import pycountry

    from builder.render import country_name

    names = {c.alpha_2: country_name(c.alpha_2) for c in pycountry.countries}
    assert names["CD"] == "Democratic Republic of the Congo" and names["CG"] == "Congo"
    assert not [v for v in names.values() if " - " in v]  # no menu label such as CLDR's "Congo - Kinshasa"
    assert names["FM"] == "Micronesia" and names["PS"] == "Palestinian Territories"
    assert names["VI"] == "U.S. Virgin Islands" and names["BQ"] == "Caribbean Netherlands"
    assert names["BO"] == "Bolivia" and names["KR"] == "South Korea" and names["KP"] == "North Korea"
    inverted = {
        k: v for k, v in names.items() if re.search(r", (the|The|State|Federated|British|Virgin)\b|\bof( the)?$", v)
    }
    assert inverted == {}
