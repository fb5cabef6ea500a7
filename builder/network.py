"""Network data for the interactive drawing of a case.

In: a validated ``Case`` (and, optionally, the patterns found by the analysis).
Out: plain, compact data for ``docs/assets/javascripts/casebook.js``, which draws it with
vis-network: nodes (id, short label, full name, sector, fixed position), edges (id, holder, target,
effect, stage index, realized), the stages of the process, a legend and highlightable patterns.
Styling (colours, dashes, widths, curves) is not repeated per edge: the script derives it from
these few fields and one shared options object, so a case's data stays a few kilobytes.
Positions are computed here with a fixed layout (a circle, or a seeded spring layout for large
graphs), so drawings are deterministic and need no physics in the browser. Nothing here produces
HTML: the page carries this data as escaped JSON in an attribute (see the ``network`` macro).
"""

from __future__ import annotations

import math
import random
from collections import deque
from collections.abc import Iterable, Sequence
from typing import Any

from builder import model
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

#: The recognition stages that are steps of the process, in order (the stepper's steps): the model's
#: ``PROCESS_STAGES``. The other codes of the vocabulary are ``hindsight`` and ``never`` (latent: not seen by
#: the parties during the process) and ``unknown`` (the sources do not say).
PROCESS_STAGES = model.PROCESS_STAGES
LATENT_STAGES = ("hindsight", "never")

#: Above this many nodes a drawing is "large": straight edges, no label scaling (see casebook.js).
LARGE = 100

OPTIONS: dict[str, Any] = {
    "physics": {"enabled": False},
    "layout": {"improvedLayout": False},
    "interaction": {"hover": True, "navigationButtons": False, "keyboard": False},
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


def spring_layout(
    ids: Sequence[str], links: Iterable[tuple[str, str]], seed: int = 1, iterations: int = 12, spacing: float = 60.0
) -> dict[str, tuple[int, int]]:
    """A deterministic layout for large graphs, in pure Python, in about linear time.

    Nodes start evenly spread on a sunflower spiral (``spacing`` canvas pixels apart), in breadth-first
    order from the best-connected node (ties broken by a seeded shuffle), so linked nodes start near each
    other. A few Fruchterman-Reingold passes then pull linked nodes together, with repulsion computed
    on a grid (only nodes in neighbouring cells repel) and each move capped, so the drawing stays spread
    out. A 2,000-node, 4,000-link graph takes well under a second. Returns integer positions; the same
    input always gives the same output.

    >>> spring_layout(["a", "b"], [("a", "b")]) == spring_layout(["a", "b"], [("a", "b")])
    True
    """
    rng = random.Random(seed)
    pairs = [(u, v) for u, v in links if u != v]
    order = _breadth_first(list(ids), pairs, rng)
    golden = math.pi * (3 - math.sqrt(5))
    pos = {
        v: [
            spacing * 0.6 * math.sqrt(i + 0.5) * math.cos(i * golden),
            spacing * 0.6 * math.sqrt(i + 0.5) * math.sin(i * golden),
        ]
        for i, v in enumerate(order)
    }
    pairs = [(u, v) for u, v in pairs if u in pos and v in pos]
    k = spacing
    temp = spacing / 2
    for _ in range(iterations):
        disp = {v: [0.0, 0.0] for v in order}
        _repel(pos, disp, k)
        for u, v in pairs:
            dx, dy = pos[u][0] - pos[v][0], pos[u][1] - pos[v][1]
            f = math.hypot(dx, dy) / k
            disp[u][0] -= dx * f
            disp[u][1] -= dy * f
            disp[v][0] += dx * f
            disp[v][1] += dy * f
        for v in order:
            dx, dy = disp[v]
            d = math.hypot(dx, dy) or 0.01
            step = min(d, temp)
            pos[v][0] += dx / d * step
            pos[v][1] += dy / d * step
        temp *= 0.85
    return {v: (round(p[0]), round(p[1])) for v, p in pos.items()}


def _breadth_first(ids: list[str], pairs: list[tuple[str, str]], rng: random.Random) -> list[str]:
    """Every id once, breadth-first from the best-connected node of each component (seeded tie-break)."""
    neighbours: dict[str, list[str]] = {v: [] for v in ids}
    for u, v in pairs:
        if u in neighbours and v in neighbours:
            neighbours[u].append(v)
            neighbours[v].append(u)
    shuffled = ids[:]
    rng.shuffle(shuffled)
    starts = sorted(shuffled, key=lambda v: -len(neighbours[v]))
    seen: set[str] = set()
    order: list[str] = []
    for start in starts:
        if start in seen:
            continue
        seen.add(start)
        queue = deque([start])
        while queue:
            v = queue.popleft()
            order.append(v)
            for w in neighbours[v]:
                if w not in seen:
                    seen.add(w)
                    queue.append(w)
    return order


def _repel(pos: dict[str, list[float]], disp: dict[str, list[float]], k: float) -> None:
    """Add the repulsion between nodes closer than two ideal lengths (grid cells of that size)."""
    cell = 2 * k
    grid: dict[tuple[int, int], list[str]] = {}
    for v, (x, y) in pos.items():
        grid.setdefault((int(x // cell), int(y // cell)), []).append(v)
    for (cx, cy), members in grid.items():
        near = [w for dx in (-1, 0, 1) for dy in (-1, 0, 1) for w in grid.get((cx + dx, cy + dy), ())]
        for v in members:
            x, y = pos[v]
            for w in near:
                if w == v:
                    continue
                dx, dy = x - pos[w][0], y - pos[w][1]
                d2 = dx * dx + dy * dy or 0.01
                if d2 < cell * cell:
                    f = k * k / d2
                    disp[v][0] += dx * f
                    disp[v][1] += dy * f


def realized_text(realized: bool | str) -> str:
    """How far the deal put an interdependency to use, in words.

    >>> [realized_text(v) for v in (True, False, "partly", "unknown")]
    ['yes', 'no', 'partly', 'not known']
    """
    return {True: "yes", False: "no", "partly": "partly", "unknown": "not known"}[realized]


def stage_list() -> list[dict[str, str]]:
    """Every recognition stage in the vocabulary's order: code, title and kind.

    Kind is ``step`` for the process stages (the stepper's steps, in order), ``latent`` for
    ``hindsight`` and ``never``, and ``unknown``. An edge's ``stage`` is an index into this list.
    """
    stages = vocabulary("recognition-stage")
    kinds = {code: "step" for code in PROCESS_STAGES} | dict.fromkeys(LATENT_STAGES, "latent")
    return [{"code": c, "title": stages.title_of(c), "kind": kinds.get(c, "unknown")} for c in stages.codes]


def network_data(case: Case, patterns: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Compact data for one case's drawing.

    Shape: ``{"nodes": [{id, label, name?, group, x, y}], "edges": [{id, from, to, effect, stage, realized}],
    "stages": stage_list(), "anchor": "actor-", "legend": [...], "patterns": [...], "options": OPTIONS}``.
    ``group`` is the actor's sector (its colour is in the legend); ``name`` is given only when it differs
    from the label; ``stage`` indexes ``stages``; ``realized`` is ``yes``, ``no``, ``partly`` or ``not known``;
    ``anchor`` + a node id is the id of the actor's card on the case page.
    """
    sectors = vocabulary("sector")
    stage_index = {code: i for i, code in enumerate(vocabulary("recognition-stage").codes)}
    # Order actors by sector so that same-coloured nodes sit together on the circle; a large network
    # (more than LARGE actors) gets a seeded spring layout instead, since a circle of hundreds says nothing.
    rank = {code: i for i, code in enumerate(sectors.codes)}
    order = [a for _, _, a in sorted((rank[a.sector], i, a) for i, a in enumerate(case.actors))]
    if len(order) > LARGE:
        positions = spring_layout([a.id for a in order], [(e.holder, e.target) for e in case.interdependencies])
    else:
        positions = layout([a.id for a in order])
    nodes = []
    for actor in order:
        label = actor.short_name or actor.name
        node = {"id": actor.id, "label": label, "group": actor.sector}
        if label != actor.name:
            node["name"] = actor.name
        node["x"], node["y"] = positions[actor.id]
        nodes.append(node)
    edges = [
        {
            "id": e.id,
            "from": e.holder,
            "to": e.target,
            "effect": e.effect,
            "stage": stage_index[e.recognized],
            "realized": realized_text(e.realized),
        }
        for e in case.interdependencies
    ]
    legend = [
        {"kind": "sector", "code": code, "label": sectors.title_of(code), "color": SECTOR_COLOURS[code]}
        for code in sectors.codes
        if any(a.sector == code for a in case.actors)
    ]
    return {
        "nodes": nodes,
        "edges": edges,
        "stages": stage_list(),
        "anchor": "actor-",
        "options": OPTIONS,
        "legend": legend,
        "patterns": patterns or [],
    }


def text_alternative(case: Case, anchor: str = "edge-") -> list[dict[str, str]]:
    """Every link of a case as a line of text, for readers who cannot use the drawing.

    Each row: ``holder`` and ``target`` (names), ``effect`` (helps or hurts), ``recognized`` (the stage's
    title) and ``href`` (the interdependency's row on the case page, ``#`` + anchor + id).
    """
    stages = vocabulary("recognition-stage")
    names = {a.id: a.short_name or a.name for a in case.actors}
    return [
        {
            "holder": names[e.holder],
            "target": names[e.target],
            "effect": e.effect,
            "recognized": stages.title_of(e.recognized),
            "href": f"#{anchor}{e.id}",
        }
        for e in case.interdependencies
    ]


def example_data(edges: tuple[tuple[str, str, str, str], ...]) -> dict[str, Any]:
    """Network data for a small drawn example on a pattern page: (holder, target, effect, recognized)."""
    ids = sorted({v for e in edges for v in e[:2]})
    positions = layout(ids, radius=110)
    codes = list(vocabulary("recognition-stage").codes)
    nodes = [{"id": v, "label": v, "name": f"Actor {v}", "x": positions[v][0], "y": positions[v][1]} for v in ids]
    out_edges = [
        {"id": f"e{i}", "from": u, "to": v, "effect": effect, "stage": codes.index(recognized), "realized": "not known"}
        for i, (u, v, effect, recognized) in enumerate(edges)
    ]
    return {
        "nodes": nodes,
        "edges": out_edges,
        "stages": stage_list(),
        "stepper": False,
        "options": OPTIONS,
        "legend": [],
        "patterns": [],
    }
