"""Fixture cases for the concepts of the case model, each with its hand-written expectations.

Each file in tests/data/concepts/ is small, invented and marked as a test fixture. The tests check that it
validates, that the analysis finds what was worked out by hand, and that its page shows each concept.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from builder import analyze
from builder.render import render_case
from builder.validate import check_paths
from conftest import DATA

CONCEPTS = DATA / "concepts"


def load(name: str):
    checked = check_paths([CONCEPTS / f"{name}.yaml"])
    assert checked.problems == [], [p.format() for p in checked.problems]
    (case,) = checked.cases
    return case


def page_of(case) -> str:
    analysis = analyze.analyze(case)
    data = {**analysis.to_dict(), "pattern_counts": analyze.pattern_counts(analysis), "highlights": []}
    return render_case(case, data, analyze.summarize(analysis)).body


@pytest.mark.parametrize("path", sorted(CONCEPTS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_concept_fixture_is_marked_and_valid(path: Path):
    assert "TEST FIXTURE" in path.read_text("utf-8").split("\nid:")[0]
    load(path.stem)


def test_actor_kinds():
    """Hand-checked: units, a coalition, a person in a role and an affected group.

    - city -> police and gang-unit -> police are help within the city (police is part of the city, the gang
      unit part of the police), and funders -> trust is help from a coalition to its member: none of them is
      a one-way dependence.
    - mayor -> trust stays one-way: the mayor is part of the city, and the trust is no part of it.
    - The young people on probation give compliance (kept curfews) to the city, and the city gives them jobs:
      the central exchange is a reciprocal pair, found because an affected group can hold an asset.
    """
    case = load("actor-kinds")
    result = analyze.analyze(case).to_dict()
    assert result["reciprocal_pairs"] == [["city", "probationers"]]
    assert [(d["holder"], d["target"]) for d in result["one_way_dependences"]] == [("mayor", "trust")]
    page = page_of(case)
    assert "<strong>Part of</strong> City." in page  # the police card
    assert "<strong>Members in this case:</strong> Trust." in page
    assert "<strong>Role.</strong> Mayor of Harbourtown" in page
    probationers = page.split('id="actor-probationers"')[1].split("</section>")[0]
    assert "Affected group" in probationers and "Mission." not in probationers
    assert '<span class="cb-kind">Compliance</span> Keeping to evening curfews.' in probationers
