"""Problems found in case files, and how they are printed.

Every rule in ``load`` and ``validate`` reports a ``Problem`` with a stable code.
Each code is registered in ``CODES`` with why the rule exists and how to fix it;
the site's problem reference is generated from that registry, so a code cannot
exist without its documentation.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path


class UsageError(Exception):
    """A command that cannot run as called (no ``mkdocs.yml`` where it is run, an address in use): the CLI prints
    its message, which says what to do, as one line, and exits 1; never a traceback."""


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file, at a line and column (1-based)."""

    path: str
    line: int
    column: int
    code: str
    message: str
    fix: str = ""

    def __post_init__(self) -> None:
        if self.code not in CODES:  # every code is documented on the site; a new one must be registered
            raise ValueError(f"problem code {self.code!r} is not registered in builder.problems.CODES")

    @property
    def severity(self) -> str:
        """``error`` (the file is refused) or ``warning`` (reported; the case stays valid)."""
        return "warning" if CODES[self.code].warning else "error"

    def format(self) -> str:
        text = f"{self.path}:{self.line}:{self.column}: {self.severity}[{self.code}] {self.message}"
        if self.fix:
            text += f"\n  fix: {self.fix}"
        return text

    def format_github(self) -> str:
        # GitHub workflow commands: properties and message need %-escaping.
        message = _gh_escape(f"[{self.code}] {self.message}" + (f" Fix: {self.fix}" if self.fix else ""))
        path = _gh_escape(self.path, prop=True)
        return f"::{self.severity} file={path},line={self.line},col={self.column},title={self.code}::{message}"


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def display_path(path: Path) -> str:
    """The path as a user would type it: relative to the working directory when possible.

    A file name is contributor text too: invisible and direction-changing characters in it are shown escaped.
    """
    try:
        here = os.getcwd()
    except OSError:  # the working directory was removed
        here = ""
    return _display_path(os.fspath(path), here)


@functools.lru_cache(maxsize=4096)
def _display_path(path: str, here: str) -> str:
    """``display_path`` of ``path`` from the working directory ``here`` ("" if it has none), remembered: a
    file's path is shown several times while it is checked, and each costs three calls into ``os.path``."""
    # Absolute without resolving links: a link is shown by its own name, never by what it points at.
    try:
        if not here:
            raise OSError
        text = os.path.relpath(os.path.abspath(path), os.path.abspath(here))
        if text.startswith(".."):
            text = path
    except (ValueError, OSError):
        text = path
    if not text.isprintable():
        text = quote(text, limit=len(text))[1:-1]
    return text


#: Characters refused anywhere in a file (values, keys and comments): controls, direction changes, invisibles.
#: Allowed on purpose: tab, newline and CR; ZWNJ and ZWJ (U+200C, U+200D: Persian, Indic scripts, emoji);
#: the direction marks U+200E, U+200F and U+061C (they change no text but their neighbours); variation selectors.
BAD_CHARACTERS = re.compile(
    "["
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"  # C0 controls but tab, newline and CR; DEL; C1 controls
    "\u00ad\u034f\u17b4\u17b5\u3164\uffa0"  # soft hyphen, grapheme joiner, invisible vowels, Hangul fillers
    "\u200b\u2028\u2029\u2060-\u2064\u206a-\u206f\ufeff"  # zero-width space, line separators, word joiner...
    "\u202a-\u202e\u2066-\u2069"  # direction embeddings, overrides and isolates
    "\ud800-\udfff\ufff9-\ufffb\ufffe\uffff"  # broken (surrogate) characters, annotation marks, non-characters
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e007f"  # shorthand and music format, tags
    "]"
)

_CONTROL_NAMES = {
    0x00: "NULL",
    0x07: "BELL",
    0x08: "BACKSPACE",
    0x09: "CHARACTER TABULATION",
    0x0A: "LINE FEED",
    0x0B: "LINE TABULATION",
    0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
    0x85: "NEXT LINE",
    0xA0: "NO-BREAK SPACE",
}


def char_name(char: str) -> str:
    r"""A character by code point and name, as in a Unicode chart.

    >>> char_name("\u202e")
    'U+202E RIGHT-TO-LEFT OVERRIDE'
    >>> char_name("\x1b")
    'U+001B ESCAPE'
    """
    code = ord(char)
    name = _CONTROL_NAMES.get(code) or unicodedata.name(char, "")
    if not name:
        name = "CONTROL CHARACTER" if unicodedata.category(char) == "Cc" else "UNNAMED CHARACTER"
    return f"U+{code:04X} {name}"


def quote(text: object, limit: int = 60, ascii_only: bool = False) -> str:
    r"""Contributor text in quotes for a message, with invisible characters escaped.

    Why: two names that differ by an invisible character, or a letter of another
    script, would otherwise look the same in the message. ``ascii_only`` escapes
    every non-ASCII character, for ids, which are ASCII by rule.

    >>> quote("Boston\u202e police")
    "'Boston\\u202e police'"
    >>> quote("t\u043ewn", ascii_only=True)
    "'t\\u043ewn'"
    """
    text = str(text)
    out = []
    for char in text[:limit] if len(text) > limit else text:
        if char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif (ascii_only and not char.isascii()) or not char.isprintable() or BAD_CHARACTERS.match(char):
            code = ord(char)
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(char)
    return "'" + "".join(out) + ("..." if len(text) > limit else "") + "'"


def summary_line(problems: list[Problem]) -> str:
    files = len({p.path for p in problems})
    noun = "error" if len(problems) == 1 else "errors"
    return f"check failed: {len(problems)} {noun} in {files} file{'s' if files != 1 else ''}"


@dataclass(frozen=True)
class Code:
    title: str
    why: str
    fix: str
    #: A warning is reported but leaves the case valid (``casebook validate`` still exits 0).
    warning: bool = False


#: Every problem code, with why the rule exists and how to fix it (shown on the site).
CODES: dict[str, Code] = {
    "yaml-syntax": Code(
        "The file is not valid YAML",
        "The file must be read before anything else can be checked.",
        "Look at the line named and the one before it: a missing colon, a tab instead of spaces, "
        "or text that starts with a character YAML treats specially (quote such text).",
    ),
    "missing-file": Code(
        "The file or folder named does not exist, or is not a regular file",
        "Nothing can be checked that cannot be read. Symbolic links and devices are refused: a link in a pull "
        "request could read any file of the machine that checks it into the messages.",
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
    "empty-outcome": Code(
        "An outcome with neither a description nor figures",
        "An outcome must say what happened.",
        "Add `description:`, or `before:` and `after:` figures with their `unit:`.",
    ),
    "id-mismatch": Code(
        "The case id differs from the file name",
        "The id is the case's address on the site and in citations; one name for both avoids confusion.",
        "Make `id:` equal to the file name without `.yaml`, or rename the file; a case file ends in `.yaml` "
        "(not `.yml`).",
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
        "A reading list or a related case names a case that does not exist",
        "Reading lists and related cases link to case pages; a missing case would be a broken link.",
        "Use the id of another file in `cases/` (the file name without `.yaml`).",
    ),
    "duplicate-case": Code(
        "A reading list names the same case twice",
        "A packet prints each case it names, so a case named twice prints twice, and the page holds two copies of "
        "every id in it, so its links to sources and actors jump to the first copy.",
        "Name each case once: replace the second with another case, or delete that item.",
    ),
    "old-schema": Code(
        "A case file written for an earlier version of the case model",
        "Every case file says which version of the model it follows (`schema_version`), so that tools can read "
        "old files and upgrade them; the schema changelog on the site lists what each version added.",
        "Run `casebook migrate FILE`: it adds `schema_version:` and keeps everything else as written, then lists "
        "what the new version lets you add from your sources.",
    ),
    "bundle": Code(
        "A bundle of complements that does not hold together",
        "A bundle groups interdependencies that help one purpose of one actor only together; the analysis counts "
        "it as one contribution. One alone, or members aimed at different purposes, is a typo.",
        "Give every member the same `bundle:` id, the same `target:` and the same `purpose:`.",
    ),
    "unknown-event": Code(
        "A reference to a timeline event that is not declared",
        "Stages, the deal, outcomes and interdependencies point at the events of the timeline by id, so that the "
        "site can date them; a typo would detach them.",
        "Use the id of an event under `timeline:`, or add the event there.",
    ),
    "unknown-agreement": Code(
        "A reference to an agreement that is not declared",
        "Interdependencies and timeline events point at further agreements by id; a typo would detach them.",
        "Use the id of an agreement under `agreements:`; the main deal (`deal:`) needs no reference.",
    ),
    "agreement-dates": Code(
        "An agreement whose dates or end do not fit together",
        "Dates drive the timeline and the agreements' order on the page, and how an agreement ended must agree "
        "with how far it got: one cut short is dissolved or partial.",
        "Check `agreed:`, `ended:`, `end:` and `status:` against the sources.",
    ),
    "after-review": Code(
        "A dated event after the day the case was last reviewed",
        "A timeline event, an actor's change or an agreement's date is something that happened: it cannot lie "
        "after `last_reviewed:`, the day the case was checked against its sources. Events before `years.start` "
        "or after `years.end` are fine (antecedents, later evaluations). A source's note that gives a later day "
        '("read on 2026-11-30") means the case was checked again since, and `last_reviewed:` is out of date.',
        "Correct the date from the source (often a typo in the year), or update `last_reviewed:` if the case was "
        "checked again since.",
    ),
    "money-and-unit": Code(
        "An outcome in money that also has a unit",
        "When `before` and `after` are money, the currency is their unit; pages show money in one format.",
        "Keep `currency:` (and `price_year:`) and delete `unit:`, or delete `currency:` if the figures are not money.",
    ),
    "one-sided-claim": Code(
        "A disputed claim without sources on both sides",
        "A claim is recorded because someone disputes it; readers need the sources that make it and the sources "
        "or people that dispute it, side by side.",
        "Add `sources_for:` and, against the claim, `sources_against:` or a `dissent:` entry with its sources.",
    ),
    "mixed-script": Code(
        "A title or name that mixes look-alike scripts in one word",
        "A Cyrillic `О` or a Greek `Ο` among Latin letters looks the same but is another character, so two titles or "
        "names can seem identical and pass as different.",
        "Retype the word in one script.",
    ),
    "reserved-id": Code(
        "A case id that is the address of a generated page",
        "`cases/index` is the case index; a case with that id would be hidden by it.",
        "Choose another id, and rename the file to match.",
    ),
    "subdivision-country": Code(
        "A subdivision outside the case's countries",
        "Subdivisions (ISO 3166-2) refine the countries for filters and the map; one outside them is a typo.",
        "Add the subdivision's country to `countries:`, or correct the code (`GB-SCT` is Scotland).",
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
    "not-utf8": Code(
        "The file is not saved as UTF-8",
        "Case files are UTF-8 text, the encoding every editor, browser and tool here expects.",
        "Save the file as UTF-8 (without a byte-order mark): in most editors, *Save with Encoding* then *UTF-8*.",
    ),
    "too-large": Code(
        "The file is too large",
        "A case file is at most 1,000,000 bytes and 50,000 values, so that thousands of cases can be checked "
        "quickly and a hostile file cannot exhaust the memory of the machine checking it (see Limits and "
        "characters).",
        "Remove what does not belong in a case; the largest real case is about 63,000 bytes.",
    ),
    "too-deep": Code(
        "Lists and mappings nested too deeply",
        "A case needs at most 7 levels of nesting; deeper nesting is a mistake in indentation or brackets, or an "
        "attempt to exhaust the reader (the limit is 20 levels).",
        "Check the indentation and the brackets at the line named.",
    ),
    "too-many-aliases": Code(
        "Too many YAML aliases",
        "An alias (`*name`) repeats what an anchor (`&name`) marks. A few lines of nested aliases can expand "
        "to billions of values (a *billion laughs* file), so a file may use at most 100 aliases and 50,000 values "
        "once they are expanded.",
        "Write the values out in full; case files rarely need aliases.",
    ),
    "bad-character": Code(
        "A control, direction-changing or invisible character",
        "Such characters cannot be seen: a right-to-left override turns the rest of a line backwards on the site, "
        "and an invisible character makes two names that look the same differ. The message names the character "
        "by its code point and shows it escaped (such as `\\u202e`).",
        "Delete the character at the place named (retype the text around it if you cannot see it). Zero-width "
        "joiners and non-joiners (U+200C, U+200D) are allowed in text, not in ids.",
    ),
    "needs-quotes": Code(
        "Text that YAML read as a number, a boolean or nothing",
        "YAML reads an unquoted `true`, `false`, `null`, `~` or number as a boolean, nothing or a number, "
        "not as text. The message says what YAML read.",
        "Put the value in quotes, such as `title: '1984'` or `name: 'True North'`.",
    ),
    "actor-kind": Code(
        "An actor whose fields do not fit its kind",
        "Only a unit or a person belongs to another actor (`part_of`), only a coalition has `members`, and every "
        "actor but an affected group has a mission; the analysis and the page rely on it.",
        "Set `kind:` to what the actor is (organization, unit, coalition, person, affected-group), or move the "
        "field to the actor it belongs to.",
    ),
    "part-of-cycle": Code(
        "An actor that is part of itself",
        "`part_of` and `members` describe which actors contain which; a loop has no outermost organization.",
        "Make `part_of` point up to the larger organization only, and list other actors, not the coalition "
        "itself, under `members`.",
    ),
    "bad-date": Code(
        "A date that does not exist, or is not written as the field asks",
        "Dates are compared, sorted and shown on the site; `2026-02-29` is not a day of the calendar. "
        "`last_reviewed` is a full date; a timeline event's date is as precise as the sources allow.",
        "Write a date that exists: `2026-02-28` for `last_reviewed`; `1996`, `1996-05` or `1996-05-15` for a "
        "timeline event.",
    ),
    "not-finite": Code(
        "A number that is not finite",
        "`.nan` (not a number) and `.inf` (infinity) are numbers to YAML, but no outcome measures them and "
        "they break comparisons and charts.",
        "Write the figure from your source, such as `12.5`; leave the key out if the source gives none.",
    ),
    "bad-url": Code(
        "A web address that is not an ordinary http(s) address",
        "Source addresses become links on the site. Only `https://` and `http://` addresses are links readers "
        "can safely follow; `javascript:` and `data:` addresses run code or hide content, and a name before "
        "`@` disguises the real site.",
        "Write the full address of the page where you read the source, starting with `https://`.",
    ),
    "text-cut-by-comment": Code(
        "Text cut short by a comment (a warning)",
        "In YAML, ` #` after an unquoted value starts a comment, which is left out: `locality: River Town #1 ward` "
        'is read as "River Town", and nothing else says so. A warning, not an error: a comment after a value is '
        "allowed, and the case stays valid.",
        "if the `#` is part of the text, put the whole text in quotes (`locality: 'River Town #1 ward'`) or write "
        "`No. 1`; a comment written on purpose starts with `# ` (a space after the #)",
        warning=True,
    ),
    "markup-in-text": Code(
        "HTML or Markdown in a text (a warning)",
        "Every text is shown as written, never as markup (contributor text must not become live HTML), so HTML tags, "
        "`**bold**` or `[a link](https://...)` would appear on the page with its brackets and stars. A warning, "
        "not an error: the case stays valid.",
        "write plain text; cite sources by id in `sources:` (they are listed and linked on the page), and give "
        "a web address only as a source's `url:`",
        warning=True,
    ),
    "duplicate-link": Code(
        "The same link of help written twice in a situation",
        "Each link of help (holder, asset, target, purpose) counts once in the diagnosis.",
        "Remove one of the two entries, or correct the one that should differ.",
    ),
    "too-many-problems": Code(
        "More problems than are listed",
        "At most 200 problems are listed for one file, and 20 character problems; a file with more is usually "
        "not a case file, or one pasted from somewhere else, and a longer list would not help.",
        "Fix the problems listed and check again, or start again from the template (`casebook new SLUG`).",
    ),
    "internal-error": Code(
        "The checker failed on this file",
        "This is a bug in the casebook, not in your file; the other files are still checked.",
        "Report it in an issue with the file attached.",
    ),
}
