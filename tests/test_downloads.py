"""Downloads and citations open in the tools they are made for.

The site ships the whole casebook once (``casebook.json.bz2``); the database, CSV and GraphML files are made from
it by ``casebook export`` (``builder.export``), and are checked here as made from the downloaded file. networkx
reads every GraphML and node-link JSON with the case's own counts; sqlite3 queries the database (row counts,
keys, full-text search with accents); bibtexparser and rispy parse the citations and give back the title,
author, year and address, also for hostile titles; the CSV files decode as UTF-8 with a BOM and have one row per
interdependency; the Kumu blueprint has the documented structure; the Atom feed parses; the release version
agrees everywhere. The copy button is checked in Chromium.
"""

from __future__ import annotations

import bz2
import csv
import datetime
import gzip
import html
import io
import json
import re
import shutil
import sqlite3
import subprocess
import tomllib
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import networkx as nx
import pytest
import yaml

from builder import cite, downloads, export, feed, release
from conftest import DATA, ROOT

HOSTILE_TITLES = [
    "R&D {unbalanced",
    "}{ closing first",
    "100% of #1 under_score costs $5 ~ roughly ^ up",
    "back\\slash \\textbf{not bold} \\",
    "Medellín, Ōtautahi and Whānau: “quotes” — dashes",
    "<b>tag</b> | pipe @ at",
    "%comment-like start",
    'He said "hi" and left',
    "multi\nline   title\twith tabs",
]


@pytest.fixture(scope="module")
def site(corpus):
    """Every generated file of the real casebook (the pipeline's output, without MkDocs)."""
    from builder.pipeline import build_pages

    built = build_pages(ROOT / "cases")
    assert built.problems == []
    return built


@pytest.fixture(scope="module")
def cases(corpus):
    return sorted(corpus.cases, key=lambda c: c.id)


@pytest.fixture(scope="module")
def exported(site):
    """What ``casebook export`` makes from the site's ``casebook.json.bz2``: path -> bytes."""
    return export.export_files(*export.read_casebook_json(site.files[downloads.WHOLE_JSON]))


@pytest.fixture(scope="module")
def database(exported, tmp_path_factory):
    path = tmp_path_factory.mktemp("db") / "casebook.sqlite"
    path.write_bytes(exported["casebook.sqlite"])
    db = sqlite3.connect(path)
    yield path, db
    db.close()


def _fixture_case():
    from builder.validate import check_paths

    checked = check_paths([DATA / "valid"])
    assert checked.problems == []
    return checked.cases[0]


# --------------------------------------------------------------------------- networks


def _member(site, case_id: str, suffix: str) -> bytes:
    """The file inside the case's zip (``data/cases/<id>.zip``): its Kumu blueprint only."""
    assert suffix == ".kumu.json"
    with zipfile.ZipFile(io.BytesIO(site.files[f"data/cases/{case_id}.zip"])) as z:
        assert z.namelist() == [f"{case_id}.kumu.json"]
        assert all(info.date_time == (1980, 1, 1, 0, 0, 0) for info in z.infolist())  # no build time inside
        return z.read(f"{case_id}{suffix}")


def _graphml(exported, case_id: str) -> bytes:
    """A case's GraphML as ``casebook export`` writes it (``graphml/<id>.graphml``)."""
    return exported[f"graphml/{case_id}.graphml"]


def test_networkx_reads_each_case_graphml_with_its_counts(exported, cases):
    for case in cases:
        G = nx.read_graphml(io.BytesIO(_graphml(exported, case.id)), force_multigraph=True)
        assert G.is_directed() and G.is_multigraph()
        assert G.number_of_nodes() == len(case.actors), case.id
        assert G.number_of_edges() == len(case.interdependencies), case.id
        assert sorted(k for _, _, k in G.edges(keys=True)) == sorted(e.id for e in case.interdependencies)
        actor = case.actors[0]
        assert G.nodes[actor.id]["name"] == actor.name  # accents survive (UTF-8, no character references)
        edge = case.interdependencies[0]
        data = G.edges[edge.holder, edge.target, edge.id]
        assert data["recognized_stage"] == edge.recognized and data["effect"] == edge.effect
        assert isinstance(data["latent"], bool)
    assert "Medellín".encode() in _graphml(exported, "medellin-metrocable")


def test_networkx_reads_the_whole_casebook_graphml(site, cases, tmp_path):
    path = tmp_path / "casebook.graphml.gz"
    path.write_bytes(site.files["data/casebook.graphml.gz"])
    G = nx.read_graphml(path, force_multigraph=True)  # networkx opens .gz itself
    assert G.number_of_nodes() == sum(len(c.actors) for c in cases)
    assert G.number_of_edges() == sum(len(c.interdependencies) for c in cases)
    assert G.nodes["medellin-metrocable/metro-medellin"]["case"] == "medellin-metrocable"


def test_case_json_is_the_network_and_analysis_not_a_copy_of_the_case(site, cases):
    for case in cases:
        raw = site.files[f"data/cases/{case.id}.json"]
        data = json.loads(raw)
        G = nx.node_link_graph(data["graph"], edges="links")
        assert (G.number_of_nodes(), G.number_of_edges()) == (len(case.actors), len(case.interdependencies))
        assert data["case"]["id"] == case.id and data["case"]["casebook_version"] == release.VERSION
        assert data["analysis"]["reciprocal_pairs"] is not None and "metrics" in data["analysis"]
        assert case.summary[:200].encode() not in raw  # no second copy of the case's text


def test_edge_flags_follow_the_analysis(site, exported, cases):
    """Hand-checked on Medellín: every link of a reciprocal pair is flagged; the latent links are exactly the
    unseen edges of its latent deal (EDU and Metro, both seen only in implementation)."""
    data = json.loads(site.files["data/cases/medellin-metrocable.json"])
    links = {link["key"]: link for link in data["graph"]["links"]}
    latent = {k for k, link in links.items() if link.get("latent")}
    assert latent == {"pui-public-space-feeds-stations", "metrocable-anchors-pui"}
    pairs = {tuple(p) for p in data["analysis"]["reciprocal_pairs"]}
    for link in links.values():
        expected = link["effect"] == "helps" and tuple(sorted((link["source"], link["target"]))) in pairs
        assert link.get("in_reciprocal_pair", False) == expected
    G = nx.read_graphml(io.BytesIO(_graphml(exported, "medellin-metrocable")), force_multigraph=True)
    assert {k for _, _, k, on in G.edges(keys=True, data="latent") if on} == latent


def test_kumu_blueprint_has_the_documented_structure(site, cases):
    """Kumu's JSON blueprint: {"elements": [{"id", "label", ...}], "connections": [{"id", "from", "to",
    "direction", ...}]}, connections referring to element ids (https://docs.kumu.io/guides/import/blueprints)."""
    for case in cases:
        data = json.loads(_member(site, case.id, ".kumu.json"))
        assert set(data) == {"elements", "connections"}
        ids = [e["id"] for e in data["elements"]]
        assert len(ids) == len(set(ids)) == len(case.actors)
        assert all(isinstance(e["label"], str) and e["label"] for e in data["elements"])
        assert all(isinstance(e["tags"], list) for e in data["elements"] + data["connections"])
        assert len(data["connections"]) == len(case.interdependencies)
        for c in data["connections"]:
            assert c["from"] in ids and c["to"] in ids
            assert c["direction"] in ("directed", "undirected", "mutual")
            assert c["type"] in ("helps", "hurts") and c["description"]
        assert len({c["id"] for c in data["connections"]}) == len(data["connections"])


# --------------------------------------------------------------------------- tables: CSV and SQLite


def _csv_tables(exported) -> dict[str, list[dict[str, str]]]:
    names = sorted(p for p in exported if p.startswith("csv/"))
    assert names == sorted(f"csv/{name}.csv" for name in downloads.TABLES)  # every table, narratives too
    out = {}
    for name in downloads.TABLES:
        raw = exported[f"csv/{name}.csv"]
        assert raw.startswith(b"\xef\xbb\xbf"), f"{name}.csv has no byte-order mark: Excel would garble accents"
        out[name] = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    return out


def test_csv_has_one_row_per_interdependency_and_keeps_accents(exported, cases):
    tables = _csv_tables(exported)
    rows = tables["interdependencies"]
    assert len(rows) == sum(len(c.interdependencies) for c in cases)
    assert {(r["case_id"], r["id"]) for r in rows} == {(c.id, e.id) for c in cases for e in c.interdependencies}
    for column in ("in_reciprocal_pair", "in_cycle", "in_multi_party_deal", "latent", "recognized_stage", "realized"):
        assert column in rows[0], column
    assert {r["latent"] for r in rows} == {"true", "false"}
    assert {r["realized"] for r in rows} <= {"true", "false", "partly", "unknown"}
    medellin = [r for r in tables["cases"] if r["id"] == "medellin-metrocable"]
    assert medellin[0]["title"].startswith("Medellín's Metrocable")
    assert len(tables["cases"]) == len(cases) and len(tables["actors"]) == sum(len(c.actors) for c in cases)


def test_csv_is_what_excel_expects(exported, cases):
    text = exported["csv/cases.csv"].decode("utf-8-sig")
    assert text.split("\r\n", 1)[0].startswith("id,title,")  # CRLF line ends, header first
    narratives = _csv_tables(exported)["narratives"]
    assert {r["case_id"] for r in narratives} == {c.id for c in cases}


def test_a_value_a_case_leaves_out_is_absent_or_null_never_empty(exported, database, cases):
    """recognized_by, subdivisions, authors and mirrors: NULL in the database, an empty CSV cell, no GraphML
    attribute, when the case gives none; the data page promises absent rather than empty."""
    _, db = database
    unseen = {(c.id, e.id) for c in cases for e in c.interdependencies if not e.recognized_by}
    assert unseen, "the real cases have interdependencies with no recognized_by; the test needs one"
    null = set(db.execute("SELECT case_id, id FROM interdependencies WHERE recognized_by IS NULL").fetchall())
    assert null == unseen
    assert db.execute("SELECT count(*) FROM interdependencies WHERE recognized_by = ''").fetchone()[0] == 0
    for table, column in (("cases", "subdivisions"), ("sources", "authors"), ("sources", "mirrors")):
        assert db.execute(f"SELECT count(*) FROM {table} WHERE {column} = ''").fetchone()[0] == 0, column
    no_authors = sum(1 for c in cases for s in c.sources if not s.authors)
    assert db.execute("SELECT count(*) FROM sources WHERE authors IS NULL").fetchone()[0] == no_authors
    case_id, edge_id = sorted(unseen)[0]
    G = nx.read_graphml(io.BytesIO(exported[f"graphml/{case_id}.graphml"]), force_multigraph=True)
    edge = next(attrs for _, _, key, attrs in G.edges(keys=True, data=True) if key == edge_id)
    assert "recognized_by" not in edge and edge["recognized_stage"]
    row = next(r for r in _csv_tables(exported)["interdependencies"] if (r["case_id"], r["id"]) == (case_id, edge_id))
    assert row["recognized_by"] == ""


def test_an_approximate_amount_stays_approximate_in_the_tables(exported, database, cases):
    _, db = database
    money = {(c.id, a.id, x.id): x.value.approximate for c in cases for a in c.actors for x in a.assets if x.value}
    assert True in money.values() and False in money.values()
    rows = db.execute("SELECT case_id, actor_id, id, approximate FROM assets WHERE amount IS NOT NULL").fetchall()
    assert {(c, a, i): bool(v) for c, a, i, v in rows} == money
    assert db.execute("SELECT count(*) FROM assets WHERE amount IS NULL AND approximate IS NOT NULL").fetchone()[0] == 0
    csv_rows = _csv_tables(exported)["assets"]
    assert {
        (r["case_id"], r["actor_id"], r["id"]): r["approximate"] == "true" for r in csv_rows if r["amount"]
    } == money


def test_csv_formula_guard_can_be_undone_exactly(exported, database):
    """Every CSV cell that starts with ``'`` had one put before it, so taking one off gives the database's text,
    also for a title that really begins with an apostrophe."""
    _, db = database
    titles = dict(db.execute("SELECT case_id || '/' || id, title FROM sources").fetchall())
    quoted = [t for t in titles.values() if t.startswith("'")]
    assert quoted, "the real cases have a source title in single quotes; the test needs one"
    for row in _csv_tables(exported)["sources"]:
        cell = row["title"]
        exact = cell[1:] if cell.startswith("'") else cell
        assert exact == titles[row["case_id"] + "/" + row["id"]]


TABLE_COUNTS = {
    "cases": lambda cs: len(cs),
    "actors": lambda cs: sum(len(c.actors) for c in cs),
    "purposes": lambda cs: sum(len(a.purposes) for c in cs for a in c.actors),
    "assets": lambda cs: sum(len(a.assets) for c in cs for a in c.actors),
    "interdependencies": lambda cs: sum(len(c.interdependencies) for c in cs),
    "sources": lambda cs: sum(len(c.sources) for c in cs),
}


def test_sqlite_tables_hold_every_row_with_their_keys(database, cases):
    _, db = database
    for table, count in TABLE_COUNTS.items():
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == count(cases), table
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    fks = {row[2] for row in db.execute("PRAGMA foreign_key_list(interdependencies)")}
    assert fks == {"cases", "assets", "purposes"}
    pk = [row[1] for row in db.execute("PRAGMA table_info(interdependencies)") if row[5]]
    assert pk == ["case_id", "id"]


def test_sqlite_full_text_search_finds_a_case_by_a_word_of_its_summary(database, cases):
    """Full-text search is one statement away (``SEARCH_SQL``, shown on the data page): the file ships no index."""
    _, db = database
    assert db.execute("SELECT count(*) FROM sqlite_schema WHERE name = 'case_text'").fetchone()[0] == 0
    db.executescript(downloads.SEARCH_SQL)

    def search(query: str) -> set[str]:
        return {row[0] for row in db.execute("SELECT case_id FROM case_text WHERE case_text MATCH ?", (query,))}

    assert "medellin-metrocable" in search('"Medellín"')
    assert "medellin-metrocable" in search("Medellin")  # accents folded
    kalundborg = next(c for c in cases if c.id == "kalundborg-symbiosis")
    word = next(w for w in re.findall(r"[a-z]{9,}", kalundborg.summary.lower()) if len(search(w)) < len(cases))
    assert "kalundborg-symbiosis" in search(word)
    assert search("summary : Kalundborg") >= {"kalundborg-symbiosis"}  # column filter
    assert search("zzzqqqnotaword") == set()
    medellin = next(c for c in cases if c.id == "medellin-metrocable")
    word = re.findall(r"[a-z]{9,}", medellin.process.implementation.narrative.lower())[0]
    assert "medellin-metrocable" in search(f"narrative : {word}")  # the last stage's narrative is searched too
    boston = next(c for c in cases if c.id == "boston-operation-ceasefire")
    shown = db.execute(
        "SELECT narrative, actors FROM case_text WHERE rowid = (SELECT rowid FROM cases WHERE id = ?)", (boston.id,)
    ).fetchone()
    stages = [getattr(boston.process, s).narrative for s in ("recognition", "mutual_sense", "holding_environment")]
    assert shown[0].startswith(stages[0] + "\n\n" + stages[1] + "\n\n" + stages[2])
    assert shown[1].splitlines()[0].startswith(boston.actors[0].name)
    db.execute("DROP TABLE case_text")


def test_sqlite_narratives_are_every_stage_narrative_in_order(database, cases):
    _, db = database
    rows = db.execute("SELECT case_id, stage, narrative FROM narratives ORDER BY rowid").fetchall()
    stages = (
        "recognition",
        "mutual_sense",
        "holding_environment",
        "value",
        "envisioning",
        "agreement",
        "implementation",
    )
    expected = [
        (c.id, s, getattr(getattr(c.process, s), "narrative", None))
        for c in cases
        for s in stages
        if getattr(getattr(c.process, s), "narrative", None)
    ]
    assert rows == expected and len(rows) >= 6 * len(cases)


def test_the_sqlite3_shell_opens_the_database(database, cases):
    path, _ = database
    shell = shutil.which("sqlite3")
    if shell is None:
        pytest.skip("no sqlite3 shell on this machine (the Python module checks the same database above)")
    out = subprocess.run(
        [
            shell,
            str(path),
            f"SELECT count(*) FROM cases; {downloads.SEARCH_SQL}"
            " SELECT case_id FROM case_text WHERE case_text MATCH 'Medellín'; DROP TABLE case_text;",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    lines = out.stdout.split()
    assert lines[0] == str(len(cases))
    assert "medellin-metrocable" in lines


def test_the_database_is_built_byte_for_byte_the_same(site, cases):
    """Same cases, same bytes: rows in case order, one merged search segment, vacuumed, no times."""
    from builder import analyze

    analysis = {}
    for c in cases:
        a = analyze.analyze(c)
        analysis[c.id] = {**a.to_dict(), "pattern_counts": analyze.pattern_counts(a)}
    first = downloads.sqlite_database(cases, analysis)
    assert downloads.sqlite_database(cases, analysis) == first
    assert export.export_files(*export.read_casebook_json(site.files[downloads.WHOLE_JSON]))["casebook.sqlite"] == first
    assert downloads.downloads(cases, analysis) == downloads.downloads(cases, analysis)


def test_datasette_metadata_describes_every_table_and_column(exported, database):
    _, db = database
    meta = json.loads(exported["casebook.metadata.json"])
    tables = meta["databases"]["casebook"]["tables"]
    for table in list(downloads.TABLES) + [downloads.SEARCH_VIEW]:
        columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
        assert list(tables[table]["columns"]) == columns, table
        assert tables[table]["description"]
    assert meta["license"] == "CC BY 4.0" and meta["source_url"] == release.SITE_URL


def test_whole_casebook_json_holds_every_case(site, cases):
    data = json.loads(bz2.decompress(site.files["data/casebook.json.bz2"]))
    assert data["version"] == release.VERSION
    assert [c["case"]["id"] for c in data["cases"]] == [c.id for c in cases]
    assert data["cases"][0]["case"]["summary"] == cases[0].summary
    # No data lost: every field of every case reads back to an equal case, with its analysis as built.
    back, analysis = export.read_casebook_json(site.files["data/casebook.json.bz2"])
    assert back == cases
    from builder import analyze

    for case in cases:
        a = analyze.analyze(case)
        built = {**a.to_dict(), "pattern_counts": analyze.pattern_counts(a)}
        assert analysis[case.id] == json.loads(downloads._compact(built)), case.id


def test_data_page_describes_every_table_and_column():
    text = (ROOT / "docs" / "data.md").read_text("utf-8")
    for name, table in downloads.TABLES.items():
        assert f"**`{name}`**" in text, name
        for column, _, _ in table["columns"]:
            assert f"| `{column}` |" in text, f"{name}.{column} is not described in docs/data.md"
    assert downloads.SEARCH_SQL in text  # the statements that add full-text search, exactly as the tests run them


# --------------------------------------------------------------------------- citations


def _latex_to_text(value: str) -> str:
    """Decode a BibTeX field as LaTeX would print it (pylatexenc, with LaTeX's text-mode symbol commands)."""
    from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

    symbols = {
        "textbraceleft": "{",
        "textbraceright": "}",
        "textbackslash": "\\",
        "textasciitilde": "~",
        "textasciicircum": "^",
        "textless": "<",
        "textgreater": ">",
        "textbar": "|",
    }
    db = get_default_latex_context_db()
    db.add_context_category(
        "cite-test", prepend=True, macros=[MacroTextSpec(m, simplify_repl=t) for m, t in symbols.items()]
    )
    return LatexNodes2Text(latex_context=db, math_mode="verbatim").latex_to_text(value)


def _parse_bibtex(text: str) -> dict[str, str]:
    import bibtexparser

    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == [], text
    assert len(library.entries) == 1
    return {f.key: f.value for f in library.entries[0].fields}


def _balanced(value: str) -> bool:
    depth = 0
    for ch in value:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0:
            return False
    return depth == 0


def test_bibtex_of_every_case_parses_and_round_trips(cases):
    for case in cases:
        text = cite.bibtex(cite.case_record(case))
        fields = _parse_bibtex(text)
        assert _latex_to_text(fields["title"]) == case.title
        assert _latex_to_text(fields["author"]) == release.AUTHOR
        assert fields["year"] == str(case.last_reviewed.year)
        assert fields["url"] == f"{release.SITE_URL}cases/{case.id}/"
        assert release.VERSION in fields["howpublished"]
    medellin = next(c for c in cases if c.id == "medellin-metrocable")
    assert "Medellín's Metrocable" in cite.bibtex(cite.case_record(medellin))  # accents kept as UTF-8


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_bibtex_escapes_hostile_titles(title):
    case = _fixture_case().model_copy(update={"title": title})
    text = cite.bibtex(cite.case_record(case))
    fields = _parse_bibtex(text)
    assert _balanced(fields["title"]), fields["title"]
    assert "%" not in text.replace("\\%", "")  # no bare % (a LaTeX comment)
    assert _latex_to_text(fields["title"]) == " ".join(title.split())
    assert fields["url"].endswith(f"cases/{case.id}/")


def test_bibtex_escape_table():
    assert cite.bibtex_escape("a{b}c") == r"a\textbraceleft{}b\textbraceright{}c"
    assert cite.bibtex_escape("50% & #1_x $ ~ ^") == r"50\% \& \#1\_x \$ \textasciitilde{} \textasciicircum{}"
    assert cite.bibtex_escape("\\") == r"\textbackslash{}"
    assert cite.bibtex_escape("Medellín") == "Medellín"


def test_ris_of_every_case_parses_and_round_trips(site, cases):
    import rispy

    for case in cases:
        (entry,) = rispy.loads(cite.ris(cite.case_record(case)))
        assert entry["type_of_reference"] == "ELEC"
        assert entry["title"] == case.title
        assert entry["authors"] == [release.AUTHOR]
        assert entry["year"] == str(case.last_reviewed.year)
        assert entry["urls"] == [f"{release.SITE_URL}cases/{case.id}/"]
        assert entry["edition"] == release.VERSION
    (book,) = rispy.loads(site.files["data/casebook.ris"].decode("utf-8"))
    assert book["type_of_reference"] == "DATA" and book["title"] == release.TITLE


@pytest.mark.parametrize("title", HOSTILE_TITLES)
def test_ris_keeps_hostile_titles_on_one_line(title):
    import rispy

    case = _fixture_case().model_copy(update={"title": title})
    (entry,) = rispy.loads(cite.ris(cite.case_record(case)))
    assert entry["title"] == " ".join(title.split())


def test_csl_json_items(site, cases):
    for case in cases:
        (item,) = json.loads(cite.csl_json(cite.case_record(case)))
        assert item["title"] == case.title and item["type"] == "webpage"
        assert item["issued"]["date-parts"] == [list(case.last_reviewed.timetuple()[:3])]
        assert item["container-title"] == release.NAME and item["version"] == release.VERSION


def test_a_case_without_a_review_date_is_dated_by_the_release():
    case = _fixture_case().model_copy(update={"last_reviewed": None})
    record = cite.case_record(case)
    assert (record.date, record.date_label) == (release.RELEASE_DATE, "released")
    assert f"Released {cite.long_date(release.RELEASE_DATE)}" in cite.bibtex(record)


def test_data_page_shows_the_casebook_citation_as_generated():
    """docs/data.md is written by hand; its citation blocks must be exactly what builder.cite makes now
    (after a release, paste the new output of cite.bibtex/ris/csl_json(cite.casebook_record()))."""
    import html

    text = (ROOT / "docs" / "data.md").read_text("utf-8")
    record = cite.casebook_record()
    for key, _, render, _, _ in cite.FORMATS:
        block = re.search(rf'id="casebook-cite-{key}".*?<code>(.*?)</code>', text, re.S)
        assert block, key
        assert html.unescape(block.group(1)) == render(record).rstrip("\n"), key
    assert cite.text(record).split(" https://")[0].replace("\n", " ") in " ".join(text.split())


def test_case_page_offers_citations_and_data_files(built_site, cases):
    page = (built_site / "cases" / "medellin-metrocable" / "index.html").read_text("utf-8")
    assert 'class="cb-citation"' in page and "Casebook version <strong>" + release.VERSION in page
    for href in re.findall(r'href="\.\./\.\./(data/cases/[^"]+)"', page):
        assert (built_site / href).is_file(), href
    for key in cite.CASE_FILES:
        assert f"../../{cite.CASE_FILES[key].format(id='medellin-metrocable')}" in page, key
    # The BibTeX, RIS and CSL-JSON boxes and their Save buttons (medellin-metrocable.bib, .ris, .csl.json) are
    # written by cite.js from this one record (issue #12); tests/test_browser_cite.py checks them in Chromium.
    record = json.loads(html.unescape(re.search(r"data-cite='([^']*)'", page).group(1)))
    assert (record["stem"], record["key"]) == ("medellin-metrocable", "makeable-deals-medellin-metrocable")
    # The plain sentence (all a reader without scripts sees) is the record's own text: version and review date.
    plain = html.unescape(re.search(r'<p class="cb-cite-this">([^<]*)</p>', page).group(1))
    case = next(c for c in cases if c.id == "medellin-metrocable")
    assert plain == cite.text(cite.case_record(case))
    assert f"version {release.VERSION}, last reviewed " in plain
    for path in ["feed.xml", "data/casebook.json.bz2", "data/casebook.graphml.gz", "data/casebook.bib"]:
        assert (built_site / path).is_file(), path
    assert 'href="../feed.xml"' in (built_site / "cases" / "index.html").read_text("utf-8")
    assert "Changelog" in (built_site / "changelog" / "index.html").read_text("utf-8")


# --------------------------------------------------------------------------- feed and release


def test_atom_feed_parses_with_the_required_elements(site, cases):
    ns = {"a": feed.ATOM}
    root = ET.fromstring(site.files["feed.xml"])
    assert root.tag == f"{{{feed.ATOM}}}feed"
    for tag in ("id", "title", "updated", "author/a:name"):
        assert root.find(f"a:{tag}", ns) is not None and root.find(f"a:{tag}", ns).text, tag
    assert root.find("a:link[@rel='self']", ns).get("href") == release.SITE_URL + "feed.xml"
    entries = root.findall("a:entry", ns)
    assert len(entries) == len([c for c in cases if c.last_reviewed])
    for entry in entries:
        for tag in ("id", "title", "updated"):
            assert entry.find(f"a:{tag}", ns).text, tag
        assert entry.find("a:link[@rel='alternate']", ns).get("href") == entry.find("a:id", ns).text
        datetime.datetime.fromisoformat(entry.find("a:updated", ns).text.replace("Z", "+00:00"))
    titles = {e.find("a:title", ns).text for e in entries}
    assert "Medellín's Metrocable Line K and the Northeastern Integral Urban Project" in titles


def test_atom_feed_escapes_titles_and_orders_by_review_date():
    base = _fixture_case()
    older = base.model_copy(
        update={"id": "older", "title": '<b>R&D</b> ]]> "q"', "last_reviewed": datetime.date(2020, 1, 1)}
    )
    newer = base.model_copy(update={"id": "newer", "title": "Newer", "last_reviewed": datetime.date(2024, 5, 6)})
    undated = base.model_copy(update={"id": "undated", "last_reviewed": None})
    raw = feed.atom([older, undated, newer])
    assert b"<b>" not in raw
    root = ET.fromstring(raw)
    ns = {"a": feed.ATOM}
    entries = root.findall("a:entry", ns)
    assert [e.find("a:title", ns).text for e in entries] == ["Newer", '<b>R&D</b> ]]> "q"']
    assert root.find("a:updated", ns).text == "2024-05-06T00:00:00Z"


def test_casebook_export_refuses_dangerous_folders_and_overwriting(site, tmp_path, capsys):
    """export never writes among case files or the casebook's sources, and replaces a file only with --force;
    a refusal names the folder or file and how to proceed, and writes nothing."""
    from builder.cli import build_parser, main

    source = tmp_path / "casebook.json.bz2"
    source.write_bytes(site.files[downloads.WHOLE_JSON])
    assert str(build_parser().parse_args(["export", str(source)]).out) == "casebook-data"  # not the current folder
    own_cases = tmp_path / "my-cases"
    own_cases.mkdir()
    (own_cases / "a-case.yaml").write_text("id: a-case\n", "utf-8")
    a_file = tmp_path / "file.txt"
    a_file.write_text("mine", "utf-8")
    refused = {
        ROOT / "cases": "lies inside",
        ROOT / "cases" / "csv": "lies inside",
        ROOT / "docs" / "data": "lies inside",
        ROOT: "holds the casebook's sources",
        own_cases: "holds case files",
        a_file: "is a file",
    }
    for out, reason in refused.items():
        assert main(["export", str(source), "--out", str(out), "--only", "csv"]) == 1, out
        err = capsys.readouterr().err
        assert "refusing to export: " in err and reason in err and "nothing was written" in err, err
        assert not (out / "csv").exists(), out
    shutil.copy(ROOT / "tests" / "data" / "valid" / "river-town-example.yaml", own_cases)  # one valid case to export
    assert main(["export", str(own_cases), "--out", str(own_cases / "out")]) == 1  # inside the cases exported
    assert "lies inside" in capsys.readouterr().err
    written = sorted(own_cases.rglob("*"))
    assert written == [own_cases / "a-case.yaml", own_cases / "river-town-example.yaml"]  # nothing written there
    assert a_file.read_text("utf-8") == "mine"

    out = tmp_path / "data"
    assert main(["export", str(source), "--out", str(out), "--only", "csv"]) == 0
    mine = out / "csv" / "cases.csv"
    mine.write_text("my edits", "utf-8")
    capsys.readouterr()
    assert main(["export", str(source), "--out", str(out), "--only", "csv"]) == 1
    err = capsys.readouterr().err
    assert f"{out / 'csv'}" in err and "exist already" in err and "--force" in err, err
    assert mine.read_text("utf-8") == "my edits"
    assert main(["export", str(source), "--out", str(out), "--only", "sqlite"]) == 0  # new files: no --force needed
    assert main(["export", str(source), "--out", str(out), "--only", "csv", "--force"]) == 0
    assert mine.read_text("utf-8") != "my edits"


def test_release_version_agrees_in_pyproject_citation_cff_changelog_and_builder():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text("utf-8"))
    for key in ("cff-version", "message", "title", "authors"):  # required by CFF 1.2.0
        assert cff[key], key
    assert cff["version"] == project["version"] == release.VERSION
    assert str(cff["date-released"]) == release.RELEASE_DATE.isoformat()
    assert cff["title"] == release.TITLE
    changelog = (ROOT / "CHANGELOG.md").read_text("utf-8")
    first = re.search(r"^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$", changelog, re.M)
    assert first and first.groups() == (release.VERSION, release.RELEASE_DATE.isoformat())


def test_casebook_version_is_the_release_version(capsys):
    """``casebook --version`` and ``builder.__version__`` say the version that pyproject.toml and the site say."""
    import builder
    from builder.cli import main

    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    assert builder.__version__ == release.VERSION == project["version"]
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"casebook {project['version']}\n"


def test_site_addresses_agree():
    from builder import render

    assert render.SITE_URL == release.SITE_URL
    config = (ROOT / "mkdocs.yml").read_text("utf-8")
    assert re.search(r"^site_url: (\S+)$", config, re.M).group(1) == release.SITE_URL


# --------------------------------------------------------------------------- size


def test_per_case_downloads_stay_small(site, cases):
    """Issue #12: the site must stay within 100 KB per case at 10,000 cases. What one case adds in downloads is
    bounded here: its own files (14.95 KB for the average real case when the zip held GraphML and Kumu; 13.06 KB
    with the Kumu blueprint alone), and its share of the whole-casebook files, which are compressed and grow
    linearly (32.4 KB per case with the database, the JSON and the CSV zip; 13.1 KB since the JSON is the one
    complete file: the JSON 12.0, the GraphML 1.1). Sizes are in docs/data.md and docs/contribute/performance.md."""
    per_case = sum(len(b) for p, b in site.files.items() if p.startswith("data/cases/")) / len(cases)
    whole = sum(len(b) for p, b in site.files.items() if p.startswith("data/casebook")) / len(cases)
    assert per_case <= 13_500, f"per-case files average {per_case:.0f} bytes"
    assert whole <= 13_500, f"whole-casebook files average {whole:.0f} bytes per case"
    # The files the JSON replaced, and the per-case GraphML, are not shipped (casebook export makes them).
    gone = ("data/casebook.sqlite.bz2", "data/casebook-csv.zip", "data/casebook.metadata.json")
    assert not [p for p in gone if p in site.files]
    assert not [p for p in site.files if p.startswith("data/cases/") and p.endswith(".graphml")]


def test_changelog_on_the_site_is_the_changelog():
    """CHANGELOG.md (where tools and GitHub look) and docs/changelog.md (the page on the site) are the same text:
    edit CHANGELOG.md, then copy it over docs/changelog.md."""
    assert (ROOT / "docs" / "changelog.md").read_text("utf-8") == (ROOT / "CHANGELOG.md").read_text("utf-8")


def test_every_page_announces_the_feed(built_site):
    """Feed readers find the Atom feed from any page's head, by a link that resolves to the built feed.xml."""
    pages = sorted(built_site.rglob("index.html"))  # 404.html, whose addresses start at the site's root, aside
    assert len(pages) > 20
    for page in pages:
        head = page.read_text("utf-8").split("</head>", 1)[0]
        found = re.search(r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="([^"]+)">', head)
        assert found, f"{page} has no feed link in its head"
        assert (page.parent / found.group(1)).resolve() == (built_site / "feed.xml").resolve(), page


def test_whole_casebook_json_is_standard_bzip2_and_smaller_than_xz_and_gzip(site, tmp_path):
    """The JSON is a plain .bz2 file (``bunzip2`` and Python's bz2 open it), smaller than the same bytes at gzip's
    strongest level and at xz's fast presets (xz's preset 6 and up are smaller, but 8 to 17 times slower
    to write: docs/contribute/performance.md, "Download bytes (sitedata)")."""
    import gzip
    import lzma
    import shutil
    import subprocess

    name = downloads.WHOLE_JSON
    packed = site.files[name]
    assert packed.startswith(b"BZh9"), name  # bzip2's magic number, 900 KB blocks
    raw = bz2.decompress(packed)
    assert len(packed) < len(gzip.compress(raw, compresslevel=9, mtime=0)), name
    assert len(packed) < len(lzma.compress(raw, preset=2)), name
    if shutil.which("bunzip2"):
        path = tmp_path / name.split("/")[-1]
        path.write_bytes(packed)
        subprocess.run(["bunzip2", "-k", str(path)], check=True)
        assert path.with_suffix("").read_bytes() == raw, name
    old = ("sqlite.gz", "json.gz", "sqlite.xz", "json.xz", "sqlite.bz2")
    assert not [name for name in old if f"data/casebook.{name}" in site.files]


# --------------------------------------------------------------------------- casebook export


def test_export_from_the_download_or_the_case_files_gives_the_same_files(site, exported, cases):
    """``casebook export`` makes the same bytes from the downloaded ``casebook.json.bz2``, from the decompressed
    JSON and from the case files: the database, its metadata, every table as CSV, the whole GraphML (the
    site's ``casebook.graphml.gz``, decompressed) and each case's GraphML."""
    import gzip

    raw = site.files[downloads.WHOLE_JSON]
    assert export.export_files(*export.read_casebook_json(bz2.decompress(raw))) == exported
    from_cases, data, problems = export.read_case_folder(ROOT / "cases")
    assert problems == [] and from_cases == cases
    assert export.export_files(from_cases, data) == exported
    assert exported["casebook.graphml"] == gzip.decompress(site.files["data/casebook.graphml.gz"])
    expected = {export.OUTPUTS["sqlite"], export.OUTPUTS["metadata"], export.OUTPUTS["graphml"]}
    expected |= {f"csv/{t}.csv" for t in downloads.TABLES} | {f"graphml/{c.id}.graphml" for c in cases}
    assert set(exported) == expected


def test_casebook_export_command_writes_the_files(site, exported, tmp_path, capsys):
    from builder.cli import main

    source = tmp_path / "casebook.json.bz2"
    source.write_bytes(site.files[downloads.WHOLE_JSON])
    out = tmp_path / "out"
    assert main(["export", str(source), "--out", str(out)]) == 0
    written = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert written == exported
    assert f"wrote {len(exported)} files" in capsys.readouterr().out
    only = tmp_path / "only"
    assert main(["export", str(source), "--out", str(only), "--only", "csv", "--only", "sqlite"]) == 0
    assert sorted(p.relative_to(only).as_posix() for p in only.rglob("*.*")) == sorted(
        ["casebook.sqlite"] + [f"csv/{t}.csv" for t in downloads.TABLES]
    )
    bad = tmp_path / "bad.json"
    bad.write_text('{"not": "the casebook"}', "utf-8")
    assert main(["export", str(bad), "--out", str(tmp_path / "x")]) == 1
    assert "cannot read" in capsys.readouterr().err and not (tmp_path / "x").exists()
    bad.write_text('{"cases": [{"case": {"id": "x"}}]}', "utf-8")  # no analysis, and not a valid case
    assert main(["export", str(bad), "--out", str(tmp_path / "x")]) == 1
    bad.write_text('{"cases": [1]}', "utf-8")
    assert main(["export", str(bad), "--out", str(tmp_path / "x")]) == 1
    assert "not the casebook's JSON" in capsys.readouterr().err and not (tmp_path / "x").exists()


def test_the_json_schemas_are_published_at_their_id(site):
    """The site serves schema/case.schema.json and schema/reading-list.schema.json at the address of their $id,
    the same text as the repository's schema/ folder (which `casebook export-schema --check` keeps current)."""
    for name in ("case.schema.json", "reading-list.schema.json"):
        published = site.files[f"schema/{name}"]
        assert published == (ROOT / "schema" / name).read_bytes()
        assert json.loads(published)["$id"] == release.SITE_URL + f"schema/{name}"


def test_analyze_json_is_the_analysis_the_downloads_hold(site, capsys, monkeypatch):
    """``casebook analyze CASE --json`` prints the same analysis as the case's item of casebook.json.bz2 (with
    pattern_counts, which the pages and the case_patterns table use)."""
    from builder.cli import main

    monkeypatch.chdir(ROOT)
    doc = json.loads(bz2.decompress(site.files["data/casebook.json.bz2"]))
    whole = next(item["analysis"] for item in doc["cases"] if item["case"]["id"] == "medellin-metrocable")
    assert main(["analyze", "medellin-metrocable", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert "pattern_counts" in printed and printed == whole


def test_export_reads_the_json_gzipped_as_well(site):
    """0.2.0 published the JSON gzipped (casebook.json.gz); export reads it as it reads the bzip2 download."""
    plain = bz2.decompress(site.files["data/casebook.json.bz2"])
    from_gzip = export.read_casebook_json(gzip.compress(plain))
    from_bzip2 = export.read_casebook_json(site.files["data/casebook.json.bz2"])
    assert [c.id for c in from_gzip[0]] == [c.id for c in from_bzip2[0]] and from_gzip[1] == from_bzip2[1]


def test_export_of_the_wrong_file_says_what_it_expects(site, tmp_path, capsys):
    """Another download, a cut file, a device or a missing path: one line saying what export reads, no traceback."""
    from builder.cli import main

    cut = tmp_path / "cut.json.bz2"
    cut.write_bytes(site.files["data/casebook.json.bz2"][:100])
    graphml = tmp_path / "casebook.graphml.gz"
    graphml.write_bytes(site.files["data/casebook.graphml.gz"])
    other = tmp_path / "other.json"
    other.write_text('{"a": 1}', "utf-8")
    cut_gz = tmp_path / "cut.json.gz"
    cut_gz.write_bytes(gzip.compress(b'{"cases": []}')[:15])
    flipped = bytearray(gzip.compress(bz2.decompress(site.files["data/casebook.json.bz2"])))
    flipped[1000:1100] = bytes(b ^ 0xFF for b in flipped[1000:1100])  # zlib.error, not an OSError
    damaged_gz = tmp_path / "damaged.json.gz"
    damaged_gz.write_bytes(bytes(flipped))
    bom_xml = tmp_path / "bom.graphml"
    bom_xml.write_bytes(b"\xef\xbb\xbf" + gzip.decompress(site.files["data/casebook.graphml.gz"]))
    expected = "expected casebook.json.bz2 from the Data page"
    doc = json.loads(bz2.decompress(site.files["data/casebook.json.bz2"]))
    del doc["cases"][1]["case"]["schema_version"]
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(doc), "utf-8")
    (tmp_path / "empty").mkdir()
    for source, why in [
        (changed, f"case 2 of the file ({doc['cases'][1]['case']['id']!r}) does not fit this casebook's case model"),
        (tmp_path / "empty", "no valid case files in this folder"),
        (graphml, "an XML file (GraphML, such as casebook.graphml.gz), not JSON: open GraphML with networkx"),
        (cut, "a damaged bzip2 file"),
        (cut_gz, "a damaged gzip file"),
        (damaged_gz, "a damaged gzip file"),
        (bom_xml, "an XML file (GraphML, such as casebook.graphml.gz), not JSON"),
        (other, "not the casebook's JSON (no list under 'cases')"),
        (Path("/dev/zero"), "not a file or folder"),
        (tmp_path / "missing.json", "there is no such file or folder"),
    ]:
        assert main(["export", str(source), "--out", str(tmp_path / "out")]) == 1
        err = capsys.readouterr().err
        assert err.startswith(f"cannot read {source}: {why}") and "Traceback" not in err, err
        assert (
            why in ("there is no such file or folder", "no valid case files in this folder")
            or why.startswith("case 2")
            or expected in err
        )
        assert len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "out").exists()
