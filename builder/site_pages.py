"""Generated pages beyond the case pages: patterns, cross-case tables, coverage,
concepts, diagnose, reading lists and packets (and, through ``builder.reference``,
the reference pages).

In: validated cases and their analysis (objects and ``to_dict()`` data). Out:
:class:`~builder.templating.Page` objects keyed by site path. Pure: nothing is
written here. Each page is a template in ``builder/templates/`` named after it
(``pattern.html``, ``cross-case.html``, ...); this module only prepares view data.
"""

from __future__ import annotations

import inspect
from collections import Counter
from pathlib import Path
from typing import Any

from builder import analyze, crosscase, reference, teaching
from builder.completeness import completeness
from builder.continents import continent
from builder.model import Case
from builder.network import OPTIONS, SECTOR_COLOURS, example_data
from builder.patterns import PATTERNS, rule_of
from builder.render import country_name, excerpt, sort_title, term, years_text
from builder.templating import Page, doc_blocks, render_page
from builder.vocab import vocabulary

#: Pages about many cases stay the same size however large the casebook grows (issue #12): each lists at most this
#: many cases, and links to the case index, filtered, for the rest. A pattern page lists the cases that show the
#: pattern most often; a concept the most complete cases whose teaching notes use it; the coverage page the least
#: complete cases.
PATTERN_CASES_MAX = 50
CONCEPT_CASES_MAX = 12
COVERAGE_CASES_MAX = 100
#: Above this many cases, the network of cases and patterns draws one node per deal status (with its count of cases)
#: instead of one per case, as the case index's map groups its marks.
NETWORK_CASES_MAX = 300


def _names(case: Case) -> dict[str, str]:
    return {a.id: a.short_name or a.name for a in case.actors}


def _step_edges(case: Case, steps: list[tuple[str, str]], effect: str = "helps") -> list[str]:
    wanted = set(steps)
    return sorted(e.id for e in case.interdependencies if e.effect == effect and (e.holder, e.target) in wanted)


def pattern_codes(data: dict[str, Any]) -> list[str]:
    """The patterns a case shows at least once (``data`` as made by ``pipeline.build_pages``)."""
    return [code for code, n in data["pattern_counts"].items() if n]


def highlights(case: Case, data: dict[str, Any]) -> list[dict[str, Any]]:
    """The patterns a reader can highlight in a case's network: label, note, nodes and edge ids.

    ``data`` is the case's analysis as ``CaseAnalysis.to_dict()`` gives it. In order: reciprocal pairs
    (up to 8) and cycles (up to 5), deals left on the table, one-way help, pooled purposes (up to 3),
    conflicts and brokers.
    """
    return [
        *_deal_highlights(case, data),
        *_one_way_highlights(data),
        *_pooled_highlights(case, data),
        *_conflict_highlights(data),
        *_broker_highlights(case, data),
    ]


def _deal_highlights(case: Case, data: dict[str, Any]) -> list[dict[str, Any]]:
    """Reciprocal pairs, cycles, and the unseen steps of makeable deals."""
    names = _names(case)
    latent = {tuple(d["actors"]): d for d in data["latent_deals"]}
    unseen_note = " Part of it was never seen by the parties before the deal."
    out: list[dict[str, Any]] = []
    for a, b in data["reciprocal_pairs"][:8]:
        note = f"{names[a]} and {names[b]} each help the other: a bilateral makeable deal."
        out.append(
            {
                "label": f"{names[a]} ⇄ {names[b]}",
                "note": note + (unseen_note if (a, b) in latent else ""),
                "nodes": [a, b],
                "edges": _step_edges(case, [(a, b), (b, a)]),
            }
        )
    for ring in data["cycles"]["cycles"][:5]:
        note = "Help flows around this ring; no two of them could trade directly."
        out.append(
            {
                "label": " → ".join(names[v] for v in (*ring, ring[0])),
                "note": note + (unseen_note if tuple(ring) in latent else ""),
                "nodes": list(ring),
                "edges": _step_edges(case, list(zip(ring, ring[1:] + ring[:1], strict=True))),
            }
        )
    pure = {tuple(r) for r in data["cycles"]["cycles"]}
    for ring in [r for r in data["multi_party_deals"]["cycles"] if tuple(r) not in pure][:5]:
        out.append(
            {
                "label": " → ".join(names[v] for v in (*ring, ring[0])) + " (multi-party)",
                "note": "Help flows around this ring; some members also trade directly, but at least one is "
                "repaid only through the others.",
                "nodes": list(ring),
                "edges": _step_edges(case, list(zip(ring, ring[1:] + ring[:1], strict=True))),
            }
        )
    if data["latent_deals"]:
        out.append(
            {
                "label": "Left on the table",
                "nodes": sorted({v for d in data["latent_deals"] for v in d["actors"]}),
                "edges": sorted({u["id"] for d in data["latent_deals"] for u in d["unseen"]}),
                "note": "The steps of makeable deals that the parties did not see by the time of agreement.",
            }
        )
    return out


def _one_way_highlights(data: dict[str, Any]) -> list[dict[str, Any]]:
    one_way = data["one_way_dependences"]
    if not one_way:
        return []
    return [
        {
            "label": "One-way help",
            "nodes": sorted({v for d in one_way for v in (d["holder"], d["target"])}),
            "edges": sorted({i for d in one_way for i in d["interdependencies"]}),
            "note": "Help that nothing flows back to repay: it needs a side payment, authority or a shared purpose.",
        }
    ]


def _pooled_highlights(case: Case, data: dict[str, Any]) -> list[dict[str, Any]]:
    names = _names(case)
    purposes = {(a.id, p.id): p.description for a in case.actors for p in a.purposes}
    pools = data["thompson"]["pooled"][:3]
    targets = [pool["target"] for pool in pools]
    out = []
    for pool in pools:
        edges = sorted(
            e.id
            for e in case.interdependencies
            if e.effect == "helps"
            and e.target == pool["target"]
            and e.purpose == pool["purpose"]
            and e.holder in pool["holders"]
        )
        label = f"Pooled into {names[pool['target']]}"
        if targets.count(pool["target"]) > 1:  # two buttons for one actor: say which of its purposes
            label += ": " + excerpt(purposes.get((pool["target"], pool["purpose"]), pool["purpose"]).rstrip("."), 40)
            if any(o["label"] == label for o in out):  # the purposes read alike in their first words
                label += f" ({pool['purpose']})"
        out.append(
            {
                "label": label,
                "nodes": sorted({*pool["holders"], pool["target"]}),
                "edges": edges or _step_edges(case, [(h, pool["target"]) for h in pool["holders"]]),
                "note": f"{len(pool['holders'])} actors feed the same purpose of {names[pool['target']]}.",
            }
        )
    return out


def _conflict_highlights(data: dict[str, Any]) -> list[dict[str, Any]]:
    hurts = data["conflicts"]["hurts"]
    if not hurts:
        return []
    return [
        {
            "label": "Conflicts",
            "nodes": sorted({v for h in hurts for v in (h["holder"], h["target"])}),
            "edges": sorted(h["id"] for h in hurts),
            "note": "Assets that hurt another actor's purpose.",
        }
    ]


def _broker_highlights(case: Case, data: dict[str, Any]) -> list[dict[str, Any]]:
    brokers = data["brokers"]["articulation_points"]
    if not brokers:
        return []
    names = _names(case)
    graph = analyze.build_graph(case)
    cut = {b: set(analyze.cut_off_by(graph, b)) for b in brokers}
    # The links through which a broker alone holds others to the network (all of its links would say nothing).
    bridging = [
        e.id
        for e in case.interdependencies
        if (e.holder in cut and e.target in cut[e.holder]) or (e.target in cut and e.holder in cut[e.target])
    ]
    return [
        {
            "label": "Brokers",
            "nodes": brokers,
            "edges": sorted(bridging),
            "note": "Actors whose removal would split the network: "
            + ", ".join(names[b] for b in brokers)
            + "; highlighted, their links to the actors who would be cut off.",
        }
    ]


MEASURES = (
    ("recognition_curve", "Recognition over time"),
    ("recognition_timeline", "Recognition over the timeline"),
    ("contributions", "Contributions and bundles of complements"),
    ("internal", "Help inside an organization"),
    ("what_if", "What if one party walked away"),
    ("brokers", "Brokers and betweenness"),
    ("metrics", "Case metrics"),
)


def _network(element_id: str, data: dict[str, Any], height: str, label: str) -> dict[str, Any]:
    """View data for the ``network`` macro."""
    return {"id": element_id, "data": data, "height": height, "label": label}


def patterns_index(cases: list[Case], data: dict[str, dict[str, Any]]) -> Page:
    """Every pattern in plain words with the count of cases that show it, and the measures' exact rules."""
    patterns = [
        {
            "code": p.code,
            "title": p.title,
            "plain": p.plain,
            "cases": sum(1 for c in cases if data[c.id]["pattern_counts"][p.code]),
        }
        for p in PATTERNS.values()
    ]
    measures = [{"name": name, "title": title, "rule": doc_blocks(rule_of(name))} for name, title in MEASURES]
    return render_page("patterns-index.html", "Patterns", patterns=patterns, measures=measures)


def pattern_page(pattern, cases: list[Case], data: dict[str, dict[str, Any]]) -> Page:
    """One pattern: a drawn example, its exact rule and the cases that show it.

    Up to ``PATTERN_CASES_MAX`` cases are listed, by title; with more, the ones that show the pattern most often
    (most occurrences, then title), and the page links to the case index filtered by the pattern for all of them.
    """
    showing = [case for case in cases if data[case.id]["pattern_counts"][pattern.code]]
    showing.sort(key=lambda c: sort_title(c.title))
    if len(showing) > PATTERN_CASES_MAX:
        showing.sort(key=lambda c: -data[c.id]["pattern_counts"][pattern.code])  # stable: title breaks ties
    rows = [
        {
            "id": case.id,
            "title": case.title,
            "count": data[case.id]["pattern_counts"][pattern.code],
            "deal": term("deal-status", case.deal.status),
        }
        for case in showing[:PATTERN_CASES_MAX]
    ]
    example = _network(
        f"example-{pattern.code}",
        example_data(pattern.example),
        "220px",
        f"A small example of the pattern: {pattern.title}",
    )
    return render_page(
        "pattern.html",
        pattern.title,
        pattern=pattern,
        example=example,
        rule=doc_blocks(pattern.rule()),
        rows=rows,
        total=len(showing),
    )


def _cross_table(heading: str, row_name: str, table: dict[str, dict[str, Any]], label, tables: dict[str, Any]):
    """One cross-case table: a row per pattern (or mechanism...), with counts and lifts by deal status.

    ``table`` is one table of ``analyze.cross_case`` and ``tables`` the whole result (for the base rates).
    Statuses that no case has get no column.
    """
    caption = f"Cases showing each {row_name.lower()}, by deal status"
    statuses = {s: n for s, n in tables["statuses"].items() if n}
    total = tables["cases"]
    return {
        "heading": heading,
        "row_name": row_name,
        "id": heading.lower().replace(" ", "-"),
        "caption": caption,
        "statuses": [term("deal-status", s) for s in statuses],
        "base": [{"n": n, "percent": "–" if total == 0 else f"{round(100 * n / total)}%"} for s, n in statuses.items()],
        "total": total,
        "rows": [
            {
                "label": label(row["key"]),
                "count": row["count"],
                "cases": row["cases"],
                "few": row["few"],
                "cells": [
                    {
                        "n": c["n"],
                        "lift": crosscase.lift_text(c["lift"]),
                        "high": c["lift"] is not None and c["lift"] >= 1.5 and not row["few"],
                        "title": f"{c['n']} of the {row['cases']} case{'s' if row['cases'] != 1 else ''} showing it "
                        f"({term('deal-status', c['status']).lower()}); lift {crosscase.lift_text(c['lift'])}",
                    }
                    for c in row["cells"]
                ],
            }
            for row in crosscase.association_rows(table, statuses)
        ],
    }


#: Options for the cross-case networks: the case options, with labels hidden when drawn smaller than 8 px
#: on screen (a phone showing the whole graph); a node's name is then in its tooltip.
CROSS_OPTIONS: dict[str, Any] = {
    **OPTIONS,
    "nodes": {**OPTIONS["nodes"], "scaling": {"label": {"enabled": False, "drawThreshold": 9}}},
}


def _font_size() -> float:
    return float(CROSS_OPTIONS["nodes"]["font"]["size"])


def _sector_network(tables: dict[str, Any]) -> dict[str, Any]:
    """A network of sectors: an arrow for each sector pair, as wide as its count of interdependencies.

    Sectors sit on a circle that is widened until no two labels overlap; ``key`` explains the drawing.
    """
    sectors = vocabulary("sector")
    pairs = [(k.split(" -> ")[0], k.split(" -> ")[1], v["count"]) for k, v in tables["sector_pairs"].items()]
    used = [s for s in sectors.codes if any(s in p[:2] for p in pairs)]
    pos = crosscase.ring(used, 200, 200)
    nodes = [
        {
            "id": s,
            "label": sectors.title_of(s),
            "title": sectors.title_of(s),
            "x": pos[s][0],
            "y": pos[s][1],
            "color": SECTOR_COLOURS.get(s, "#888"),
            "shape": "dot",
            "size": 20,
        }
        for s in used
    ]
    crosscase.spread(nodes, set(used), _font_size())
    edges = [
        {
            "id": f"{u}>{v}",
            "from": u,
            "to": v,
            "arrows": "to",
            "width": _sector_width(n),
            "title": f"{sectors.title_of(u)} → {sectors.title_of(v)}: {n} interdependenc{'y' if n == 1 else 'ies'}",
            "color": "#2b6cb0",
            "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.15},
        }
        for u, v, n in pairs
    ]
    key = [{"kind": "dot", "color": n["color"], "label": n["label"]} for n in nodes] + [
        {"kind": "line", "color": "#2b6cb0", "width": 1, "label": "arrow from the holder's sector to the target's"},
        *(
            {
                "kind": "line",
                "color": "#2b6cb0",
                "width": _sector_width(n),
                "label": f"{n} interdependenc{'y' if n == 1 else 'ies'}",
            }
            for n in (1, 10, 30)
        ),
    ]
    return {"nodes": nodes, "edges": edges, "options": CROSS_OPTIONS, "legend": [], "patterns": [], "key": key}


def _sector_width(count: int) -> float:
    """Width of a sector-pair arrow: 1 plus a third of its count of interdependencies, at most 11."""
    return round(1 + min(count, 30) / 3, 2)


STATUS_COLOURS = {"agreed": "#009E73", "partial": "#E69F00", "not-reached": "#D55E00", "dissolved": "#CC79A7"}
PATTERN_NODE = {"background": "#3d4f63", "border": "#3d4f63"}
CASE_PATTERN_EDGE = "#9aa5b1"
#: The label size, in drawing units, that the grouped case/pattern network is laid out for: casebook.js keeps labels
#: at least 12 px tall on screen, so on a phone, where this network is drawn at under half size, they grow: its two
#: columns are about 800 units wide at this size, which a 356-px box draws at 0.45, and 12 / 0.45 ≈ 27 units. On a
#: narrower screen labels show once zoomed in (``labelFont`` in the view data).
GROUPED_FONT = 28
#: The key's entry for a pattern node, in both forms of the case/pattern network.
PATTERN_KEY = {"kind": "box", "color": PATTERN_NODE["background"], "label": "pattern of interdependence"}

#: The case/pattern network: straight, faint lines without arrows, set once here rather than on every edge.
CASE_PATTERN_OPTIONS: dict[str, Any] = {
    **CROSS_OPTIONS,
    "edges": {
        **CROSS_OPTIONS["edges"],
        "smooth": False,
        "arrows": {"to": {"enabled": False}},
    },
}


def _case_pattern_nodes(cases: list[Case], font: float = 0) -> list[dict[str, Any]]:
    """Patterns in a column at the centre, cases (grouped by deal status) in a column either side.

    The case columns are then spread apart until no node-and-label box overlaps another, with labels
    ``font`` drawing units tall (the network's own font size when 0).
    """
    font = font or _font_size()
    order = [c for s in STATUS_COLOURS for c in cases if c.deal.status == s]
    half = (len(order) + 1) // 2
    step = font * crosscase.LINE_HEIGHT + 22
    case_step = 12 * 2 + 8 + 2 * font * crosscase.LINE_HEIGHT
    case_pos = {
        c.id: (-330 if i < half else 330, round((i % half - (half - 1) / 2) * case_step)) for i, c in enumerate(order)
    }
    nodes = [
        {
            "id": f"pattern:{code}",
            "label": p.title,
            "title": f"{p.title}: {p.plain}\n(click to open)",
            "x": 0,
            "y": round((i - (len(PATTERNS) - 1) / 2) * step),
            "color": PATTERN_NODE,
            "shape": "box",
            "url": f"../patterns/{code}/",
            "font": {"color": "#ffffff"},
        }
        for i, (code, p) in enumerate(PATTERNS.items())
    ]
    nodes += [
        {
            "id": f"case:{c.id}",
            "label": crosscase.wrap_label(c.title),
            "title": f"{c.title}\nDeal: {term('deal-status', c.deal.status)}\n(click to open)",
            "x": case_pos[c.id][0],
            "y": case_pos[c.id][1],
            "color": STATUS_COLOURS[c.deal.status],
            "shape": "dot",
            "size": 12,
            "url": f"../cases/{c.id}/",
        }
        for c in order
    ]
    crosscase.spread(nodes, {f"case:{c.id}" for c in cases}, font)
    return nodes


def _case_pattern_network(cases: list[Case], data: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Cases (coloured by deal status) linked to the patterns they show; a click opens the case.

    Above ``NETWORK_CASES_MAX`` cases, one node per deal status instead (``_status_pattern_network``).
    """
    if len(cases) > NETWORK_CASES_MAX:
        return _status_pattern_network(cases, data)
    cases = sorted(cases, key=lambda c: sort_title(c.title))
    nodes = _case_pattern_nodes(cases)
    # Compact at 1,000 cases and more (issue #12): short edge ids, the look shared by every edge in the
    # options, no tooltip per edge (the width shows the count; a node's panel names both ends).
    pairs = [(c, code, n) for c in cases for code, n in data[c.id]["pattern_counts"].items() if n]
    edges = [
        {
            "id": f"e{i}",
            "from": f"case:{c.id}",
            "to": f"pattern:{code}",
            "width": round(1 + min(n, 10) / 3, 2),
            "color": {"color": CASE_PATTERN_EDGE, "opacity": 0.5},
        }
        for i, (c, code, n) in enumerate(pairs)
    ]
    present = [s for s in STATUS_COLOURS if any(c.deal.status == s for c in cases)]
    ids = {status: _ids(cases, status) for status in present}  # once per status, not once per edge
    patterns = [
        {
            "label": term("deal-status", status),
            "note": f"Cases whose deal was {term('deal-status', status).lower()}, and the patterns they show.",
            "nodes": [f"case:{c.id}" for c in cases if c.deal.status == status]
            + [f"pattern:{e['to'].split(':', 1)[1]}" for e in edges if e["from"] in ids[status]],
            "edges": [e["id"] for e in edges if e["from"] in ids[status]],
        }
        for status in present
    ]
    for p in patterns:
        p["nodes"] = list(dict.fromkeys(p["nodes"]))
    key = [
        {
            "kind": "dot",
            "color": STATUS_COLOURS[s],
            "label": f"case, deal {term('deal-status', s).lower()} ({sum(1 for c in cases if c.deal.status == s)})",
        }
        for s in present
    ] + [
        PATTERN_KEY,
        {"kind": "line", "color": CASE_PATTERN_EDGE, "width": 1.33, "label": "the case shows the pattern once"},
        {"kind": "line", "color": CASE_PATTERN_EDGE, "width": 4.33, "label": "… ten times or more"},
    ]
    return _pattern_network(nodes, edges, patterns, key)


def _status_pattern_network(cases: list[Case], data: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The case/pattern network of a large casebook: a node per deal status, sized and labelled with its number of
    cases, linked to each pattern its cases show; a line's width grows with the share of that status's cases that
    show the pattern. Its size does not depend on the number of cases. A click opens the case index filtered by
    the status, or the pattern's page.

    Two columns, deal statuses on the left and patterns on the right, laid out for labels
    :data:`GROUPED_FONT` units tall (what a phone draws), so that no label overlaps another at any width.
    """
    statuses = [s for s in STATUS_COLOURS if any(c.deal.status == s for c in cases)]
    size = {s: sum(1 for c in cases if c.deal.status == s) for s in statuses}
    showing = {(s, code): 0 for s in statuses for code in PATTERNS}
    for case in cases:
        for code, n in data[case.id]["pattern_counts"].items():
            if n:
                showing[case.deal.status, code] += 1
    nodes = _case_pattern_nodes([], GROUPED_FONT)  # with no cases: the column of patterns
    column = [
        {
            "id": f"status:{status}",
            "label": f"{term('deal-status', status)}\n{size[status]:,} cases",
            "title": f"Deal {term('deal-status', status).lower()}: {size[status]:,} cases\n(click to list them)",
            "x": 0,
            "y": round((i - (len(statuses) - 1) / 2) * GROUPED_FONT * crosscase.LINE_HEIGHT * 4),
            "color": STATUS_COLOURS[status],
            "shape": "dot",
            "size": 16,
            "url": f"../cases/?status={status}",
        }
        for i, status in enumerate(statuses)
    ]
    # The status column's right edge clears the widest pattern box's left edge by a label's height.
    reach = max(crosscase.label_box(n, GROUPED_FONT)[2] for n in column) if column else 0
    left = min(crosscase.label_box(n, GROUPED_FONT)[0] for n in nodes)
    for n in column:
        n["x"] = round(left - reach - GROUPED_FONT * crosscase.LINE_HEIGHT)
    nodes += column
    edges = [
        {
            "id": f"e{i}",
            "from": f"status:{status}",
            "to": f"pattern:{code}",
            "width": round(1 + 9 * n / size[status], 2),
            "title": f"{n:,} of the {size[status]:,} cases whose deal was {term('deal-status', status).lower()}",
            "color": {"color": CASE_PATTERN_EDGE, "opacity": 0.7},
        }
        for i, ((status, code), n) in enumerate((k, n) for k, n in showing.items() if n)
    ]
    patterns = [
        {
            "label": term("deal-status", status),
            "note": f"Cases whose deal was {term('deal-status', status).lower()}, and the patterns they show.",
            "nodes": [f"status:{status}"] + [e["to"] for e in edges if e["from"] == f"status:{status}"],
            "edges": [e["id"] for e in edges if e["from"] == f"status:{status}"],
        }
        for status in statuses
    ]
    key = [
        {"kind": "dot", "color": STATUS_COLOURS[s], "label": f"cases whose deal was {term('deal-status', s).lower()}"}
        for s in statuses
    ] + [
        PATTERN_KEY,
        {"kind": "line", "color": CASE_PATTERN_EDGE, "width": 1.9, "label": "a tenth of those cases show the pattern"},
        {"kind": "line", "color": CASE_PATTERN_EDGE, "width": 10, "label": "all of them do"},
    ]
    return {**_pattern_network(nodes, edges, patterns, key, GROUPED_FONT), "grouped": len(cases)}


def _pattern_network(nodes: list, edges: list, patterns: list, key: list, label_font: float = 0) -> dict[str, Any]:
    """View data of a network of cases (or of deal statuses) and patterns, for the ``network`` macro.

    ``labelFont`` is the label size, in drawing units, that the layout keeps apart (the network's own font size
    when ``label_font`` is 0): where a label that size would be under 12 px on screen, casebook.js draws labels only
    once the view is zoomed in, instead of growing them into each other.
    """
    return {
        "nodes": nodes,
        "edges": edges,
        "options": CASE_PATTERN_OPTIONS,
        "legend": [],
        "patterns": patterns,
        "key": key,
        "labelFont": label_font or _font_size(),
    }


def _ids(cases: list[Case], status: str) -> set[str]:
    return {f"case:{c.id}" for c in cases if c.deal.status == status}


#: The measures of the cross-case tables, defined by the docstrings of these ``builder.crosscase`` functions.
CROSS_MEASURES = (
    ("base_rate", "Base rate"),
    ("status_share", "Share of a row's cases"),
    ("lift", "Lift"),
)


def cross_case_page(
    cases: list[Case], analyses: dict[str, analyze.CaseAnalysis], data: dict[str, dict[str, Any]]
) -> Page:
    """What goes with what across all cases: two networks, the cross-case tables and their measures."""
    tables = analyze.cross_case([(c, analyses[c.id]) for c in cases])
    pattern_title = {code: p.title for code, p in PATTERNS.items()}
    sections = [
        _cross_table("Patterns", "Pattern", tables["patterns"], pattern_title.get, tables),
        _cross_table(
            "Holding-environment mechanisms",
            "Mechanism",
            tables["mechanisms"],
            lambda k: term("holding-mechanism", k),
            tables,
        ),
        _cross_table(
            "Asset kinds",
            "Asset kind",
            tables["asset_kinds"],
            lambda k: term("asset-kind", k),
            tables,
        ),
        _cross_table(
            "Sector pairs",
            "Sector pair",
            tables["sector_pairs"],
            lambda k: " → ".join(term("sector", s) for s in k.split(" -> ")),
            tables,
        ),
    ]
    measures = [
        {"name": name, "title": title, "rule": doc_blocks(_doc_rule(getattr(crosscase, name)))}
        for name, title in CROSS_MEASURES
    ]
    return render_page(
        "cross-case.html",
        "Across cases",
        count=tables["cases"],
        few=crosscase.FEW_CASES,
        absent=[term("deal-status", s) for s, n in tables["statuses"].items() if not n],
        sectors=_network(
            "cross-sectors",
            _sector_network(tables),
            "420px",
            "Network of sectors: arrows show how many interdependencies run from one sector to another",
        ),
        cases_network=_network(
            "cross-cases",
            _case_pattern_network(cases, data),
            "640px",
            "Network of cases and the patterns of interdependence each shows",
        ),
        tables=sections,
        measures=measures,
    )


def _doc_rule(function) -> str:
    """A function's docstring without its doctest examples: the rule as written."""
    doc = inspect.getdoc(function) or ""
    return doc.split("\n>>>")[0].strip()


def coverage_page(cases: list[Case]) -> Page:
    """How widely the casebook ranges, against its targets, and how complete each case is."""
    countries = sorted({k for c in cases for k in c.countries})
    continents = sorted({continent(k) for k in countries})
    statuses = Counter(c.deal.status for c in cases)
    scales = Counter(c.scale for c in cases)
    targets = [
        ("Cases", len(cases), 18),
        ("Countries", len(countries), 8),
        ("Continents", len(continents), 4),
        ("Policy domains", len({d for c in cases for d in c.domains}), 6),
        ("Failures or partial failures", sum(statuses[s] for s in ("partial", "not-reached", "dissolved")), 4),
    ]
    rows = []
    for case, comp in _coverage_cases(cases):
        rows.append(
            {
                "id": case.id,
                "title": case.title,
                "countries": ", ".join(country_name(k) for k in case.countries),
                "continents": ", ".join(sorted({continent(k) for k in case.countries})),
                "domains": ", ".join(term("policy-domain", d) for d in case.domains),
                "scale": term("scale", case.scale),
                "levels": ", ".join(
                    term("level", lv) for lv in vocabulary("level").codes if any(a.level == lv for a in case.actors)
                ),
                "deal": term("deal-status", case.deal.status),
                "missing": "; ".join(comp.missing + tuple("stage: " + s for s in comp.missing_stages)) or "complete",
                "percent": comp.percent,
                "status": case.status,
            }
        )
    return render_page(
        "coverage.html",
        "Coverage",
        targets=targets,
        continents=continents,
        scales=", ".join(f"{term('scale', s)} {n}" for s, n in sorted(scales.items())),
        statuses=", ".join(f"{term('deal-status', s)} {n}" for s, n in sorted(statuses.items())),
        rows=rows,
        total=len(cases),
    )


def _coverage_cases(cases: list[Case]) -> list[tuple[Case, Any]]:
    """The cases the coverage table lists, with their completeness: all of them by title, or, above
    ``COVERAGE_CASES_MAX``, that many of the least complete (lowest percentage, then title)."""
    listed = sorted(((c, completeness(c)) for c in cases), key=lambda pair: sort_title(pair[0].title))
    if len(listed) > COVERAGE_CASES_MAX:
        listed.sort(key=lambda pair: pair[1].percent)  # stable: title breaks ties
    return listed[:COVERAGE_CASES_MAX]


#: Concepts that the analysis also finds in each case's network by a fixed rule: concept code -> pattern code.
CONCEPT_PATTERNS = {
    "latent-deal": "latent-deal",
    "reciprocal-interdependence": "reciprocal-pair",
    "pooled-interdependence": "pooled",
    "sequential-interdependence": "sequential",
}


def concepts_page(cases: list[Case]) -> Page:
    """The concepts the casebook teaches, each with cases whose teaching notes use it.

    Up to ``CONCEPT_CASES_MAX`` cases per concept, by title; with more, the most complete ones (highest
    completeness percentage, then title), and a link to the case index filtered by the concept for all of them.
    """
    ordered = sorted(cases, key=lambda c: sort_title(c.title))
    percent: dict[str, int] = {}
    concepts = []
    for t in vocabulary("concept").terms:
        using = [c for c in ordered if t.code in c.teaching.concepts]
        if len(using) > CONCEPT_CASES_MAX:
            for c in using:
                if c.id not in percent:
                    percent[c.id] = completeness(c).percent
            using.sort(key=lambda c: -percent[c.id])  # stable: title breaks ties
        concepts.append(
            {
                "code": t.code,
                "title": t.title,
                "description": t.description,
                "cases": [{"id": c.id, "title": c.title} for c in using[:CONCEPT_CASES_MAX]],
                "total": len(using),
                "pattern": CONCEPT_PATTERNS.get(t.code),
            }
        )
    return render_page("concepts.html", "Concepts", concepts=concepts)


def diagnose_page() -> Page:
    """How to map your own situation, with the example file and the report it gives."""
    from builder.situation import diagnose, format_report, parse_situation

    example = (Path(__file__).parent / "templates" / "situation.yaml").read_text("utf-8")
    report = format_report(diagnose(parse_situation(example)))
    return render_page("diagnose.html", "Diagnose your situation", example=example, report=report)


def _session(case: Case, why: str) -> dict[str, Any]:
    return {
        "id": case.id,
        "title": case.title,
        "why": why,
        "where": ", ".join(country_name(k) for k in case.countries),
        "when": years_text(case),
        "deal": term("deal-status", case.deal.status).lower(),
    }


def reading_list_page(reading, cases: dict[str, Case]) -> Page:
    """One reading list: the sequence, why each case is there, and questions for each session."""
    sessions = [{**_session(cases[i.case], i.why), "questions": list(i.questions)} for i in reading.items]
    return render_page("reading-list.html", reading.title, reading.summary, reading=reading, sessions=sessions)


def reading_lists_index(lists) -> Page:
    """The index of reading lists."""
    return render_page("reading-lists.html", "Reading lists", lists=list(lists))


def extra_pages(
    cases: list[Case], analyses: dict[str, analyze.CaseAnalysis], data: dict[str, dict[str, Any]], reading_lists=()
) -> dict[str, Page]:
    """Every generated page other than the case pages and the case index, keyed by its path in the site."""
    by_id = {c.id: c for c in cases}
    pages = {
        "teaching/reading-lists.md": reading_lists_index(reading_lists),
        **{f"teaching/lists/{r.id}.md": reading_list_page(r, by_id) for r in reading_lists},
        **teaching.shell_pages(),
        "patterns/index.md": patterns_index(cases, data),
        "cross-case.md": cross_case_page(cases, analyses, data),
        "coverage.md": coverage_page(cases),
        "concepts.md": concepts_page(cases),
        "diagnose.md": diagnose_page(),
        "contribute/fields.md": reference.fields_page(),
        "contribute/vocabularies.md": reference.vocabularies_page(),
        "contribute/problems.md": reference.problems_page(),
    }
    for pattern in PATTERNS.values():
        pages[f"patterns/{pattern.code}.md"] = pattern_page(pattern, cases, data)
    return pages
