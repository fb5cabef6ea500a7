"""What the lighter case page keeps (issue #12): every citation still reaches its source (short anchors, the old
``#source-<id>`` addresses kept), the network's list of links written by casebook.js is the same as the builder's
text alternative, and an interdependency's card gives the start of its asset and purpose whose full text is on
the actor cards.
"""

from __future__ import annotations

import html
import re

import pytest
from test_browser import _drawn

from builder.network import text_alternative
from builder.render import excerpt
from conftest import require_chromium, serve_site

BOSTON = "cases/boston-operation-ceasefire/index.html"


def _pages(built_site):
    return {p.parent.name: p.read_text("utf-8") for p in sorted((built_site / "cases").glob("*/index.html"))}


def test_every_citation_link_reaches_its_source_and_old_anchors_stay(built_site, corpus):
    cases = {c.id: c for c in corpus.cases}
    pages = _pages(built_site)
    assert set(cases) <= set(pages)
    for case_id, case in cases.items():
        page = pages[case_id]
        entries = re.findall(r'<li id="source-([a-z0-9-]+)"><a id="source-_(\d+)"></a>', page)
        # Each source keeps its public anchor source-<id>, and its short one is its number in the list.
        assert [e[0] for e in entries] == [s.id for s in case.sources], case_id
        assert [int(e[1]) for e in entries] == list(range(1, len(case.sources) + 1)), case_id
        cited = re.findall(r'<a href="#source-_(\d+)">\[?(\d+)[\],;]', page)
        assert cited, case_id
        for target, shown in cited:
            assert target == shown and 1 <= int(target) <= len(case.sources), (case_id, target)
        assert 'href="#source-' not in re.sub(r'href="#source-_\d+"', "", page), case_id


def test_interdependency_cards_start_the_actor_cards_text(corpus):
    from builder.render import case_view

    case = next(c for c in corpus.cases if c.id == "boston-operation-ceasefire")
    view = case_view(case)
    assets = {a.description for x in case.actors for a in x.assets}
    purposes = {p.description for x in case.actors for p in x.purposes}
    shortened = 0
    for e in view["edges"]:
        for text, full in ((e["asset"], assets), (e["purpose"], purposes)):
            if text in full:
                continue
            shortened += 1
            assert text.endswith("…") and any(f.startswith(text[:-1]) for f in full), text
    assert shortened >= 5


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("one two three four five six seven eight", 12, "one two…"),
        ("one two three", 12, "one two three"),  # at most a fifth longer: whole
        ("abcdefghijklmnopqrstuvwxyz", 10, "abcdefghij…"),  # no space: cut inside the word
        ("Roads, bridges and, in places, ferries for everyone", 16, "Roads, bridges…"),
    ],
)
def test_excerpt_by_hand(text, limit, expected):
    assert excerpt(text, limit) == expected


def test_the_drawn_networks_list_of_links_is_the_text_alternative(browser, built_site, corpus):
    sync_api = require_chromium()
    case = next(c for c in corpus.cases if c.id == "boston-operation-ceasefire")
    server, url = serve_site(built_site)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        pg = context.new_page()
        pg.route("**/*", lambda r: r.continue_() if r.request.url.startswith(url) else r.abort())
        pg.goto(url + "cases/boston-operation-ceasefire/")
        _drawn(pg)
        alt = pg.locator(".cb-network-wrap details.cb-network-alt")
        sync_api.expect(alt).to_have_count(1)
        rows = pg.evaluate(
            "() => Array.from(document.querySelectorAll('.cb-network-alt li')).map(li => ({"
            " text: li.querySelector('a').textContent, href: li.querySelector('a').getAttribute('href'),"
            " muted: li.querySelector('.cb-muted').textContent }))"
        )
        expected = [
            {
                "text": f"{r['holder']} → {r['target']} ({r['effect']})",
                "href": r["href"],
                "muted": f"recognized: {r['recognized']}",
            }
            for r in text_alternative(case)
        ]
        assert rows == expected
        assert alt.locator("summary").text_content() == f"The {len(expected)} links as a list"
        # Every link's target is on the page; following one lands on its card.
        alt.locator("summary").click()
        alt.locator("li a").nth(3).click()
        assert pg.evaluate("() => location.hash") == expected[3]["href"]
        assert pg.evaluate(f"() => !!document.getElementById({expected[3]['href'][1:]!r})")
        # Drawing again (instant navigation re-runs the drawing hook) does not add a second list.
        pg.evaluate("() => window.casebookNetworks.draw(document).then(() => null)")
        sync_api.expect(pg.locator("details.cb-network-alt")).to_have_count(1)
        # A citation's short link scrolls to its source entry, whose own anchor is still there.
        # (Material's instant navigation makes every link absolute, so the address ends with the anchor.)
        first = pg.locator("article a[href*='#source-_']").first
        anchor = first.get_attribute("href").split("#")[1]
        first.click()
        assert pg.evaluate("() => location.hash") == "#" + anchor
        entry = pg.evaluate(f"() => document.getElementById({anchor!r}).parentElement.id")
        assert entry.startswith("source-") and not entry.startswith("source-_")
    finally:
        context.close()
        server.shutdown()
        server.server_close()


def test_the_page_carries_no_html_list_of_links(built_site):
    page = (built_site / BOSTON).read_text("utf-8")
    assert "cb-network-alt" not in page
    data = html.unescape(re.search(r"data-json='([^']*)'", page).group(1))
    assert '"alt":"#interdependencies"' in data
