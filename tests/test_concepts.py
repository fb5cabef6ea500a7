"""Fixture cases for the concepts of the case model, each with its hand-written expectations.

Each file in tests/data/concepts/ is small, invented and marked as a test fixture. The tests check that it
validates, that the analysis finds what was worked out by hand, and that its page shows each concept.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from builder import analyze, render
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


def test_money_evidence_claims_places_and_related_cases():
    """Money in one format; the evidence behind each outcome; a rejected claim with both sides; the
    subdivision in the facts; a related case shown on both pages."""
    case = load("evidence-and-money")
    other = load("actor-kinds")
    related = render.related_index([case, other])
    assert related == {
        "evidence-and-money": [
            {"id": "actor-kinds", "title": other.title, "relation": "Contrasts with", "note": case.related[0].note}
        ],
        "actor-kinds": [
            {
                "id": "evidence-and-money",
                "title": case.title,
                "relation": "Contrasts with",
                "note": case.related[0].note,
            }
        ],
    }
    page = render_case(case, None, None, related=related[case.id]).body
    back = render_case(other, None, None, related=related[other.id]).body
    assert 'Contrasts with <a href="../../cases/actor-kinds/">' in page
    assert 'Contrasts with <a href="../../cases/evidence-and-money/">' in back
    assert "<td>United Kingdom; Scotland (Glenford)</td>" in page
    assert '<span class="cb-money">GBP 2,500,000 (2015)</span>' in page  # the fund, on the council's card
    assert '<strong>Cost.</strong> <span class="cb-money">about GBP 3,000,000 (2015)</span>' in page
    assert "GBP 1,200,000 → GBP 900,000 (2015 prices)" in page
    assert (
        "Evidence: Quasi-experimental, with a comparison group · comparison group 40% (matched jobseekers in a "
        "neighbouring town) · n = 400 trainees · p &lt; 0.05 · measured by independent evaluator." in page
    )
    assert "Contested by Glenford Mills: The mill says a new order explains most of the hiring." in page
    assert "Evidence: Before and after · measured by the programme itself (Council)." in page
    claims = page.split('id="disputed-claims"')[1].split("</table>")[0]
    assert "The minister&#39;s national scheme caused the rise in jobs." in claims
    assert "<td>Minister" in claims and "<td>Council" in claims and "<td>Rejected</td>" in claims


@pytest.mark.parametrize(
    "before, after, code",
    [
        ("currency: GBP, year: 2015}}", "currency: GBQ, year: 2015}}", "bad-format"),
        ("subdivisions: [GB-SCT]", "subdivisions: [GB-XYZ]", "bad-format"),
        ("subdivisions: [GB-SCT]", "subdivisions: [IN-KL]", "subdivision-country"),
        ("{case: actor-kinds,", "{case: actor-kindz,", "unknown-case"),
        ("{case: actor-kinds,", "{case: evidence-and-money,", "unknown-case"),
        ("measured_by_actor: council}", "measured_by_actor: councl}", "unknown-actor"),
        ("sources_against: [evaluation]", "sources_against: []", "one-sided-claim"),
        ('unit: "%"', 'unit: "%"\n    currency: GBP', "money-and-unit"),
        ("design: quasi-experimental", "design: experiment", "unknown-value"),
        ("{latitude: 55.95,", "{latitude: 95.5,", "out-of-range"),
        ("north: 56.0", "north: 55.0", "out-of-range"),
        ("source_roles: {newspaper: context}", "source_roles: {newsp: context}", "unknown-source"),
    ],
    ids=[
        "unknown-currency",
        "unknown-subdivision",
        "subdivision-elsewhere",
        "unknown-related-case",
        "related-to-itself",
        "unknown-measurer",
        "one-sided-claim",
        "money-with-unit",
        "unknown-design",
        "latitude-out-of-range",
        "area-upside-down",
        "role-of-an-uncited-source",
    ],
)
def test_each_new_rule_gives_one_located_problem(tmp_path, before, after, code):
    text = (CONCEPTS / "evidence-and-money.yaml").read_text("utf-8")
    assert before in text
    (tmp_path / "evidence-and-money.yaml").write_text(text.replace(before, after, 1), "utf-8")
    (tmp_path / "actor-kinds.yaml").write_text((CONCEPTS / "actor-kinds.yaml").read_text("utf-8"), "utf-8")
    problems = check_paths([tmp_path]).problems
    assert [p.code for p in problems] == [code], [p.format() for p in problems]
    assert problems[0].line > 1 and problems[0].fix


def test_uncertainty_is_shown_as_such():
    """An interdependency whose recognition the sources do not give, realized in part, with low confidence:
    the page says so, and the analysis counts it neither as seen nor as realized."""
    case = load("evidence-and-money")
    curve = analyze.analyze(case).to_dict()["recognition_curve"]
    assert curve["unknown"]["count"] == 1 and curve["partly_realized"]["count"] == 1
    assert curve["realized"]["count"] == 2 and curve["never"]["count"] == 0
    row = page_of(case).split('id="edge-placements-for-credit"')[1].split("</div>")[0]
    assert "Seen: Not known · Realized: partly" in row and "Confidence: Low" in row


def test_further_agreements_with_their_dates_and_what_they_put_to_use():
    """A pilot completed, a side deal cut short by the council (with why), and a successor; each links the
    interdependencies it put to use, and each interdependency links back."""
    case = load("agreements")
    page = page_of(case)
    section = page.split('id="other-agreements"')[1].split('id="disputed-claims"')[0].split("<h2")[0]
    assert "<strong>Agreed</strong> · agreed September 2008 · completed August 2009 · Contract" in section
    assert "<strong>Dissolved</strong> · agreed 15 January 2010 · amended June 2011 · cut short March 2012" in section
    assert "<strong>Ended by Council.</strong> The council cut its budget for the scheme." in section
    assert '<span class="cb-money">EUR 450,000 (2010)</span>' in section
    side = section.split('id="agreement-side-deal"')[1].split("</section>")[0]
    assert '<a href="#edge-workers-for-housing">Trust → Council (helps): Tenancy support workers.</a>' in side
    row = page.split('id="edge-workers-for-housing"')[1].split("</div>")[0]
    assert 'Realized: partly, by <a href="#agreement-side-deal">Support-worker funding agreement</a>' in row
    assert '<a href="#agreement-successor">Tenancy sustainment contract</a>' in row


@pytest.mark.parametrize(
    "before, after, code",
    [
        ("realized_by: [pilot]", "realized_by: [pilott]", "unknown-agreement"),
        ("agreement: successor,", "agreement: sucessor,", "unknown-agreement"),
        ("    ended: 2009-08\n", "    ended: 2007-08\n", "agreement-dates"),
        ("    end: cut-short\n", "", "missing-key"),
        ("    ended_by: [council]", "    ended_by: [counci]", "unknown-actor"),
        ("    role: pilot", "    role: trial", "unknown-value"),
        (
            "realized: true, realized_by: [pilot]",
            "realized: true, seen_at: pilot-start, realized_by: [pilot]",
            "unknown-event",
        ),
        ("realized: true, realized_by: [pilot]", "realized: false, realized_by: [pilot]", "wrong-type"),
        ("    status: dissolved\n", "    status: agreed\n", "agreement-dates"),
    ],
    ids=[
        "unknown-realizing-agreement",
        "unknown-event-agreement",
        "ends-before-agreed",
        "ended-without-how",
        "unknown-ender",
        "unknown-role",
        "unknown-event",
        "realized-false-by-an-agreement",
        "cut-short-but-agreed",
    ],
)
def test_each_agreement_rule_gives_one_located_problem(tmp_path, before, after, code):
    text = (CONCEPTS / "agreements.yaml").read_text("utf-8")
    assert before in text
    (tmp_path / "agreements.yaml").write_text(text.replace(before, after, 1), "utf-8")
    problems = check_paths([tmp_path]).problems
    assert [p.code for p in problems] == [code], [p.format() for p in problems]
    assert problems[0].line > 1 and problems[0].fix


def test_a_source_with_its_journal_details_and_a_mirror():
    page = page_of(load("evidence-and-money"))
    entry = page.split('id="source-evaluation"')[1].split("</li>")[0]
    assert "Journal of Invented Results 12(3): 45-67." in entry
    assert '<a href="https://archive.example.org/evaluation" rel="nofollow">(copy 1)</a>' in entry


def test_a_bundle_of_complements_is_one_contribution_and_shown_as_such():
    """The council's flats and the trust's support workers help the health board's purpose only together: if
    either walks away, the purpose loses all its help; the rows link each other."""
    case = load("agreements")
    lost = analyze.analyze(case).to_dict()["what_if"]
    assert ["health-board", "fewer-admissions"] in lost["council"] and ["health-board", "fewer-admissions"] in lost[
        "trust"
    ]
    row = page_of(case).split('id="edge-flats-for-health"')[1].split("</div>")[0]
    assert (
        'Helps only together with: <a href="#edge-support-for-health">Trust → Health board (helps): Tenancy support workers.</a>'
        in row
    )


@pytest.mark.parametrize(
    "before, after, count",
    [
        # A typo leaves each of the two members alone in its own bundle.
        (
            "bundle: housing-with-support, recognized: envisioning",
            "bundle: housing-with-suport, recognized: envisioning",
            2,
        ),
        # The second member aims at another actor's purpose.
        (
            "target: health-board, purpose: fewer-admissions, description: A flat",
            "target: council, purpose: housed, description: A flat",
            1,
        ),
    ],
    ids=["bundles-of-one", "different-purposes"],
)
def test_bundle_rules(tmp_path, before, after, count):
    text = (CONCEPTS / "agreements.yaml").read_text("utf-8")
    assert before in text
    (tmp_path / "agreements.yaml").write_text(text.replace(before, after, 1), "utf-8")
    problems = check_paths([tmp_path]).problems
    assert [p.code for p in problems] == ["bundle"] * count, [p.format() for p in problems]


def test_the_main_deal_can_say_how_it_ended(tmp_path):
    text = (CONCEPTS / "agreements.yaml").read_text("utf-8")
    old = "  joint_product: Housing first for people who sleep rough.\n"
    new = old + "  ended: 2016-03\n  end: expired\n  ended_by: [council]\n  why_ended: The council let it lapse.\n"
    (tmp_path / "agreements.yaml").write_text(text.replace(old, new), "utf-8")
    checked = check_paths([tmp_path])
    assert checked.problems == []
    page = page_of(checked.cases[0])
    assert "<p><strong>Expired in March 2016 by Council.</strong> The council let it lapse.</p>" in page


def test_a_citation_that_gives_context_says_so():
    page = page_of(load("evidence-and-money"))
    row = page.split("<td>Share of trainees in work a year later</td>")[1].split("</tr>")[0]
    assert '<a href="#source-_1">[1;</a> <a href="#source-_2">2, gives context]</a>' in row
