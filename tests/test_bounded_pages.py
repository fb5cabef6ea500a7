"""Pages about many cases stay the same size as the casebook grows (issue #12).

A pattern page, the concepts page and the coverage page list at most a fixed number of cases and link to the case
index, filtered, for the rest; the cross-case network draws one node per deal status above a number of cases.
The real cases are replicated here under new ids and titles (their analysis data reused), so that the lists are
long; the expectations are worked out from the inputs, and the grouped network is checked on data made by hand.
"""

from __future__ import annotations

import re

import pytest

from builder import site_pages
from builder.completeness import completeness
from builder.patterns import PATTERNS
from builder.render import sort_title

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def analysed(corpus):
    """(cases, data): the real cases with their analysis data, as the pipeline hands them to the pages."""
    from builder import analyze

    cases = list(corpus.cases)
    data = {}
    for c in cases:  # as builder.pipeline does
        analysis = analyze.analyze(c)
        data[c.id] = {**analysis.to_dict(), "pattern_counts": analyze.pattern_counts(analysis)}
    return cases, data


def _replicas(cases, data, copies):
    """``copies`` replicas of every case (new id and title, same content), and the data keyed by the new ids."""
    out, out_data = [], {}
    for k in range(copies):
        for c in cases:
            new = c.model_copy(update={"id": f"{c.id}-r{k:03d}", "title": f"{c.title} ({k:03d})"})
            out.append(new)
            out_data[new.id] = data[c.id]
    return out, out_data


def _linked_cases(html: str) -> list[str]:
    return re.findall(r'href="(?:\.\./)+cases/([a-z0-9-]+)/"', html)


def test_a_pattern_page_lists_the_cases_that_show_it_most_and_links_to_all(analysed):
    cases, data = _replicas(*analysed, 10)
    code = max(PATTERNS, key=lambda k: sum(1 for c in cases if data[c.id]["pattern_counts"][k]))
    showing = [c for c in cases if data[c.id]["pattern_counts"][code]]
    assert len(showing) > site_pages.PATTERN_CASES_MAX
    html = site_pages.pattern_page(PATTERNS[code], cases, data).body
    listed = _linked_cases(html)
    assert len(listed) == site_pages.PATTERN_CASES_MAX
    counts = [data[i]["pattern_counts"][code] for i in listed]
    assert counts == sorted(counts, reverse=True)
    # Nothing left out shows the pattern more often than the least of those listed.
    assert all(data[c.id]["pattern_counts"][code] <= counts[-1] for c in showing if c.id not in listed)
    assert f'href="../../cases/?pattern={code}"' in html
    assert f"All {len(showing):,} cases that show it" in html


def test_a_pattern_page_with_few_cases_lists_them_all_by_title(analysed):
    cases, data = analysed
    code = max(PATTERNS, key=lambda k: sum(1 for c in cases if data[c.id]["pattern_counts"][k]))
    html = site_pages.pattern_page(PATTERNS[code], cases, data).body
    titles = {c.id: c.title for c in cases}
    listed = _linked_cases(html)
    assert listed == sorted(
        (c.id for c in cases if data[c.id]["pattern_counts"][code]), key=lambda i: sort_title(titles[i])
    )
    assert "?pattern=" not in html


def test_concepts_list_the_most_complete_cases_and_link_to_all(analysed):
    cases, _ = _replicas(*analysed, 3)
    html = site_pages.concepts_page(cases).body
    percent = {c.id: completeness(c).percent for c in cases}
    linked_to_index = 0
    for code in {k for c in cases for k in c.teaching.concepts}:
        using = [c for c in cases if code in c.teaching.concepts]
        section = html.split(f'id="{code}"', 1)[1].split("<h2", 1)[0]
        listed = _linked_cases(section)
        assert len(listed) == min(len(using), site_pages.CONCEPT_CASES_MAX), code
        if len(using) > site_pages.CONCEPT_CASES_MAX:
            linked_to_index += 1
            assert f'href="../cases/?concept={code}"' in section
            least = min(percent[i] for i in listed)
            assert all(percent[c.id] <= least for c in using if c.id not in listed)
    assert linked_to_index, "the replicas should give some concept more cases than the page lists"


def test_concepts_the_analysis_also_finds_link_to_their_pattern_page(analysed):
    """A concept that is also a pattern of the analysis (latent deal, ...) links to the pattern's page, which
    exists, so a reader sees that the authors' list and the analysis's list are two lists; others link to none."""
    from builder.patterns import PATTERNS

    html = site_pages.concepts_page(analysed[0]).body
    for code, pattern in site_pages.CONCEPT_PATTERNS.items():
        assert pattern in PATTERNS, pattern
        section = html.split(f'id="{code}"', 1)[1].split("<h2", 1)[0]
        assert f'href="../patterns/{pattern}/"' in section, code
    assert html.count('href="../patterns/') == len(site_pages.CONCEPT_PATTERNS) + 1  # and the page's intro


def test_coverage_lists_the_least_complete_cases_above_its_limit(analysed):
    cases, _ = _replicas(*analysed, 6)
    assert len(cases) > site_pages.COVERAGE_CASES_MAX
    html = site_pages.coverage_page(cases).body
    listed = _linked_cases(html)
    assert len(listed) == site_pages.COVERAGE_CASES_MAX
    percent = {c.id: completeness(c).percent for c in cases}
    shown = [percent[i] for i in listed]
    assert shown == sorted(shown)
    assert all(percent[c.id] >= shown[-1] for c in cases if c.id not in listed)
    assert "The least complete cases" in html and f"of the {len(cases):,} cases" in html


def test_pages_about_many_cases_do_not_grow_with_the_casebook(analysed):
    small, small_data = _replicas(*analysed, 20)
    large, large_data = _replicas(*analysed, 40)
    code = next(iter(PATTERNS))
    pairs = [
        (
            site_pages.pattern_page(PATTERNS[code], small, small_data),
            site_pages.pattern_page(PATTERNS[code], large, large_data),
        ),
        (site_pages.concepts_page(small), site_pages.concepts_page(large)),
        (site_pages.coverage_page(small), site_pages.coverage_page(large)),
    ]
    for a, b in pairs:
        # Twice the cases: the same number of cases listed; only counts and which titles are listed differ.
        assert len(_linked_cases(b.body)) == len(_linked_cases(a.body)), a.title
        assert abs(len(b.body) - len(a.body)) < len(a.body) // 10, a.title


def test_above_its_limit_the_case_pattern_network_has_one_node_per_deal_status(analysed, monkeypatch):
    cases, _ = analysed
    statuses = ["agreed", "agreed", "agreed", "partial"]
    four = [
        c.model_copy(update={"deal": c.deal.model_copy(update={"status": s})})
        for c, s in zip(cases, statuses, strict=False)
    ]
    first, second = list(PATTERNS)[:2]
    zero = dict.fromkeys(PATTERNS, 0)
    # Hand-made counts: three agreed cases, two of which show the first pattern and one the second; the partial
    # case shows the second pattern three times.
    counts = [{first: 2}, {first: 1, second: 1}, {}, {second: 3}]
    data = {c.id: {"pattern_counts": {**zero, **n}} for c, n in zip(four, counts, strict=True)}
    monkeypatch.setattr(site_pages, "NETWORK_CASES_MAX", 3)
    net = site_pages._case_pattern_network(four, data)
    assert net["grouped"] == 4
    status_nodes = {n["id"]: n for n in net["nodes"] if n["id"].startswith("status:")}
    assert set(status_nodes) == {"status:agreed", "status:partial"}
    assert status_nodes["status:agreed"]["label"].endswith("3 cases")
    assert status_nodes["status:partial"]["url"] == "../cases/?status=partial"
    assert len([n for n in net["nodes"] if n["id"].startswith("pattern:")]) == len(PATTERNS)
    edges = {(e["from"], e["to"]): e for e in net["edges"]}
    assert set(edges) == {
        ("status:agreed", f"pattern:{first}"),
        ("status:agreed", f"pattern:{second}"),
        ("status:partial", f"pattern:{second}"),
    }
    # Width 1 + 9 x share: 2 of 3 agreed cases, 1 of 3, 1 of 1.
    assert edges["status:agreed", f"pattern:{first}"]["width"] == 7.0
    assert edges["status:agreed", f"pattern:{second}"]["width"] == 4.0
    assert edges["status:partial", f"pattern:{second}"]["width"] == 10.0
    assert not any(n["id"].startswith("case:") for n in net["nodes"])
    # At or under the limit, a node per case as before.
    monkeypatch.setattr(site_pages, "NETWORK_CASES_MAX", 4)
    assert sum(n["id"].startswith("case:") for n in site_pages._case_pattern_network(four, data)["nodes"]) == 4


def _grouped(analysed, monkeypatch, widest: bool = False) -> dict:
    """The real cases' case/pattern network in its grouped form; with ``widest``, every status labelled with
    10,000 cases (the widest label a casebook of that size gives)."""
    cases, data = analysed
    monkeypatch.setattr(site_pages, "NETWORK_CASES_MAX", 0)
    net = site_pages._case_pattern_network(cases, data)
    assert net["grouped"] == len(cases)
    if widest:
        for n in net["nodes"]:
            if n["id"].startswith("status:"):
                n["label"] = n["label"].split("\n")[0] + "\n10,000 cases"
    return net


def test_the_grouped_network_is_two_columns_whose_labels_clear_each_other(analysed, monkeypatch):
    from builder import crosscase as X

    net = _grouped(analysed, monkeypatch, widest=True)
    status = [n for n in net["nodes"] if n["id"].startswith("status:")]
    boxes = [n for n in net["nodes"] if n["id"].startswith("pattern:")]
    assert len(status) >= 3 and len(boxes) == len(PATTERNS)
    assert len({n["x"] for n in status}) == 1 and len({n["x"] for n in boxes}) == 1  # two columns
    # At the network's own font and at the larger one a phone draws, no label box touches another, and every
    # status label ends left of every pattern box.
    for font in (site_pages._font_size(), site_pages.GROUPED_FONT):
        assert X.overlaps([X.label_box(n, font) for n in net["nodes"]]) == [], font
        right = max(X.label_box(n, font)[2] for n in status)
        assert right < min(X.label_box(n, font)[0] for n in boxes), font


@pytest.mark.parametrize("width", [1280, 390])
def test_the_grouped_network_drawn_in_chromium_has_no_overlapping_labels(
    analysed, monkeypatch, browser, site_url, width
):
    """vis-network's own boxes of each node and its label, after the view is fitted and labels are scaled."""
    import json

    from builder import crosscase as X

    net = _grouped(analysed, monkeypatch, widest=True)
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme="dark")
    page = context.new_page()
    try:
        page.goto(site_url + "cross-case/")
        page.evaluate(
            """json => { const data = document.createElement('div'); data.hidden = true; data.className = 'cb-data';
                 data.id = 'graph-grouped'; data.setAttribute('data-json', json);
                 const wrap = document.createElement('div'); wrap.className = 'cb-network-wrap';
                 const box = document.createElement('div'); box.className = 'cb-network'; box.id = 'grouped';
                 box.setAttribute('data-graph', 'graph-grouped'); wrap.appendChild(box);
                 const article = document.querySelector('.md-content article');
                 article.prepend(wrap); article.prepend(data); }""",
            json.dumps(net),
        )
        page.wait_for_selector("#grouped[data-fitted] canvas", timeout=10_000)
        page.wait_for_timeout(200)
        found = page.evaluate(
            """() => { const net = window.casebookNetworks.get(document.getElementById('grouped')).network;
                 const ids = net.body.nodeIndices;
                 const font = net.body.nodes[ids[0]].options.font.size;
                 return { px: net.getScale() * font,
                          boxes: ids.map(id => { const b = net.getBoundingBox(id);
                                                 return [b.left, b.top, b.right, b.bottom]; }) }; }"""
        )
        assert len(found["boxes"]) == len(net["nodes"])
        assert X.overlaps([tuple(b) for b in found["boxes"]], gap=0) == []
        assert found["px"] >= 11  # labels stay readable on a phone
    finally:
        context.close()
