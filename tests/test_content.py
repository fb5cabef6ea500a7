"""The casebook's content standard, checked over the real cases in cases/."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from builder.continents import continent
from builder.model import PROCESS_STAGES
from conftest import ROOT

CASE_IDS = sorted(p.stem for p in (ROOT / "cases").glob("*.yaml"))


@pytest.fixture(scope="module")
def cases(corpus):
    assert corpus.problems == []
    return {c.id: c for c in corpus.cases}


def test_diversity_targets(cases):
    values = list(cases.values())
    assert len(values) >= 18
    countries = {k for c in values for k in c.countries}
    assert len(countries) >= 8
    assert len({continent(k) for k in countries}) >= 4
    assert len({d for c in values for d in c.domains}) >= 6
    assert sum(c.deal.status in ("partial", "not-reached", "dissolved") for c in values) >= 4
    assert {"local", "regional", "national"} <= {c.scale for c in values}
    assert {"cross-border", "international"} & {c.scale for c in values}
    assert "boston-operation-ceasefire" in cases


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_case_meets_the_content_standard(cases, case_id):
    case = cases[case_id]
    assert len(case.actors) >= 3
    assert all(a.mission and a.purposes for a in case.actors)
    assert sum(bool(a.assets) for a in case.actors) >= 3  # a target group may hold nothing the sources name
    assert len(case.interdependencies) >= 5
    assert len(case.sources) >= 2
    assert all(s.url or s.doi for s in case.sources)
    assert case.deal.commitments and case.deal.joint_product
    assert case.outcomes
    assert case.teaching.learning_objectives
    questions = case.teaching.discussion_questions
    assert len(questions) >= 3 and all(q.stage for q in questions)
    assert any(getattr(case.process, s.replace("-", "_")) for s in PROCESS_STAGES)


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_every_listed_source_is_cited(cases, case_id):
    case = cases[case_id]
    data = case.model_dump()
    cited: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                citing = key in ("sources", "sources_for", "sources_against")  # claims cite on both sides
                if citing and isinstance(value, list) and all(isinstance(v, str) for v in value):
                    cited.update(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in data.items() if k != "sources"})
    assert sorted(s.id for s in case.sources if s.id not in cited) == []


def _paragraphs(case) -> list[str]:
    texts = [case.summary]
    for stage in PROCESS_STAGES:
        part = getattr(case.process, stage.replace("-", "_"))
        if part is not None and part.narrative:
            texts.append(part.narrative)
    out = []
    for text in texts:
        for para in re.split(r"\n\s*\n", text):
            norm = " ".join(para.split()).casefold()
            if len(norm) > 80:
                out.append(norm)
    return out


def test_no_two_cases_share_a_narrative_paragraph(cases):
    seen = Counter(p for c in cases.values() for p in set(_paragraphs(c)))
    assert [p[:80] for p, n in seen.items() if n > 1] == []


def test_readme_counts_are_true(cases):
    readme = (ROOT / "README.md").read_text("utf-8")
    match = re.search(r"holds (\d+) real efforts from (\d+) countries on (\w+) continents", readme)
    assert match, "README should say how many cases, countries and continents the casebook holds"
    words = {"four": 4, "five": 5, "six": 6, "seven": 7}
    countries = {k for c in cases.values() for k in c.countries}
    assert int(match.group(1)) == len(cases)
    assert int(match.group(2)) == len(countries)
    assert words[match.group(3)] == len({continent(k) for k in countries})
