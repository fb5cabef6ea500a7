"""Rendered output and graph data, checked against golden files (pytest --update-golden to rewrite)."""

from __future__ import annotations

import json

import pytest

from builder import analyze
from builder.network import network_data
from builder.pipeline import build_pages
from builder.site_pages import highlights
from builder.validate import check_paths
from conftest import DATA


@pytest.fixture(scope="module")
def fixture_case():
    checked = check_paths([DATA / "valid"])
    assert checked.problems == []
    return checked.cases[0]


def test_case_page(fixture_case, golden):
    """The page body is HTML from the templates; its title and description go to the theme escaped."""
    page = build_pages(DATA / "valid").pages["cases/river-town-example.md"]
    golden("river-town-example.html", page.body)
    assert page.meta() == {
        "title": "River Town flood partnership (test fixture)",
        "description": "A made-up town, water board and farmers&#x27; group share land and data to hold back floods.",
    }


def test_graph_data(fixture_case, golden):
    data = analyze.analyze(fixture_case).to_dict()
    vis = network_data(fixture_case, highlights(fixture_case, data))
    golden("river-town-example.graph.json", json.dumps(vis, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


def test_analysis_data(fixture_case, golden):
    data = analyze.analyze(fixture_case).to_dict()
    golden("river-town-example.analysis.json", json.dumps(data, indent=1, sort_keys=True) + "\n")


def test_the_fixture_graph_is_what_we_drew_by_hand(fixture_case):
    """Town, board and farmers: a ring of help, one unseen step, and one conflict."""
    data = analyze.analyze(fixture_case).to_dict()
    # farmers -> board (land), board -> town (engineers, data), town -> farmers (permits), town -> board (budget)
    assert data["reciprocal_pairs"] == [["board", "town"]]
    assert data["cycles"]["cycles"] == []  # the ring board->town->farmers->board contains the pair board<->town
    # ...but the farmers are repaid only around that ring, so it is a multi-party deal
    assert data["multi_party_deals"]["cycles"] == [["board", "town", "farmers"]]
    # two interdependencies are dated by the timeline events at which they were first seen
    assert data["recognition_timeline"] == [
        {"date": "2002", "count": 1, "ids": ["land-for-room"]},
        {"date": "2003-06-12", "count": 2, "ids": ["permits-for-income"]},
    ]
    assert data["conflicts"]["mixed_pairs"] == [["board", "town"]]  # board helps town; town's permits hurt board
    assert [h["id"] for h in data["conflicts"]["hurts"]] == ["permits-hurt-room"]
    # board->town was seen early (engineers), but the only help back, town->board (budget), was seen only in
    # hindsight: the pair is a deal left on the table.
    assert data["latent_deals"] == [
        {
            "actors": ["board", "town"],
            "kind": "pair",
            "recognized": "hindsight",
            "unseen": [{"holder": "town", "id": "budget-for-room", "recognized": "hindsight", "target": "board"}],
        }
    ]
    # all three are in one ring of help (board->town->farmers->board), so no help is one-way
    assert data["one_way_dependences"] == []
