"""Problems found in case files, and how they are printed.

Every rule in ``load`` and ``validate`` reports a ``Problem`` with a stable code.
Each code is registered in ``CODES`` with why the rule exists and how to fix it;
the site's problem reference is generated from that registry, so a code cannot
exist without its documentation.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file, at a line and column (1-based)."""

    path: str
    line: int
    column: int
    code: str
    message: str
    fix: str = ""

    def format(self) -> str:
        text = f"{self.path}:{self.line}:{self.column}: error[{self.code}] {self.message}"
        if self.fix:
            text += f"\n  fix: {self.fix}"
        return text

    def format_github(self) -> str:
        # GitHub workflow commands: properties and message need %-escaping.
        message = _gh_escape(f"[{self.code}] {self.message}" + (f" Fix: {self.fix}" if self.fix else ""))
        path = _gh_escape(self.path, prop=True)
        return f"::error file={path},line={self.line},col={self.column},title={self.code}::{message}"


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def display_path(path: Path) -> str:
    """The path as a user would type it: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def summary_line(problems: list[Problem]) -> str:
    files = len({p.path for p in problems})
    noun = "error" if len(problems) == 1 else "errors"
    return f"check failed: {len(problems)} {noun} in {files} file{'s' if files != 1 else ''}"


@dataclass(frozen=True)
class Code:
    title: str
    why: str
    fix: str


#: Every problem code, with why the rule exists and how to fix it (shown on the site).
CODES: dict[str, Code] = {
    "yaml-syntax": Code(
        "The file is not valid YAML",
        "The file must be read before anything else can be checked.",
        "Look at the line named and the one before it: a missing colon, a tab instead of spaces, "
        "or text that starts with a character YAML treats specially (quote such text).",
    ),
    "missing-file": Code(
        "The file or folder named does not exist",
        "Nothing can be checked that cannot be read.",
        "Check the path; case files live in `cases/` and end in `.yaml`.",
    ),
    "duplicate-key": Code(
        "A key appears twice in the same mapping",
        "YAML readers silently keep only the last value, so half of what you wrote would be lost.",
        "Merge the two entries into one, or rename one of them.",
    ),
    "not-a-mapping": Code(
        "The file is not a mapping of keys",
        "A case file is one mapping whose keys are `id`, `title`, `actors` and so on.",
        "Start from the template (`casebook new SLUG`) and keep the top-level keys at the left margin.",
    ),
    "unknown-key": Code(
        "A key the schema does not know",
        "A misspelt key would otherwise be dropped without a word, and the data in it lost.",
        "Correct the spelling (the message suggests the closest known key) or remove the key.",
    ),
    "missing-key": Code(
        "A required key is missing",
        "Every case must carry the facts the site, the analysis and readers rely on.",
        "Add the key named in the message; the field reference says what it holds.",
    ),
    "empty-value": Code(
        "A key with no value",
        "An empty key usually means a template line not yet filled in.",
        "Write the value after the colon, or delete the key if it is optional.",
    ),
    "wrong-type": Code(
        "A value of the wrong type",
        "The builder needs, for example, a list where a list is expected, and a number for a year.",
        "Write the value in the form the message names: a list uses `- item` lines or `[a, b]`, "
        "a mapping uses `key: value` lines, booleans are `true` or `false`.",
    ),
    "unknown-value": Code(
        "A value not in the controlled vocabulary",
        "Coded fields (sector, asset kind, stage...) use shared vocabularies so that cases can be "
        "compared and filtered.",
        "Use one of the allowed values listed in the message (see the Vocabularies page). If none fits, "
        "propose a new term in an issue.",
    ),
    "bad-format": Code(
        "A value that does not have the expected form",
        "Ids, country codes and DOIs follow fixed forms so that links and look-ups work.",
        "Ids are lower-case words joined by hyphens (`boston-police`); countries are ISO 3166-1 "
        "alpha-2 codes (`US`); DOIs start with `10.`; URLs start with `https://`.",
    ),
    "out-of-range": Code(
        "A number or text outside its allowed range",
        "Years must be four-digit years and one-line summaries must fit on one line.",
        "Correct the value to fall within the limits named in the message.",
    ),
    "too-few": Code(
        "A list or text that is too short",
        "A case needs at least two actors, at least one source, and so on; empty text says nothing.",
        "Add the missing items or text.",
    ),
    "source-without-link": Code(
        "A source with neither a URL nor a DOI",
        "Readers and reviewers must be able to find every source to check the facts it supports.",
        "Add `url:` with the address where you read the source, or `doi:`.",
    ),
    "bad-date": Code(
        "A date that is not a year, a year and month, or a calendar date",
        "Timeline dates are as precise as the sources allow, and must be real dates so that events sort and "
        "print correctly.",
        'Write `1996`, `"1996-05"` or `"1996-05-15"` (quote dates with a month), and check the month and day.',
    ),
    "empty-outcome": Code(
        "An outcome with neither a description nor figures",
        "An outcome must say what happened.",
        "Add `description:`, or `before:` and `after:` figures with their `unit:`.",
    ),
    "id-mismatch": Code(
        "The case id differs from the file name",
        "The id is the case's address on the site and in citations; one name for both avoids confusion.",
        "Make `id:` equal to the file name without `.yaml`, or rename the file.",
    ),
    "duplicate-id": Code(
        "Two things in one case share an id",
        "Interdependencies, commitments and citations refer to things by id, so each id must be unique.",
        "Rename one of the two.",
    ),
    "unknown-actor": Code(
        "A reference to an actor that is not declared",
        "Every actor named in interdependencies, stages, the deal or credit must be declared once under `actors:`.",
        "Use one of the declared actor ids (the message lists them) or declare the actor.",
    ),
    "unknown-asset": Code(
        "A reference to an asset the actor does not hold",
        "An interdependency or commitment names an asset of a particular actor.",
        "Use one of that actor's asset ids (the message lists them) or add the asset under its `assets:`.",
    ),
    "unknown-purpose": Code(
        "A reference to a purpose the actor does not have",
        "An interdependency touches a purpose of a particular actor.",
        "Use one of that actor's purpose ids (the message lists them) or add the purpose under its `purposes:`.",
    ),
    "unknown-source": Code(
        "A citation of a source that is not listed",
        "Every fact must be traceable to a listed source.",
        "Use one of the source ids under `sources:` or add the source there.",
    ),
    "self-interdependency": Code(
        "An interdependency from an actor to itself",
        "Interdependence is between different actors; an actor using its own asset is not a deal.",
        "Point `target:` at another actor, or remove the entry.",
    ),
    "years-order": Code(
        "The end year is before the start year",
        "A case runs forward in time.",
        "Swap the years, or correct the one that is wrong.",
    ),
    "unknown-country": Code(
        "A country code that is not in ISO 3166-1",
        "Country codes drive the filters and the coverage page.",
        "Use the two-letter ISO 3166-1 alpha-2 code, for example `GB` for the United Kingdom.",
    ),
    "duplicate-case-id": Code(
        "Two case files share an id",
        "Each case has one address on the site.",
        "Rename one of the files and its `id:`.",
    ),
    "unknown-case": Code(
        "A reading list names a case that does not exist",
        "Reading lists link to case pages; a missing case would be a broken link in a syllabus.",
        "Use the id of a file in `cases/` (the file name without `.yaml`).",
    ),
    "duplicate-title": Code(
        "Two cases share a title",
        "Readers pick cases from lists by title.",
        "Make the titles distinct, for example by adding the place or years.",
    ),
    "source-title-mismatch": Code(
        "The same source URL cited with different titles in different cases",
        "One document should be cited the same way everywhere, so readers and researchers can match it.",
        "Use the exact title of the document in every case that cites it.",
    ),
}
