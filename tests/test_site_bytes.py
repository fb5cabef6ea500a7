"""What keeps the pages across cases and the search index small per case (issue #12, site bytes): the sitemap
one line per page, the cross-case network's edges compact, lists of every case kept out of the search index,
and the case's own page still found by the words of its summary, actors and interdependencies."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from markupsafe import escape
from test_crosscase import _graph

from builder import analyze, search

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_sitemap_lists_every_page_one_line_each(built_site, corpus):
    text = (built_site / "sitemap.xml").read_text("utf-8")
    root = ET.fromstring(text)
    locs = [u.find(f"{SITEMAP}loc").text for u in root]
    for case in corpus.cases:
        assert any(loc.endswith(f"/cases/{case.id}/") for loc in locs), case.id
    assert all(u.find(f"{SITEMAP}lastmod") is not None for u in root)
    lines = text.splitlines()
    assert len([line for line in lines if line.startswith("<url><loc>")]) == len(locs)
    assert not [line for line in lines if line.startswith(" ")], "indentation is back in the sitemap"


def test_case_pattern_edges_carry_only_what_differs(built_site, corpus):
    data = _graph(built_site, "cross-cases")
    edges = data["edges"]
    assert edges
    for e in edges:
        assert set(e) == {"id", "from", "to", "width", "color"}, e
        assert re.fullmatch(r"e\d+", e["id"])
    # The look every edge shares is said once, in the options.
    assert data["options"]["edges"]["smooth"] is False
    assert data["options"]["edges"]["arrows"] == {"to": {"enabled": False}}
    # Highlights name edges that exist, and each case's edges are as many as the patterns it shows.
    ids = {e["id"] for e in edges}
    assert all(set(p["edges"]) <= ids for p in data["patterns"])
    for case in corpus.cases:
        counts = analyze.pattern_counts(analyze.analyze(case))
        shown = {e["to"]: e["width"] for e in edges if e["from"] == f"case:{case.id}"}
        assert shown == {f"pattern:{k}": round(1 + min(n, 10) / 3, 2) for k, n in counts.items() if n}, case.id


def test_lists_of_every_case_are_not_indexed(built_site, corpus):
    records = search.records(built_site)
    titles = [c.title for c in corpus.cases]
    index = records["/cases/"]["content"]
    coverage = records["/coverage/"]["content"]
    broker = records["/patterns/broker/"]["content"]
    for title in titles:
        assert title not in index and title not in coverage and title not in broker, title
    # The pages themselves still are, with their own words.
    assert "Cases" in index and "Broker" in broker
    page = (built_site / "cases" / "index.html").read_text("utf-8")
    assert all(str(escape(t)) in page for t in titles)  # still listed for readers


def test_a_case_is_found_by_words_of_its_summary_actors_and_interdependencies(built_site, corpus):
    records = search.records(built_site)
    for case in corpus.cases:
        text = records[f"/cases/{case.id}/"]["content"]
        assert case.summary.split("\n\n")[0][:60] in text, case.id
        for actor in case.actors:
            assert actor.name in text, (case.id, actor.id)
        for e in case.interdependencies:
            assert e.description[:40] in text, (case.id, e.id)
        # Not another case's title from the "Similar cases" list, nor the generated findings.
        # Neither the heading (a fixed section title, quiet in the index: tests/test_search_bytes.py) nor its sentences.
        assert "What the analysis finds" not in text
        assert "makeable deals (reciprocal pairs" not in text, case.id
