"""Citations of a case and of the casebook: BibTeX, RIS, CSL-JSON and plain text.

In: a validated ``Case`` (or nothing, for the casebook) and the release in ``builder.release``.
Out: text in each format, the citation files keyed by site path, and the view data of the
"Cite this case" block (``partials/case-cite.html``). Pure: nothing is written here.

A case is cited as a part of the casebook: author "Makeable Deals contributors" (one corporate
author), the case title, the casebook's name and **version**, and a date: the day the case was
last checked against its sources (``last_reviewed``) or, for a case that has none and for the
casebook itself, the release date.

BibTeX is written for both BibTeX and biblatex: ``@misc`` with ``howpublished`` (so the version
prints under either), ``year`` and ``month``. Text stays UTF-8 (accents are kept as letters, which
biber and any LaTeX since 2018 read); the characters that mean something to BibTeX or LaTeX are
escaped (see :func:`bibtex_escape`), and the title is wrapped in one more pair of braces so that
no style changes its capitals (proper names such as "Medellín" stay as written).
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from typing import Any

from builder import release
from builder.model import Case

#: Per-case download files, by kind: path in the site, with ``{id}`` for the case id.
CASE_FILES = {
    "json": "data/cases/{id}.json",
    "zip": "data/cases/{id}.zip",  # holds {id}.kumu.json
}
#: The casebook's own citation files.
CASEBOOK_FILES = {"bibtex": "data/casebook.bib", "ris": "data/casebook.ris", "csl": "data/casebook.csl.json"}

_MONTHS = ("January February March April May June July August September October November December").split()


@dataclass(frozen=True)
class Record:
    """What is cited: a case of the casebook (``container`` set) or the casebook itself.

    ``date`` is when the case was last reviewed, or when the release came out (``date_label``
    says which: ``"last reviewed"`` or ``"released"``).
    """

    key: str
    title: str
    url: str
    date: datetime.date
    date_label: str
    container: str | None = None
    version: str = release.VERSION
    author: str = release.AUTHOR


def case_record(case: Case) -> Record:
    """The citation record of one case (key ``makeable-deals-<id>``)."""
    reviewed = case.last_reviewed
    return Record(
        key=f"makeable-deals-{case.id}",
        title=case.title,
        url=f"{release.SITE_URL}cases/{case.id}/",
        date=reviewed or release.RELEASE_DATE,
        date_label="last reviewed" if reviewed else "released",
        container=release.NAME,
    )


def casebook_record() -> Record:
    """The citation record of the whole casebook, dated by its release."""
    return Record(
        key="makeable-deals",
        title=release.TITLE,
        url=release.SITE_URL,
        date=release.RELEASE_DATE,
        date_label="released",
    )


def long_date(day: datetime.date) -> str:
    """A date as people read it, whatever the machine's locale.

    >>> long_date(datetime.date(2026, 11, 6))
    '6 November 2026'
    """
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def _one_line(text: str) -> str:
    """Runs of white space (line breaks included) become one space."""
    return " ".join(text.split())


#: LaTeX's special characters, each as text-mode LaTeX that any font encoding prints as the character.
#: Braces are written as commands, not ``\\{``: BibTeX counts every brace, escaped or not, so a lone
#: escaped brace would unbalance the field.
_BIBTEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "$": r"\$",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
}


def bibtex_escape(text: str) -> str:
    """Text as the value of a braced BibTeX field: LaTeX specials escaped, on one line, letters kept as UTF-8.

    >>> print(bibtex_escape("50% of {R&D} in Medellín_#1 ~ $5"))
    50\\% of \\textbraceleft{}R\\&D\\textbraceright{} in Medellín\\_\\#1 \\textasciitilde{} \\$5
    """
    return "".join(_BIBTEX_SPECIALS.get(ch, ch) for ch in _one_line(text))


def bibtex(record: Record) -> str:
    """The record as one BibTeX/biblatex ``@misc`` entry (UTF-8 text), ending in a newline."""
    where = f"{record.container}, version {record.version}" if record.container else f"Version {record.version}"
    fields = [
        ("author", "{" + bibtex_escape(record.author) + "}"),
        ("title", "{" + bibtex_escape(record.title) + "}"),
        ("howpublished", bibtex_escape(where)),
        ("year", str(record.date.year)),
        ("note", bibtex_escape(f"{record.date_label.capitalize()} {long_date(record.date)}")),
        ("url", record.url),
    ]
    lines = [f"@misc{{{record.key},"]
    lines += [f"  {name} = {{{value}}}," for name, value in fields[:4]]
    lines.append(f"  month = {_MONTHS[record.date.month - 1][:3].lower()},")
    lines += [f"  {name} = {{{value}}}," for name, value in fields[4:]]
    lines[-1] = lines[-1].rstrip(",")
    return "\n".join(lines) + "\n}\n"


def ris(record: Record) -> str:
    """The record in RIS (tagged lines, ``ER`` last): a web page (``ELEC``) for a case, a dataset for the casebook."""
    tags = [
        ("TY", "ELEC" if record.container else "DATA"),
        ("AU", record.author),
        ("TI", record.title),
        *([("T2", record.container)] if record.container else []),
        ("ET", record.version),
        ("PY", str(record.date.year)),
        ("DA", record.date.strftime("%Y/%m/%d")),
        ("N1", f"{record.date_label.capitalize()} {long_date(record.date)}"),
        ("UR", record.url),
        ("LA", "en"),
        ("ER", ""),
    ]
    return "".join(f"{tag}  - {_one_line(value)}\n" for tag, value in tags)


def csl(record: Record) -> dict[str, Any]:
    """The record as one CSL-JSON item (the input format of citeproc, Zotero and pandoc)."""
    item: dict[str, Any] = {
        "id": record.key,
        "type": "webpage" if record.container else "dataset",
        "title": record.title,
        "author": [{"literal": record.author}],
        "version": record.version,
        "issued": {"date-parts": [[record.date.year, record.date.month, record.date.day]]},
        "note": f"{record.date_label.capitalize()} {long_date(record.date)}",
        "URL": record.url,
        "language": "en",
    }
    if record.container:
        item["container-title"] = record.container
    return item


def csl_json(record: Record) -> str:
    """CSL-JSON text: a list holding the one item, as reference managers import it."""
    return json.dumps([csl(record)], ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def text(record: Record) -> str:
    """The record as one plain sentence, for reading or pasting.

    >>> r = Record("k", "A case", "https://x/", datetime.date(2026, 1, 2), "last reviewed", "The casebook", "1.0")
    >>> text(r)
    'Makeable Deals contributors (2026). A case. In The casebook, version 1.0, last reviewed 2 January 2026. https://x/'
    """
    where = f"In {record.container}, version {record.version}" if record.container else f"Version {record.version}"
    return f"{record.author} ({record.date.year}). {record.title}. {where}, {record.date_label} {long_date(record.date)}. {record.url}"


#: Each format: key, name, how to write it, file extension and media type.
FORMATS = (
    ("bibtex", "BibTeX", bibtex, ".bib", "application/x-bibtex"),
    ("ris", "RIS", ris, ".ris", "application/x-research-info-systems"),
    ("csl", "CSL-JSON", csl_json, ".csl.json", "application/vnd.citationstyles.csl+json"),
)


def files() -> dict[str, bytes]:
    """The casebook's citation files keyed by site path (``data/casebook.bib``, ``.ris``, ``.csl.json``).

    A case's citation is not a file of its own: its page holds the text, and the page's download button
    saves that text as a file in the reader's browser (``cite.js``), so the site does not carry it twice.
    """
    return {CASEBOOK_FILES[key]: render(casebook_record()).encode("utf-8") for key, _, render, _, _ in FORMATS}


def view(record: Record, stem: str, prefix: str = "") -> dict[str, Any]:
    """What ``partials/case-cite.html`` shows of a record: version, date, plain text, and each format with the
    file name its download gets (``stem`` plus the format's extension); ``prefix`` makes element ids unique."""
    return {
        "version": record.version,
        "date": record.date.isoformat(),
        "date_text": long_date(record.date),
        "date_label": record.date_label,
        "text": text(record),
        "formats": [
            {"id": f"{prefix}cite-{key}", "name": name, "text": render(record), "filename": stem + ext, "type": mime}
            for key, name, render, ext, mime in FORMATS
        ],
    }


def case_view(case: Case, root: str) -> dict[str, Any]:
    """The "Cite this case" view of one case: :func:`view`, plus its data files (``downloads``).

    ``root`` is the relative path from the case page to the site root (``"../../"``).
    """
    hrefs = {key: root + path.format(id=case.id) for key, path in CASE_FILES.items()}
    out = view(case_record(case), case.id)
    out["downloads"] = [
        {"href": hrefs["json"], "name": "JSON", "what": "the network and its analysis, as node-link data"},
        {
            "href": hrefs["zip"],
            "name": "Kumu (zip)",
            "what": "a blueprint to import into a Kumu map",
        },
    ]
    out["data_page"] = root + "data/"
    out["changelog"] = root + "changelog/"
    return out
