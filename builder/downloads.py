"""Downloads: the corpus as data files for researchers, small per case and compressed as a whole.

In: validated cases and their analysis data. Out: file bytes keyed by site path. Pure: nothing is
written here. Every file is deterministic (fixed order, no dates but the cases' own, no file times).

The site ships each piece of data once (issue #12: 10,000 cases must fit GitHub Pages' 1 GB):

Per case (``data/cases/<id>.*``, about 13 KB in all for an average case):

- ``<id>.json``: the case's network and its analysis as node-link data (networkx's
  ``node_link_graph`` reads it back), not a second copy of the case text; the teaching pages read it;
- ``<id>.zip``: ``<id>.kumu.json``, a Kumu blueprint (elements and connections) to import into a Kumu
  map (zipped, as the format is three times larger than the data it holds). The case's GraphML is no
  longer shipped per case: it is the network of ``<id>.json`` (``casebook export`` writes it, and
  ``casebook.graphml.gz`` holds every case's);
- (a case's citation is on its page, which saves it as ``.bib``, ``.ris`` or ``.csl.json`` in the browser).

For the whole casebook (compressed, since they grow with the number of cases):

- ``casebook.json.bz2``: every case as validated, with its analysis (compact JSON): the one complete
  file. The SQLite database, its Datasette metadata and the CSV files are made from it on the reader's
  machine by ``casebook export`` (``builder.export``), byte for byte the files the site used to ship,
  so they are no longer three more copies of the same text on the site;
- ``casebook.graphml.gz``: every case's network in one graph (node ids ``case/actor``), for Gephi.

The JSON is bzip2 (level 9): on 1,000 replicas whose text differs (``benchmarks/corpus.py``), xz's
preset 2 is 4 % larger, and its preset 6 and preset 9 extreme are 9 and 12 % smaller but 8 and 17
times slower (two minutes a build at 1,000 cases, twenty at 10,000), see docs/contribute/performance.md.
Every reader decompresses it anyway (``bunzip2``, 7-Zip, Python's ``bz2``, pandas, R's ``bzfile``).
The graph stays gzip, which networkx and Gephi open as it is.

The tables (:data:`TABLES`) are written once and serve the CSV files, the database and the
Datasette metadata that ``casebook export`` writes, so the three always agree.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
import sqlite3
import zipfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import networkx as nx

from builder import cite, feed, release, schema_export
from builder.model import Case

#: What a spreadsheet reads as the start of a formula (OWASP, "CSV injection"), and the apostrophe itself, so that
#: the one ``'`` put before such a cell can always be taken off again (a title may really begin with one).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")
#: File times inside the zip: the earliest a zip can hold, so that two builds are the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
#: The process stages with a narrative, in order (the value stage's overview is optional).
_STAGES = ("recognition", "mutual_sense", "holding_environment", "value", "envisioning", "agreement", "implementation")


def dumps(data: Any) -> bytes:
    """Deterministic JSON for downloads (UTF-8, sorted keys, indented)."""
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _compact(data: Any) -> bytes:
    """Deterministic JSON on one line per top-level key: small, and still readable in a text editor."""
    return (json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"), sort_keys=True) + "\n").encode()


def _bz2(data: bytes) -> bytes:
    """bzip2 (level 9, 900 KB blocks): no names or times inside, so the same input gives the same bytes."""
    return bz2.compress(data, compresslevel=9)


def _gzip(data: bytes) -> bytes:
    """Gzip with no file name and time 0, so the same input gives the same bytes."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def _cell(value: Any) -> Any:
    """A cell that a spreadsheet shows as text: contributor text starting like a formula, or with ``'``, gets a
    leading ``'``; so a reader who wants the exact text takes one ``'`` off every cell that starts with one.

    >>> print(_cell('=HYPERLINK("x")'), _cell("-"), _cell(-3), _cell("Medellín"), _cell("'Quoted' title"))
    '=HYPERLINK("x") '- -3 Medellín ''Quoted' title
    """
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def _csv_value(value: Any) -> Any:
    """A value as a CSV cell: booleans as ``true``/``false`` (pandas reads them as booleans), None as empty."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else _cell(value)


def _csv(header: list[str], rows: Iterable[tuple]) -> bytes:
    """CSV as Excel and pandas read it: UTF-8 with a byte-order mark (so Excel does not read "Medellín"
    as Windows-1252), CRLF line ends (RFC 4180), every text cell that could hold a separator quoted."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_csv_value(v) for v in row] for row in rows)
    return buf.getvalue().encode("utf-8-sig")


# --------------------------------------------------------------------------- analysis per edge and node


def _in_rings(rings: Iterable[Iterable[str]]) -> set[tuple[str, str]]:
    """The steps (u, v) of rings of actors, each ring closing back to its first member."""
    steps = set()
    for ring in rings:
        ring = list(ring)
        steps.update((u, ring[(i + 1) % len(ring)]) for i, u in enumerate(ring))
    return steps


#: The analysis flags of an interdependency (see :func:`edge_flags`).
_FLAGS = ("in_reciprocal_pair", "in_cycle", "in_multi_party_deal", "latent")


def edge_flags(case: Case, analysis: dict[str, Any]) -> dict[str, dict[str, bool]]:
    """What the analysis says of each interdependency, by id: the columns ``in_reciprocal_pair``,
    ``in_cycle``, ``in_multi_party_deal`` (a helps-edge on a step of such a pair or ring) and ``latent``
    (among the unseen edges of a latent deal). Definitions are those of ``builder.analyze``."""
    pairs = {tuple(p) for p in analysis["reciprocal_pairs"]}
    pairs |= {(b, a) for a, b in pairs}
    in_cycle = _in_rings(analysis["cycles"]["cycles"])
    in_multi = _in_rings(analysis["multi_party_deals"]["cycles"])
    latent = {u["id"] for deal in analysis["latent_deals"] for u in deal["unseen"]}
    out = {}
    for e in case.interdependencies:
        step = (e.holder, e.target)
        helps = e.effect == "helps" and e.holder != e.target
        out[e.id] = {
            "in_reciprocal_pair": helps and step in pairs,
            "in_cycle": helps and step in in_cycle,
            "in_multi_party_deal": helps and step in in_multi,
            "latent": e.id in latent,
        }
    return out


def _asset(case: Case, holder: str, asset: str) -> Any:
    return next(x for a in case.actors if a.id == holder for x in a.assets if x.id == asset)


def _text(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _joined(values: Iterable[Any], sep: str = " ") -> str | None:
    """A list as one text cell, or None (absent, NULL, an empty CSV cell) when the list is empty."""
    return sep.join(str(v) for v in values) or None


def case_graph(case: Case, analysis: dict[str, Any]) -> nx.MultiDiGraph:
    """One case's network for downloads: actors as nodes, interdependencies as edges keyed by id.

    Node attributes: ``name``, ``short_name``, ``kind``, ``sector``, ``level``, ``part_of``, ``country``,
    ``broker`` (an articulation point), ``betweenness``. Edge attributes: ``asset``, ``asset_kind``,
    ``effect``, ``purpose``, ``recognized_stage``, ``recognized_by`` (space-separated ids), ``realized``
    (``true``, ``false``, ``partly`` or ``unknown``), ``confidence``, ``bundle`` and the flags of
    :func:`edge_flags`. Attributes that a case leaves out are absent, never None (GraphML has no null).
    """
    brokers = analysis["brokers"]
    G = nx.MultiDiGraph(case=case.id, title=case.title, version=release.VERSION)
    for a in sorted(case.actors, key=lambda a: a.id):
        attrs = {
            "name": a.name,
            "short_name": a.short_name,
            "kind": a.kind,
            "sector": a.sector,
            "level": a.level,
            "part_of": a.part_of,
            "country": a.country,
            "broker": a.id in brokers["articulation_points"],
            "betweenness": float(brokers["betweenness"].get(a.id, 0.0)),
        }
        G.add_node(a.id, **{k: v for k, v in attrs.items() if v is not None})
    flags = edge_flags(case, analysis)
    for e in sorted(case.interdependencies, key=lambda e: (e.holder, e.target, e.id)):
        attrs = {
            "asset": e.asset,
            "asset_kind": _asset(case, e.holder, e.asset).kind,
            "effect": e.effect,
            "purpose": e.purpose,
            "recognized_stage": e.recognized,
            "recognized_by": _joined(e.recognized_by),
            "realized": _text(e.realized),
            "confidence": e.confidence,
            "bundle": e.bundle,
            **flags[e.id],
        }
        G.add_edge(e.holder, e.target, key=e.id, **{k: v for k, v in attrs.items() if v is not None})
    return G


def _graphml(G: nx.MultiDiGraph) -> bytes:
    """GraphML in UTF-8 (networkx's ``generate_graphml`` would write every accent as a character reference)."""
    buf = io.BytesIO()
    nx.write_graphml(G, buf, encoding="utf-8", prettyprint=False)
    return buf.getvalue() + b"\n"


def case_json(case: Case, analysis: dict[str, Any]) -> bytes:
    """``data/cases/<id>.json``: the case's identity, its network as node-link data, and its analysis.

    ``networkx.node_link_graph(data["graph"], edges="links")`` gives the graph back. To keep the file small, the
    analysis flags of a link (``in_reciprocal_pair``, ``in_cycle``, ``in_multi_party_deal``, ``latent``) are
    present only when true, and brokers and betweenness are read from ``analysis["brokers"]`` (the GraphML file
    writes every one on its nodes and edges).
    """
    graph = nx.node_link_data(case_graph(case, analysis), edges="links")
    graph["graph"] = {}  # the case's id, title and version are under "case"
    for node in graph["nodes"]:
        del node["broker"], node["betweenness"]  # under analysis.brokers
    for link in graph["links"]:
        for flag in _FLAGS:
            if link[flag] is False:
                del link[flag]
    return _compact(
        {
            "case": {
                "id": case.id,
                "title": case.title,
                "url": f"{release.SITE_URL}cases/{case.id}/",
                "last_reviewed": case.last_reviewed.isoformat() if case.last_reviewed else None,
                "casebook_version": release.VERSION,
            },
            "graph": graph,
            # The analysis without what the graph already holds (the actors' names, the case id).
            "analysis": {k: v for k, v in analysis.items() if k not in ("names", "case_id")},
        }
    )


def kumu(case: Case, analysis: dict[str, Any]) -> bytes:
    """``data/cases/<id>.kumu.json``: the case as a Kumu blueprint.

    Format from Kumu's documentation, "JSON / Blueprints" (https://docs.kumu.io/guides/import/blueprints,
    source kumu/docs guides/import/blueprints.md): an object with ``elements`` and ``connections``;
    an element has ``label`` and may have ``id``, ``type``, ``description``, ``tags`` and any custom
    field; a connection has ``from`` and ``to`` (element ids, when elements have ids), and may have
    ``id``, ``type``, ``direction`` (``directed``, ``undirected`` or ``mutual``), ``description``,
    ``tags`` and custom fields. Import it by dropping the file on a Kumu map.
    """
    flags = edge_flags(case, analysis)
    brokers = set(analysis["brokers"]["articulation_points"])
    elements = [
        {
            "id": a.id,
            "label": a.name,
            "type": a.kind,
            "description": a.mission or "",
            "tags": [a.sector, a.level] + (["broker"] if a.id in brokers else []),
            "Sector": a.sector,
            "Level": a.level,
        }
        for a in case.actors
    ]
    connections = [
        {
            "id": e.id,
            "from": e.holder,
            "to": e.target,
            "type": e.effect,
            "direction": "directed",
            "description": e.description,
            "tags": [name for name, on in flags[e.id].items() if on],
            "Asset": e.asset,
            "Asset kind": _asset(case, e.holder, e.asset).kind,
            "Purpose": e.purpose,
            "Recognized": e.recognized,
            "Realized": _text(e.realized),
        }
        for e in case.interdependencies
    ]
    return _compact({"elements": elements, "connections": connections})


# --------------------------------------------------------------------------- tables (CSV and SQLite)


def _case_row(case: Case) -> tuple:
    ongoing = case.years.end == "ongoing"
    where = case.location
    return (
        case.id,
        case.title,
        case.tagline,
        case.summary,
        " ".join(case.countries),
        _joined(case.subdivisions),
        case.locality,
        where.latitude if where else None,
        where.longitude if where else None,
        case.years.start,
        None if ongoing else case.years.end,
        ongoing,
        " ".join(case.domains),
        case.scale,
        case.status,
        case.last_reviewed.isoformat() if case.last_reviewed else None,
        case.deal.status,
        " ".join(case.deal.forms),
        case.deal.year,
        case.deal.joint_product,
        len(case.actors),
        len(case.interdependencies),
        len(case.sources),
        f"{release.SITE_URL}cases/{case.id}/",
    )


def _actor_rows(case: Case, analysis: dict[str, Any]) -> list[tuple]:
    brokers = analysis["brokers"]
    return [
        (
            case.id,
            a.id,
            a.name,
            a.short_name,
            a.kind,
            a.part_of,
            a.sector,
            a.level,
            a.country,
            a.mission,
            a.id in brokers["articulation_points"],
            float(brokers["betweenness"].get(a.id, 0.0)),
        )
        for a in case.actors
    ]


def _asset_rows(case: Case, _: dict[str, Any]) -> list[tuple]:
    return [
        (
            case.id,
            a.id,
            x.id,
            x.kind,
            x.description,
            x.value.amount if x.value else None,
            x.value.currency if x.value else None,
            x.value.year if x.value else None,
            x.value.approximate if x.value else None,
        )
        for a in case.actors
        for x in a.assets
    ]


def _purpose_rows(case: Case, _: dict[str, Any]) -> list[tuple]:
    return [(case.id, a.id, p.id, p.description) for a in case.actors for p in a.purposes]


def _interdependency_rows(case: Case, analysis: dict[str, Any]) -> list[tuple]:
    flags = edge_flags(case, analysis)
    names = {a.id: a.name for a in case.actors}
    return [
        (
            case.id,
            e.id,
            e.holder,
            names[e.holder],
            e.asset,
            _asset(case, e.holder, e.asset).kind,
            e.effect,
            e.target,
            names[e.target],
            e.purpose,
            e.description,
            e.recognized,
            _joined(e.recognized_by),
            _text(e.realized),
            e.confidence,
            e.bundle,
            *flags[e.id].values(),
            " ".join(e.sources),
        )
        for e in case.interdependencies
    ]


def _source_rows(case: Case, _: dict[str, Any]) -> list[tuple]:
    return [
        (
            case.id,
            s.id,
            s.title,
            _joined(s.authors, "; "),
            s.year,
            s.publisher,
            s.journal,
            s.volume,
            s.issue,
            s.pages,
            s.type,
            str(s.url) if s.url else None,
            s.doi,
            _joined(s.mirrors),
        )
        for s in case.sources
    ]


def _narrative_rows(case: Case, _: dict[str, Any]) -> list[tuple]:
    stages = [(s, getattr(getattr(case.process, s), "narrative", None)) for s in _STAGES]
    return [(case.id, stage, text) for stage, text in stages if text]


def _pattern_rows(case: Case, analysis: dict[str, Any]) -> list[tuple]:
    return [(case.id, code, n) for code, n in sorted(analysis["pattern_counts"].items())]


#: A column: name, SQLite type (with its constraint), and what it holds (shown in data.md and Datasette).
Column = tuple[str, str, str]
_CASE_ID: Column = ("case_id", "TEXT NOT NULL REFERENCES cases(id)", "The case's id (file name without `.yaml`).")
_FLAG = "INTEGER NOT NULL"  # 0 or 1 in SQLite, false or true in the CSV files

#: Every table of the downloads, in the order of the CSV files and the database: description,
#: columns (in the order of the row builder's tuples), table constraints, and the row builder.
TABLES: dict[str, dict[str, Any]] = {
    "cases": {
        "description": "One row per case.",
        "columns": [
            ("id", "TEXT PRIMARY KEY", "The case's id (file name without `.yaml`)."),
            ("title", "TEXT NOT NULL", "The title."),
            ("tagline", "TEXT NOT NULL", "The one-line summary."),
            ("summary", "TEXT NOT NULL", "The summary; blank lines separate paragraphs."),
            ("countries", "TEXT NOT NULL", "ISO 3166-1 alpha-2 codes, space-separated."),
            ("subdivisions", "TEXT", "ISO 3166-2 codes, space-separated; NULL when the case names none."),
            ("locality", "TEXT", "City, region or basin."),
            ("latitude", "REAL", "Where the effort happened, degrees north (WGS 84)."),
            ("longitude", "REAL", "Where the effort happened, degrees east (WGS 84)."),
            ("start_year", "INTEGER NOT NULL", "The first year of the effort."),
            ("end_year", "INTEGER", "The last year, empty while ongoing."),
            ("ongoing", _FLAG, "Whether the effort is ongoing."),
            ("domains", "TEXT NOT NULL", "Policy domains (vocabulary `policy-domain`), space-separated."),
            ("scale", "TEXT NOT NULL", "Reach of the effort (vocabulary `scale`)."),
            ("status", "TEXT NOT NULL", "`draft` or `reviewed`."),
            ("last_reviewed", "TEXT", "When the case was last checked against its sources (YYYY-MM-DD)."),
            ("deal_status", "TEXT NOT NULL", "How far the deal got (vocabulary `deal-status`)."),
            ("deal_forms", "TEXT NOT NULL", "Forms of the deal (vocabulary `deal-form`), space-separated."),
            ("deal_year", "INTEGER", "The year the deal was made."),
            ("joint_product", "TEXT NOT NULL", "What the joint action produced or was meant to produce."),
            ("actors", "INTEGER NOT NULL", "Number of actors."),
            ("interdependencies", "INTEGER NOT NULL", "Number of interdependencies."),
            ("sources", "INTEGER NOT NULL", "Number of sources."),
            ("url", "TEXT NOT NULL", "The case's page."),
        ],
        "constraints": [],
        "rows": _case_row,
    },
    "actors": {
        "description": "One row per actor of each case.",
        "columns": [
            _CASE_ID,
            ("id", "TEXT NOT NULL", "The actor's id within the case."),
            ("name", "TEXT NOT NULL", "Full name."),
            ("short_name", "TEXT", "Short label used in the network drawing."),
            (
                "kind",
                "TEXT NOT NULL",
                "Organization, unit, coalition, person or affected group (vocabulary `actor-kind`).",
            ),
            ("part_of", "TEXT", "For a unit or person: the id of the actor it belongs to."),
            ("sector", "TEXT NOT NULL", "Vocabulary `sector`."),
            ("level", "TEXT NOT NULL", "Level of government or reach (vocabulary `level`)."),
            ("country", "TEXT", "ISO 3166-1 alpha-2 code, where the case spans several countries."),
            ("mission", "TEXT", "What the actor exists to do."),
            ("broker", _FLAG, "An articulation point: removing it splits the network."),
            ("betweenness", "REAL NOT NULL", "Normalized betweenness centrality in the case's network."),
        ],
        "constraints": ["PRIMARY KEY (case_id, id)"],
        "rows": _actor_rows,
    },
    "purposes": {
        "description": "One row per purpose of each actor: what interdependencies help or hurt.",
        "columns": [
            _CASE_ID,
            ("actor_id", "TEXT NOT NULL", "The actor pursuing it."),
            ("id", "TEXT NOT NULL", "The purpose's id within the actor."),
            ("description", "TEXT NOT NULL", "What the actor is trying to achieve."),
        ],
        "constraints": [
            "PRIMARY KEY (case_id, actor_id, id)",
            "FOREIGN KEY (case_id, actor_id) REFERENCES actors(case_id, id)",
        ],
        "rows": _purpose_rows,
    },
    "assets": {
        "description": "One row per asset of each actor: what could serve others' purposes.",
        "columns": [
            _CASE_ID,
            ("actor_id", "TEXT NOT NULL", "The actor holding it."),
            ("id", "TEXT NOT NULL", "The asset's id within the actor."),
            ("kind", "TEXT NOT NULL", "Vocabulary `asset-kind`."),
            ("description", "TEXT NOT NULL", "What exactly the actor holds."),
            ("amount", "REAL", "For money: the amount, in units of the currency."),
            ("currency", "TEXT", "For money: ISO 4217 code."),
            ("value_year", "INTEGER", "For money: the year of the figure."),
            (
                "approximate",
                "INTEGER",
                "For money: whether the sources give the amount only roughly (1 or 0; true or false in CSV).",
            ),
        ],
        "constraints": [
            "PRIMARY KEY (case_id, actor_id, id)",
            "FOREIGN KEY (case_id, actor_id) REFERENCES actors(case_id, id)",
        ],
        "rows": _asset_rows,
    },
    "interdependencies": {
        "description": "One row per interdependency: an asset of one actor that helps or hurts a purpose of another, "
        "with what the analysis finds of it.",
        "columns": [
            _CASE_ID,
            ("id", "TEXT NOT NULL", "The interdependency's id within the case."),
            ("holder", "TEXT NOT NULL", "The actor holding the asset."),
            ("holder_name", "TEXT NOT NULL", "Its name."),
            ("asset", "TEXT NOT NULL", "The asset's id (see assets)."),
            ("asset_kind", "TEXT NOT NULL", "The asset's kind."),
            ("effect", "TEXT NOT NULL", "`helps` or `hurts`."),
            ("target", "TEXT NOT NULL", "The actor whose purpose is touched."),
            ("target_name", "TEXT NOT NULL", "Its name."),
            ("purpose", "TEXT NOT NULL", "The purpose's id (see purposes)."),
            ("description", "TEXT NOT NULL", "How the asset helps or hurts the purpose."),
            (
                "recognized_stage",
                "TEXT NOT NULL",
                "The stage at which the parties first saw it, or `hindsight`, `never`, `unknown`.",
            ),
            ("recognized_by", "TEXT", "Ids of the actors who saw it first, space-separated; NULL when not known."),
            ("realized", "TEXT NOT NULL", "Whether the deal put it to use: `true`, `false`, `partly` or `unknown`."),
            ("confidence", "TEXT", "How sure the sources let us be that it existed (vocabulary `confidence`)."),
            ("bundle", "TEXT", "The group of complements it belongs to."),
            ("in_reciprocal_pair", _FLAG, "A helps-edge between the two actors of a reciprocal pair."),
            ("in_cycle", _FLAG, "A helps-edge on a step of a cycle (three or more actors, no reciprocal pair inside)."),
            ("in_multi_party_deal", _FLAG, "A helps-edge on a step of a multi-party deal."),
            ("latent", _FLAG, "Among the unseen edges of a latent deal (not recognized by agreement)."),
            ("sources", "TEXT NOT NULL", "Ids of the sources (see sources), space-separated."),
        ],
        "constraints": [
            "PRIMARY KEY (case_id, id)",
            "FOREIGN KEY (case_id, holder, asset) REFERENCES assets(case_id, actor_id, id)",
            "FOREIGN KEY (case_id, target, purpose) REFERENCES purposes(case_id, actor_id, id)",
        ],
        "rows": _interdependency_rows,
    },
    "sources": {
        "description": "One row per source of each case.",
        "columns": [
            _CASE_ID,
            ("id", "TEXT NOT NULL", "The source's id within the case."),
            ("title", "TEXT NOT NULL", "Title."),
            ("authors", "TEXT", "Authors, separated by `; `; NULL when the source names none."),
            ("year", "INTEGER", "Year of publication."),
            ("publisher", "TEXT", "Publisher, agency or news organization."),
            ("journal", "TEXT", "Journal, for articles."),
            ("volume", "TEXT", "The journal's volume."),
            ("issue", "TEXT", "The journal's issue."),
            ("pages", "TEXT", "Pages."),
            ("type", "TEXT NOT NULL", "Vocabulary `source-type`."),
            ("url", "TEXT", "Where it can be read."),
            ("doi", "TEXT", "DOI, without https://doi.org/."),
            ("mirrors", "TEXT", "Other addresses of the same work, space-separated; NULL when there are none."),
        ],
        "constraints": ["PRIMARY KEY (case_id, id)"],
        "rows": _source_rows,
    },
    "narratives": {
        "description": "One row per stage of each case's process that has a narrative, in the order of the stages.",
        "columns": [
            _CASE_ID,
            (
                "stage",
                "TEXT NOT NULL",
                "`recognition`, `mutual_sense`, `holding_environment`, `value`, `envisioning`, `agreement` or "
                "`implementation`.",
            ),
            ("narrative", "TEXT NOT NULL", "What happened at that stage; blank lines separate paragraphs."),
        ],
        "constraints": ["PRIMARY KEY (case_id, stage)"],
        "rows": _narrative_rows,
    },
    "case_patterns": {
        "description": "How many times each pattern of the analysis occurs in each case (0 when absent).",
        "columns": [
            _CASE_ID,
            ("pattern", "TEXT NOT NULL", "The pattern's code, as on the patterns pages."),
            ("count", "INTEGER NOT NULL", "How many times it occurs."),
        ],
        "constraints": ["PRIMARY KEY (case_id, pattern)"],
        "rows": _pattern_rows,
    },
}

#: The full-text search table users create (FTS5): one row per case, joined to ``cases`` on ``case_id``.
SEARCH_TABLE = "case_text"
#: The view it indexes, shipped in the database (a view is a few hundred bytes; the index was a fifth of the file).
SEARCH_VIEW = "case_text_source"
SEARCH_COLUMNS: list[tuple[str, str]] = [
    ("case_id", "The case's id (not searched)."),
    ("title", "The title."),
    ("tagline", "The one-line summary."),
    ("summary", "The summary."),
    ("narrative", "The process narratives, stage by stage."),
    ("actors", "Every actor's name, short name and mission."),
]
#: The view's columns: the row number FTS5 keys on, then :data:`SEARCH_COLUMNS`.
_VIEW_SQL = f"""CREATE VIEW {SEARCH_VIEW} AS SELECT c.rowid AS n, c.id AS case_id, c.title, c.tagline, c.summary,
  (SELECT group_concat(narrative, char(10) || char(10)) FROM
    (SELECT narrative FROM narratives WHERE case_id = c.id ORDER BY rowid)) AS narrative,
  (SELECT group_concat(line, char(10)) FROM
    (SELECT name || coalesce(' ' || short_name, '') || coalesce(' ' || mission, '') AS line
       FROM actors WHERE case_id = c.id ORDER BY rowid)) AS actors
  FROM cases c;"""
#: The two statements that add full-text search to the database (shown on the data page; tests run them). FTS5
#: "external content": the index reads the text from the view, so no text is stored twice. Accents are folded
#: ("Medellin" finds "Medellín").
SEARCH_SQL = (
    f"CREATE VIRTUAL TABLE {SEARCH_TABLE} USING fts5("
    + ", ".join(c if c != "case_id" else "case_id UNINDEXED" for c, _ in SEARCH_COLUMNS)
    + f",\n  content='{SEARCH_VIEW}', content_rowid='n', tokenize='unicode61 remove_diacritics 2');\n"
    f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('rebuild');"
)


def table_rows(name: str, cases: list[Case], data: dict[str, dict[str, Any]]) -> list[tuple]:
    """The rows of one table of :data:`TABLES` over every case, in case order."""
    build = TABLES[name]["rows"]
    if name == "cases":
        return [build(c) for c in cases]
    return [row for c in cases for row in build(c, data[c.id])]


def header(name: str) -> list[str]:
    """The column names of one table of :data:`TABLES`."""
    return [column[0] for column in TABLES[name]["columns"]]


# --------------------------------------------------------------------------- whole-casebook files


def _zip(members: dict[str, bytes]) -> bytes:
    """A zip of the members in the order given, with fixed file times and modes (the same bytes every build)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for name, content in members.items():
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, content, compresslevel=9)
    return buf.getvalue()


def _schema() -> str:
    """The database's CREATE statements, from :data:`TABLES`."""
    statements = []
    for name, table in TABLES.items():
        lines = [f"  {col} {kind}" for col, kind, _ in table["columns"]] + [f"  {c}" for c in table["constraints"]]
        statements.append(f"CREATE TABLE {name} (\n" + ",\n".join(lines) + "\n);")
    statements.append(_VIEW_SQL)
    return "\n".join(statements) + "\n"


def sqlite_database(cases: list[Case], data: dict[str, dict[str, Any]]) -> bytes:
    """The casebook as one SQLite database: :data:`TABLES` with their keys, and the view :data:`SEARCH_VIEW`
    over which :data:`SEARCH_SQL` builds full-text search (not shipped: the index is a fifth of the file
    compressed, and one statement makes it in about a second per thousand cases).

    Built in memory with every row inserted in case order, foreign keys checked and the file vacuumed, so
    the same cases give the same bytes with the same SQLite library (the header records the library's
    version, so another SQLite gives other bytes).

    Raises
    ------
    ValueError
        If a foreign key does not hold (a bug: validation guarantees every reference).
    """
    db = sqlite3.connect(":memory:")
    try:
        db.execute("PRAGMA page_size = 4096")
        db.execute("PRAGMA foreign_keys = ON")
        db.executescript(_schema())
        for name, table in TABLES.items():
            marks = ", ".join("?" for _ in table["columns"])
            db.executemany(f"INSERT INTO {name} VALUES ({marks})", table_rows(name, cases, data))
        db.commit()
        broken = db.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise ValueError(f"foreign keys do not hold in the database: {broken[:5]}")
        db.execute("VACUUM")
        return db.serialize()
    finally:
        db.close()


def datasette_metadata() -> dict[str, Any]:
    """``casebook.metadata.json`` (written by ``casebook export``): titles, licence, source and every table, view and column described, for
    ``datasette casebook.sqlite --metadata casebook.metadata.json``; how to add full-text search (:data:`SEARCH_SQL`)."""
    tables: dict[str, Any] = {
        name: {"description": t["description"], "columns": {c: d for c, _, d in t["columns"]}}
        for name, t in TABLES.items()
    }
    tables[SEARCH_VIEW] = {
        "description": "Each case's searchable text: title, tagline, summary, process narratives and actors. "
        f"For full-text search (FTS5, accents folded), run once: `{SEARCH_SQL}` Then, for example: "
        f"`select case_id from {SEARCH_TABLE} where {SEARCH_TABLE} match 'Medellin'`.",
        "columns": {"n": "The case's row number in `cases` (the search index's key).", **dict(SEARCH_COLUMNS)},
    }
    return {
        "title": release.NAME,
        "description": f"{release.TITLE}, version {release.VERSION}.",
        "license": "CC BY 4.0",
        "license_url": "https://creativecommons.org/licenses/by/4.0/",
        "source": release.AUTHOR,
        "source_url": release.SITE_URL,
        "databases": {"casebook": {"tables": tables}},
    }


def casebook_graphml(cases: list[Case], data: dict[str, dict[str, Any]]) -> bytes:
    """Every case's network in one GraphML graph; node ids are ``case/actor``, edge keys ``case/interdependency``."""
    whole = nx.MultiDiGraph(version=release.VERSION)
    for case in cases:
        G = case_graph(case, data[case.id])
        for node, attrs in G.nodes(data=True):
            whole.add_node(f"{case.id}/{node}", case=case.id, **attrs)
        for u, v, key, attrs in G.edges(keys=True, data=True):
            whole.add_edge(f"{case.id}/{u}", f"{case.id}/{v}", key=f"{case.id}/{key}", case=case.id, **attrs)
    return _graphml(whole)


def downloads(cases: list[Case], data: dict[str, dict[str, Any]]) -> dict[str, bytes]:
    """Every download, keyed by path in the site: the per-case files of ``cite.CASE_FILES``, the casebook's
    citation files, the compressed whole-casebook files (see the module docstring), the Atom feed and the JSON
    Schemas of case files and reading lists."""
    files: dict[str, bytes] = {}
    for case in cases:
        paths = {key: path.format(id=case.id) for key, path in cite.CASE_FILES.items()}
        files[paths["json"]] = case_json(case, data[case.id])
        files[paths["zip"]] = _zip({f"{case.id}.kumu.json": kumu(case, data[case.id])})
    files.update(cite.files())
    with ThreadPoolExecutor(max_workers=1) as pool:
        # The compressor releases Python's lock: the JSON is packed while the graph is built here.
        json_bz2 = pool.submit(_bz2, casebook_json(cases, data))
        files["data/casebook.graphml.gz"] = _gzip(casebook_graphml(cases, data))
        files[WHOLE_JSON] = json_bz2.result()
    files[feed.PATH] = feed.atom(cases)
    # The JSON Schemas, at the address their $id gives (schema/case.schema.json under the site), as in schema/.
    files.update({f"schema/{path.name}": text.encode("utf-8") for path, text in schema_export.schema_files().items()})
    return files


#: The one complete whole-casebook file, in the site.
WHOLE_JSON = "data/casebook.json.bz2"


def casebook_json(cases: list[Case], data: dict[str, dict[str, Any]]) -> bytes:
    """The whole casebook as compact JSON: ``{"version": ..., "cases": [{"case": ..., "analysis": ...}]}``, each
    case exactly as validated (``Case.model_dump(mode="json")``, which ``Case.model_validate`` reads back to an
    equal case) with its analysis data, in the order of ``cases``."""
    full = {
        "version": release.VERSION,
        "cases": [{"case": c.model_dump(mode="json"), "analysis": data[c.id]} for c in cases],
    }
    return _compact(full)
