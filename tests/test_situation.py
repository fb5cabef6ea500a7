"""Tests of builder.situation: the practitioner's `casebook diagnose SITUATION.yaml`."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from builder.situation import Situation, diagnose, format_report, parse_situation
from conftest import ROOT

EXAMPLE = Path(__file__).resolve().parent.parent / "builder" / "templates" / "situation.yaml"


@pytest.fixture(scope="module")
def example_text():
    return EXAMPLE.read_text("utf-8")


@pytest.fixture(scope="module")
def report(example_text):
    return diagnose(parse_situation(example_text))


def test_example_candidate_deals(report):
    assert [(d["kind"], d["actors"]) for d in report["candidate_deals"]] == [
        ("pair", ["housing-office", "shelter"]),
        ("cycle", ["hospital", "housing-office", "police"]),
    ]
    assert report["cycles_truncated"] is False


def test_example_deal_lists_its_help_in_the_order_it_flows(report):
    cycle = report["candidate_deals"][1]
    assert [(h["holder"], h["asset"], h["target"], h["purpose"]) for h in cycle["help"]] == [
        ("hospital", "frequent-user-data", "housing-office", "house-chronic"),
        ("housing-office", "vouchers", "police", "fewer-repeat-calls"),
        ("police", "outreach-unit", "hospital", "fewer-ed-visits"),
    ]
    pair = report["candidate_deals"][0]
    assert [(h["holder"], h["asset"]) for h in pair["help"]] == [
        ("housing-office", "landlord-network"),
        ("housing-office", "vouchers"),
        ("shelter", "case-managers"),
    ]


def test_example_one_way_and_conveners(report):
    assert [(d["holder"], d["target"]) for d in report["one_way"]] == [("medicaid", "shelter")]
    assert report["one_way"][0]["help"][0]["asset"] == "tenancy-support-funding"
    assert report["one_way"][0]["holder_purposes"] == [
        {"id": "contain-costs", "description": "Keep the cost of care for high-need members under control."}
    ]
    assert report["conveners"] == [
        {"actor": "housing-office", "name": "City Housing Office", "betweenness": 0.6667, "articulation_point": True},
        {"actor": "shelter", "name": "Harbor Street Shelter", "betweenness": 0.5, "articulation_point": True},
    ]
    assert report["unconnected"] == []
    assert report["links"] == 7
    assert report["actors"]["police"] == "Police District 4"


def test_example_report_text(report):
    text = format_report(report)
    assert text.startswith("Diagnosis: Example")
    assert "  1. City Housing Office <-> Harbor Street Shelter\n" in text
    assert (
        "  2. Cycle, all 3 needed: County General Hospital -> City Housing Office -> Police District 4 "
        "-> County General Hospital\n"
    ) in text
    assert "  - State Medicaid Office -> Harbor Street Shelter\n" in text
    assert "  - City Housing Office (betweenness 0.67; without it some parties are cut off from the rest)" in text
    assert text.endswith("\n") and not text.endswith("\n\n")


def test_diagnosis_does_not_depend_on_order(example_text):
    data = yaml.safe_load(example_text)
    rng = random.Random(7)
    for _ in range(5):
        rng.shuffle(data["actors"])
        rng.shuffle(data["help"])
        assert diagnose(Situation.model_validate(data)) == diagnose(parse_situation(example_text))


def small(help_=(), **extra):
    return {
        "title": "Two offices",
        "actors": [
            {
                "id": "a",
                "name": "Office A",
                "purposes": [{"id": "p", "description": "d"}],
                "assets": [{"id": "x", "kind": "money", "description": "d"}],
            },
            {
                "id": "b",
                "name": "Office B",
                "sector": "nonprofit",
                "purposes": [{"id": "q", "description": "d"}],
                "assets": [{"id": "y", "kind": "goodwill", "description": "free-text kinds are allowed"}],
            },
        ],
        "help": list(help_),
        **extra,
    }


def test_no_help_means_no_deals_and_everyone_unconnected():
    report = diagnose(Situation.model_validate(small()))
    assert report["candidate_deals"] == [] and report["one_way"] == [] and report["conveners"] == []
    assert report["unconnected"] == ["a", "b"]
    text = format_report(report)
    assert "No candidate deals" in text
    assert "Not yet connected to anyone: Office A, Office B." in text


def test_a_ring_is_a_deal_even_when_two_of_its_members_also_trade_directly():
    """a helps b, b helps c, c helps a, and b helps a too: a and b are a pair, and the ring a -> b -> c is a deal
    as well (c gets nothing back from b but around the ring). Before, only pure cycles were listed, so the ring and
    c's links vanished from the report."""
    data = small(
        [
            {"holder": "a", "asset": "x", "target": "b", "purpose": "q"},
            {"holder": "b", "asset": "y", "target": "a", "purpose": "p"},
            {"holder": "b", "asset": "y", "target": "c", "purpose": "r"},
            {"holder": "c", "asset": "z", "target": "a", "purpose": "p"},
        ]
    )
    data["actors"].append(
        {
            "id": "c",
            "name": "Office C",
            "purposes": [{"id": "r", "description": "d"}],
            "assets": [{"id": "z", "kind": "data", "description": "d"}],
        }
    )
    report = diagnose(Situation.model_validate(data))
    assert [(d["kind"], d["actors"]) for d in report["candidate_deals"]] == [
        ("pair", ["a", "b"]),
        ("ring", ["a", "b", "c"]),
    ]
    assert "Ring of 3, some also trading directly: Office A -> Office B -> Office C -> Office A" in format_report(
        report
    )
    ring = report["candidate_deals"][1]["help"]
    assert [(h["holder"], h["target"]) for h in ring] == [("a", "b"), ("b", "c"), ("c", "a")]
    assert "Office C" in format_report(report)


def test_two_way_help_is_a_pair():
    report = diagnose(
        Situation.model_validate(
            small(
                [
                    {"holder": "a", "asset": "x", "target": "b", "purpose": "q"},
                    {"holder": "b", "asset": "y", "target": "a", "purpose": "p", "note": "n"},
                ]
            )
        )
    )
    assert report["candidate_deals"] == [
        {
            "kind": "pair",
            "actors": ["a", "b"],
            "help": [
                {"holder": "a", "asset": "x", "target": "b", "purpose": "q", "note": ""},
                {"holder": "b", "asset": "y", "target": "a", "purpose": "p", "note": "n"},
            ],
        }
    ]
    assert report["one_way"] == []


@pytest.mark.parametrize(
    "link, message",
    [
        (
            {"holder": "c", "asset": "x", "target": "b", "purpose": "q"},
            "help[0].holder 'c' is not an actor in this situation (fix: use one of: a, b, or add an actor with id: c",
        ),
        (
            {"holder": "a", "asset": "z", "target": "b", "purpose": "q"},
            "help[0].asset 'z' is not an asset of actor 'a' (fix: use one of: x, or add it under assets: of actor 'a')",
        ),
        (
            {"holder": "a", "asset": "x", "target": "b", "purpose": "p"},
            "help[0].purpose 'p' is not a purpose of actor 'b' (fix: use one of: q, or add it under purposes: of actor 'b')",
        ),
        ({"holder": "a", "asset": "x", "target": "a", "purpose": "p"}, "help[0] runs from 'a' to itself"),
    ],
)
def test_bad_links_are_named_with_a_fix(link, message):
    with pytest.raises(ValidationError) as info:
        Situation.model_validate(small([link]))
    assert message in str(info.value)


def test_repeated_links_and_ids_are_errors():
    link = {"holder": "a", "asset": "x", "target": "b", "purpose": "q"}
    with pytest.raises(ValidationError, match=r"help\[1\] repeats help\[0\], the same link of help"):
        Situation.model_validate(small([link, link]))
    data = small()
    data["actors"].append(data["actors"][0])
    with pytest.raises(ValidationError, match="actor id 'a' is used twice"):
        Situation.model_validate(data)


def test_unknown_keys_and_sectors_are_errors():
    with pytest.raises(ValidationError, match="partners"):
        Situation.model_validate(small(partners=[]))
    data = small()
    data["actors"][0]["sector"] = "guild"
    with pytest.raises(ValidationError, match="sector"):
        Situation.model_validate(data)


def test_parse_situation_needs_a_mapping():
    with pytest.raises(ValueError, match="must be a mapping"):
        parse_situation("- just a list\n")


def test_every_field_has_a_description():
    schema = Situation.model_json_schema()
    missing = []
    for name, model in [("Situation", schema), *schema["$defs"].items()]:
        for field, spec in model["properties"].items():
            if "description" not in spec:
                missing.append(f"{name}.{field}")
    assert missing == []


def test_practitioners_typing_slips_get_fixes_that_say_what_happened(tmp_path, capsys):
    """A list item missing its "- " (its keys read as duplicates of the item above), an id in a word processor's
    curly quotes, and a purpose id used twice: each fix says what went wrong, not only "merge" or "use one of"."""
    from builder.cli import main

    text = (ROOT / "builder" / "templates" / "situation.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    first, second = data["help"][0], data["help"][1]
    item = lambda h, dash: "".join(  # noqa: E731
        f"{'  - ' if dash and i == 0 else '    '}{k}: {v}\n" for i, (k, v) in enumerate(h.items()) if k != "note"
    )
    path = tmp_path / "room.yaml"
    head = text.split("\nhelp:")[0] + "\nhelp:\n"
    path.write_text(head + item(first, True) + item(second, False), "utf-8")
    assert main(["diagnose", str(path)]) == 1
    out = capsys.readouterr().out
    line = (head + item(first, True)).count("\n") + 1
    assert f"if line {line} starts another item of the list, put '- ' before 'holder'" in out
    assert f"if line {line} starts another item of the list, this key is part of it" in out
    curly = dict(first, holder=f"\u201c{first['holder']}\u201d")
    path.write_text(head + item(curly, True), "utf-8")
    assert main(["diagnose", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"written inside typographic quotes, which YAML keeps as part of the text: write '{first['holder']}'" in out
    fix = next(line for line in out.splitlines() if "typographic quotes" in line)
    assert fix.endswith("with straight quotes or none") and "add an actor" not in fix  # one fix, not two


def test_a_ring_of_six_is_still_a_cycle_in_the_report():
    """The report searches cycles to six parties (the multi-party search stops at five): a ring of six, no two
    trading directly, is listed, not "no help flows back"."""
    ids = "abcdef"
    data = {
        "title": "Six",
        "actors": [
            {
                "id": i,
                "name": f"Office {i.upper()}",
                "purposes": [{"id": "p", "description": "d"}],
                "assets": [{"id": "x", "kind": "money", "description": "d"}],
            }
            for i in ids
        ],
        "help": [
            {"holder": a, "asset": "x", "target": b, "purpose": "p"}
            for a, b in zip(ids, ids[1:] + ids[:1], strict=True)
        ],
    }
    report = diagnose(Situation.model_validate(data))
    assert [(d["kind"], d["actors"]) for d in report["candidate_deals"]] == [("cycle", list(ids))]
    assert "Cycle, all 6 needed" in format_report(report)
