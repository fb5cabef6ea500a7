"""Load stage: read case files into plain data, keeping the position of every key.

In: paths of YAML files (or their text). Out: ``RawCase`` (data plus a map from
each data path to its line and column) or problems. This stage only reads: it
checks YAML syntax, duplicate keys, the characters of the file, and the limits
below, which a plain YAML load would not.

Why this is not ``yaml.safe_load``:

- **Scalars are read as YAML 1.2 reads them** (the core schema), not as PyYAML's
  YAML 1.1: only ``true``/``false`` are booleans (``NO``, ``yes``, ``off`` are
  text), ``3:1`` is text (not a base-60 number), and ``2026-02-29`` is text that
  the model parses as a date, so an impossible date is a problem, not a crash.
  The source text of every plain scalar read as a number, boolean or null is
  kept, so a message can say what YAML did and how to quote it.
- **Limits** (see ``docs/contribute/limits.md``): a file larger than
  ``MAX_BYTES``, nested deeper than ``MAX_DEPTH``, with more than ``MAX_ALIASES``
  aliases or more than ``MAX_VALUES`` values once aliases are expanded is refused
  at once, so a 2 KB "billion laughs" file cannot eat the machine's memory.
- **Characters**: control characters, direction overrides and invisible
  characters are refused (``builder.problems.BAD_CHARACTERS``), wherever they are.

Parsing is done by libyaml (``CParser``) event by event; the tree is built here,
without recursion, so no input can exhaust the stack. No tags that construct
Python objects are honoured.

**A fast path that may only accept** (``load_fast``): most files have no problem
at all, and for them positions are never read. ``load_fast`` reads such a file
with yaml-rs (Rust, YAML 1.2, about five times faster than libyaml's events here)
and no positions, after checks that send anything unusual to ``load_bytes``: the
size, the character policy, anchors, aliases, tags, directives, a second
document, merge keys, escapes, tabs, explicit block-scalar indentation and number
forms that the two readers resolve differently. It never reports a problem: it
returns ``None`` instead, and the caller reads the file again with ``load_bytes``,
so every problem, message, line and column is the one this loader gives. Without
yaml-rs installed, every file takes the slow path.
"""

from __future__ import annotations

import gc
import json
import math
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

try:  # the fast path's parser; optional: without it every file is read by libyaml's events
    import yaml_rs
except ImportError:  # pragma: no cover - depends on the installation
    yaml_rs = None

from builder.problems import BAD_CHARACTERS, CODES, Problem, char_name, display_path, quote

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Largest file read, in bytes (the largest real case is about 63 KB).
MAX_BYTES = 1_000_000
#: Deepest nesting of mappings and lists (the schema needs 7 levels at most).
MAX_DEPTH = 20
#: Most aliases (``*name``) in one file (no real case uses any).
MAX_ALIASES = 100
#: Most values (keys' values and list items, aliases expanded) in one file (the largest real case has about 1,300).
MAX_VALUES = 50_000
#: At most this many character problems are listed for one file.
MAX_CHARACTER_PROBLEMS = 20

_PLAIN_TAGS = {None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_STR_TAGS = {"!", "tag:yaml.org,2002:str"}

Pos = tuple[int, int]
DataPath = tuple[str | int, ...]


@dataclass
class RawCase:
    """One case file as plain data, with positions for error messages."""

    path: Path
    data: Any
    #: data path -> (line, column) of the value, 1-based.
    values: dict[DataPath, Pos] = field(default_factory=dict)
    #: data path -> (line, column) of the key that holds it, 1-based.
    keys: dict[DataPath, Pos] = field(default_factory=dict)
    #: data path -> source text of a plain scalar that YAML read as a number, boolean or null.
    scalars: dict[DataPath, str] = field(default_factory=dict)

    @property
    def display(self) -> str:
        return display_path(self.path)

    def position(self, path: DataPath, key: bool = False) -> Pos:
        """Where ``path`` is in the file; falls back to the closest enclosing value."""
        table = self.keys if key else self.values
        if path in table:
            return table[path]
        while path:
            path = path[:-1]
            if path in self.values:
                return self.values[path]
        return (1, 1)


class _Stop(Exception):
    """Reading stops at the first problem that makes the rest unreadable."""

    def __init__(self, problem: Problem):
        self.problem = problem


# --- YAML 1.2 core schema -------------------------------------------------------------------------

_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INF = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"}
_NAN = {".nan", ".NaN", ".NAN"}
_MAYBE_NOT_TEXT = set("-+.0123456789~nNtTfF")


def resolve_plain(text: str) -> Any:
    """The value of a plain (unquoted) scalar under the YAML 1.2 core schema.

    >>> [resolve_plain(t) for t in ["NO", "yes", "3:1", "2026-02-29", "true", "0x1F", "1e3", "~"]]
    ['NO', 'yes', '3:1', '2026-02-29', True, 31, 1000.0, None]
    """
    if text and text[0] not in _MAYBE_NOT_TEXT:
        return text
    if text in _NULLS:
        return None
    if text in _BOOLS:
        return _BOOLS[text]
    if len(text) <= 50:  # longer digit strings are text: Python refuses to convert very long numbers
        if _INT.fullmatch(text):
            return int(text)
        if text.startswith("0o") and re.fullmatch(r"0o[0-7]+", text):
            return int(text[2:], 8)
        if text.startswith("0x") and re.fullmatch(r"0x[0-9a-fA-F]+", text):
            return int(text[2:], 16)
        if _FLOAT.fullmatch(text):
            return float(text)
    if text in _INF:
        return math.inf
    if text in ("-.inf", "-.Inf", "-.INF"):
        return -math.inf
    if text in _NAN:
        return math.nan
    return text


# --- The fast path --------------------------------------------------------------------------------

#: Largest file the fast path reads. Every value (a key's value or a list item) takes at least two bytes
#: (``-`` and a line break, ``a,`` in brackets), so below this size ``MAX_VALUES`` cannot be reached without aliases,
#: which the fast path never reads. Real cases are under 70,000 bytes.
FAST_MAX_BYTES = MAX_VALUES * 9 // 5


def load_fast(data: bytes, path: Path) -> RawCase | None:
    """The raw case of a file with nothing unusual in it, read without positions; ``None``: use ``load_bytes``.

    In: the file's bytes (from ``read_file``). Out: a ``RawCase`` (no positions, no problems) or ``None`` when
    yaml-rs is not installed, or the file is larger than ``FAST_MAX_BYTES``, is not UTF-8, has a refused character
    or anything ``unusual``, is refused by yaml-rs, or is not one mapping. Never raises for a bad file.

    The data is exactly what ``load_bytes`` gives for the same bytes whenever it has only text keys and at most
    ``MAX_DEPTH`` levels. Those two are not looked for here (a walk over the data would cost a third of the read):
    the caller validates the data against a model that refuses both (``Case``: strict text keys, no field of any
    type, 7 levels at most; ``tests/test_fastpath.py`` checks it). Any problem the caller then finds (schema,
    rules) must be reported from ``load_bytes``, for its place.
    """
    if yaml_rs is None or len(data) > FAST_MAX_BYTES:
        return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    if unusual(data):
        return None
    try:
        text = data.decode("utf-8")
        with no_gc():
            value = yaml_rs.loads(text, parse_datetime=False)
    except Exception:  # noqa: BLE001 - a file yaml-rs refuses is read again by the slow path, which says why
        return None
    if type(value) is not dict:
        return None
    return RawCase(path, value)


def unusual(data: bytes) -> bool:
    """True if UTF-8 ``data`` has anything the fast path leaves to ``load_bytes``; false alarms cost only time.

    That is: a refused character (``BAD_CHARACTERS``, found here in the bytes) or a tab; a directive or document
    marker (a line starting with ``%``, ``---`` or ``...``); a merge key (``<<``); a backslash other than ``\\"``,
    ``\\\\`` and ``\\n`` (an escape could write a refused character); a block scalar with an explicit indentation
    or ``+`` (``|2``, ``>+``); no line break at the end, or a block scalar last in the file with nothing in it
    (``_odd_end``); an anchor, alias or tag (``&``, ``*`` or ``!`` where a value starts); a word that yaml-rs could
    read as a number and YAML 1.2's core schema as text (``_number_hint``); a flow collection other than the plain
    one-line ones (``_odd_flow``). Each check is a byte search or a regular expression that starts with a fixed
    character: one plain regular expression over the whole file (kept in the tests as the reference) costs four
    times the parse.
    """
    # One translation serves two checks: refused bytes become 0 and digits 9 (``_SCREEN``).
    nines = data.translate(_SCREEN)
    if 0 in nines or _refused_sequence(data):
        return True
    if data.startswith((b"%", b"---", b"...")) or _LINE_MARKER.search(data):
        return True
    # A one-byte ``in`` first: it is a vector search, many times faster than any search for two bytes.
    if (b"<" in data and _MERGE.search(data)) or (b"\\" in data and _odd_escape(data)):
        return True
    if (b"|" in data and _BLOCK_INDENT[0].search(data)) or _BLOCK_INDENT[1].search(data) or _odd_end(data):
        return True
    return _node_property(data) or _number_hint(data, nines) or _odd_flow(data)


def _odd_escape(data: bytes) -> bool:
    """True if a backslash in ``data`` starts anything but ``\\\\``, ``\\"`` or ``\\n``.

    The same as looking for a backslash left after removing every ``\\\\``, then every ``\\"``, then every
    ``\\n``: in a run of backslashes the pairs go first, and an odd one left must stand before ``"`` or ``n``.
    """
    at = data.find(b"\\")
    while at >= 0:
        if data[at + 1 : at + 2] not in _ESCAPED:
            return True
        at = data.find(b"\\", at + 2)
    return False


#: What may follow a backslash on the fast path (a second backslash makes a pair, skipped with it).
_ESCAPED = frozenset((b"\\", b'"', b"n"))


def refused_bytes(data: bytes) -> bool:
    """True if UTF-8 ``data`` has a tab or a character of ``BAD_CHARACTERS``, found without decoding it.

    Every refused character but the C0 and DEL ones starts with one of a few bytes that most files lack; each
    present is followed up by a regular expression that starts with it. Several times faster than
    ``BAD_CHARACTERS.search`` on the decoded text, and the same (a test compares them on every code point).
    """
    return 0 in data.translate(_REFUSED_BYTES) or _refused_sequence(data)


def _refused_sequence(data: bytes) -> bool:
    """True if UTF-8 ``data`` has a refused character of two or more bytes (``_REFUSED_SEQUENCES``)."""
    return any(lead in data and pattern.search(data) for lead, pattern in _REFUSED_SEQUENCES)


#: Bytes refused (C0 controls but line breaks, so tabs too; DEL) translate to 0, all others to 1.
_REFUSED_BYTES = bytes(0 if (b < 0x20 and b not in (0x0A, 0x0D)) or b == 0x7F else 1 for b in range(256))
#: The screen's translation: refused bytes become 0 (none other does), digits 9, the rest stay.
_SCREEN = bytes(0 if _REFUSED_BYTES[b] == 0 else 0x39 if 0x30 <= b <= 0x39 else b for b in range(256))
#: The UTF-8 forms of the other ``BAD_CHARACTERS``, by their first byte (a test compares them on every code point).
_REFUSED_SEQUENCES = tuple(
    (lead, re.compile(re.escape(lead) + rest))
    for lead, rest in (
        (b"\xc2", rb"[\x80-\x9f\xad]"),  # C1 controls, soft hyphen
        (b"\xcd", rb"\x8f"),  # combining grapheme joiner
        (b"\xe1", rb"\x9e[\xb4\xb5]"),  # Khmer invisible vowels
        (b"\xe2", rb"(?:\x80[\x8b\xa8-\xae]|\x81[\xa0-\xa4\xa6-\xaf])"),  # zero-width space, separators, direction
        (b"\xe3", rb"\x85\xa4"),  # Hangul filler
        (b"\xed", rb"[\xa0-\xbf]"),  # surrogates (not UTF-8 at all)
        (b"\xef", rb"(?:\xbb\xbf|\xbe\xa0|\xbf[\xb9-\xbb\xbe\xbf])"),  # BOM, half-width filler, non-characters
        (b"\xf0", rb"(?:\x9b\xb2[\xa0-\xa3]|\x9d\x85[\xb3-\xba])"),  # shorthand and musical format controls
        (b"\xf3", rb"\xa0[\x80\x81]"),  # tag characters
    )
)
_LINE_MARKER = re.compile(rb"\n(?:%|---|\.\.\.)")
_MERGE = re.compile(rb"<<")
_BLOCK_INDENT = (re.compile(rb"\|[-+]?[0-9+]"), re.compile(rb">[-+]?[0-9+]"))
_BLOCK_HEADER = re.compile(rb"[|>][-+]?(?:[ \t]+#.*)?$")


def _odd_end(data: bytes) -> bool:
    """True if ``data`` does not end with a line break, or its last line (blank and comment lines aside) could
    start a block scalar: yaml-rs reads an empty block scalar at the end of a file as a line break, and a last
    line without a line break as if it had one, where libyaml (and the YAML specification) read neither."""
    if not data.endswith(b"\n"):
        return True
    end = len(data)
    while end > 0:
        start = data.rfind(b"\n", 0, end - 1) + 1
        line = data[start:end].strip()
        if line and not line.startswith(b"#"):
            return _BLOCK_HEADER.search(line) is not None
        end = start
    return False


#: What may stand before an anchor, alias or tag (spaces aside): the start of a line, an indicator, a bracket.
_BEFORE_PROPERTY = frozenset(b"\n-?:,[]{}")


def _node_property(data: bytes) -> bool:
    """True if an ``&``, ``*`` or ``!`` stands where a value could start (after spaces, at a line start or
    after ``:``, ``-``, ``?``, ``,`` or a bracket); in the middle of text (``R & D``, ``Great!``) it is text."""
    for char in b"&*!":
        at = data.find(char)
        while at >= 0:
            before = at - 1
            while before >= 0 and data[before] == 0x20:
                before -= 1
            if before < 0 or data[before] in _BEFORE_PROPERTY:
                return True
            at = data.find(char, at + 1)
    return False


#: A flow collection (``[a, b]``, ``{start: 1995, end: 2000}``) as the real cases write them: on one line, after
#: ``: `` or ``- ``, holding plain words of letters, digits and ``-._/()+'`` (single spaces between them) or quoted
#: text (``\\"`` the only escape), not nested, followed by nothing but a comment. libyaml and yaml-rs read other flow
#: collections differently (``[|, a]``, ``{?a: 1}``, ``[:a]``), so files with any other ``[`` or ``{`` are left to the
#: slow path (``_odd_flow``).
#: Every repetition is possessive (``*+``, ``++``: no backtracking into it, a fifth faster): each stops before a
#: character it cannot take and that what follows needs (a space, ``,``, ``]``, ``}``, a quote), so giving back a
#: repetition could never make a match. The plain patterns are kept in the tests to check that.
_FLOW_ITEM = rb"""(?:[A-Za-z0-9(\x80-\xff][-A-Za-z0-9._/()+'\x80-\xff]*+(?: [-A-Za-z0-9._/()+'\x80-\xff]++)*+"""
_FLOW_ITEM += rb"""|"(?:[^"\\\n]|\\")*+"|'(?:[^'\n]|'')*+')"""
_FLOW_SEQUENCE = rb" *+(?:ITEM(?: *+, *+ITEM)*+)? *+\]".replace(b"ITEM", _FLOW_ITEM)
_FLOW_MAPPING = rb" *+(?:[A-Za-z0-9_]++: ++ITEM(?: *+, *+[A-Za-z0-9_]++: ++ITEM)*+)? *+\}".replace(b"ITEM", _FLOW_ITEM)
_FLOW_END = rb"[ ]*(?:#[^\n]*)?\n"
#: Each starts with three fixed characters, so the regular expression engine skips quickly to the candidates.
_FLOW_VALUES = tuple(
    re.compile(re.escape(lead) + body + _FLOW_END)
    for lead, body in (
        (b": [", _FLOW_SEQUENCE),
        (b": {", _FLOW_MAPPING),
        (b"- [", _FLOW_SEQUENCE),
        (b"- {", _FLOW_MAPPING),
    )
)
#: The bracket each of them cuts.
_FLOW_BRACKETS = (b"[", b"{", b"[", b"{")


def _odd_flow(data: bytes) -> bool:
    """True if any ``[`` or ``{`` in ``data`` lies outside the plain flow collections the real cases write
    (brackets in the quoted text or the comment of such a line count as inside: they are harmless there).

    Each plain flow collection found is cut out (``re.sub``, no Python per match: a third cheaper than counting
    the brackets of each match) and replaced by ``\\x00`` and its line break: no pattern can match through a
    ``\\x00`` except in a comment, where the original text would match too, so every match in the cut text is one
    in ``data``; then no bracket may be left.
    """
    for bracket, pattern in zip(_FLOW_BRACKETS, _FLOW_VALUES, strict=True):
        if bracket in data:  # a one-byte search: skips the patterns with nothing to cut
            data = pattern.sub(b"\x00\n", data)
    return b"[" in data or b"{" in data


#: Digits become 9, so that one search finds any run of 16 digits.
_NINES = bytes.maketrans(b"0123456789", b"9999999999")
#: Where yaml-rs reads a number and YAML 1.2's core schema text: digit separators (``1_000``, a ``_`` next to a
#: digit), ``0b``/``0X``/``0O`` prefixes and signed ``0x``, ``.Inf`` in other cases, numbers of more than 50
#: characters (which have a run of 16 digits, or a hexadecimal ``0x`` prefix). The prefixes are searched with
#: regular expressions that start with a fixed character; ``_`` and the 16 nines with ``bytes.find``.
_BYTES_HINTS = (re.compile(rb"0[xXoObB]"), re.compile(rb"\.[iInN][nNaA][fFnN]"))
_DIGITS = frozenset(b"0123456789")
_SIXTEEN = b"9" * 16
#: Characters of such a number, and what may stand before and after a plain scalar (a word within a URL may not).
_NUMBER_CHARS = frozenset(b"-+._0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_BEFORE_SCALAR = frozenset(b" \n[]{},:")
_AFTER_SCALAR = frozenset(b" \n[]{},:#")


def _number_hint(data: bytes, nines: bytes | None = None) -> bool:
    """True if a number hint lies in a word of number characters that could be a whole plain scalar.

    ``nines``: ``data`` with every digit made a 9, if the caller has it (``unusual`` does).
    """
    at = data.find(b"_")
    while at >= 0:  # a digit next to it: the word around it is the word around the pair (both are number chars)
        if ((at > 0 and data[at - 1] in _DIGITS) or data[at + 1 : at + 2] in _DIGIT_BYTES) and _scalar_word(
            data, at, at + 1
        ):
            return True
        at = data.find(b"_", at + 1)
    nines = data.translate(_NINES) if nines is None else nines
    at = nines.find(_SIXTEEN)
    while at >= 0:
        if _scalar_word(data, at, at + 16):
            return True
        at = nines.find(_SIXTEEN, at + 1)
    return any(_scalar_word(data, m.start(), m.end()) for pattern in _BYTES_HINTS for m in pattern.finditer(data))


#: Each digit as a one-byte ``bytes`` (the byte after a ``_``, sliced so that the end of the file is ``b""``).
_DIGIT_BYTES = frozenset(bytes([d]) for d in b"0123456789")


def _scalar_word(data: bytes, start: int, end: int) -> bool:
    """True if ``data[start:end]`` lies in a word of number characters that stands alone like a plain scalar."""
    while start > 0 and data[start - 1] in _NUMBER_CHARS:
        start -= 1
    while end < len(data) and data[end] in _NUMBER_CHARS:
        end += 1
    return (start == 0 or data[start - 1] in _BEFORE_SCALAR) and (end == len(data) or data[end] in _AFTER_SCALAR)


# --- Reading ---------------------------------------------------------------------------------------


def load_file(path: Path) -> tuple[RawCase | None, list[Problem]]:
    """Read and parse one case file."""
    data, problems = read_file(path)
    if data is None:
        return None, problems
    return load_bytes(data, path)


def read_file(path: Path) -> tuple[bytes | None, list[Problem]]:
    """The bytes of one case file (at most ``MAX_BYTES`` + 1), or the problem that kept it from being read.

    Refuses links, folders, devices and files larger than ``MAX_BYTES`` before reading them.
    """
    shown = display_path(path)
    try:
        info = path.lstat()
        if stat.S_ISLNK(info.st_mode):
            # A link could read any file on the machine (a secret, /dev/zero) into a message or a CI log.
            return None, [_not_regular(shown, "a symbolic link", "copy its content into a regular file")]
        if stat.S_ISDIR(info.st_mode):
            return None, [Problem(shown, 1, 1, "missing-file", "this is a folder, not a file", "name a .yaml file")]
        if not stat.S_ISREG(info.st_mode):
            return None, [_not_regular(shown, "not a regular file (a device, pipe or socket)", "name a .yaml file")]
        if info.st_size > MAX_BYTES:
            return None, [_too_large(shown, info.st_size)]
        with path.open("rb") as handle:
            # The size it has, then what it grew by since: never more than MAX_BYTES + 1 (asking for that much
            # at once made Python allocate a megabyte for every file, which cost more than reading it).
            data = handle.read(info.st_size + 1)
            if len(data) > info.st_size:
                data += handle.read(MAX_BYTES + 1 - len(data))
    except (FileNotFoundError, NotADirectoryError):
        return None, [Problem(shown, 1, 1, "missing-file", "no such file or folder", CODES["missing-file"].fix)]
    except IsADirectoryError:
        return None, [Problem(shown, 1, 1, "missing-file", "this is a folder, not a file", "name a .yaml file")]
    except OSError as exc:  # no permission, a broken link, a device...
        reason = exc.strerror or type(exc).__name__
        return None, [Problem(shown, 1, 1, "missing-file", f"the file cannot be read: {reason}", "check the path")]
    return data, []


def load_bytes(data: bytes, path: Path) -> tuple[RawCase | None, list[Problem]]:
    """Decode the bytes of a file as UTF-8 and parse them."""
    shown = display_path(path)
    if len(data) > MAX_BYTES:
        return None, [_too_large(shown, len(data))]
    problem = _encoding_problem(data, shown)
    if problem:
        return None, [problem]
    return load_text(data.decode("utf-8"), path)


def _not_regular(shown: str, what: str, fix: str) -> Problem:
    return Problem(shown, 1, 1, "missing-file", f"this is {what}; only regular files are read", fix)


def _too_large(shown: str, size: int) -> Problem:
    return Problem(
        shown,
        1,
        1,
        "too-large",
        f"the file is {size:,} bytes; case files may be at most {MAX_BYTES:,} bytes",
        "split the text or remove what does not belong in a case; real cases are under 100,000 bytes",
    )


#: The first bytes of files that are not text, as a practitioner may save them under a .yaml name.
_NOT_TEXT = (
    (b"PK\x03\x04", "a Word or OpenDocument document, or another zip archive"),
    (b"\xd0\xcf\x11\xe0", "an old Word (.doc) or Excel (.xls) document"),
    (b"{\\rtf", "a rich-text (RTF) document"),
    (b"%PDF", "a PDF"),
)


def _encoding_problem(data: bytes, shown: str) -> Problem | None:
    """A problem if ``data`` is not UTF-8 text, located at the first byte that is not."""
    head = data[:4096]
    packed = next((kind for magic, kind in _NOT_TEXT if head.startswith(magic)), None)
    if packed:  # a document or an archive saved under a .yaml name: no line of it is YAML
        return Problem(
            shown,
            1,
            1,
            "not-utf8",
            f"the file is {packed}, not plain text",
            "save it as plain text (UTF-8) with the .yaml ending: in a word processor, Save As, Plain Text; "
            "or write it in a text editor",
        )
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (head and head.count(b"\x00") * 4 >= len(head)):
        return Problem(shown, 1, 1, "not-utf8", "the file is saved as UTF-16, not UTF-8", "save the file as UTF-8")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        col = len(data[start : exc.start].decode("utf-8", "replace")) + 1
        return Problem(
            shown,
            line,
            col,
            "not-utf8",
            f"byte 0x{data[exc.start]:02X} here is not UTF-8 text (the file may be saved as Latin-1 or Windows-1252)",
            "save the file as UTF-8; in most editors: Save with Encoding, UTF-8",
        )
    return None


def load_text(text: str, path: Path) -> tuple[RawCase | None, list[Problem]]:
    """Parse YAML text; return the raw case, or problems if it cannot be read."""
    shown = display_path(path)
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        return None, [_too_large(shown, size)]
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    problems = character_problems(text, shown)
    if problems:
        return None, problems
    raw = RawCase(path, None)
    builder = _Builder(raw, shown)
    loader = Loader(text)
    try:
        with no_gc():
            raw.data = builder.build(loader)
    except _Stop as stop:
        return None, [stop.problem]
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_problem(exc, shown, text)]
    except yaml.YAMLError as exc:  # a character the reader refuses, with no position mark
        position = getattr(exc, "position", 0) or 0
        line, col = _line_col(text, min(position, len(text)))
        reason = getattr(exc, "reason", None) or str(exc).splitlines()[0]
        fix = "remove the invisible control character at that place (retype the text around it)"
        return None, [Problem(shown, line, col, "yaml-syntax", f"YAML syntax error: {reason}", fix)]
    finally:
        loader.dispose()
    return raw, builder.problems


class no_gc:  # noqa: N801 - used as ``with no_gc():``, as the function it was
    """Pause the cyclic garbage collector while plain data is built.

    Why: building tens of thousands of small dicts, lists and tuples triggers
    collections that scan every object alive in the process; in a long build or
    test session that made loading a 40,000-key file three times slower. Plain
    data has no reference cycles, so nothing is left for the collector.
    A class rather than ``contextlib.contextmanager``, a third of the cost: a cold check enters it three times a
    file.
    """

    __slots__ = ("enabled",)

    def __enter__(self) -> None:
        self.enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            gc.enable()


def _syntax_problem(exc: yaml.MarkedYAMLError, shown: str, text: str = "") -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    message = " ".join(filter(None, [exc.context, exc.problem]))
    if "maximum nesting depth" in message:  # libyaml's own limit (1,000 levels), met before ours in flow style
        return _too_deep(shown, line, col)
    lookalike = _lookalike(text, line, col) if text else None
    if lookalike:
        (at, column, char, what) = lookalike
        return Problem(
            shown,
            at,
            column,
            "yaml-syntax",
            f"YAML syntax error: {char_name(char)} looks like a {what} but is not one, so YAML cannot read this line "
            f"(it reported at line {line}: {message})",
            f"type a plain {what} in its place (word processors and web pages put such characters in text pasted "
            "from them)",
        )
    fix = CODES["yaml-syntax"].fix
    colon = _colon_in_text(text, line) if text and "mapping values are not allowed" in message else None
    if colon:
        key, value, comment = colon
        quoted = json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
        fix = f"the text after {quote(key)} holds ': ', which YAML reads as another key: put it in quotes, {key}: {quoted}"
        fix += f" (the {comment!r} after it stays a comment)" if comment else ""
    opened = _unclosed_opening(exc, text, line - 1) if text else None
    if opened:
        what, opened_line = opened
        message += f"; {what} opened on line {opened_line} is probably not closed"
        fix = (
            f"close {what} on line {opened_line} with its partner ({_CLOSERS.get(what[-1], 'the same quote')}) where the text or list "
            "ends; YAML reports the error where it gave up, below"
        )
        lines = text.split("\n", opened_line)
        source = lines[opened_line - 1] if len(lines) >= opened_line else ""
        if what[-1] in "[{" and re.search(r"[ \t]#", source):  # a comment hid the closing bracket
            message += f" (or a ' #' on line {opened_line} starts a comment that hides its partner)"
            fix = f"put the text that holds ' #' on line {opened_line} in quotes ('Room #2'), or " + fix
    return Problem(shown, line, col, "yaml-syntax", f"YAML syntax error: {message}", fix)


#: A key, then unquoted text that holds ": " further on (``title: Youth mental health: Riverton``).
_COLON_IN_TEXT = re.compile(r"[ \t]*(?:- )?([A-Za-z_][\w-]*):[ \t]+([^'\"\s#&*!|>%@`{\[][^\n]*?:[ \t][^\n]*?)[ \t]*")


def _colon_in_text(text: str, line: int) -> tuple[str, str, str] | None:
    """The key, its unquoted text and any trailing ``# comment`` on ``line`` (1-based) when the text holds ": ",
    which YAML reads as a second mapping ("mapping values are not allowed here"); None for any other line, and
    for a line that may continue the text of the line above (indented deeper than it, below a line that does not
    end a key), where the key is not the one to quote."""
    lines = text.split("\n", line)
    source = lines[line - 1].rstrip("\r") if 0 < line <= len(lines) else ""
    match = _COLON_IN_TEXT.fullmatch(source) if len(source) <= 2000 else None
    if match is None:
        return None
    above = next((lines[i].rstrip("\r") for i in range(line - 2, -1, -1) if lines[i].strip()), "")
    indent = len(source) - len(source.lstrip(" "))
    if above and indent > len(above) - len(above.lstrip(" ")) and not above.rstrip().endswith(":"):
        return None  # a continuation line of the text above
    value, hashed, comment = match.group(2).partition(" #")  # a comment after the text is not part of it
    return match.group(1), value.rstrip(), "#" + comment if hashed else ""


#: Characters that look like YAML's own syntax but are not, where YAML needs the real one: indentation, the space
#: after a key's colon, the colon after a key, a list item's dash. Pasted from word processors and web pages, or typed
#: on a full-width keyboard, they make a syntax error YAML reports where it gave up, often a line below, and never
#: naming the character (it cannot be seen).
_SPACES = "\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
_LOOKALIKE = re.compile(  # group 1: indentation; 2: a list item's dash; 3: a key's colon; 4: the space after it
    rf"^ *([{_SPACES}])"
    rf"|^ *([\u2010-\u2015\u2212\ufe63\uff0d])[ {_SPACES}]"
    rf"|^ *(?:- +)?[A-Za-z_][\w-]*([\uff1a\ufe13\ufe55\u2236\ua789])"
    rf"|^ *(?:- +)?[A-Za-z_][\w-]*:([{_SPACES}])"
)
#: By group of ``_LOOKALIKE``: the plain character, and what a message calls it.
_PLAIN = {1: (" ", "space"), 2: ("-", "hyphen (-)"), 3: (":", "colon (:)"), 4: (" ", "space")}


def _lookalike(text: str, error_line: int, error_col: int) -> tuple[int, int, str, str] | None:
    """A look-alike of YAML syntax (``_LOOKALIKE``) on the line of a syntax error or one of the two before it, the
    nearest first, that caused the error: (line, column, the character, what it looks like), or ``None``.

    A look-alike is blamed only if typing the plain character in its place removes the error or moves it further
    down: one inside an ordinary text near an unrelated mistake is left alone (such characters are allowed in text).
    """
    lines = text.split("\n", error_line)[:error_line]
    for number in range(error_line, max(error_line - 3, 0), -1):
        match = _LOOKALIKE.match(lines[number - 1]) if number <= len(lines) else None
        if match and match.lastindex:
            start = match.start(match.lastindex)
            offset = sum(len(line) + 1 for line in lines[: number - 1]) + start
            plain, name = _PLAIN[match.lastindex]
            end = start + 1  # a run of look-alike spaces (an indentation of four) is typed again whole
            while plain == " " and end < len(lines[number - 1]) and lines[number - 1][end] in _SPACES:
                end += 1
            fixed = text[:offset] + plain * (end - start) + text[offset + end - start :]
            after = _first_error(fixed)
            if after is None or after > (error_line, error_col):  # gone, or later: this character caused it
                return number, start + 1, lines[number - 1][start], name
    return None


def _first_error(text: str) -> tuple[int, int] | None:
    """Where YAML first fails to read ``text`` (line, column), or ``None`` if it reads it (events only: no alias is
    expanded, nothing is built)."""
    try:
        for _ in yaml.parse(text, Loader=Loader):
            pass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return (mark.line + 1, mark.column + 1) if mark else (1, 1)
    except yaml.YAMLError:
        return (1, 1)
    return None


_OPENERS = {
    "while scanning a quoted scalar": "",
    "while parsing a flow sequence": "the list bracket [",
    "while parsing a flow mapping": "the brace {",
}
_CLOSERS = {'"': '"', "'": "'", "[": "]", "{": "}"}
_QUOTES = {'"': 'the double quote "', "'": "the single quote '"}


def _unclosed_opening(exc: yaml.MarkedYAMLError, text: str, error_line: int) -> tuple[str, int] | None:
    """What was opened on an earlier line than the error (0-based ``error_line``) and probably never closed, and
    that line (1-based): a quote or a bracket. ``None`` if nothing was.

    Why: YAML reads on past an unclosed quote or bracket and reports where it gives up, often many lines
    below (at the next quote in the file, which it takes for the closing one, or at the end of the file).
    """
    start = exc.context_mark
    if exc.context in _OPENERS and start is not None and start.line < error_line:
        what = _OPENERS[exc.context] or _QUOTES.get(_char_at(text, start.line, start.column), "a quote")
        return what, start.line + 1
    found = None
    try:  # a quoted text that runs over lines up to the error: its closing quote is probably another's opening
        for token in yaml.scan(text, Loader=Loader):
            if token.start_mark.line >= error_line:
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'"):
                if token.end_mark.line >= error_line - 1 and token.end_mark.line > token.start_mark.line:
                    found = (_QUOTES[token.style], token.start_mark.line + 1)
    except yaml.YAMLError:
        pass
    return found


def _char_at(text: str, line: int, column: int) -> str:
    """The character at a 0-based line and column of ``text`` ("" if there is none)."""
    begin = -1
    for _ in range(line):
        begin = text.find("\n", begin + 1)
        if begin < 0:
            return ""
    return text[begin + 1 + column : begin + 2 + column]


def _too_deep(shown: str, line: int, col: int) -> Problem:
    return Problem(
        shown,
        line,
        col,
        "too-deep",
        f"lists and mappings are nested more than {MAX_DEPTH} levels deep here",
        "case and situation files need at most 7 levels; check the indentation and the brackets around this line",
    )


def _line_col(text: str, index: int) -> Pos:
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1


def character_problems(text: str, shown: str) -> list[Problem]:
    """One problem for each line with control, direction or invisible characters (the first few lines)."""
    problems: list[Problem] = []
    pos, line, line_start = 0, 1, 0
    while (match := BAD_CHARACTERS.search(text, pos)) is not None:
        line += text.count("\n", line_start, match.start())
        line_start = text.rfind("\n", 0, match.start()) + 1
        col = match.start() - line_start + 1
        if len(problems) == MAX_CHARACTER_PROBLEMS:
            problems.append(
                Problem(
                    shown,
                    line,
                    col,
                    "too-many-problems",
                    f"more lines with such characters from here on; only the first {MAX_CHARACTER_PROBLEMS} are listed",
                    "delete them; the file was probably pasted from a program that adds hidden characters",
                )
            )
            break
        end = text.find("\n", match.start())
        end = len(text) if end < 0 else end
        problems.append(_character_problem(shown, line, col, text[line_start:end], col - 1))
        pos = end + 1
    return problems


def _character_problem(shown: str, line: int, col: int, text: str, index: int) -> Problem:
    """The characters refused in one line (or one quoted scalar), the first at ``index`` of ``text``."""
    found = BAD_CHARACTERS.findall(text)
    kinds = list(dict.fromkeys(found))
    named = ", ".join(char_name(c) for c in kinds[:3]) + (f" and {len(kinds) - 3} more" if len(kinds) > 3 else "")
    times = f" ({len(found)} characters)" if len(found) > 1 else ""
    context = text[max(0, index - 15) : index + 16]
    return Problem(
        shown,
        line,
        col,
        "bad-character",
        f"the text contains {named}{times}, which {'is' if len(found) == 1 else 'are'} not allowed: {quote(context)}",
        _character_fix(kinds[0]),
    )


def _character_fix(char: str) -> str:
    code = ord(char)
    if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        return (
            "delete it: it changes the direction of the text after it on the site and in reviews; "
            "right-to-left text needs no control characters"
        )
    if code in (0x2028, 0x2029):
        return "replace it with an ordinary line break"
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return "delete it: it is an invisible control character, often pasted from a PDF or a word processor"
    if 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
        return "delete it and retype the character: the text is damaged at this place"
    return "delete it: it is invisible, so two texts that look the same would differ"


class _Builder:
    """Plain data from libyaml's events, with positions; iterative, with limits."""

    def __init__(self, raw: RawCase, shown: str):
        self.raw = raw
        self.shown = shown
        self.problems: list[Problem] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.values = 0
        self.aliases = 0

    def stop(self, mark: Any, code: str, message: str, fix: str) -> _Stop:
        return _Stop(Problem(self.shown, mark.line + 1, mark.column + 1, code, message, fix))

    def build(self, loader: Any) -> Any:
        """The single document of the stream as plain data (``None`` when empty)."""
        loader.get_event()  # stream start
        event = loader.get_event()
        if isinstance(event, yaml.StreamEndEvent):
            return None
        data = self._document(loader)
        loader.get_event()  # document end
        event = loader.get_event()
        if not isinstance(event, yaml.StreamEndEvent):
            raise self.stop(
                event.start_mark,
                "yaml-syntax",
                "a second YAML document starts here; a file holds one document",
                "remove the line with --- (or ...) and what follows it, or merge the two parts",
            )
        return data

    def _document(self, loader: Any) -> Any:
        # Each frame: [container, path, pending key or _NO_KEY, values before it, anchor, first lines of keys]
        stack: list[list[Any]] = []
        get_event = loader.get_event
        while True:
            event = get_event()
            kind = type(event)
            if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                value, _, _, start, anchor, *_ = stack.pop()
                if anchor is not None:
                    self.anchors[anchor] = (value, self.values - start)
                if not stack:
                    return value
                _attach(stack[-1], value)
                continue
            if stack:
                frame = stack[-1]
                if type(frame[0]) is list:
                    path = frame[1] + (len(frame[0]),)
                elif frame[2] is _NO_KEY:  # a mapping waits for its next key
                    self._key(frame, event)
                    continue
                else:
                    path = frame[1] + (frame[2],)
            else:
                path = ()
            if kind is yaml.ScalarEvent:
                value = self._scalar(event, path)
            elif kind is yaml.AliasEvent:
                value = self._alias(event)
                self._record(path, event)
            else:  # a mapping or a list starts
                self._check_tag(event)
                if len(stack) >= MAX_DEPTH:
                    mark = event.start_mark
                    raise _Stop(_too_deep(self.shown, mark.line + 1, mark.column + 1))
                self._record(path, event)
                container: Any = {} if kind is yaml.MappingStartEvent else []
                # container, path, current key, first value index, anchor, first line of each key, and the line
                # where a list item's first key came again (an item that may lack its "- "), if it did
                stack.append([container, path, _NO_KEY, self.values - 1, event.anchor, {}, None])
                continue
            if not stack:
                return value
            _attach(stack[-1], value)

    def _record(self, path: DataPath, event: Any) -> None:
        self.values += 1
        if self.values > MAX_VALUES:
            raise self.stop(
                event.start_mark,
                "too-large",
                f"the file holds more than {MAX_VALUES:,} values (keys and list items)",
                "case and situation files need far fewer; remove what does not belong in the file",
            )
        self.raw.values[path] = (event.start_mark.line + 1, event.start_mark.column + 1)

    def _key(self, frame: list[Any], event: Any) -> None:
        """Read a mapping key; keys are text as written (``1:`` is the key '1')."""
        if type(event) is yaml.AliasEvent:
            raise self.stop(event.start_mark, "yaml-syntax", "an alias cannot be a key", _KEY_FIX)
        if type(event) is not yaml.ScalarEvent:
            raise self.stop(event.start_mark, "wrong-type", "a key must be a plain word", _KEY_FIX)
        self._check_tag(event)
        self._check_escapes(event)
        key = event.value
        line, col = event.start_mark.line + 1, event.start_mark.column + 1
        first = frame[5]
        if key in first:
            fix = f"merge the two {quote(key)} entries into one, or rename one of them"
            in_list = bool(frame[1]) and isinstance(frame[1][-1], int)  # this mapping is an item of a list
            if in_list and key == next(iter(first)):  # its first key again: most often an item missing its "- "
                frame[6] = line
                fix = f"if line {line} starts another item of the list, put '- ' before {quote(key)}; otherwise " + fix
            elif in_list and frame[6] is not None:  # the rest of that item's keys
                fix = f"if line {frame[6]} starts another item of the list, this key is part of it; otherwise " + fix
            self.problems.append(
                Problem(
                    self.shown,
                    line,
                    col,
                    "duplicate-key",
                    f"duplicate key {quote(key)} (first defined on line {first[key]})",
                    fix,
                )
            )
            frame[2] = _DUPLICATE
            return
        first[key] = line
        frame[2] = key
        self.raw.keys[frame[1] + (key,)] = (line, col)

    def _scalar(self, event: Any, path: DataPath) -> Any:
        self._check_tag(event)
        self._check_escapes(event)
        self._record(path, event)
        if event.tag is None and not event.style and event.implicit[0]:
            value = resolve_plain(event.value)
            if not isinstance(value, str):
                self.raw.scalars[path] = event.value
        else:
            value = event.value
        if event.anchor is not None:
            self.anchors[event.anchor] = (value, 1)
        return value

    def _alias(self, event: Any) -> Any:
        self.aliases += 1
        if event.anchor not in self.anchors:
            raise self.stop(
                event.start_mark,
                "yaml-syntax",
                f"the alias *{event.anchor} names no anchor &{event.anchor} before it",
                f"define &{event.anchor} earlier in the file (an anchor cannot contain its own alias), or write the "
                "value out in full",
            )
        value, size = self.anchors[event.anchor]
        if self.aliases > MAX_ALIASES:
            message = f"this is alias number {self.aliases} (*{event.anchor}); a file may use at most {MAX_ALIASES}"
        elif self.values + size > MAX_VALUES:
            message = (
                f"the alias *{event.anchor} repeats {size:,} values, which makes more than {MAX_VALUES:,} "
                "in the file once aliases are expanded"
            )
        else:
            self.values += size - 1  # _record adds the alias itself
            return value
        raise self.stop(
            event.start_mark,
            "too-many-aliases",
            message,
            "write the values out in full; a case file needs few aliases (*name), if any",
        )

    def _check_tag(self, event: Any) -> None:
        tag = event.tag
        allowed = _STR_TAGS if isinstance(event, yaml.ScalarEvent) else _PLAIN_TAGS
        if tag is not None and tag not in allowed:
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            raise self.stop(
                event.start_mark,
                "yaml-syntax",
                f"YAML error: unsupported tag {quote(shown)}",
                "remove the tag (the text starting with !); case files use plain YAML only",
            )

    def _check_escapes(self, event: Any) -> None:
        """A double-quoted scalar can write a forbidden character as an escape such as \\u202e."""
        if event.style == '"':
            match = BAD_CHARACTERS.search(event.value)
            if match:
                mark = event.start_mark
                raise _Stop(_character_problem(self.shown, mark.line + 1, mark.column + 1, event.value, match.start()))


def _attach(frame: list[Any], value: Any) -> None:
    """Put a finished value into the mapping or list of ``frame``."""
    container = frame[0]
    if type(container) is list:
        container.append(value)
    else:
        if frame[2] is not _DUPLICATE:
            container[frame[2]] = value
        frame[2] = _NO_KEY


_NO_KEY = object()
_DUPLICATE = object()
_KEY_FIX = "write each key as a plain word followed by a colon, such as title:"
