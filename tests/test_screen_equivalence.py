"""The cheaper forms of the fast path's screen (``load.unusual``) decide exactly as the forms they replaced.

Each replaced form is kept here as the reference: the backslash check as three ``replace`` calls, the flow
collections as the plain (backtracking) regular expressions, and the screen as a whole as it was written before
(a translation for refused bytes, another for digits, every search run unconditionally).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from builder import load

ROOT = Path(__file__).resolve().parent.parent
REAL = sorted((ROOT / "cases").glob("*.yaml"))
FIXTURES = sorted((ROOT / "tests" / "data").rglob("*.yaml"))

_ITEM = rb"""(?:[A-Za-z0-9(\x80-\xff][-A-Za-z0-9._/()+'\x80-\xff]*(?: [-A-Za-z0-9._/()+'\x80-\xff]+)*"""
_ITEM += rb"""|"(?:[^"\\\n]|\\")*"|'(?:[^'\n]|'')*')"""
_SEQUENCE = rb" *(?:ITEM(?: *, *ITEM)*)? *\]".replace(b"ITEM", _ITEM)
_MAPPING = rb" *(?:[A-Za-z0-9_]+: +ITEM(?: *, *[A-Za-z0-9_]+: +ITEM)*)? *\}".replace(b"ITEM", _ITEM)
_PLAIN_FLOWS = tuple(
    re.compile(re.escape(lead) + body + rb"[ ]*(?:#[^\n]*)?\n")
    for lead, body in ((b": [", _SEQUENCE), (b": {", _MAPPING), (b"- [", _SEQUENCE), (b"- {", _MAPPING))
)


def _old_escape(data: bytes) -> bool:
    return b"\\" in data and b"\\" in data.replace(b"\\\\", b"").replace(b'\\"', b"").replace(b"\\n", b"")


def _old_flow(data: bytes) -> bool:
    if b"[" not in data and b"{" not in data:
        return False
    for pattern in _PLAIN_FLOWS:
        data = pattern.sub(b"\x00\n", data)
        if b"[" not in data and b"{" not in data:
            return False
    return True


def _old_unusual(data: bytes) -> bool:
    if load.refused_bytes(data):
        return True
    if data.startswith((b"%", b"---", b"...")) or load._LINE_MARKER.search(data) or load._MERGE.search(data):
        return True
    if _old_escape(data):
        return True
    if load._BLOCK_INDENT[0].search(data) or load._BLOCK_INDENT[1].search(data) or load._odd_end(data):
        return True
    return load._node_property(data) or load._number_hint(data) or _old_flow(data)


PIECES = [
    "key: ", "- ", "[a, b]", "{start: 1995, end: 2000}", "[", "]", "{", "}", ": [x]", "- [y]", "# c: [z]", "\n",
    "  ", "'q [r]'", '"s {t}"', "a", ", ", ":", "x\n", " ", "a b", "'it''s'", '"a\\"b"', "\\", "\\\\", '\\"', "\\n",
    "\\t", "(x)", "é", "k_1: ", "1_0", "0x", "|2", ">+", "|", ">", "<<", "<", "&a", "*b", "!t", "\t", "...", "---",
    "%", "\u202e", "9" * 16, ".inF",
]  # fmt: skip


def _documents() -> list[bytes]:
    rng = random.Random("screen equivalence")
    docs = [p.read_bytes() for p in REAL + FIXTURES]
    alphabet = b"ab\\\"n \n[]{}:,-_|>+0123456789<&*!#'.xXiIfF\t"
    docs += [bytes(rng.choice(alphabet) for _ in range(rng.randrange(1, 40))) for _ in range(20_000)]
    docs += [
        ("".join(rng.choice(PIECES) for _ in range(rng.randint(1, 14))) + rng.choice(["\n", ""])).encode()
        for _ in range(20_000)
    ]
    for path in REAL[:5]:
        data = path.read_bytes()
        for _ in range(200):
            at = rng.randrange(len(data))
            docs.append(data[:at] + rng.choice(PIECES).encode() + data[at:])
    return docs


def test_the_screen_decides_as_before():
    for data in _documents():
        assert load.unusual(data) == _old_unusual(data), data[:200]


def test_the_backslash_walk_is_the_three_replacements():
    for data in _documents() + [b"\\", b"\\\\", b"\\\\\\", b'\\\\\\"', b"a\\nb\\", b"\\\\\\\\n", b"\\x"]:
        assert load._odd_escape(data) == _old_escape(data), data[:200]


def test_possessive_flow_patterns_match_as_the_plain_ones():
    for data in _documents():
        for fast, plain in zip(load._FLOW_VALUES, _PLAIN_FLOWS, strict=True):
            assert fast.sub(b"\x00\n", data) == plain.sub(b"\x00\n", data), data[:200]
        assert load._odd_flow(data) == _old_flow(data), data[:200]


def test_a_cold_check_skips_lookups_only_when_nothing_can_be_found(tmp_path: Path, monkeypatch):
    """``cache.holds`` is false only while the cache has no folder for the kind (nothing stored, nothing found)."""
    from builder import cache
    from builder.validate import check_paths

    monkeypatch.setenv("CASEBOOK_CACHE", "1")
    monkeypatch.setenv("CASEBOOK_CACHE_DIR", str(tmp_path / "cache"))
    assert not cache.holds("check")
    cold = check_paths([ROOT / "cases"], models=False, keep=False)
    assert cache.holds("check")
    warm = check_paths([ROOT / "cases"], models=False, keep=False)
    assert cold.problems == warm.problems == [] and cold.valid == warm.valid == len(REAL)
    monkeypatch.setenv("CASEBOOK_CACHE", "0")
    assert not cache.holds("check")
