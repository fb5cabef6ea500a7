"""``casebook export``: the database, CSV files and GraphML files, made from the one complete download.

The site ships the whole casebook once, as ``data/casebook.json.bz2`` (every case as validated, with its
analysis; ``builder.downloads``). Everything else a researcher may want is made from it here, on their own
machine, with the same code that made the site's files before (``downloads.TABLES`` and friends), so a file
written here is byte for byte the one the site used to serve:

- ``casebook.sqlite``: the SQLite database (every table of ``downloads.TABLES``, with keys, and the view
  over which ``downloads.SEARCH_SQL`` adds full-text search), and ``casebook.metadata.json`` for Datasette;
- ``csv/<table>.csv``: one CSV file per table, as Excel and pandas read them (``narratives`` too);
- ``casebook.graphml``: every case's network in one graph, and ``graphml/<id>.graphml``: each case's.

In: the bytes of ``casebook.json.bz2`` (or of the decompressed ``casebook.json``), or a folder of case files.
Out: file bytes keyed by relative path; :func:`cmd_export` writes them. No network, no dates.
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import json
import sys
import zlib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from builder.model import Case

#: What ``casebook export`` writes, by kind (paths relative to the output folder; ``{id}`` and ``{table}`` filled in).
OUTPUTS = {
    "sqlite": "casebook.sqlite",
    "metadata": "casebook.metadata.json",
    "csv": "csv/{table}.csv",
    "graphml": "casebook.graphml",
    "case_graphml": "graphml/{id}.graphml",
}


def read_casebook_json(raw: bytes) -> tuple[list[Case], dict[str, dict[str, Any]]]:
    """The cases and their analysis data from ``casebook.json.bz2`` (bzip2 or already decompressed JSON).

    Returns ``(cases, data)``: the ``Case`` models in the file's order and each case's analysis by case id,
    as ``builder.downloads`` takes them.

    Raises
    ------
    ValueError
        If the bytes are not the casebook's JSON (no ``cases`` list), or a case does not validate.
    """
    expected = "expected casebook.json.bz2 from the Data page (or the JSON in it), or a folder of case files"
    packed = "bzip2" if raw.startswith(b"BZh") else "gzip" if raw.startswith(b"\x1f\x8b") else None
    if packed:  # bzip2 is the download; gzip was the download of 0.2.0 (casebook.json.gz)
        try:
            raw = bz2.decompress(raw) if packed == "bzip2" else gzip.decompress(raw)
        except (OSError, EOFError, ValueError, zlib.error) as err:  # not what its first bytes say, or cut short
            raise ValueError(f"a damaged {packed} file ({type(err).__name__}); {expected}") from None
    if raw.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] == b"<":  # after a UTF-8 byte-order mark, if any
        graphml = b"graphml" in raw[:2000]
        raise ValueError(
            f"an XML file{' (GraphML, such as casebook.graphml.gz)' if graphml else ''}, not JSON: open GraphML "
            f"with networkx, Gephi or igraph; {expected}"
        )
    try:
        doc = json.loads(raw)
    except ValueError as err:  # not UTF-8; not JSON
        raise ValueError(f"not JSON ({type(err).__name__}); {expected}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("cases"), list):
        raise ValueError(f"not the casebook's JSON (no list under 'cases'); {expected}")
    try:
        cases = []
        for i, item in enumerate(doc["cases"]):
            try:
                cases.append(Case.model_validate(item["case"]))
            except ValidationError as err:
                first = err.errors()[0]
                where = ".".join(str(part) for part in first["loc"]) or "the case"
                name = item["case"].get("id") if isinstance(item.get("case"), dict) else None
                raise ValueError(
                    f"case {i + 1} of the file{f' ({name!r})' if isinstance(name, str) else ''} does not fit this "
                    f"casebook's case model ({where}: {first['msg']}; "
                    f"{err.error_count()} problem(s)): written by another version of the casebook, or edited"
                ) from None
        data = {item["case"]["id"]: item["analysis"] for item in doc["cases"]}
    except (KeyError, TypeError) as err:
        raise ValueError(
            f"not the casebook's JSON: each item of 'cases' needs 'case' and 'analysis' ({err!r})"
        ) from err
    return cases, data


def read_case_folder(folder: Path) -> tuple[list[Case], dict[str, dict[str, Any]], list[str]]:
    """The valid cases of a folder of case files (sorted by id, as on the site), their analysis data, and
    the problems found, formatted (a case with a problem is left out, as the site leaves it out)."""
    from builder import analyze
    from builder.validate import check_paths

    checked = check_paths([folder])
    cases = sorted(checked.cases, key=lambda c: c.id)
    data = {}
    for case in cases:
        data[case.id] = analyze.analysis_data(analyze.analyze(case))
    return cases, data, [p.format() for p in checked.problems]


def export_files(cases: list[Case], data: dict[str, dict[str, Any]]) -> dict[str, bytes]:
    """Every file of :data:`OUTPUTS`, keyed by path relative to the output folder.

    ``data`` is each case's analysis data by id (as in ``casebook.json.bz2``). Deterministic: the same cases
    give the same bytes (the database's header records the SQLite library's version).
    """
    from builder import downloads  # here, not at the top: ``casebook validate`` never needs networkx or sqlite3

    files = {
        OUTPUTS["sqlite"]: downloads.sqlite_database(cases, data),
        OUTPUTS["metadata"]: (json.dumps(downloads.datasette_metadata(), ensure_ascii=False, indent=2) + "\n").encode(
            "utf-8"
        ),
    }
    for table in downloads.TABLES:
        rows = downloads.table_rows(table, cases, data)
        files[OUTPUTS["csv"].format(table=table)] = downloads._csv(downloads.header(table), rows)
    files[OUTPUTS["graphml"]] = downloads.casebook_graphml(cases, data)
    for case in cases:
        graph = downloads.case_graph(case, data[case.id])
        files[OUTPUTS["case_graphml"].format(id=case.id)] = downloads._graphml(graph)
    return files


def cmd_export(args: argparse.Namespace) -> int:
    """Write the database, CSV and GraphML files from ``casebook.json.bz2`` (or a folder of case files)."""
    source: Path = args.source
    try:
        if source.is_dir():
            cases, data, problems = read_case_folder(source)
            for problem in problems:
                print(problem, file=sys.stderr)
            if not cases:
                raise ValueError("no valid case files in this folder; name cases/ or casebook.json.bz2")
        elif not source.exists():
            raise ValueError("there is no such file or folder")
        elif not source.is_file():  # a device such as /dev/zero would be read for ever
            raise ValueError(
                "not a file or folder; expected casebook.json.bz2 from the Data page, or a folder of case files"
            )
        else:
            cases, data = read_casebook_json(source.read_bytes())
    except (OSError, ValueError) as err:
        print(f"cannot read {source}: {err}", file=sys.stderr)
        return 1
    only = set(args.only or OUTPUTS)
    files = {rel: content for rel, content in export_files(cases, data).items() if _wanted(rel, only)}
    reason = unsafe_export(args.out, list(files), force=args.force, sources=(source,) if source.is_dir() else ())
    if reason:
        print(f"refusing to export: {reason}; nothing was written", file=sys.stderr)
        return 1
    for rel, content in files.items():
        path = args.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    print(f"wrote {len(files)} files for {len(cases)} cases into {args.out}/")
    return 0


def _wanted(rel: str, only: set[str]) -> bool:
    """Whether the file at ``rel`` is of one of the kinds of :data:`OUTPUTS` asked for."""
    return any(_matches(rel, OUTPUTS[kind]) for kind in only)


#: The folders of the casebook's own repository that export never writes into (beside the repository itself).
SOURCE_FOLDERS = ("builder", "docs", "cases", "schema", "tests", "overrides", "benchmarks", ".git")


def unsafe_export(out: Path, files: list[str], force: bool = False, sources: tuple[Path, ...] = ()) -> str | None:
    """Why exporting ``files`` (paths relative to ``out``) into ``out`` is refused, or None if it is safe.

    Refused: ``out`` is a file; ``out`` holds case files (``*.yaml``, ``*.yml``) or lies in a ``sources`` folder
    (the folder of cases exported from); ``out`` is the casebook's repository (the folder of ``pyproject.toml``
    and ``mkdocs.yml`` beside ``builder/``), any folder with both those files, or lies inside one of the
    repository's :data:`SOURCE_FOLDERS`; a file to write exists already, unless ``force``. Nothing is changed.
    """
    target = out.resolve()
    if target.exists() and not target.is_dir():
        return f"{out} is a file, not a folder; name a new folder with --out"
    repo = Path(__file__).resolve().parent.parent
    projects = [target] if (target / "pyproject.toml").is_file() and (target / "mkdocs.yml").is_file() else []
    if target == repo or projects:
        return f"{out} holds the casebook's sources; name a new folder with --out, such as --out casebook-data"
    for folder in [*(repo / name for name in SOURCE_FOLDERS), *sources]:
        if folder.is_dir() and target.is_relative_to(folder.resolve()):
            return f"{out} lies inside {folder}, whose files it would mix with; name a folder outside it with --out"
    if target.is_dir() and any(p.suffix.lower() in (".yaml", ".yml") for p in target.iterdir() if p.is_file()):
        return f"{out} holds case files (YAML), which the export would mix with; name a new folder with --out"
    existing = [rel for rel in files if (out / rel).exists()]
    if existing and not force:
        more = f" and {len(existing) - 1} more" if len(existing) > 1 else ""
        return f"{out / existing[0]}{more} exist already; add --force to replace them, or name a new folder with --out"
    return None


def _matches(rel: str, pattern: str) -> bool:
    """Whether ``rel`` is a path of the :data:`OUTPUTS` pattern (``csv/{table}.csv`` matches ``csv/cases.csv``)."""
    head, _, tail = pattern.partition("{")
    if not tail:
        return rel == pattern
    return rel.startswith(head) and rel.endswith(tail.split("}", 1)[1]) and "/" not in rel[len(head) :]


def register(sub) -> None:
    """Add ``casebook export`` to the CLI's sub-parsers."""
    p = sub.add_parser(
        "export",
        help="make the SQLite database, CSV and GraphML files from casebook.json.bz2 (or from case files)",
    )
    p.add_argument("source", type=Path, help="casebook.json.bz2 as downloaded (or casebook.json), or a cases/ folder")
    p.add_argument(
        "--out", type=Path, default=Path("casebook-data"), help="folder to write into (default: casebook-data/)"
    )
    p.add_argument("--force", action="store_true", help="replace files that a previous export wrote there")
    p.add_argument(
        "--only",
        action="append",
        choices=sorted(OUTPUTS),
        help="write only this kind of file (repeat for more): " + ", ".join(f"{k} ({v})" for k, v in OUTPUTS.items()),
    )
    p.set_defaults(func=cmd_export)
