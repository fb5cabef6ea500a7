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


def markup_warnings(raw: RawCase) -> list[Problem]:
    """A ``markup-in-text`` warning for every text of ``raw`` (a case or reading list's data) with markup."""
    out = []
    for path, text in _texts(raw.data, ()):
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
    ``raw``.

    Called by the check of each file (``builder.validate``), so that warnings are cached with its result and no
    file is read twice. The whole text is searched first (about 0.1 ms for a 50 KB file): most files have no
    markup at all. A file read by the fast path has no positions; it is read again with them only if it has some.
    """
    whole = data.decode("utf-8", errors="replace")
    if not any(needs in whole and rx.search(whole) for _, rx, needs in MARKUP):
        return []
    if not raw.values:
        raw, problems = load_bytes(data, raw.path)  # positions, for the warnings' lines
        if raw is None or problems:
            return []
    return markup_warnings(raw)


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
