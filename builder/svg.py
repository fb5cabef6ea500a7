"""A static picture of a case's network, for print and for readers without scripts.

In: the network data of :func:`builder.network.network_data`: compact nodes (``x``, ``y``, ``label``,
``group`` = sector) and edges (``from``, ``to``, ``effect``, ``stage``, ``realized``), styled here by the
same rules as ``casebook.js`` (sector colours; helps blue, hurts red, recognized only in hindsight or
never dashed purple, not known dotted grey; thicker when realized); or, for the drawings across cases,
nodes and edges that carry their own ``color``, ``dashes``, ``width`` and ``smooth.roundness``. Out: plain
view data for ``partials/case-network-svg.html``, which writes the ``<svg>``: the same positions as the
interactive drawing (nothing is laid out again here), edges as quadratic curves that bend apart as
vis-network's ``curvedCW`` edges do, and each label placed outside its node, away from the centre.
Numbers are whole user units, so the output is deterministic and short.
"""

from __future__ import annotations

import math
from typing import Any

from builder.network import HELPS_COLOUR, HURTS_COLOUR, SECTOR_COLOURS

#: Radius of a node, label size and the margin around the drawing, in user units.
NODE_R = 14
FONT = 17
MARGIN = 24


def _label(x: float, y: float, cx: float, cy: float) -> dict[str, Any]:
    """Where a node's label goes: beside the node, on the side away from the drawing's centre."""
    dx, dy = x - cx, y - cy
    dist = math.hypot(dx, dy) or 1.0
    ux, uy = dx / dist, dy / dist
    anchor = "start" if ux > 0.35 else "end" if ux < -0.35 else "middle"
    tx = x + ux * (NODE_R + 6)
    ty = y + uy * (NODE_R + 6) + (FONT * 0.35 if anchor != "middle" else (FONT if uy > 0 else -8))
    return {"tx": round(tx), "ty": round(ty), "anchor": anchor}


def _curve(a: tuple[float, float], b: tuple[float, float], roundness: float) -> str:
    """An SVG path from node ``a`` to node ``b``, bent by ``roundness`` and stopped at ``b``'s rim.

    >>> _curve((0, 0), (100, 0), 0.0)
    'M0 0Q50 0 82 0'
    """
    (x1, y1), (x2, y2) = a, b
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1.0
    # The control point sits off the midpoint by roundness x length, to one side of the direction of
    # travel, so that the two directions of a pair bend apart.
    cx, cy = (x1 + x2) / 2 - dy / length * roundness * length, (y1 + y2) / 2 + dx / length * roundness * length
    # End on the rim of the target node, along the curve's last tangent (control point -> end).
    tx, ty = x2 - cx, y2 - cy
    tl = math.hypot(tx, ty) or 1.0
    ex, ey = x2 - tx / tl * (NODE_R + 4), y2 - ty / tl * (NODE_R + 4)
    return f"M{round(x1)} {round(y1)}Q{round(cx)} {round(cy)} {round(ex)} {round(ey)}"


def _dash(dashes: Any) -> str:
    """The stroke-dasharray of an edge: dotted for a list (not known), dashed for True, none for False."""
    if isinstance(dashes, list):
        return "2 6"
    return "8 6" if dashes else ""


#: Edge looks by kind of recognition stage, as ``STYLE`` in ``docs/assets/javascripts/casebook.js``.
LATENT_COLOUR = "#8e44ad"
UNKNOWN_COLOUR = "#8a8f98"
_WIDTH = {"yes": 3, "partly": 2.2}


def _edge_look(e: dict[str, Any], stages: list[dict[str, Any]]) -> tuple[str, Any, float]:
    """``(colour, dashes, width)`` of an edge: its own when it carries them, else from its effect and stage."""
    if "effect" not in e:
        return e.get("color") or HELPS_COLOUR, e.get("dashes"), e.get("width", 1.5)
    stage = stages[e["stage"]] if isinstance(e.get("stage"), int) and e["stage"] < len(stages) else {}
    kind = stage.get("kind", "unknown")
    if kind == "latent":
        return LATENT_COLOUR, True, 2.5
    if kind == "unknown":
        return UNKNOWN_COLOUR, [2, 6], 1.5
    return (HURTS_COLOUR if e["effect"] == "hurts" else HELPS_COLOUR), False, _WIDTH.get(e.get("realized"), 1.5)


def network_picture(data: dict[str, Any], label: str = "") -> dict[str, Any] | None:
    """View data of the static picture: ``{"box", "width", "height", "nodes", "edges", "markers", "label", "legend"}``;
    ``None`` when there are no nodes.

    ``box`` is the SVG viewBox (``"minx miny width height"``) around the nodes and their labels; each node
    is ``{"x", "y", "r", "fill", "label", "tx", "ty", "anchor"}``, each edge
    ``{"d", "stroke", "marker", "width", "dash"}`` (``marker`` indexes ``markers``, the arrowheads' colours);
    ``legend`` is ``[{"color", "label"}]``, the key to the dots' colours from the drawing's own ``legend``.
    """
    nodes = [n for n in data.get("nodes", []) if "x" in n and "y" in n]
    if not nodes:
        return None
    at = {n["id"]: (float(n["x"]), float(n["y"])) for n in nodes}
    xs, ys = [p[0] for p in at.values()], [p[1] for p in at.values()]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    out_nodes = []
    for n in nodes:
        x, y = at[n["id"]]
        out_nodes.append(
            {
                "x": round(x),
                "y": round(y),
                "r": NODE_R,
                "fill": n.get("color") or SECTOR_COLOURS.get(n.get("group", ""), "#777"),
                "label": str(n.get("label", n["id"])),
                **_label(x, y, cx, cy),
            }
        )
    edges = []
    colours: list[str] = []
    stages = data.get("stages", [])
    for e in data.get("edges", []):
        if e.get("from") not in at or e.get("to") not in at or e["from"] == e["to"]:
            continue
        roundness = float((e.get("smooth") or {}).get("roundness", 0.12))
        stroke, dashes, width = _edge_look(e, stages)
        if stroke not in colours:
            colours.append(stroke)
        edges.append(
            {
                "d": _curve(at[e["from"]], at[e["to"]], roundness),
                "stroke": stroke,
                "marker": colours.index(stroke),
                "width": width,
                "dash": _dash(dashes),
            }
        )
    # Room for labels: a label may run about 16 characters beyond its node on the left or right.
    side = FONT * 9
    minx, maxx = min(xs) - NODE_R - side - MARGIN, max(xs) + NODE_R + side + MARGIN
    miny, maxy = min(ys) - NODE_R - FONT - MARGIN, max(ys) + NODE_R + FONT * 2 + MARGIN
    return {
        "box": f"{round(minx)} {round(miny)} {round(maxx - minx)} {round(maxy - miny)}",
        "width": round(maxx - minx),
        "height": round(maxy - miny),
        "nodes": out_nodes,
        "edges": edges,
        "markers": colours,
        "label": label,
        # The key to the dots' colours, for the caption (print has no interactive legend).
        "legend": [{"color": k["color"], "label": k["label"]} for k in data.get("legend", []) if "color" in k],
    }
