"""The cross-case page: its measures (hand-checked on a tiny corpus), tables that fit, keys, labels that do not overlap.

The browser tests use Debian's Chromium through Playwright (see conftest) and write screenshots of the page at
1280 and 390 px, light and dark, to ``$CASEBOOK_SHOTS`` (default: a ``shots`` folder in pytest's temporary
directory) for a person to look at.
"""

from __future__ import annotations

import html
import json
import os
import re
from pathlib import Path

import pytest
from test_analyze import ACTORS, LINKS, make_case

from builder import analyze as A
from builder import crosscase as X
from builder import site_pages

# ------------------------------------------------------------------------------------------- measures


@pytest.fixture(scope="module")
def tiny():
    """Three cases: one agreed with every link, one dissolved with one link, one dissolved with none."""
    first = make_case(ACTORS, LINKS, status="agreed", mechanisms=["convener", "urgency"], case_id="one")
    second = make_case(ACTORS, LINKS[:1], status="dissolved", mechanisms=["convener"], case_id="two")
    third = make_case(ACTORS, [], status="dissolved", case_id="three")
    return A.cross_case([(c, A.analyze(c)) for c in (first, second, third)])


def test_lift_by_hand_on_a_tiny_corpus(tiny):
    # N = 3 cases: agreed 1 (base rate 1/3), dissolved 2 (2/3), partial and not reached 0.
    assert X.base_rate(1, 3) == pytest.approx(1 / 3)
    rows = {r["key"]: r for r in X.association_rows(tiny["mechanisms"], tiny["statuses"])}
    # "convener": 2 cases, 1 agreed and 1 dissolved.
    # lift(agreed) = (1 × 3) / (2 × 1) = 1.5; lift(dissolved) = (1 × 3) / (2 × 2) = 0.75; partial: no such case.
    convener = {c["status"]: c for c in rows["convener"]["cells"]}
    assert (convener["agreed"]["n"], convener["agreed"]["lift"]) == (1, 1.5)
    assert (convener["dissolved"]["n"], convener["dissolved"]["lift"]) == (1, 0.75)
    assert convener["dissolved"]["share"] == 0.5
    assert convener["partial"]["lift"] is None and convener["partial"]["share"] == 0
    # "urgency": only the agreed case; lift(agreed) = (1 × 3) / (1 × 1) = 3, lift(dissolved) = 0.
    urgency = {c["status"]: c["lift"] for c in rows["urgency"]["cells"]}
    assert urgency["agreed"] == 3.0 and urgency["dissolved"] == 0.0
    assert [r["key"] for r in X.association_rows(tiny["mechanisms"], tiny["statuses"])] == ["convener", "urgency"]
    assert rows["convener"]["few"] and rows["convener"]["cases"] == 2 and rows["convener"]["count"] == 2
    # A pattern no case shows has no lift at all.
    cycle = X.association_rows({"cycle": tiny["patterns"]["cycle"]}, tiny["statuses"])[0]
    assert all(c["lift"] is None and c["n"] == 0 for c in cycle["cells"])


def test_cross_table_view_shows_counts_lifts_and_base_rates(tiny):
    t = site_pages._cross_table("Mechanisms", "Mechanism", tiny["mechanisms"], str, tiny)
    assert t["statuses"] == ["Agreed", "Dissolved"]  # statuses no case has get no column
    assert t["base"] == [{"n": 1, "percent": "33%"}, {"n": 2, "percent": "67%"}]
    convener = t["rows"][0]
    assert [(c["n"], c["lift"]) for c in convener["cells"]] == [(1, "1.5×"), (1, "0.8×")]
    assert convener["few"] and not any(c["high"] for c in convener["cells"])  # few cases: never in bold
    assert t["caption"] == "Cases showing each mechanism, by deal status"
    for row in t["rows"]:  # a cell's title counts its row's cases in the right number
        for cell in row["cells"]:
            assert (" of the 1 cases " not in cell["title"]) and (f" of the {row['cases']} case" in cell["title"])
    assert 1 in [row["cases"] for row in t["rows"]]  # the tiny corpus has a mechanism of one case: the singular


def test_lifts_weighted_by_base_rates_add_up_to_one(corpus):
    tables = A.cross_case([(c, A.analyze(c)) for c in corpus.cases])
    total = tables["cases"]
    for name in ("patterns", "mechanisms", "asset_kinds", "sector_pairs"):
        for row in X.association_rows(tables[name], tables["statuses"]):
            if row["cases"]:
                weighted = sum(
                    c["lift"] * X.base_rate(tables["statuses"][c["status"]], total)
                    for c in row["cells"]
                    if c["lift"] is not None
                )
                assert weighted == pytest.approx(1.0), (name, row["key"])


def test_measures_are_defined_on_the_page(built_site):
    text = html.unescape((built_site / "cross-case" / "index.html").read_text("utf-8"))
    for name, title in site_pages.CROSS_MEASURES:
        assert f'id="measure-{name}"' in text and title in text
    assert "lift(r, s) = share(r, s) / base rate(s)" in text
    assert ">>> " not in text  # doctest examples are left out


# ------------------------------------------------------------------------------------------- layout


def _graph(site: Path, graph_id: str) -> dict:
    text = (site / "cross-case" / "index.html").read_text("utf-8")
    found = re.search(rf"id=\"{graph_id}\" data-json='([^']*)'", text)
    assert found, graph_id
    return json.loads(html.unescape(found.group(1)))


def test_label_boxes_model():
    dot = {"x": 0, "y": 0, "label": "abcd\nab", "shape": "dot", "size": 10}
    # Four characters at 10 px: 4 × 0.74 × 10 = 29.6 wide; two lines 2 × 1.3 × 10 = 26 high, 4 below the dot.
    assert X.label_box(dot, 10) == pytest.approx((-14.8, -10, 14.8, 40))
    box = {"x": 100, "y": 0, "label": "ab", "shape": "box"}
    assert X.label_box(box, 10) == pytest.approx((100 - 7.4 - 6, -6.5 - 6, 100 + 7.4 + 6, 6.5 + 6))
    nodes = [dict(dot, id="a"), dict(dot, id="b", x=10)]
    assert X.overlaps([X.label_box(n, 10) for n in nodes]) == [(0, 1)]
    X.spread(nodes, {"b"}, 10)
    assert not X.overlaps([X.label_box(n, 10) for n in nodes]) and nodes[0]["x"] == 0
    with pytest.raises(ValueError):
        X.spread([dict(dot, id="a"), dict(dot, id="b")], set(), 10)


@pytest.mark.parametrize("graph_id", ["cross-sectors", "cross-cases"])
def test_labels_do_not_overlap(built_site, graph_id):
    data = _graph(built_site, graph_id)
    font = data["options"]["nodes"]["font"]["size"]
    boxes = [X.label_box(n, font) for n in data["nodes"]]
    assert len(boxes) >= 8
    assert X.overlaps(boxes) == []
    assert all("label" not in e for e in data["edges"])  # edge labels would pile up on the hub


@pytest.mark.parametrize("graph_id", ["cross-sectors", "cross-cases"])
def test_key_is_made_from_the_drawn_data(built_site, graph_id):
    data = _graph(built_site, graph_id)
    node_colours = {json.dumps(n["color"]) for n in data["nodes"]}
    dots = [k for k in data["key"] if k["kind"] == "dot"]
    assert dots and all(json.dumps(k["color"]) in node_colours for k in dots)
    edge_colours = {
        json.dumps(e["color"]) if isinstance(e["color"], str) else json.dumps(e["color"]["color"])
        for e in data["edges"]
    }
    assert all(json.dumps(k["color"]) in edge_colours for k in data["key"] if k["kind"] == "line")
    page = (built_site / "cross-case" / "index.html").read_text("utf-8")
    keys = re.findall(r'<ul class="cb-legend cb-key">(.*?)</ul>', page, re.S)
    shown = re.findall(r"<li>.*?</span>(.*?)</li>", keys[["cross-sectors", "cross-cases"].index(graph_id)])
    assert [html.unescape(t) for t in shown] == [k["label"] for k in data["key"]]


def test_case_network_colours_each_deal_status(built_site, corpus):
    data = _graph(built_site, "cross-cases")
    cases = {n["id"].split(":", 1)[1]: n for n in data["nodes"] if n["id"].startswith("case:")}
    assert set(cases) == {c.id for c in corpus.cases}
    for case in corpus.cases:
        assert cases[case.id]["color"] == site_pages.STATUS_COLOURS[case.deal.status]
    key = " ".join(k["label"] for k in data["key"])
    for status in {c.deal.status for c in corpus.cases}:
        n = sum(1 for c in corpus.cases if c.deal.status == status)
        assert f"({n})" in key


# ------------------------------------------------------------------------------------------- browser


def wait_for_networks(page) -> None:
    """Scroll each network into view and wait until all are drawn (the buttons they add are checked too)."""
    boxes = page.locator(".cb-network")
    for i in range(boxes.count()):
        boxes.nth(i).scroll_into_view_if_needed()
    page.wait_for_function(
        "n => document.querySelectorAll('.cb-network[data-ready] canvas').length >= n",
        arg=boxes.count(),
        timeout=10_000,
    )


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    folder = Path(os.environ.get("CASEBOOK_SHOTS") or tmp_path_factory.mktemp("shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [1280, 390])
def test_cross_case_page_fits_and_draws(browser, site_url, shots, width, scheme):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    try:
        page.goto(site_url + "cross-case/")
        wait_for_networks(page)
        page.evaluate("window.scrollTo(0, 0)")
        wraps = page.locator(".cb-cross")
        assert wraps.count() == 4
        sizes = page.evaluate("[...document.querySelectorAll('.cb-cross')].map(e => [e.scrollWidth, e.clientWidth])")
        assert all(scroll <= client for scroll, client in sizes), sizes  # nothing cut off or hidden sideways
        doc_width = page.evaluate("document.documentElement.scrollWidth")
        assert doc_width <= width
        assert page.locator(".cb-key li").count() >= 10
        page.wait_for_timeout(300)
        page.screenshot(path=str(shots / f"cross-case-{width}-{scheme}.png"), full_page=False)
        page.locator(".cb-network-wrap").nth(1).screenshot(path=str(shots / f"cross-case-network-{width}-{scheme}.png"))
        page.locator(".cb-cross").first.screenshot(path=str(shots / f"cross-case-table-{width}-{scheme}.png"))
    finally:
        context.close()


def test_label_width_estimate_is_not_smaller_than_chromium_measures(browser, site_url, built_site):
    """The Python label boxes are checked against the widths Chromium measures in the network's own font."""
    page = browser.new_page()
    try:
        page.goto(site_url + "cross-case/")
        for graph_id in ("cross-sectors", "cross-cases"):
            data = _graph(built_site, graph_id)
            font = data["options"]["nodes"]["font"]
            lines = sorted({line for n in data["nodes"] for line in str(n["label"]).split("\n")})
            widths = page.evaluate(
                """([font, lines]) => { const ctx = document.createElement('canvas').getContext('2d');
                     return lines.map(l => { ctx.font = 'bold ' + font; return ctx.measureText(l).width; }); }""",
                [f"{font['size']}px {font['face']}", lines],
            )
            for line, measured in zip(lines, widths, strict=True):
                assert measured <= len(line) * X.CHAR_WIDTH * font["size"], (line, measured)
    finally:
        page.close()


def test_on_a_phone_the_case_pattern_network_shows_labels_only_zoomed_in_and_never_piled_up(browser, site_url):
    """The layout keeps labels apart at ``labelFont`` units; where that is under 12 px on screen (a 390-px phone),
    labels are left out until the view is zoomed in, rather than grown into each other."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    net = "window.casebookNetworks.get(document.querySelector('.cb-network[data-graph=\"cross-cases\"]'))"
    state = f"""() => {{ const n = {net}.network; const id = n.body.nodeIndices[0]; const o = n.body.nodes[id].options;
        return {{ px: n.getScale() * o.font.size, size: o.font.size, hidden: o.scaling.label.enabled,
                  threshold: o.scaling.label.drawThreshold,
                  boxes: n.body.nodeIndices.map(i => {{ const b = n.getBoundingBox(i);
                                                      return [b.left, b.top, b.right, b.bottom]; }}) }}; }}"""
    try:
        page.goto(site_url + "cross-case/")
        box = page.locator('.cb-network[data-graph="cross-cases"]')
        box.scroll_into_view_if_needed()
        page.wait_for_selector('.cb-network[data-graph="cross-cases"][data-fitted] canvas')
        font = _graph_from_page(page)["labelFont"]
        first = page.evaluate(state)
        assert first["size"] <= font  # never grown past what the layout keeps apart
        assert first["hidden"] and first["px"] < first["threshold"]  # so too small to draw, and left out
        page.evaluate(f"() => {net}.zoom(3)")
        zoomed = page.evaluate(state)
        assert not zoomed["hidden"] and zoomed["px"] >= 12 and zoomed["size"] <= font
        assert X.overlaps([tuple(b) for b in zoomed["boxes"]], gap=0) == []
    finally:
        context.close()


def _graph_from_page(page) -> dict:
    return json.loads(page.evaluate("() => document.getElementById('cross-cases').getAttribute('data-json')"))


def test_sector_network_counts_read_in_the_singular_for_one():
    """The cross-case network's key and arrow titles say "1 interdependency", not "1 interdependencies"."""
    from builder.site_pages import _sector_network

    tables = {"sector_pairs": {"government -> nonprofit": {"count": 1}, "nonprofit -> government": {"count": 3}}}
    text = json.dumps(_sector_network(tables), ensure_ascii=False)
    assert "3 interdependencies" in text
    assert "1 interdependency" in text and "1 interdependencies" not in text
