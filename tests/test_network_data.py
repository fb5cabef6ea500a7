"""The network data a page carries: compact, with each link's stage, and laid out deterministically."""

from __future__ import annotations

import json
import random

import pytest

from builder.network import LARGE, PROCESS_STAGES, network_data, spring_layout, stage_list, text_alternative
from builder.validate import check_paths
from conftest import DATA, ROOT


@pytest.fixture(scope="module")
def fixture_case():
    checked = check_paths([DATA / "valid"])
    assert checked.problems == []
    return checked.cases[0]


def test_each_link_carries_the_index_of_the_stage_it_was_recognized_at(fixture_case):
    """Hand-checked against tests/data/valid/river-town-example.yaml."""
    data = network_data(fixture_case)
    stages = data["stages"]
    assert [s["code"] for s in stages if s["kind"] == "step"] == list(PROCESS_STAGES)
    assert [s["code"] for s in stages if s["kind"] == "latent"] == ["hindsight", "never"]
    by_id = {e["id"]: stages[e["stage"]]["code"] for e in data["edges"]}
    assert by_id == {
        "land-for-room": "recognition",
        "engineers-for-safety": "mutual-sense",
        "permits-for-income": "envisioning",
        "data-for-growth": "never",
        "budget-for-room": "hindsight",
        "permits-hurt-room": "recognition",
    }
    # Steps are numbered from 1 in the stepper: recognized by step 2 are the two recognition links and one
    # mutual-sense link; envisioning is step 5.
    step = {e["id"]: stages[e["stage"]]["kind"] == "step" and e["stage"] + 1 for e in data["edges"]}
    assert sorted(i for i, s in step.items() if s and s <= 2) == [
        "engineers-for-safety",
        "land-for-room",
        "permits-hurt-room",
    ]
    assert step["permits-for-income"] == 5
    assert step["data-for-growth"] is False and step["budget-for-room"] is False


def test_links_carry_no_styling_only_what_the_script_needs(fixture_case):
    data = network_data(fixture_case)
    assert {k for e in data["edges"] for k in e} == {"id", "from", "to", "effect", "stage", "realized"}
    assert {k for n in data["nodes"] for k in n} <= {"id", "label", "name", "group", "x", "y"}
    assert data["anchor"] == "actor-"  # + node id = the actor card's id on the case page
    assert {e["realized"] for e in data["edges"]} <= {"yes", "no", "partly", "not known"}
    assert [s["kind"] for s in stage_list()].count("unknown") == 1


def test_real_case_data_stays_small(corpus):
    """Boston's data-json attribute was about 21 KB; it must stay at most 8 KB (issue 12)."""
    from builder import analyze
    from builder.site_pages import highlights

    sizes = {}
    for case in corpus.cases:
        analysis = analyze.analyze(case).to_dict()
        data = network_data(case, highlights(case, analysis))
        sizes[case.id] = len(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())
    assert sizes["boston-operation-ceasefire"] <= 8 * 1024, sizes
    assert max(sizes.values()) <= 12 * 1024, sizes


def test_text_alternative_lists_every_link_with_its_stage(fixture_case):
    rows = text_alternative(fixture_case)
    assert len(rows) == len(fixture_case.interdependencies)
    assert rows[3] == {
        "holder": "Water board",
        "target": "Town",
        "effect": "helps",
        "recognized": "Never",
        "href": "#edge-data-for-growth",
    }


def test_large_networks_get_a_deterministic_spread_out_layout():
    rng = random.Random(5)
    ids = [f"n{i}" for i in range(LARGE + 150)]
    links = [tuple(rng.sample(ids, 2)) for _ in range(2 * len(ids))]
    first = spring_layout(ids, links, seed=3)
    assert first == spring_layout(ids, links, seed=3)
    assert set(first) == set(ids)
    # Spread out: no two nodes on the same spot, and no 60 px square holds more than a handful.
    assert len(set(first.values())) == len(ids)
    cells: dict[tuple[int, int], int] = {}
    for x, y in first.values():
        cells[(x // 60, y // 60)] = cells.get((x // 60, y // 60), 0) + 1
    assert max(cells.values()) <= 8


def test_the_pattern_example_has_no_stepper():
    from builder.network import example_data

    data = example_data((("A", "B", "helps", "recognition"), ("B", "A", "helps", "never")))
    assert data["stepper"] is False
    assert [data["stages"][e["stage"]]["code"] for e in data["edges"]] == ["recognition", "never"]


def test_case_pages_have_no_vis_stylesheet_in_their_head():
    """vis-network's stylesheet is loaded by casebook.js on pages that draw a network, not by every page."""
    config = (ROOT / "mkdocs.yml").read_text("utf-8")
    extra_css = config.split("extra_css:", 1)[1].split("extra_javascript:", 1)[0]
    assert "vis-network" not in extra_css.replace("vis-network's", "")
    script = (ROOT / "docs" / "assets" / "javascripts" / "casebook.js").read_text("utf-8")
    assert '"../vendor/vis-network/vis-network.min.css"' in script
