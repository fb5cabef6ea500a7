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
from typing import Any

__all__ = ["CURRENT", "Migration", "migrate_text", "advice"]

#: The current version of the case model.
CURRENT = 2

_VERSION = re.compile(r"(?m)^schema_version:\s*(\S+)\s*$")
_ID = re.compile(r"(?m)^id:")


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
    """The version a case file declares; a file without ``schema_version`` is version 1.

    >>> file_version("id: x\\n"), file_version("schema_version: 2\\nid: x\\n")
    (1, 2)
    """
    match = _VERSION.search(text)
    if not match:
        return 1
    try:
        return int(match.group(1))
    except ValueError:
        return 0


def migrate_text(text: str) -> Migration:
    """Upgrade the text of a version-1 case file to the current version, keeping everything else as written.

    ``schema_version: 2`` goes on its own line just before the top-level ``id:`` (or at the top of a file
    without one), after any leading comments. A file already at the current version is returned unchanged.

    Raises
    ------
    ValueError
        If the file declares a version this casebook does not know.

    >>> migrate_text("# a comment\\nid: x  # kept\\ntitle: T\\n").text
    '# a comment\\nschema_version: 2\\nid: x  # kept\\ntitle: T\\n'
    """
    before = file_version(text)
    if before == CURRENT:
        return Migration(text, before, before)
    if before != 1:
        raise ValueError(f"schema_version {before} is not a version this casebook knows (1 or {CURRENT})")
    match = _ID.search(text)
    at = match.start() if match else 0
    return Migration(text[:at] + f"schema_version: {CURRENT}\n" + text[at:], before, CURRENT)


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
