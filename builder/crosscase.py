"""Measures and layout for the cross-case page: which rows go with which deal status, and where labels go.

In: the tables of :func:`builder.analyze.cross_case` (plain dicts of counts) and lists of labels.
Out: plain numbers and positions. Pure and deterministic: no randomness, no files. The docstrings of
:func:`base_rate`, :func:`status_share` and :func:`lift` are printed on the cross-case page as the
exact definitions of its measures.
"""

from __future__ import annotations

import math
from typing import Any

#: A row seen in fewer cases than this is marked "few cases": its lifts rest on one or two cases each.
FEW_CASES = 5

#: Width of one character of a label, as a share of the font size. Conservative for bold sans-serif text
#: (the browser test checks it against the widths Chromium measures), so estimated boxes are never too small.
CHAR_WIDTH = 0.74
#: Height of one line of a label, as a share of the font size.
LINE_HEIGHT = 1.3


def base_rate(status_cases: int, all_cases: int) -> float | None:
    """Base rate of a deal status: the share of all cases whose deal has that status.

    ``base rate(s) = N(s) / N``, where ``N`` is the number of cases and ``N(s)`` the number whose deal
    status is ``s``. It is the share a row would show for ``s`` if the row had nothing to do with how far
    deals got. Undefined (``None``) when there are no cases.

    >>> base_rate(5, 20)
    0.25
    """
    return status_cases / all_cases if all_cases else None


def status_share(row_status_cases: int, row_cases: int) -> float | None:
    """Share of a row's cases with a status: of the cases that show the row, the share whose deal has that status.

    ``share(r, s) = C(r, s) / C(r)``, where ``C(r)`` is the number of cases that show row ``r`` (a pattern,
    mechanism, asset kind or sector pair) at least once, and ``C(r, s)`` the number of those whose deal
    status is ``s``. The shares of one row add up to 1. Undefined (``None``) for a row no case shows.

    >>> status_share(3, 4)
    0.75
    """
    return row_status_cases / row_cases if row_cases else None


def lift(row_status_cases: int, row_cases: int, status_cases: int, all_cases: int) -> float | None:
    """Lift of a row for a deal status: how much more often the row's cases have that status than cases in general.

    ``lift(r, s) = share(r, s) / base rate(s) = (C(r, s) × N) / (C(r) × N(s))``. Equivalently, the share of
    cases with status ``s`` that show the row, divided by the share of all cases that show it. 1 means the
    row goes with that status exactly as often as all cases do; 2 means twice as often; 0 means no case
    with that status shows the row. Undefined (``None``) when no case shows the row or no case has the
    status. Each lift is printed with its count ``C(r, s)``; a row shown by fewer than five cases is
    marked "few cases", because one case more or less would change its lifts a lot. With a few dozen
    cases, a lift describes this casebook; it is not an estimate for collaborations in general.

    >>> lift(3, 4, 5, 20)
    3.0
    """
    share, base = status_share(row_status_cases, row_cases), base_rate(status_cases, all_cases)
    return share / base if share is not None and base else None


def lift_text(value: float | None) -> str:
    """A lift for a table cell: one decimal and a multiplication sign, or a dash when undefined.

    >>> [lift_text(v) for v in (3.0, 0.0, 1.25, None)]
    ['3.0×', '0×', '1.2×', '–']
    """
    if value is None:
        return "–"
    return "0×" if value == 0 else f"{value:.1f}×"


def association_rows(rows: dict[str, dict[str, Any]], statuses: dict[str, int]) -> list[dict[str, Any]]:
    """For each row of a cross-case table, its counts and lifts by deal status.

    ``rows`` is one table of :func:`builder.analyze.cross_case` (``{key: {"count", "cases", "by_status"}}``)
    and ``statuses`` its ``"statuses"`` entry (``{status: number of cases}``, in display order). Returns
    ``[{"key", "count", "cases", "few", "cells": [{"status", "n", "lift", "share"}]}]`` ordered by number
    of cases (most first), then key; ``lift`` and ``share`` are floats or ``None``.
    """
    total = sum(statuses.values())
    out = []
    for key, row in sorted(rows.items(), key=lambda kv: (-kv[1]["cases"], kv[0])):
        cells = [
            {
                "status": s,
                "n": row["by_status"][s],
                "share": status_share(row["by_status"][s], row["cases"]),
                "lift": lift(row["by_status"][s], row["cases"], n_s, total),
            }
            for s, n_s in statuses.items()
        ]
        out.append(
            {"key": key, "count": row["count"], "cases": row["cases"], "few": row["cases"] < FEW_CASES, "cells": cells}
        )
    return out


# --------------------------------------------------------------------------------------------- labels


def wrap_label(text: str, width: int = 24, lines: int = 2) -> str:
    """Break a label into at most ``lines`` lines of at most ``width`` characters, at spaces; "…" if cut.

    >>> wrap_label("The Nile Basin Initiative and the Cooperative Framework", 24)
    'The Nile Basin\\nInitiative and the…'
    >>> wrap_label("Short")
    'Short'
    """
    out: list[str] = []
    words = text.split()
    while words and len(out) < lines:
        line = words.pop(0)[:width]
        while words and len(line) + 1 + len(words[0]) <= width:
            line += " " + words.pop(0)
        out.append(line)
    if words:
        out[-1] = out[-1][: width - 1].rstrip() + "…"
    return "\n".join(out)


def label_box(node: dict[str, Any], font_size: float) -> tuple[float, float, float, float]:
    """The box (left, top, right, bottom) a node and its label cover, in drawing units.

    Models vis-network's drawing: a ``"box"`` node is its label with a 5-unit margin round it, centred on
    the node's position; a ``"dot"`` of radius ``size`` has its label centred below it. Text width is
    estimated as :data:`CHAR_WIDTH` × ``font_size`` per character of the longest line, and each line is
    :data:`LINE_HEIGHT` × ``font_size`` high.
    """
    lines = str(node.get("label", "")).split("\n")
    width = max(len(line) for line in lines) * CHAR_WIDTH * font_size
    height = len(lines) * LINE_HEIGHT * font_size
    x, y = node["x"], node["y"]
    if node.get("shape") == "box":
        return (x - width / 2 - 6, y - height / 2 - 6, x + width / 2 + 6, y + height / 2 + 6)
    size = node.get("size", 18)
    return (min(x - width / 2, x - size), y - size, max(x + width / 2, x + size), y + size + 4 + height)


def overlaps(boxes: list[tuple[float, float, float, float]], gap: float = 4) -> list[tuple[int, int]]:
    """Index pairs of boxes that overlap or come closer than ``gap``.

    >>> overlaps([(0, 0, 10, 10), (12, 0, 20, 10), (30, 30, 40, 40)])
    [(0, 1)]

    The pairs are ``(i, j)`` with ``i < j``, sorted. Boxes are compared only with those whose top is within
    reach of their bottom (a sweep down the page), so boxes laid out in columns cost about n log n, not n².
    """
    order = sorted(range(len(boxes)), key=lambda i: boxes[i][1])
    found = []
    for k, i in enumerate(order):
        a = boxes[i]
        for j in order[k + 1 :]:
            b = boxes[j]
            if b[1] >= a[3] + gap:  # this box and every later one start below a's reach
                break
            if a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap:
                found.append((i, j) if i < j else (j, i))
    return sorted(found)


def ring(ids: list[str], rx: float, ry: float) -> dict[str, tuple[int, int]]:
    """Place ids evenly on an ellipse with half-axes ``rx``, ``ry``, in order, clockwise from the top."""
    n = len(ids)
    return {
        ident: (round(rx * math.sin(2 * math.pi * i / n)), round(-ry * math.cos(2 * math.pi * i / n)))
        for i, ident in enumerate(ids)
    }


def spread(nodes: list[dict[str, Any]], movable: set[str], font_size: float, step: float = 1.06) -> None:
    """Move the ``movable`` nodes outward from the centre until no two node-and-label boxes overlap.

    ``nodes`` have ``id``, ``x``, ``y``, ``label`` and optionally ``shape`` and ``size``; positions are
    changed in place and rounded to whole units. Each round scales the movable nodes' positions by
    ``step``; the result depends only on the input. Raises ``ValueError`` if 80 rounds do not separate them
    (two fixed nodes overlapping, for example).
    """
    base = {n["id"]: (n["x"], n["y"]) for n in nodes if n["id"] in movable}
    for k in range(80):
        factor = step**k
        for n in nodes:
            if n["id"] in base:
                n["x"], n["y"] = (round(base[n["id"]][0] * factor), round(base[n["id"]][1] * factor))
        if not overlaps([label_box(n, font_size) for n in nodes]):
            return
    raise ValueError("labels still overlap after spreading the nodes")
