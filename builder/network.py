"""Network data for the interactive drawing of a case.

In: a validated ``Case`` (and, optionally, the patterns found by the analysis).
Out: plain data (nodes, edges, options, patterns) for vis-network, built with
pyvis's network model. Positions are computed here, so drawings are
deterministic and need no physics in the browser. Nothing here produces HTML:
pyvis's own HTML template loads scripts from CDNs and inserts titles unescaped,
so the page carries this data as escaped JSON instead (see ``render``).
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

from pyvis.network import Network

from builder.model import Case
from builder.vocab import vocabulary

#: Okabe-Ito colours (safe for colour-blind readers), one per sector.
SECTOR_COLOURS = {
    "government": "#0072B2",
    "nonprofit": "#009E73",
    "community": "#E69F00",
    "business": "#CC79A7",
    "academic": "#56B4E9",
    "public-enterprise": "#0b4f6c",
    "international": "#D55E00",
    "philanthropy": "#8c6d31",
}
HELPS_COLOUR = "#2b6cb0"
HURTS_COLOUR = "#c53030"

OPTIONS: dict[str, Any] = {
    "physics": {"enabled": False},
    "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False, "keyboard": False},
    "nodes": {"shape": "dot", "size": 18, "font": {"size": 15, "face": "system-ui, sans-serif"}, "borderWidth": 2},
    "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.7}}, "font": {"size": 11}, "selectionWidth": 2},
}


def layout(ids: list[str], radius: int = 260) -> dict[str, tuple[int, int]]:
    """Place actors evenly on a circle, in the given order, starting at the top.

    >>> layout(["a", "b"])
    {'a': (0, -260), 'b': (0, 260)}
    """
    n = len(ids)
    if n == 1:
        return {ids[0]: (0, 0)}
    return {
        ident: (round(radius * math.sin(2 * math.pi * i / n)), round(-radius * math.cos(2 * math.pi * i / n)))
        for i, ident in enumerate(ids)
    }


def realized_text(realized: bool | str) -> str:
    """How far the deal put an interdependency to use, in words.

    >>> [realized_text(v) for v in (True, False, "partly", "unknown")]
    ['yes', 'no', 'partly', 'not known']
    """
    return {True: "yes", False: "no", "partly": "partly", "unknown": "not known"}[realized]


def network_data(case: Case, patterns: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Nodes, edges, options, legend and highlightable patterns for one case's drawing."""
    sectors = vocabulary("sector")
    stages = vocabulary("recognition-stage")
    net = Network(directed=True)
    # Order actors by sector so that same-coloured nodes sit together on the circle.
    order = sorted(case.actors, key=lambda a: (sectors.codes.index(a.sector), case.actors.index(a)))
    positions = layout([a.id for a in order])
    for actor in order:
        x, y = positions[actor.id]
        tip = f"{actor.name}\n{sectors.title_of(actor.sector)}, {actor.level}"
        if actor.mission:
            tip += f"\n\nMission: {actor.mission}"
        if actor.assets:
            tip += "\n\nAssets:\n" + "\n".join(f"- {a.description}" for a in actor.assets)
        net.add_node(
            actor.id, label=actor.short_name or actor.name, title=tip, x=x, y=y, color=SECTOR_COLOURS[actor.sector]
        )
    actors = {a.id: a for a in case.actors}
    seen: Counter[tuple[str, str]] = Counter()
    for edge in case.interdependencies:
        holder, target = actors[edge.holder], actors[edge.target]
        asset = next(a for a in holder.assets if a.id == edge.asset)
        purpose = next(p for p in target.purposes if p.id == edge.purpose)
        pair = (edge.holder, edge.target)
        seen[pair] += 1
        # Parallel edges (and the two directions of a pair) curve apart so each stays visible.
        roundness = 0.12 + 0.14 * (seen[pair] - 1)
        verb = "helps" if edge.effect == "helps" else "hurts"
        tip = (
            f"{holder.name}: {asset.description}\n{verb} {target.name}: {purpose.description}\n\n"
            f"{edge.description}\n\nRecognized: {stages.title_of(edge.recognized)}. "
            f"Realized by the deal: {realized_text(edge.realized)}."
        )
        net.add_edge(
            edge.holder,
            edge.target,
            id=edge.id,
            title=tip,
            color=HELPS_COLOUR if edge.effect == "helps" else HURTS_COLOUR,
            # Dashed: never seen, or only in hindsight; dotted: the sources do not say when it was seen.
            dashes=[2, 6] if edge.recognized == "unknown" else edge.recognized in ("never", "hindsight"),
            width={True: 3, "partly": 2.2}.get(edge.realized, 1.5),
            smooth={"enabled": True, "type": "curvedCW", "roundness": round(roundness, 2)},
        )
    legend = [
        {"kind": "sector", "code": code, "label": sectors.title_of(code), "color": SECTOR_COLOURS[code]}
        for code in sectors.codes
        if any(a.sector == code for a in case.actors)
    ]
    return {
        "nodes": net.nodes,
        "edges": net.edges,
        "options": OPTIONS,
        "legend": legend,
        "patterns": patterns or [],
    }


def example_data(edges: tuple[tuple[str, str, str, str], ...]) -> dict[str, Any]:
    """Network data for a small drawn example on a pattern page: (holder, target, effect, recognized)."""
    ids = sorted({v for e in edges for v in e[:2]})
    positions = layout(ids, radius=110)
    seen: Counter[tuple[str, str]] = Counter()
    nodes = [
        {
            "id": v,
            "label": v,
            "title": f"Actor {v}",
            "x": positions[v][0],
            "y": positions[v][1],
            "color": SECTOR_COLOURS["government"],
            "shape": "dot",
            "size": 18,
        }
        for v in ids
    ]
    out_edges = []
    for i, (u, v, effect, recognized) in enumerate(edges):
        seen[(u, v)] += 1
        out_edges.append(
            {
                "id": f"e{i}",
                "from": u,
                "to": v,
                "arrows": "to",
                "title": f"{u} {effect} {v}" + (" (never recognized)" if recognized == "never" else ""),
                "color": HELPS_COLOUR if effect == "helps" else HURTS_COLOUR,
                "dashes": recognized in ("never", "hindsight"),
                "width": 2,
                "smooth": {"enabled": True, "type": "curvedCW", "roundness": 0.15 * seen[(u, v)]},
            }
        )
    return {"nodes": nodes, "edges": out_edges, "options": OPTIONS, "legend": [], "patterns": []}
