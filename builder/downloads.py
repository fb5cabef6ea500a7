"""Downloads: the corpus as data files for researchers.

In: validated cases and their analysis data. Out: file bytes keyed by site path
(``data/cases/<id>.json``, ``data/casebook.json``, CSV tables, GraphML). Pure:
nothing is written here. Every file is deterministic (sorted keys, fixed order).
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import networkx as nx

from builder.model import Case


def dumps(data: Any) -> bytes:
    """Deterministic JSON for downloads (UTF-8, sorted keys, indented)."""
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


#: What a spreadsheet reads as the start of a formula (OWASP, "CSV injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """A cell that a spreadsheet shows as text: contributor text starting like a formula gets a leading ``'``.

    >>> print(_cell('=HYPERLINK("x")'), _cell("-"), _cell(-3), _cell("Medellín"))
    '=HYPERLINK("x") '- -3 Medellín
    """
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def _csv(header: list[str], rows: list[list[Any]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([_cell(v) for v in row] for row in rows)
    return buf.getvalue().encode("utf-8")


def downloads(cases: list[Case], data: dict[str, dict[str, Any]]) -> dict[str, bytes]:
    """The corpus as data: JSON per case and in all, CSV tables, and GraphML, keyed by path in the site."""
    records = {c.id: {"case": c.model_dump(mode="json"), "analysis": data[c.id]} for c in cases}
    files = {f"data/cases/{case_id}.json": dumps(record) for case_id, record in records.items()}
    files["data/casebook.json"] = dumps({"cases": list(records.values())})
    files["data/cases.csv"] = _cases_csv(cases)
    files["data/actors.csv"] = _actors_csv(cases)
    files["data/interdependencies.csv"] = _interdependencies_csv(cases)
    files["data/sources.csv"] = _sources_csv(cases)
    files["data/casebook.graphml"] = _graphml(cases)
    return files


def _cases_csv(cases: list[Case]) -> bytes:
    """``data/cases.csv``."""
    return _csv(
        [
            "id",
            "title",
            "countries",
            "locality",
            "start",
            "end",
            "domains",
            "scale",
            "deal_status",
            "deal_forms",
            "actors",
            "interdependencies",
            "sources",
            "status",
        ],
        [
            [
                c.id,
                c.title,
                " ".join(c.countries),
                c.locality or "",
                c.years.start,
                c.years.end,
                " ".join(c.domains),
                c.scale,
                c.deal.status,
                " ".join(c.deal.forms),
                len(c.actors),
                len(c.interdependencies),
                len(c.sources),
                c.status,
            ]
            for c in cases
        ],
    )


def _actors_csv(cases: list[Case]) -> bytes:
    """``data/actors.csv``."""
    return _csv(
        ["case", "id", "name", "kind", "part_of", "sector", "level", "country", "mission", "purposes", "asset_kinds"],
        [
            [
                c.id,
                a.id,
                a.name,
                a.kind,
                a.part_of or "",
                a.sector,
                a.level,
                a.country or "",
                a.mission or "",
                len(a.purposes),
                " ".join(sorted({x.kind for x in a.assets})),
            ]
            for c in cases
            for a in c.actors
        ],
    )


def _interdependencies_csv(cases: list[Case]) -> bytes:
    """``data/interdependencies.csv``."""
    return _csv(
        [
            "case",
            "id",
            "holder",
            "asset",
            "asset_kind",
            "effect",
            "target",
            "purpose",
            "recognized",
            "realized",
            "sources",
        ],
        [
            [
                c.id,
                e.id,
                e.holder,
                e.asset,
                next(x.kind for a in c.actors if a.id == e.holder for x in a.assets if x.id == e.asset),
                e.effect,
                e.target,
                e.purpose,
                e.recognized,
                str(e.realized).lower(),  # true, false, partly or unknown
                " ".join(e.sources),
            ]
            for c in cases
            for e in c.interdependencies
        ],
    )


def _sources_csv(cases: list[Case]) -> bytes:
    """``data/sources.csv``."""
    return _csv(
        [
            "case",
            "id",
            "title",
            "authors",
            "year",
            "publisher",
            "journal",
            "volume",
            "issue",
            "pages",
            "type",
            "url",
            "mirrors",
            "doi",
        ],
        [
            [
                c.id,
                s.id,
                s.title,
                "; ".join(s.authors),
                s.year or "",
                s.publisher or "",
                s.journal or "",
                s.volume or "",
                s.issue or "",
                s.pages or "",
                s.type,
                str(s.url or ""),
                " ".join(str(u) for u in s.mirrors),
                s.doi or "",
            ]
            for c in cases
            for s in c.sources
        ],
    )


def _graphml(cases: list[Case]) -> bytes:
    """Every case's graph in one GraphML file; node ids are ``case/actor``."""
    G = nx.MultiDiGraph()
    for case in cases:
        for a in case.actors:
            G.add_node(f"{case.id}/{a.id}", case=case.id, name=a.name, sector=a.sector, level=a.level)
        for e in case.interdependencies:
            G.add_edge(
                f"{case.id}/{e.holder}",
                f"{case.id}/{e.target}",
                key=e.id,
                case=case.id,
                asset=e.asset,
                purpose=e.purpose,
                effect=e.effect,
                recognized=e.recognized,
                realized=str(e.realized).lower(),
            )
    return ("\n".join(nx.generate_graphml(G)) + "\n").encode("utf-8")
