"""Tests of builder.analyze: each pattern on small graphs whose answers are known by hand,
plus property tests that results do not depend on the order of the input."""

from __future__ import annotations

import itertools
import json
import random
import re

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builder import analyze as A
from builder.analyze import CycleSearch, graph_from_edges
from builder.model import Case

# Local settings, not a global profile: other test modules keep their own. No example database on disk.
PROPERTY = settings(database=None, deadline=None, max_examples=150)


def G(*edges, actors=()):
    return graph_from_edges(edges, actors=actors)


def stage(s):
    return {"recognized": s}


# --------------------------------------------------------------------------- a real Case


def make_case(actors, interdependencies, status="agreed", mechanisms=(), case_id="toy"):
    """A minimal valid Case. actors: (id, sector, level, [asset (id, kind)]); links: dicts."""
    src = {"id": "s", "title": "S", "type": "report", "url": "https://example.org"}
    data = {
        "schema_version": 2,
        "id": case_id,
        "title": "Toy",
        "tagline": "t",
        "summary": "s",
        "countries": ["US"],
        "years": {"start": 2000, "end": 2001},
        "domains": ["public-safety"],
        "scale": "local",
        "status": "draft",
        "sources": [src],
        "actors": [
            {
                "id": a,
                "name": a.upper() + " Office",
                "short_name": a.upper(),
                "sector": sector,
                "level": level,
                "mission": "m",
                "purposes": [{"id": "p", "description": "d"}, {"id": "q", "description": "d"}],
                "assets": [{"id": x, "kind": kind, "description": "d"} for x, kind in assets],
            }
            for a, sector, level, assets in actors
        ],
        "interdependencies": [
            {
                "purpose": "p",
                "effect": "helps",
                "description": "d",
                "recognized": "recognition",
                "realized": True,
                "sources": ["s"],
                **link,
            }
            for link in interdependencies
        ],
        "deal": {"forms": ["informal"], "status": status, "joint_product": "j", "sources": ["s"]},
    }
    if mechanisms:
        data["process"] = {
            "holding_environment": {
                "narrative": "n",
                "sources": ["s"],
                "mechanisms": [{"kind": k, "description": "d"} for k in mechanisms],
            }
        }
    return Case.model_validate(data)


ACTORS = [
    ("police", "government", "local", [("arrests", "legal-authority")]),
    ("clergy", "community", "neighbourhood", [("trust", "legitimacy")]),
    ("uni", "academic", "national", [("analysis", "expertise")]),
]
LINKS = [
    {"id": "p-c", "holder": "police", "asset": "arrests", "target": "clergy", "recognized": "recognition"},
    {
        "id": "c-p",
        "holder": "clergy",
        "asset": "trust",
        "target": "police",
        "recognized": "never",
        "recognized_by": ["uni"],
        "realized": False,
    },
    {"id": "u-p", "holder": "uni", "asset": "analysis", "target": "police", "purpose": "q", "recognized": "agreement"},
    {"id": "c-u", "holder": "clergy", "asset": "trust", "target": "uni", "effect": "hurts", "recognized": "hindsight"},
]


def test_build_graph_from_a_case():
    graph = A.build_graph(make_case(ACTORS, LINKS))
    assert list(graph.nodes) == ["clergy", "police", "uni"]
    assert graph.nodes["police"] == {
        "name": "POLICE Office",
        "short_name": "POLICE",
        "sector": "government",
        "level": "local",
        "purposes": {"p": "d", "q": "d"},
        "kind": "organization",
        "part_of": None,
        "members": (),
    }
    assert sorted(graph.edges(keys=True)) == [
        ("clergy", "police", "c-p"),
        ("clergy", "uni", "c-u"),
        ("police", "clergy", "p-c"),
        ("uni", "police", "u-p"),
    ]
    assert graph.edges["clergy", "police", "c-p"] == {
        "asset": "trust",
        "asset_kind": "legitimacy",
        "purpose": "p",
        "effect": "helps",
        "recognized": "never",
        "recognized_by": ("uni",),
        "realized": False,
        "description": "d",
        "bundle": "",
        "seen_on": "",
    }
    assert graph.edges["clergy", "uni", "c-u"]["effect"] == "hurts"


def test_build_graph_does_not_depend_on_file_order():
    a = A.build_graph(make_case(ACTORS, LINKS))
    b = A.build_graph(make_case(ACTORS[::-1], LINKS[::-1]))
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))


def test_analyze_a_case_equals_analyze_graph():
    case = make_case(ACTORS, LINKS)
    analysis = A.analyze(case)
    assert analysis.case_id == "toy"
    assert analysis == A.analyze_graph(A.build_graph(case), case_id="toy")
    assert analysis.reciprocal_pairs == [("clergy", "police")]
    assert analysis.latent_deals == [
        {
            "kind": "pair",
            "actors": ("clergy", "police"),
            "recognized": "never",
            "unseen": [{"id": "c-p", "holder": "clergy", "target": "police", "recognized": "never"}],
        }
    ]
    assert analysis.conflicts["mixed_pairs"] == []
    assert analysis.one_way_dependences == [{"holder": "uni", "target": "police", "interdependencies": ["u-p"]}]


# --------------------------------------------------------------------------- graph_from_edges


def test_graph_from_edges_defaults_and_keys():
    graph = G(("a", "b"), ("a", "b"), ("b", "a", "hurts", {"id": "x", "purpose": "p"}), actors=["z"])
    assert list(graph.nodes) == ["a", "b", "z"]
    assert sorted(graph.edges(keys=True)) == [("a", "b", "a>b"), ("a", "b", "a>b#2"), ("b", "a", "x")]
    assert graph.edges["a", "b", "a>b"] == {
        "asset": "",
        "asset_kind": "",
        "purpose": "",
        "recognized": "recognition",
        "recognized_by": (),
        "realized": False,
        "description": "",
        "bundle": "",
        "seen_on": "",
        "effect": "helps",
    }
    assert graph.nodes["z"] == {"name": "z", "short_name": None, "sector": None, "level": None}


@pytest.mark.parametrize(
    "edge, message",
    [
        (("a", "b", "blocks"), "effect"),
        (("a", "b", "helps", {"colour": "red"}), "unknown edge attributes"),
        (("a", "b", "helps", {"recognized": "later"}), "recognition stage"),
    ],
)
def test_graph_from_edges_rejects_bad_input(edge, message):
    with pytest.raises(ValueError, match=message):
        graph_from_edges([edge])


def test_graph_from_edges_rejects_repeated_ids():
    with pytest.raises(ValueError, match="given twice"):
        graph_from_edges([("a", "b", "helps", {"id": "e"}), ("b", "a", "helps", {"id": "e"})])


# --------------------------------------------------------------------------- empty, self-loops, parallel


def test_empty_graph():
    graph = nx.MultiDiGraph()
    assert A.reciprocal_pairs(graph) == []
    assert A.cycles(graph) == CycleSearch((), False, 6, 1000)
    assert A.one_way_dependences(graph) == []
    assert A.thompson(graph) == {"pooled": [], "sequential": [], "reciprocal": []}
    assert A.brokers(graph) == {"articulation_points": [], "betweenness": {}}
    assert A.conflicts(graph) == {"hurts": [], "mixed_pairs": []}
    assert A.latent_deals(graph) == []
    assert A.what_if(graph) == {}
    curve = A.recognition_curve(graph)
    assert curve["total"] == 0 and curve["never"] == {"count": 0, "share": 0.0}
    assert all(s["share"] == 0.0 for s in curve["stages"])
    assert A.metrics(G=graph) == {
        "actors": 0,
        "sectors": {},
        "levels": {},
        "interdependencies": 0,
        "helps": 0,
        "hurts": 0,
        "reciprocity": 0.0,
        "density": 0.0,
        "recognized_by_agreement": 0.0,
        "realized": 0.0,
    }
    analysis = A.analyze_graph(graph)
    assert json.loads(json.dumps(analysis.to_dict())) == analysis.to_dict()
    assert A.summarize(analysis) == [
        "No makeable deals (reciprocal pairs or cycles of help) in the mapped interdependencies.",
        "No interdependencies are mapped yet.",
    ]


def test_self_loops_never_make_a_deal():
    graph = G(("a", "a", "helps", {"purpose": "p"}), ("a", "a", "hurts"), ("a", "b", "helps", {"purpose": "p"}))
    assert A.reciprocal_pairs(graph) == []
    assert A.cycles(graph).cycles == ()
    assert A.one_way_dependences(graph) == [{"holder": "a", "target": "b", "interdependencies": ["a>b"]}]
    assert A.conflicts(graph) == {
        "hurts": [{"id": "a>a#2", "holder": "a", "asset": "", "target": "a", "purpose": ""}],
        "mixed_pairs": [],
    }
    assert A.thompson(graph)["reciprocal"] == []
    m = A.metrics(G=graph)
    assert (m["interdependencies"], m["helps"], m["hurts"], m["reciprocity"], m["density"]) == (3, 2, 1, 0.0, 0.5)
    # a's own help to its own purpose is not another actor's purpose
    assert A.what_if(graph) == {"a": [("b", "p")], "b": []}


def test_parallel_edges_collapse_for_deals_but_count_for_metrics():
    graph = G(("a", "b", "helps", {"id": "ab1"}), ("a", "b", "helps", {"id": "ab2"}), ("b", "a", "helps", {"id": "ba"}))
    assert A.reciprocal_pairs(graph) == [("a", "b")]
    assert A.cycles(graph).cycles == ()
    m = A.metrics(G=graph)
    assert (m["interdependencies"], m["reciprocity"], m["density"]) == (3, 1.0, 1.0)


def test_disconnected_parts():
    graph = G(("a", "b"), ("b", "c"), ("c", "a"), ("x", "y"), ("y", "z"), ("z", "x"), actors=["lonely"])
    assert A.cycles(graph).cycles == (("a", "b", "c"), ("x", "y", "z"))
    assert A.thompson(graph)["reciprocal"] == [["a", "b", "c"], ["x", "y", "z"]]
    assert A.brokers(graph)["articulation_points"] == []
    assert set(A.brokers(graph)["betweenness"].values()) == {0.0}
    assert A.one_way_dependences(graph) == []
    assert A.what_if(graph)["lonely"] == []


# --------------------------------------------------------------------------- reciprocal pairs and cycles


def test_reciprocal_pairs_need_help_both_ways():
    graph = G(("a", "b"), ("b", "a"), ("a", "c"), ("c", "a", "hurts"), ("d", "e"), ("e", "d"), ("d", "d"))
    assert A.reciprocal_pairs(graph) == [("a", "b"), ("d", "e")]


def test_cycle_in_canonical_rotation_and_direction():
    assert A.cycles(G(("c", "a"), ("a", "b"), ("b", "c"))).cycles == (("a", "b", "c"),)
    assert A.cycles(G(("a", "c"), ("c", "b"), ("b", "a"))).cycles == (("a", "c", "b"),)


def test_cycle_with_a_reciprocal_pair_between_non_neighbours_is_not_reported():
    ring = [("a", "b"), ("b", "c"), ("c", "d"), ("d", "a")]
    assert A.cycles(G(*ring)).cycles == (("a", "b", "c", "d"),)
    # a and c help each other: every cycle through both holds a bilateral deal
    assert A.cycles(G(*ring, ("a", "c"), ("c", "a"))).cycles == ()
    # a chord one way only: the shorter ring is reported too, shortest first
    assert A.cycles(G(*ring, ("a", "c"))).cycles == (("a", "c", "d"), ("a", "b", "c", "d"))


def test_hurts_edges_do_not_close_a_cycle():
    assert A.cycles(G(("a", "b"), ("b", "c"), ("c", "a", "hurts"))).cycles == ()


def test_cycle_bounds():
    ring = G(("a", "b"), ("b", "c"), ("c", "d"), ("d", "a"))
    assert A.cycles(ring, max_length=3) == CycleSearch((), False, 3, 1000)
    assert A.cycles(ring, max_length=2).cycles == ()
    triangles = G(*[(f"{t}{i}", f"{t}{(i + 1) % 3}") for t in "xyz" for i in range(3)])
    assert A.cycles(triangles, max_count=2) == CycleSearch((("x0", "x1", "x2"), ("y0", "y1", "y2")), True, 6, 2)
    assert A.cycles(triangles, max_count=3).truncated is False
    assert A.cycles(triangles, max_count=0) == CycleSearch((), True, 6, 0)
    with pytest.raises(ValueError):
        A.cycles(triangles, max_count=-1)


def dense_graph(n, p=0.5, seed=60):
    rng = random.Random(seed)
    names = [f"actor-{i:02d}" for i in range(n)]
    return graph_from_edges([(u, v) for u in names for v in names if u != v and rng.random() < p])


def test_cycle_search_on_a_dense_60_actor_graph_is_bounded():
    graph = dense_graph(60)
    result = A.cycles(graph)
    assert result.truncated is True
    assert len(result.cycles) == 1000
    assert_valid_cycles(graph, result)
    # shortest first: a dense graph has more than 1000 qualifying triangles
    assert {len(c) for c in result.cycles} == {3}


def test_complete_digraph_has_no_cycle_without_a_reciprocal_pair():
    names = [f"n{i:02d}" for i in range(60)]
    result = A.cycles(graph_from_edges([(u, v) for u in names for v in names if u != v]))
    assert result == CycleSearch((), False, 6, 1000)


# --------------------------------------------------------------------------- one-way dependences


def test_one_way_dependences():
    chain = G(("a", "b"), ("b", "c"))
    assert [(d["holder"], d["target"]) for d in A.one_way_dependences(chain)] == [("a", "b"), ("b", "c")]
    # closing the ring: every help is repaid indirectly
    assert A.one_way_dependences(G(("a", "b"), ("b", "c"), ("c", "a"))) == []
    # hurting back does not repay
    assert A.one_way_dependences(G(("a", "b"), ("b", "a", "hurts"))) == [
        {"holder": "a", "target": "b", "interdependencies": ["a>b"]}
    ]
    # help into a reciprocal pair from outside is one-way
    assert A.one_way_dependences(G(("a", "b"), ("b", "a"), ("c", "a", "helps", {"id": "ca"}))) == [
        {"holder": "c", "target": "a", "interdependencies": ["ca"]}
    ]


# --------------------------------------------------------------------------- Thompson


def test_pooled_needs_three_distinct_holders_on_one_purpose():
    three = G(*[(h, "t", "helps", {"purpose": "p"}) for h in "abc"], ("a", "t", "helps", {"purpose": "p"}))
    assert A.thompson(three)["pooled"] == [{"target": "t", "purpose": "p", "holders": ["a", "b", "c"]}]
    spread = G(
        ("a", "t", "helps", {"purpose": "p"}),
        ("b", "t", "helps", {"purpose": "p"}),
        ("c", "t", "helps", {"purpose": "q"}),
    )
    assert A.thompson(spread)["pooled"] == []
    with_self = G(
        ("a", "t", "helps", {"purpose": "p"}),
        ("b", "t", "helps", {"purpose": "p"}),
        ("t", "t", "helps", {"purpose": "p"}),
    )
    assert A.thompson(with_self)["pooled"] == []
    hurting = G(
        ("a", "t", "helps", {"purpose": "p"}),
        ("b", "t", "helps", {"purpose": "p"}),
        ("c", "t", "hurts", {"purpose": "p"}),
    )
    assert A.thompson(hurting)["pooled"] == []


def test_sequential_chains():
    assert A.thompson(G(("a", "b"), ("b", "c")))["sequential"] == [("a", "b", "c")]
    assert A.thompson(G(("a", "b"), ("b", "c"), ("c", "a")))["sequential"] == []
    assert A.thompson(G(("a", "b"), ("b", "a"), ("b", "c")))["sequential"] == [("a", "b", "c")]
    assert A.thompson(G(("a", "b"), ("b", "c"), ("c", "d")))["sequential"] == [("a", "b", "c"), ("b", "c", "d")]
    assert A.thompson(G(("a", "b"), ("b", "c", "hurts")))["sequential"] == []


def test_reciprocal_groups_are_strongly_connected_components():
    graph = G(("a", "b"), ("b", "c"), ("c", "a"), ("c", "d"), ("e", "f"), ("f", "e"))
    assert A.thompson(graph)["reciprocal"] == [["a", "b", "c"], ["e", "f"]]


# --------------------------------------------------------------------------- brokers, conflicts


def test_brokers_on_a_path_and_a_star():
    path = G(("a", "b"), ("c", "b", "hurts"))
    assert A.brokers(path) == {"articulation_points": ["b"], "betweenness": {"a": 0.0, "b": 1.0, "c": 0.0}}
    star = G(*[("hub", leaf) for leaf in "wxyz"])
    assert A.brokers(star)["articulation_points"] == ["hub"]
    assert A.brokers(star)["betweenness"]["hub"] == 1.0
    triangle = G(("a", "b"), ("b", "c"), ("a", "c"))
    assert A.brokers(triangle) == {"articulation_points": [], "betweenness": {"a": 0.0, "b": 0.0, "c": 0.0}}
    # two triangles sharing one actor
    bow = G(("a", "b"), ("b", "m"), ("m", "a"), ("m", "x"), ("x", "y"), ("y", "m"))
    assert A.brokers(bow)["articulation_points"] == ["m"]
    assert A.brokers(bow)["betweenness"]["m"] == 0.6667


def test_the_actors_a_broker_would_cut_off():
    # Two triangles sharing m: of two parts the same size, the one with the first actor id stays.
    bow = G(("a", "b"), ("b", "m"), ("m", "a"), ("m", "x"), ("x", "y"), ("y", "m"))
    assert A.cut_off_by(bow, "m") == ["x", "y"]
    star = G(*[("hub", leaf) for leaf in "wxyz"])
    assert A.cut_off_by(star, "hub") == ["x", "y", "z"]  # w stays: four parts of one, the first id kept
    assert A.cut_off_by(star, "w") == []  # not a broker
    assert A.cut_off_by(G(("a", "b"), ("c", "b", "hurts")), "b") == ["c"]  # hurts joins actors too


def test_the_broker_highlight_of_boston_shows_only_the_links_a_broker_alone_holds(corpus):
    """Hand-checked on the case's 16 links: without BPD, the three around the streetworkers stay together and
    Harvard, NIJ, ATF, probation, the US Attorney and the DA are cut off; without Harvard, NIJ; without the
    streetworkers, the youth."""
    from builder import site_pages

    case = next(c for c in corpus.cases if c.id == "boston-operation-ceasefire")
    data = A.analyze(case).to_dict()
    (brokers,) = site_pages._broker_highlights(case, data)
    assert brokers["nodes"] == ["bpd", "harvard-researchers", "streetworkers"]
    assert brokers["edges"] == sorted(
        [
            "research-helps-bpd",
            "bpd-data-helps-research",
            "atf-tracing-helps-bpd",
            "bpd-data-helps-atf",
            "probation-helps-bpd",
            "bpd-helps-probation",
            "us-attorney-helps-bpd",
            "da-helps-bpd",
            "research-helps-nij",
            "nij-grant-helps-research",
            "streetworkers-help-youth",
        ]
    )


def test_conflicts_and_mixed_pairs():
    graph = G(
        ("a", "b", "helps"),
        ("b", "a", "hurts", {"id": "ba", "purpose": "p", "asset": "x"}),
        ("c", "d", "hurts", {"id": "cd"}),
        ("d", "c", "helps"),
        ("e", "f", "helps"),
        ("e", "f", "hurts", {"id": "ef"}),
    )
    result = A.conflicts(graph)
    assert [h["id"] for h in result["hurts"]] == ["ba", "cd", "ef"]
    assert result["hurts"][0] == {"id": "ba", "holder": "b", "asset": "x", "target": "a", "purpose": "p"}
    # e both helps and hurts f: one direction only, not a mixed pair
    assert result["mixed_pairs"] == [("a", "b"), ("c", "d")]


# --------------------------------------------------------------------------- latent deals


@pytest.mark.parametrize(
    "late, latent",
    [
        ("recognition", False),
        ("envisioning", False),
        ("agreement", False),
        ("implementation", True),
        ("hindsight", True),
        ("never", True),
    ],
)
def test_latent_pair_by_stage(late, latent):
    graph = G(("a", "b", "helps", {"id": "ab"}), ("b", "a", "helps", {"id": "ba", **stage(late)}))
    expected = [
        {
            "kind": "pair",
            "actors": ("a", "b"),
            "recognized": late,
            "unseen": [{"id": "ba", "holder": "b", "target": "a", "recognized": late}],
        }
    ]
    assert A.latent_deals(graph) == (expected if latent else [])


def test_latent_cycle_reports_its_unseen_edges_and_latest_stage():
    graph = G(
        ("a", "b", "helps", {"id": "ab", **stage("hindsight")}),
        ("b", "c", "helps", {"id": "bc", **stage("never")}),
        ("b", "c", "helps", {"id": "bc2", **stage("never")}),
        ("c", "a", "helps", {"id": "ca", **stage("value")}),
    )
    assert A.latent_deals(graph) == [
        {
            "kind": "cycle",
            "actors": ("a", "b", "c"),
            "recognized": "never",
            "unseen": [
                {"id": "ab", "holder": "a", "target": "b", "recognized": "hindsight"},
                {"id": "bc", "holder": "b", "target": "c", "recognized": "never"},
                {"id": "bc2", "holder": "b", "target": "c", "recognized": "never"},
            ],
        }
    ]


def test_a_step_seen_through_any_parallel_edge_is_seen():
    graph = G(
        ("a", "b", "helps", {"id": "ab", **stage("never")}),
        ("a", "b", "helps", {"id": "ab2", **stage("mutual-sense")}),
        ("b", "a", "helps", {"id": "ba"}),
    )
    assert A.latent_deals(graph) == []


def test_hurts_edges_recognized_late_do_not_make_a_deal_latent():
    graph = G(("a", "b"), ("b", "a"), ("b", "a", "hurts", stage("never")))
    assert A.latent_deals(graph) == []


# --------------------------------------------------------------------------- curve, what-if, metrics


def test_recognition_curve():
    graph = G(
        ("a", "b", "helps", {**stage("recognition"), "realized": True}),
        ("b", "a", "helps", {**stage("value"), "realized": True}),
        ("b", "c", "hurts", stage("implementation")),
        ("c", "a", "helps", stage("never")),
    )
    curve = A.recognition_curve(graph)
    assert curve["total"] == 4
    assert [s["stage"] for s in curve["stages"]] == [
        "recognition",
        "mutual-sense",
        "holding-environment",
        "value",
        "envisioning",
        "agreement",
        "implementation",
        "hindsight",
    ]
    assert [s["count"] for s in curve["stages"]] == [1, 1, 1, 2, 2, 2, 3, 3]
    assert [s["share"] for s in curve["stages"]] == [0.25, 0.25, 0.25, 0.5, 0.5, 0.5, 0.75, 0.75]
    assert curve["never"] == {"count": 1, "share": 0.25}
    # Put to use: of the three links that help, two (the hurt is not a use; its realized would mean harm done).
    assert curve["helps"] == 3
    assert curve["realized"] == {"count": 2, "share": 0.6667}
    assert curve["harms_done"] == {"count": 0, "partly": 0}
    harmed = G(("a", "b", "hurts", {"realized": True}), ("b", "a", "hurts", {"realized": "partly"}), ("a", "c"))
    assert A.recognition_curve(harmed)["harms_done"] == {"count": 1, "partly": 1}
    assert A.recognition_curve(harmed)["realized"] == {"count": 0, "share": 0.0}


def test_what_if():
    graph = G(
        ("a", "b", "helps", {"purpose": "p"}),
        ("a", "b", "helps", {"purpose": "p"}),
        ("a", "c", "helps", {"purpose": "q"}),
        ("d", "c", "helps", {"purpose": "q"}),
        ("a", "c", "helps", {"purpose": "r"}),
        ("b", "a", "hurts", {"purpose": "s"}),
    )
    assert A.what_if(graph) == {"a": [("b", "p"), ("c", "r")], "b": [], "c": [], "d": []}


def test_metrics():
    actors = {
        "a": {"sector": "government", "level": "local"},
        "b": {"sector": "government", "level": "national"},
        "c": {"sector": "nonprofit", "level": "local"},
        "d": {},
    }
    graph = G(
        ("a", "b", "helps", {**stage("agreement"), "realized": True}),
        ("b", "a", "helps", stage("hindsight")),
        ("a", "b", "helps", stage("never")),
        ("b", "c", "helps", {**stage("recognition"), "realized": True}),
        ("c", "b", "hurts", stage("never")),
        actors=actors,
    )
    assert A.metrics(G=graph) == {
        "actors": 4,
        "sectors": {"government": 2, "nonprofit": 1},
        "levels": {"local": 2, "national": 1},
        "interdependencies": 5,
        "helps": 4,
        "hurts": 1,
        "reciprocity": 0.75,
        "density": round(4 / 12, 4),
        "recognized_by_agreement": 0.4,
        "realized": 0.5,  # of the four links that help, two (the hurt is not counted)
    }


def test_metrics_needs_a_case_or_a_graph():
    with pytest.raises(ValueError):
        A.metrics()
    case = make_case(ACTORS, LINKS)
    assert A.metrics(case) == A.metrics(case, A.build_graph(case))


# --------------------------------------------------------------------------- analysis, words, cross-case


def plain_types_only(value):
    if isinstance(value, dict):
        return all(isinstance(k, str) and plain_types_only(v) for k, v in value.items())
    if isinstance(value, list):
        return all(plain_types_only(v) for v in value)
    return isinstance(value, (str, int, float, bool)) or value is None


def test_to_dict_shape():
    graph = G(
        ("a", "b", "helps", {"id": "ab", "purpose": "p", **stage("never")}),
        ("b", "a"),
        ("b", "c"),
        ("c", "d"),
        ("d", "b"),
        actors={"a": {"name": "Agency A"}},
    )
    data = A.analyze_graph(graph, case_id="toy").to_dict()
    assert plain_types_only(data)
    assert json.loads(json.dumps(data)) == data
    assert (
        list(data)
        == sorted(data)
        == [
            "brokers",
            "case_id",
            "conflicts",
            "cycles",
            "latent_deals",
            "metrics",
            "multi_party_deals",
            "names",
            "one_way_dependences",
            "reciprocal_pairs",
            "recognition_curve",
            "recognition_timeline",
            "thompson",
            "what_if",
        ]
    )
    assert data["case_id"] == "toy"
    assert data["names"] == {"a": "Agency A", "b": "b", "c": "c", "d": "d"}
    assert data["reciprocal_pairs"] == [["a", "b"]]
    assert data["cycles"] == {"cycles": [["b", "c", "d"]], "max_count": 1000, "max_length": 6, "truncated": False}
    assert data["latent_deals"] == [
        {
            "actors": ["a", "b"],
            "kind": "pair",
            "recognized": "never",
            "unseen": [{"holder": "a", "id": "ab", "recognized": "never", "target": "b"}],
        }
    ]
    assert data["what_if"]["a"] == [["b", "p"]]
    assert data["thompson"]["reciprocal"] == [["a", "b", "c", "d"]]


def names(**kw):
    return {k: {"name": v} for k, v in kw.items()}


def test_summarize_names_latent_deals():
    graph = G(
        ("bpd", "tpc", "helps", stage("never")),
        ("tpc", "bpd"),
        ("a", "b"),
        ("b", "a"),
        ("x", "y"),
        ("y", "z"),
        ("z", "x"),
        actors=names(bpd="Boston Police Department", tpc="Ten Point Coalition"),
    )
    sentences = A.summarize(A.analyze_graph(graph))
    assert sentences[0] == (
        "3 makeable deals (reciprocal pairs or cycles); one, between Boston Police Department "
        "and Ten Point Coalition, was never recognized."
    )
    assert sentences[-1] == (
        "6 of 7 interdependencies (86%) were recognized by the time of agreement and 1 never; "
        "of the 7 that help, 0 (0%) were put to use by the deal."
    )


def test_summarize_several_latent_deals_and_other_patterns():
    graph = G(
        ("a", "b", "helps", stage("hindsight")),
        ("b", "a"),
        ("x", "y", "helps", stage("implementation")),
        ("y", "z"),
        ("z", "x"),
        ("p", "a", "hurts"),
        ("a", "p"),
        actors=names(a="Alpha", b="Beta", p="Pi", x="Ex", y="Why", z="Zed"),
    )
    sentences = A.summarize(A.analyze_graph(graph))
    assert sentences[0] == (
        "2 makeable deals (reciprocal pairs or cycles); 2 were not recognized by the time of agreement: "
        "between Alpha and Beta (recognized only in hindsight) and among Ex, Why and Zed "
        "(recognized only during implementation)."
    )
    assert (
        "1 one-way dependence, where help flows one way only and needs a side payment, authority or an "
        "appeal to shared public value: from Alpha to Pi."
    ) in sentences
    assert (
        "Broker holding the network together: Alpha; without this actor, some parties would no longer be connected."
    ) in sentences
    assert "1 interdependency hurts a purpose; in 1 pair one helps while the other hurts: Alpha and Pi." in sentences
    assert (
        "Reciprocal interdependence: help can flow from each of Ex, Why and Zed to every other, directly or "
        "through the others."
    ) in sentences


def test_summarize_single_deal_and_truncated_search():
    one = A.summarize(A.analyze_graph(G(("a", "b"), ("b", "a"))))
    assert one[0] == "1 makeable deal (a reciprocal pair or cycle); it was recognized by the time of agreement."
    many = A.summarize(A.analyze_graph(dense_graph(12), max_count=5))
    assert many[0].startswith("At least ")


def test_cross_case_tables():
    first = make_case(ACTORS, LINKS, status="agreed", mechanisms=["convener", "urgency"], case_id="one")
    second = make_case(ACTORS, LINKS[:1], status="dissolved", mechanisms=["convener"], case_id="two")
    third = make_case(ACTORS, [], status="dissolved", case_id="three")
    tables = A.cross_case([(c, A.analyze(c)) for c in (first, second, third)])
    assert tables["cases"] == 3
    assert tables["statuses"] == {"agreed": 1, "partial": 0, "not-reached": 0, "dissolved": 2}
    assert list(tables["patterns"]) == list(A.PATTERNS)
    assert tables["patterns"]["reciprocal-pair"] == {
        "count": 1,
        "cases": 1,
        "by_status": {"agreed": 1, "partial": 0, "not-reached": 0, "dissolved": 0},
    }
    assert tables["patterns"]["one-way-dependence"] == {
        "count": 2,
        "cases": 2,
        "by_status": {"agreed": 1, "partial": 0, "not-reached": 0, "dissolved": 1},
    }
    assert tables["mechanisms"] == {
        "convener": {
            "count": 2,
            "cases": 2,
            "by_status": {"agreed": 1, "partial": 0, "not-reached": 0, "dissolved": 1},
        },
        "urgency": {"count": 1, "cases": 1, "by_status": {"agreed": 1, "partial": 0, "not-reached": 0, "dissolved": 0}},
    }
    assert {k: v["count"] for k, v in tables["asset_kinds"].items()} == {
        "expertise": 1,
        "legal-authority": 2,
        "legitimacy": 2,
    }
    assert {k: (v["count"], v["cases"]) for k, v in tables["sector_pairs"].items()} == {
        "academic -> government": (1, 1),
        "community -> academic": (1, 1),
        "community -> government": (1, 1),
        "government -> community": (2, 2),
    }


# --------------------------------------------------------------------------- properties


def assert_valid_cycles(graph, result):
    helps = {(u, v) for u, v, d in graph.edges(data="effect") if d == "helps" and u != v}
    for cycle in result.cycles:
        assert 3 <= len(cycle) <= result.max_length
        assert len(set(cycle)) == len(cycle), "a simple cycle visits each actor once"
        assert cycle[0] == min(cycle), "canonical rotation starts at the smallest id"
        for i, u in enumerate(cycle):
            assert (u, cycle[(i + 1) % len(cycle)]) in helps, "every step is a helps-edge"
        for u, v in itertools.combinations(cycle, 2):
            assert not ((u, v) in helps and (v, u) in helps), "no reciprocal pair inside"
    assert list(result.cycles) == sorted(result.cycles, key=lambda c: (len(c), c))
    assert len(set(result.cycles)) == len(result.cycles)


def reference_cycles(graph, max_length):
    """Every qualifying cycle, by brute force with networkx."""
    H = nx.DiGraph((u, v) for u, v, d in graph.edges(data="effect") if d == "helps" and u != v)
    out = []
    for cycle in nx.simple_cycles(H, length_bound=max_length):
        if len(cycle) < 3 or any(H.has_edge(u, v) and H.has_edge(v, u) for u, v in itertools.combinations(cycle, 2)):
            continue
        i = cycle.index(min(cycle))
        out.append(tuple(cycle[i:] + cycle[:i]))
    return sorted(out, key=lambda c: (len(c), c))


NAMES = ["a", "b", "c", "d", "e", "f", "g"]
edge_lists = st.lists(
    st.tuples(st.sampled_from(NAMES), st.sampled_from(NAMES), st.sampled_from(["helps", "helps", "hurts"])),
    max_size=25,
)


@PROPERTY
@given(edge_lists, st.integers(min_value=3, max_value=6), st.integers(min_value=0, max_value=8))
def test_cycles_are_real_complete_and_truncated_correctly(edges, max_length, max_count):
    graph = graph_from_edges(edges)
    result = A.cycles(graph, max_length=max_length, max_count=max_count)
    assert_valid_cycles(graph, result)
    expected = reference_cycles(graph, max_length)
    assert list(result.cycles) == expected[:max_count]
    assert result.truncated == (len(expected) > max_count)


records = st.lists(
    st.tuples(
        st.sampled_from(NAMES),
        st.sampled_from(NAMES),
        st.sampled_from(["helps", "hurts"]),
        st.sampled_from(["p", "q", "r"]),
        st.sampled_from(A.RECOGNITION_STAGES),
        st.booleans(),
        st.sampled_from(["money", "data", "staff"]),
    ),
    max_size=25,
)


def as_edges(rows):
    return [
        (h, t, e, {"id": f"e{i}", "purpose": p, "recognized": r, "realized": z, "asset_kind": k})
        for i, (h, t, e, p, r, z, k) in enumerate(rows)
    ]


@PROPERTY
@given(records, st.randoms(use_true_random=False))
def test_results_do_not_depend_on_order_of_actors_or_edges(rows, rng):
    edges = as_edges(rows)
    actors = {n: {"name": n.upper(), "sector": "government" if n < "d" else "nonprofit"} for n in NAMES}
    shuffled_edges = edges[:]
    rng.shuffle(shuffled_edges)
    shuffled_actors = list(actors.items())
    rng.shuffle(shuffled_actors)
    first = A.analyze_graph(graph_from_edges(edges, actors))
    second = A.analyze_graph(graph_from_edges(shuffled_edges, dict(shuffled_actors)))
    assert first.to_dict() == second.to_dict()
    assert A.summarize(first) == A.summarize(second)


@PROPERTY
@given(records)
def test_pattern_definitions_hold(rows):
    graph = graph_from_edges(as_edges(rows))
    H = nx.DiGraph()
    H.add_nodes_from(graph)
    H.add_edges_from((u, v) for u, v, d in graph.edges(data="effect") if d == "helps" and u != v)
    for a, b in A.reciprocal_pairs(graph):
        assert a < b and H.has_edge(a, b) and H.has_edge(b, a)
    assert len(A.reciprocal_pairs(graph)) == sum(1 for u, v in H.edges if u < v and H.has_edge(v, u))
    one_way = {(d["holder"], d["target"]) for d in A.one_way_dependences(graph)}
    for u, v in H.edges:
        assert ((u, v) in one_way) == (not nx.has_path(H, v, u))
    for a, b, c in A.thompson(graph)["sequential"]:
        assert H.has_edge(a, b) and H.has_edge(b, c) and not nx.has_path(H, c, a)
    for deal in A.latent_deals(graph):
        assert deal["recognized"] in A.LATE_STAGES
        assert deal["unseen"] and all(e["recognized"] in A.LATE_STAGES for e in deal["unseen"])
    curve = A.recognition_curve(graph)
    counts = [s["count"] for s in curve["stages"]]
    assert counts == sorted(counts)
    assert counts[-1] + curve["never"]["count"] + curve["unknown"]["count"] == curve["total"]


def test_help_within_an_organization_is_not_a_one_way_dependence():
    """Hand-checked: a gang unit is part of the police; a trust is a member of a funders' group.

    police -> gang-unit (its parent's budget), funders -> trust (a share of a pooled grant) and
    gang-unit -> city (arrest data; the unit is inside the police, which is inside the city) are
    internal. clergy -> police is one-way help between separate organizations and stays.
    """
    actors = {
        "city": {},
        "police": {"part_of": "city"},
        "gang-unit": {"part_of": "police"},
        "funders": {"members": ("trust",)},
        "trust": {},
        "clergy": {},
    }
    G = A.graph_from_edges(
        [("police", "gang-unit"), ("funders", "trust"), ("gang-unit", "city"), ("clergy", "police")], actors=actors
    )
    assert A.one_way_dependences(G) == [
        {"holder": "clergy", "target": "police", "interdependencies": ["clergy>police"]}
    ]
    # Without the containment, all four are one-way.
    plain = A.graph_from_edges(
        [("police", "gang-unit"), ("funders", "trust"), ("gang-unit", "city"), ("clergy", "police")]
    )
    assert len(A.one_way_dependences(plain)) == 4


def test_unknown_recognition_is_neither_seen_nor_missed():
    """Hand-checked. a <-> b: a->b seen early, b->a never -> latent. c <-> d: c->d never, d->c unknown: c->d was
    certainly missed, so latent too. e <-> f: e->f seen early; f->e has one edge never seen and one of unknown
    recognition: f->e may have been seen through that edge, so the pair is not reported as latent."""
    G = graph_from_edges(
        [
            ("a", "b", "helps", {"id": "ab", "recognized": "recognition"}),
            ("b", "a", "helps", {"id": "ba", "recognized": "never"}),
            ("c", "d", "helps", {"id": "cd", "recognized": "never"}),
            ("d", "c", "helps", {"id": "dc", "recognized": "unknown"}),
            ("e", "f", "helps", {"id": "ef", "recognized": "recognition"}),
            ("f", "e", "helps", {"id": "fe1", "recognized": "never"}),
            ("f", "e", "helps", {"id": "fe2", "recognized": "unknown", "realized": "partly"}),
        ]
    )
    latent = {d["actors"]: [u["id"] for u in d["unseen"]] for d in A.latent_deals(G)}
    assert latent == {("a", "b"): ["ba"], ("c", "d"): ["cd"]}
    curve = A.recognition_curve(G)
    assert curve["unknown"]["count"] == 2 and curve["never"]["count"] == 3
    assert curve["stages"][-1]["count"] == 2  # ab and ef, by hindsight
    assert curve["partly_realized"]["count"] == 1 and curve["realized"]["count"] == 0


def test_complements_count_as_one_contribution():
    """Hand-checked. Police deterrence and streetworkers' way out help the gangs' safety only together (one
    bundle); clergy help alone. Two contributions, so not pooled (three are needed). If the police walk away the
    bundle fails, but the clergy still help: nothing is lost. For the city's purpose, fed only by a bundle of
    the council's site and a funder's money, either party leaving loses it."""
    edges = [
        ("police", "gangs", "helps", {"id": "deter", "purpose": "safety", "bundle": "deterrence-and-exit"}),
        ("streetworkers", "gangs", "helps", {"id": "exit", "purpose": "safety", "bundle": "deterrence-and-exit"}),
        ("clergy", "gangs", "helps", {"id": "moral", "purpose": "safety"}),
        ("council", "city", "helps", {"id": "site", "purpose": "housing", "bundle": "site-and-money"}),
        ("funder", "city", "helps", {"id": "money", "purpose": "housing", "bundle": "site-and-money"}),
    ]
    G = graph_from_edges(edges)
    assert A.thompson(G)["pooled"] == []
    lost = A.what_if(G)
    assert lost["police"] == [] and lost["clergy"] == []
    assert lost["council"] == [("city", "housing")] and lost["funder"] == [("city", "housing")]
    # Without the bundles, three holders feed the gangs' safety (pooled), and no single party's leaving loses
    # the city's housing.
    plain = graph_from_edges([(u, v, e, {k: w for k, w in d.items() if k != "bundle"}) for u, v, e, d in edges])
    assert [p["holders"] for p in A.thompson(plain)["pooled"]] == [["clergy", "police", "streetworkers"]]
    assert A.what_if(plain)["council"] == []


def test_multi_party_deals_found_even_when_members_trade_directly():
    """Hand-checked, the motivating example and its siblings.

    1. police -> clergy -> streetworkers -> police, and police <-> streetworkers directly: ``cycles`` misses the
       ring (it holds a reciprocal pair); the clergy and the police are repaid only around it, so it is a
       multi-party deal.
    2. A triangle in which every pair trades both ways: three bilateral deals, no multi-party deal.
    3. A pure ring of three is both a cycle and a multi-party deal.
    4. A ring of four with one chord a -> c: the rings a-b-c-d and a-c-d both qualify (shortest first).
    """
    first = graph_from_edges(
        [("police", "clergy"), ("clergy", "streetworkers"), ("streetworkers", "police"), ("police", "streetworkers")]
    )
    assert A.cycles(first).cycles == ()
    assert A.multi_party_deals(first).cycles == (("clergy", "streetworkers", "police"),)
    triangle = graph_from_edges([(u, v) for u in "abc" for v in "abc" if u != v])
    assert A.multi_party_deals(triangle).cycles == ()
    ring = graph_from_edges([("a", "b"), ("b", "c"), ("c", "a")])
    assert A.multi_party_deals(ring).cycles == A.cycles(ring).cycles == (("a", "b", "c"),)
    four = graph_from_edges([("a", "b"), ("b", "c"), ("c", "d"), ("d", "a"), ("a", "c")])
    assert A.multi_party_deals(four).cycles == (("a", "c", "d"), ("a", "b", "c", "d"))


def test_no_verb_in_a_finding_agrees_with_an_actors_name():
    """A name may be plural ("Streetworkers") or singular ("Boston Police Department"): no finding makes a name
    the subject of a conjugated verb, so neither reads wrongly ("Streetworkers helps", "Streetworkers holds")."""
    graph = G(
        ("s", "b"),
        ("b", "s"),
        ("s", "t"),
        ("t", "u"),
        ("u", "s", "hurts"),
        actors=names(s="Streetworkers", b="BPD", t="Ten Point Coalition", u="Youth"),
    )
    text = " ".join(A.summarize(A.analyze_graph(graph)))
    assert "Broker" in text and "one-way" in text  # the sentences that used to conjugate after a name
    for name in ("Streetworkers", "BPD", "Ten Point Coalition", "Youth"):
        assert not re.search(re.escape(name) + r",? (helps?|hurts?|holds?|feeds?|gives?|needs?)\b", text), text


def test_the_findings_count_what_the_patterns_line_counts(corpus):
    """On a case page the findings (``summarize``) and the "Patterns in this case" line (``pattern_counts``)
    must agree: the multi-party deals and the reciprocal groups were each counted in full by one and only in part
    by the other (pure cycles; groups of two)."""
    for case in corpus.cases:
        analysis = A.analyze(case)
        counts = A.pattern_counts(analysis)
        text = " ".join(A.summarize(analysis))
        said = re.search(r"(\d+) multi-party deals?\b", text)
        assert (int(said.group(1)) if said else 0) == counts["multi-party-deal"], case.id
        groups = analysis.thompson["reciprocal"]
        big = sum(1 for g in groups if len(g) >= 3)
        assert text.count("Reciprocal interdependence: help can flow") == big, case.id
        twos = [g for g in groups if len(g) == 2]
        named = [s for s in A.summarize(analysis) if s.startswith("Reciprocal interdependence between two")]
        listed = named[0].split(": ", 1)[1].rstrip(".").split("; ") if named else []
        said = text.count("Reciprocal interdependence: help can flow") + len(listed)
        assert said == counts["reciprocal-group"], case.id  # every group the patterns line counts, in the text
        assert len(listed) == len(twos), case.id


def test_highlight_buttons_of_a_case_have_distinct_labels_and_rings_close(corpus):
    """Every case's highlight buttons read apart (two pools into one actor name their purposes), and a ring's
    label returns to its first actor instead of ending in "…"."""
    from builder import site_pages

    seen_two_pools = False
    for case in corpus.cases:
        data = A.analysis_data(A.analyze(case))
        labels = [h["label"] for h in site_pages.highlights(case, data)]
        assert len(labels) == len(set(labels)), (case.id, labels)
        names = {a.id: (a.short_name or a.name) for a in case.actors}
        for ring in data["multi_party_deals"]["cycles"][:5]:
            first = names[ring[0]]
            assert any(label.startswith(first + " → ") and f" → {first}" in label for label in labels), case.id
        assert not any(label.endswith("…") and "→" in label for label in labels), case.id
        pooled = [p["target"] for p in data["thompson"]["pooled"][:3]]
        seen_two_pools |= len(pooled) != len(set(pooled))
    assert seen_two_pools, "some real case pools into one actor twice; the test needs one"
