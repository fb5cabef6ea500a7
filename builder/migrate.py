"""Migration of case files from one version of the case model to the next.

In: the text of a case file. Out: the upgraded text and a list of what a person should
still look at. Pure: ``casebook migrate`` reads and writes the files.

The upgrade is textual, so comments, blank lines, key order and quoting stay exactly
as the contributor wrote them. Version 2 only adds fields to version 1 (see the schema
changelog on the site), so the mechanical step is to declare ``schema_version: 2``;
the rest of the work, such as a timeline or the evidence behind outcomes, needs the
sources, and is listed as advice for a person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from builder.load import RawCase, load_text

__all__ = ["CURRENT", "Migration", "advice", "file_version", "migrate_text"]

#: The current version of the case model.
CURRENT = 2

#: A version as it may be written after ``schema_version:``: ``1``, ``"1"`` or ``'1'``, then the end of the line, a
#: comment or the next key of a ``{...}`` (not ``0x1``, which YAML also reads as 1).
_VALUE = re.compile(r"""(["']?)([0-9]+)\1(?=[ \t]*(?:[#,}]|\r?$))""")
#: A file that is one flow mapping: blank, comment, directive (``%YAML``) and document-start (``---``) lines, then
#: ``{``, perhaps on the ``---`` line itself.
_FLOW_START = re.compile(r"(?:[ \t]*(?:#[^\n]*)?\r?\n|%[^\n]*\n|---[ \t]*(?:#[^\n]*)?\r?\n)*(?:---[ \t]+)?[ \t]*\{")


@dataclass
class Migration:
    """The result of migrating one file: the new text, the versions, and advice for a person."""

    text: str
    before: int
    after: int
    advice: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.before != self.after


def file_version(text: str) -> int:
    """The version a case file declares; a file without ``schema_version`` is version 1, and one whose value is not
    a whole number is version 0 (no version this casebook knows).

    The file is read as YAML (``builder.load``), so a comment after the value, quotes or spaces before the colon
    change nothing.

    Raises
    ------
    ValueError
        If the text cannot be read as YAML: the message is the loader's first problem, with its line.

    >>> file_version("id: x\\n"), file_version("schema_version: 2   # the version\\nid: x\\n")
    (1, 2)
    """
    return _version(_read(text))


def _read(text: str) -> RawCase:
    raw, problems = load_text(text, Path("case.yaml"))
    if raw is None or problems:
        first = problems[0] if problems else None
        where = f"line {first.line}: {first.message}" if first else "it is empty"
        raise ValueError(f"cannot be read as YAML ({where}); run casebook validate on it for every problem")
    return raw


def _version(raw: RawCase) -> int:
    value = raw.data.get("schema_version", 1) if isinstance(raw.data, dict) else 1
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return int(value)  # quoted: "1" is read as text
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def migrate_text(text: str) -> Migration:
    """Upgrade the text of a version-1 case file to the current version, keeping everything else as written.

    A file that says ``schema_version: 1`` gets the current version in place of the ``1`` (its quotes and comment
    kept); a file without the key gets ``schema_version: 2`` on its own line just before its first top-level key,
    after any leading comments. A file already at the current version is returned unchanged.

    Raises
    ------
    ValueError
        If the file cannot be read as YAML, or declares a version this casebook does not know.

    >>> migrate_text("# a comment\\nid: x  # kept\\ntitle: T\\n").text
    '# a comment\\nschema_version: 2\\nid: x  # kept\\ntitle: T\\n'
    >>> migrate_text("schema_version: '1'  # old\\nid: x\\n").text
    "schema_version: '2'  # old\\nid: x\\n"
    """
    bom = "\ufeff" if text.startswith("\ufeff") else ""  # kept first, where it was; YAML's places count without it
    body = text[len(bom) :]
    if "\r" in body.replace("\r\n", ""):
        raise ValueError("has line breaks of a lone CR (old Mac style): save it with ordinary line breaks first")
    raw = _read(body)
    result = _upgraded(body, raw)
    if result.changed and not _same_case(result.text, raw.data):
        raise ValueError(
            f"cannot add the version safely to this file's layout: write schema_version: {CURRENT} by hand as its "
            "first key"
        )
    return Migration(bom + result.text, result.before, result.after)


def _same_case(text: str, before: dict[str, Any]) -> bool:
    """Whether ``text`` reads as the case ``before`` at the current version: whatever the file's layout, what
    migrate writes is the same case."""
    try:
        after = _read(text)
    except ValueError:
        return False
    if not isinstance(after.data, dict) or _version(after) != CURRENT:
        return False
    return {k: v for k, v in after.data.items() if k != "schema_version"} == {
        k: v for k, v in before.items() if k != "schema_version"
    }


def _upgraded(body: str, raw: RawCase) -> Migration:
    """The upgrade of ``body`` (a file's text without its byte-order mark, read as ``raw``), not yet checked."""
    if not isinstance(raw.data, dict):
        what = "holds no case (only comments, or nothing)" if raw.data is None else "is not a mapping of keys"
        raise ValueError(f"{what}: start from the template, casebook new SLUG, or run casebook validate on it")
    before = _version(raw)
    if before == CURRENT:
        return Migration(body, before, before)
    if before != 1:
        raise ValueError(
            f"schema_version {raw.data.get('schema_version')} is not a version this casebook knows (1 or {CURRENT})"
        )
    lines = body.split("\n")  # YAML's places count lines by line feeds; a CR stays at the end of its line
    if "schema_version" in raw.data:
        line, column = raw.position(("schema_version",))
        rest = lines[line - 1][column - 1 :]
        match = _VALUE.match(rest)
        if match is None:  # written in some other way (a tag, a block, 0x1): said plainly rather than guessed at
            raise ValueError(f"line {line}: write schema_version: {CURRENT} in place of the version written there")
        quote = match.group(1)
        lines[line - 1] = lines[line - 1][: column - 1] + f"{quote}{CURRENT}{quote}" + rest[match.end() :]
        return Migration("\n".join(lines), before, CURRENT)
    flow = _FLOW_START.match(body)
    if flow:  # the whole file is one {...}: the key goes first inside it
        return Migration(body[: flow.end()] + f"schema_version: {CURRENT}, " + body[flow.end() :], 1, CURRENT)
    at = raw.position((next(iter(raw.data)),), key=True)[0] - 1
    lines.insert(at, f"schema_version: {CURRENT}" + ("\r" if "\r\n" in body else ""))
    return Migration("\n".join(lines), before, CURRENT)


def advice(data: dict[str, Any]) -> list[str]:
    """What a person should look at after the mechanical upgrade, from the case's parsed data.

    Each item names a part of version 2 that the case does not use yet but that its sources may support.
    """
    out = []
    if len(data.get("timeline") or []) < 5:
        out.append("timeline: add dated events from the sources (first contact, agreements, launch, end): 5 or more")
    outcomes = data.get("outcomes") or []
    missing = [i for i, o in enumerate(outcomes) if isinstance(o, dict) and "evidence" not in o]
    if missing:
        out.append(f"outcomes {missing}: add evidence: (design, who measured it) where the sources say")
    for i, o in enumerate(outcomes):
        unit = str((o or {}).get("unit") or "") if isinstance(o, dict) else ""
        if re.search(r"dollar|euro|pound|\$|€|£|rupee|peso|shilling|yen|won|franc|krone|rand|real", unit, re.I):
            out.append(f"outcomes[{i}]: the unit {unit!r} looks like money: use currency: and price_year: instead")
    for i, a in enumerate(data.get("actors") or []):
        if isinstance(a, dict) and a.get("sector") == "community" and "kind" not in a:
            out.append(f"actors[{i}] ({a.get('id')}): if these are people the effort serves, set kind: affected-group")
    deal = data.get("deal") or {}
    ended = any(isinstance(e, dict) and e.get("kind") == "end" for e in data.get("timeline") or [])
    if isinstance(deal, dict) and deal.get("status") == "dissolved" and not ended:
        out.append("deal: dissolved; if the sources say when and how it ended, add a timeline event of kind: end")
    return out
