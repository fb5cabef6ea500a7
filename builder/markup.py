"""HTML or Markdown written in a case's text: reported as a warning (``markup-in-text``), never rendered.

Why: every text of a case is shown as written (it is escaped, so contributor text never becomes live markup),
so ``<b>x</b>``, ``**x**`` or ``[a](https://...)`` would reach the page with its brackets and stars. The case
stays valid: the warning says what to write instead.

Only what is markup beyond doubt is reported, so that ordinary text passes: "< 5 %", "5 * 3", "a*b", "x < y > z"
and "[sic]" are not markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from builder.load import DataPath, RawCase, load_bytes
from builder.problems import CODES, Problem, quote

#: Each kind of markup, by what a message calls it, and a character it cannot be without: a text without
#: that character is not searched (a search is slow beside ``in``; 1 ms in a whole case file).
MARKUP: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("an HTML tag", re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s+[^<>]*)?/?>"), "<"),
    ("a link in angle brackets", re.compile(r"<(?:https?|mailto):[^<>\s]+>", re.IGNORECASE), "<"),
    (
        "an HTML character reference",
        re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,30}|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});"),
        "&",
    ),
    ("a Markdown link", re.compile(r"!?\[[^\[\]\n]+\]\((?:[^()\s]|\([^()\s]*\))+\)"), "]("),
    ("Markdown emphasis", re.compile(r"(?<![\w*])(\*\*?)(?=\S)[^*\n]*?\S\1(?![\w*])"), "*"),
    ("Markdown code", re.compile(r"`[^`\n]+`"), "`"),
)


def find_markup(text: str) -> tuple[str, str] | None:
    """The first markup in ``text``: (what it is, the markup as written), or ``None``.

    >>> find_markup("Police <b>and</b> pastors")
    ('an HTML tag', '<b>')
    >>> find_markup("See [the report](https://example.org/r).")
    ('a Markdown link', '[the report](https://example.org/r)')
    >>> find_markup("a **bold** claim")
    ('Markdown emphasis', '**bold**')
    >>> [find_markup(t) for t in ("< 5 %", "5 * 3 = 15", "x < y > z", "a*b*c", "[sic]", "AT&T", "snake_case_id")]
    [None, None, None, None, None, None, None]
    """
    found = [
        (m.start(), what, m.group(0)) for what, rx, needs in MARKUP if needs in text for m in [rx.search(text)] if m
    ]
    if not found:
        return None
    _, what, written = min(found)
    return what, written


#: At most this many warnings of each kind are listed for one file (a file written to flood the output gives no more).
MAX_WARNINGS = 50


def markup_warnings(raw: RawCase, limit: int | None = MAX_WARNINGS) -> list[Problem]:
    """A ``markup-in-text`` warning for each text of ``raw`` (a case or reading list's data) with markup, the first
    ``limit`` (all with ``None``)."""
    out: list[Problem] = []
    for path, text in _texts(raw.data, ()):
        if len(out) == limit:
            break
        found = find_markup(text)
        if found:
            what, written = found
            line, column = raw.position(path)
            out.append(
                Problem(
                    raw.display,
                    line,
                    column,
                    "markup-in-text",
                    f"{_where(path)}: {quote(written)} is {what}, shown on the page as typed (texts are plain text)",
                    CODES["markup-in-text"].fix,
                )
            )
    return out


def file_warnings(data: bytes, raw: RawCase) -> list[Problem]:
    """The warnings of a case or reading list file that YAML read without a problem: its bytes ``data``, read as
    ``raw``: markup in a text (``markup_warnings``) and text cut short by a comment (``cut_warnings``), by line.

    Called by the check of each file (``builder.validate``), so that warnings are cached with its result and no
    file is read twice. The whole text is searched first (about 0.1 ms for a 50 KB file): most files have no
    markup at all. A file read by the fast path has no positions; it is read again with them only if it has some.
    """
    whole = data.decode("utf-8", errors="replace")
    cut = cut_warnings(whole, raw) if " #" in whole else []
    if not any(needs in whole and rx.search(whole) for _, rx, needs in MARKUP):
        return cut
    if not raw.values:
        raw, problems = load_bytes(data, raw.path)  # positions, for the warnings' lines
        if raw is None or problems:
            return cut
    return sorted([*markup_warnings(raw), *cut], key=lambda w: (w.line, w.column))


#: The start of a plain (unquoted) value after a key or a list item's dash, up to its first character. In such a
#: value YAML reads everything from `` #`` on as a comment and leaves it out, so ``locality: River Town #1 ward`` is
#: read as "River Town". A comment written on purpose almost always starts with ``# ``.
_PLAIN_VALUE = re.compile(r" *(?:(?:- +)*[A-Za-z_][\w-]*: +|(?:- +)+)(?=[^\s'\"#|>&*!%@`\[\]{},])")


#: A line that starts a block of text (``summary: |``, ``- >-``): the lines indented under it are text, ``#`` and all.
_BLOCK_START = re.compile(r" *(?:- +)*([A-Za-z_][\w-]*: +)?[|>][1-9+-]{0,2} *(?:#.*)?")


#: Where a comment starts in a plain value: a space or a tab, then ``#``.
_COMMENT = re.compile(r"[ \t]#")


def cut_warnings(text: str, raw: RawCase) -> list[Problem]:
    """A ``text-cut-by-comment`` warning for each plain value of ``text`` (a file's text, read as ``raw``) that YAML
    cut short at `` #`` followed by a character other than a space, the first ``MAX_WARNINGS``. A line that only
    looks like one is passed over: inside a block of text (indented under ``summary: |``), or the next line of a
    quoted text, whose words YAML keeps (the cut value must be one of the texts read, whole). One pass over the
    lines, with no pattern that could backtrack: linear in the text, whatever a file holds.

    >>> from pathlib import Path
    >>> from builder.load import load_text
    >>> text = "locality: River Town #1 ward\\nsummary: |\\n  note: see #2 below\\nid: x  # a comment\\n"
    >>> [(w.line, w.column, w.message) for w in cut_warnings(text, load_text(text, Path("x.yaml"))[0])]
    [(1, 22, "the text 'River Town' stops at ' #': YAML reads '#1 ward' as a comment and leaves it out")]
    """
    out: list[Problem] = []
    texts: set[str] | None = None
    block = -1  # the indentation of the line that started the block of text we are in, or -1
    for number, line in enumerate(text.removeprefix("\ufeff").split("\n"), 1):
        line = line.removesuffix("\r")
        indent = len(line) - len(line.lstrip(" "))
        if block >= 0 and (indent > block or not line.strip()):
            continue
        start = _BLOCK_START.fullmatch(line)
        block = -1 if start is None else start.start(1) if start.group(1) else indent  # a key's column, or the dash's
        lead = _PLAIN_VALUE.match(line) if "#" in line else None
        if lead is None:
            continue
        comment = _COMMENT.search(line, lead.end())
        after = line[comment.end() : comment.end() + 1] if comment else ""
        if comment is None or not after or after.isspace() or after == "#":
            continue
        value = line[lead.end() : comment.start()].rstrip()
        if texts is None:
            texts = {value for _, value in _texts(raw.data, ())}
        if value not in texts:  # YAML read more than this: the line is part of a longer text
            continue
        out.append(
            Problem(
                raw.display,
                number,
                comment.end(),
                "text-cut-by-comment",
                f"the text {quote(value)} stops at ' #': YAML reads {quote(line[comment.end() - 1 :].rstrip())} as a "
                "comment and leaves it out",
                CODES["text-cut-by-comment"].fix,
            )
        )
        if len(out) == MAX_WARNINGS:
            break
    return out


def _texts(data: Any, path: DataPath) -> Iterator[tuple[DataPath, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _texts(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _texts(value, (*path, i))
    elif isinstance(data, str):
        yield path, data


def _where(path: DataPath) -> str:
    """A data path as a reader finds it in the file: ``actors[0].name``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
