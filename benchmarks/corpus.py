"""A deterministic corpus of real-size cases for the benchmarks: replicas of the real case files.

Run: python benchmarks/corpus.py OUT_DIR --cases 1000

The real cases in ``cases/`` (19 files of about 45-70 KB of YAML) are copied in
groups: group ``g`` holds one replica of every real case, with the id
``<real id>-r<g>`` (four digits) and the title ``<real title> (replica g)``, so
every id and title is unique and every file has the size, structure and text of
a real case. References between cases are kept consistent: a ``related:`` entry
naming a real case names that case's replica in the same group (or in group 0
when the last, partial group lacks it), and each full group gets a copy of the
real reading lists (``cases/reading-lists/``) naming its own replicas, so the
corpus has reading lists and packets in the same proportion as the real casebook.

**Honest about compression.** Identical copies would flatter every compressed or
deduplicated file (xz, zip, gzip, a search index): a compressor stores the second
copy of a 50 KB text as a few hundred bytes of back-references, so a corpus of
copies measures the files of 19 cases, not of 1,000. So from group 1 on, the free
text of each replica is reworded: every word of a prose field (:data:`PROSE_KEYS`:
summaries, narratives, descriptions, names, notes, questions, source titles and
authors...) is replaced through a permutation of the real cases' own vocabulary
that is drawn afresh for each group (:func:`word_map`). A word is replaced by a
word of the same length in characters and in UTF-8 bytes, with the same capitals,
so every file keeps its line breaks and YAML structure, and its size but for a few
bytes per web address, and it stays valid; ids, vocabulary fields, numbers, dates,
DOIs and cross-references are never touched. A source's web address gets the same
words, its path's digits shifted, and the fragment ``#r<group>`` at its end: two
groups' permutations can otherwise turn two addresses into one, which the casebook
refuses when the titles differ. The permutation is one-to-one within a group, so distinct
names stay distinct and each replica has as many distinct words as its real case,
with the same word frequencies (Zipf's law holds), drawn from realistic words:
the search index grows as it would with new cases on the same topics (not with
random letters, which would make every word new). The text reads as nonsense and
is only for measuring. Group 0 is the real text, so a corpus of 19 or fewer is the
real casebook with new ids. Words that YAML reads as something else than text
(``true``, ``null``, ``no``...) are never produced.

The output depends only on ``n`` and the real files: the same call writes the
same bytes.
"""

from __future__ import annotations

import argparse
import functools
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "cases"

_CASE_REF = re.compile(r"(?m)^(\s*-?\s*case:\s*)([a-z0-9-]+)\s*$")

#: The keys whose values are free text, reworded in replicas of group 1 and later. Everything else (ids,
#: vocabulary fields, references, numbers, dates, URLs) is copied as it is.
PROSE_KEYS = frozenset(
    """tagline summary description mission authorizing_environment narrative note name short_name title question
    claim indicator commitment alone joint_product learning_objectives closing_questions questions why
    comparison_group unit_of_analysis unit authors publisher journal""".split()
)
#: A key line: indentation, an optional list dash, the key, then the rest of the line.
_KEY_LINE = re.compile(r"^( *)((?:- +)*)([a-z_]+):(?: (.*))?$")
#: Letters of a web address to reword: not right after ``%`` or ``%`` and a digit, so percent-escapes stay valid.
_URL_WORD = re.compile(r"(?<!%)(?<!%[0-9A-Fa-f])[^\W\d_]+")
#: A digit of a web address's path to shift (not in a percent-escape): with the words, every address changes.
_URL_DIGIT = re.compile(r"(?<!%)(?<!%[0-9A-Fa-f])[0-9]")
#: The keys holding a source's web address: reworded with the same map as the titles (all but ``www`` and the
#: top-level domain), because the casebook requires one title per address across cases.
URL_KEYS = frozenset({"url"})
#: A word to reword: letters only, not right after a backslash (a YAML escape such as ``\n``) or a digit (the
#: ``s`` of ``1990s`` would become ``1990x`` or ``1990b``, which the fast path's number screen sends to the slow path,
#: as it would a real case's ``0x``; the real cases' text never does).
_WORD = re.compile(r"(?<![\\\d])[^\W\d_]+")
#: Words never produced, since YAML would read a plain scalar made of one of them as something else.
_RESERVED = frozenset("true false null yes no on off y n inf nan".split())


@functools.cache
def _vocabulary() -> dict[tuple[int, int], list[str]]:
    """The lower-case words of the real cases' prose fields and addresses, by (characters, UTF-8 bytes), sorted."""
    words: set[str] = set()
    lists = [p.read_text("utf-8") for p in sorted((REAL / "reading-lists").glob("*.yaml"))]
    for text in [text for _, text in real_cases()] + lists:
        for chunk, kind in segments(text):
            if kind == "prose":
                words.update(w.lower() for w in _WORD.findall(chunk))
            elif kind == "url":
                words.update(w.lower() for w in _URL_WORD.findall(chunk))
    buckets: dict[tuple[int, int], list[str]] = {}
    for word in sorted(words - _RESERVED):
        if len(word.upper()) == len(word) and len(word.upper().encode()) == len(word.encode()):
            buckets.setdefault((len(word), len(word.encode())), []).append(word)
    return buckets


@functools.cache
def word_map(group: int) -> dict[str, str]:
    """The rewording of ``group``: lower-case word to lower-case word of the same length, one-to-one.

    Group 0 maps every word to itself. Other groups shuffle each (characters, bytes) bucket of the real
    vocabulary with ``random.Random(f"{group}/{chars}/{bytes}")``, so the map is the same in every run
    and on every machine. Words outside the vocabulary (none in the real cases) are kept.
    """
    out: dict[str, str] = {}
    for (chars, size), words in _vocabulary().items():
        shuffled = list(words)
        if group:
            random.Random(f"{group}/{chars}/{size}").shuffle(shuffled)
        out.update(zip(words, shuffled, strict=True))
    return out


def _recase(word: str, new: str) -> str:
    """``new`` with the capitals of ``word`` (same length), or ``new`` as it is when that would change its size."""
    if word.islower():
        return new
    out = "".join(n.upper() if w.isupper() else n for w, n in zip(word, new, strict=True))
    return out if len(out.encode()) == len(word.encode()) else new


@functools.lru_cache(maxsize=64)
def segments(text: str) -> tuple[tuple[str, str], ...]:
    """A case file cut into ``(chunk, kind)`` pieces whose concatenation is ``text``.

    ``kind`` is ``"url"`` for the value of a key of :data:`URL_KEYS`, ``"prose"`` for free text, else ``""``.
    A chunk is prose when it is the value of a key of :data:`PROSE_KEYS`: on the key's line, the lines of
    its block scalar (``>``, ``|``), the continuation lines of a plain scalar, or the items of a list of
    text under it. Keys, comments, blank lines and every other value are not prose.
    """
    out: list[tuple[str, str]] = []
    # The innermost key whose value the next lines may continue: (its column, prose, block scalar).
    at, prose, scalar = -1, False, False
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\r\n")
        indent = len(body) - len(body.lstrip(" "))
        blank = not body.strip()
        if scalar and (blank or indent > at):
            out.append((line, "prose" if prose else ""))
            continue
        match = None if blank or body.lstrip().startswith("#") else _KEY_LINE.match(body)
        if match is None:
            out.append((line, "prose" if prose and not blank and indent > at else ""))
            continue
        value, key = match.group(4) or "", match.group(3)
        at, prose = len(match.group(1)) + len(match.group(2)), key in PROSE_KEYS
        scalar = value.startswith(("|", ">"))
        cut = len(line) - len(line[len(body) - len(value) :])
        out.append((line[:cut], ""))
        out.append((line[cut:], "url" if key in URL_KEYS else "prose" if prose and not scalar else ""))
    return tuple(out)


def reword(text: str, group: int) -> str:
    """``text`` (a case file or reading list) with the words of its prose fields replaced through
    :func:`word_map` of ``group``: same length in characters and bytes but for
    web addresses, same lines, same structure.

    Web addresses (:data:`URL_KEYS`) get the same words and their path's digits shifted by a number from 1 to 9,
    so that two cases of one group that cite one document still agree on its address and title, and end in the
    fragment ``#r<group>`` (so addresses of different groups never meet; the only change of length).
    """
    if group == 0:
        return text
    words = word_map(group)

    def sub(match: re.Match[str]) -> str:
        word = match.group(0)
        new = words.get(word.lower())
        return word if new is None else _recase(word, new)

    def url(chunk: str) -> str:
        head, slash, path = chunk.partition("//")
        host, slash2, rest = path.partition("/")
        labels = host.split(".")
        host = ".".join([x if x == "www" else _URL_WORD.sub(sub, x) for x in labels[:-1]] + labels[-1:])
        shift = 1 + (group - 1) % 9  # never 0: every digit of the path changes
        rest = _URL_DIGIT.sub(lambda m: str((int(m.group(0)) + shift) % 10), rest)
        out = head + slash + host + slash2 + _URL_WORD.sub(sub, rest)
        # The group as the address's fragment: two groups' permutations can turn two different addresses into
        # one (about 60 of them at 10,000 cases), which the casebook refuses when their titles differ.
        body = out.rstrip("\n")
        return body + f"#r{group}" + out[len(body) :]

    return "".join(
        _WORD.sub(sub, chunk) if kind == "prose" else url(chunk) if kind == "url" else chunk
        for chunk, kind in segments(text)
    )


def real_cases() -> list[tuple[str, str]]:
    """The real cases as (id, text), in file-name order."""
    return [(p.stem, p.read_text("utf-8")) for p in sorted(REAL.glob("*.yaml"))]


def replica_id(real_id: str, group: int) -> str:
    """The id of the replica of ``real_id`` in ``group``: ``<real id>-r0007``."""
    return f"{real_id}-r{group:04d}"


def _map_refs(text: str, group: int, present: set[str]) -> str:
    """Point every ``case: <real id>`` line at the replica of that case in ``group`` (group 0 if absent)."""

    def sub(match: re.Match[str]) -> str:
        ident = match.group(2)
        target = replica_id(ident, group)
        if target not in present:
            target = replica_id(ident, 0)
        return match.group(1) + target

    return _CASE_REF.sub(sub, text)


def write_corpus(folder: Path, n: int, lists: bool = True) -> list[str]:
    """Write ``n`` replica case files (and reading lists) into ``folder``; return the case ids in order.

    ``folder`` is created if needed; files already in it with the same names are replaced.
    """
    folder.mkdir(parents=True, exist_ok=True)
    reals = real_cases()
    real_ids = {ident for ident, _ in reals}
    plan = [(i // len(reals), *reals[i % len(reals)]) for i in range(n)]
    present = {replica_id(ident, g) for g, ident, _ in plan}
    for group, ident, text in plan:
        new = replica_id(ident, group)
        text = reword(text, group)
        text = re.sub(r"(?m)^id: .*$", f"id: {new}", text, count=1)
        text = re.sub(
            r"(?m)^(title: )(.*)$", lambda m, g=group: f"{m.group(1)}{m.group(2)} (replica {g})", text, count=1
        )
        text = _map_refs(text, group, present) if "case:" in text else text
        folder.joinpath(f"{new}.yaml").write_text(text, "utf-8")
    if lists:
        _write_lists(folder / "reading-lists", n // len(reals), real_ids)
    return [replica_id(ident, g) for g, ident, _ in plan]


def _write_lists(folder: Path, groups: int, real_ids: set[str]) -> None:
    """One copy of every real reading list per full group, naming that group's replicas."""
    sources = sorted((REAL / "reading-lists").glob("*.yaml"))
    if not sources or groups == 0:
        return
    folder.mkdir(parents=True, exist_ok=True)
    for group in range(groups):
        present = {replica_id(ident, group) for ident in real_ids}
        for path in sources:
            text = reword(path.read_text("utf-8"), group)
            new = f"{path.stem}-r{group:04d}"
            text = re.sub(r"(?m)^id: .*$", f"id: {new}", text, count=1)
            text = re.sub(
                r'(?m)^(title: )"?(.*?)"?$', lambda m, g=group: f'{m.group(1)}"{m.group(2)} ({g})"', text, count=1
            )
            folder.joinpath(f"{new}.yaml").write_text(_map_refs(text, group, present), "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--no-lists", action="store_true", help="no reading lists")
    args = parser.parse_args()
    ids = write_corpus(args.out, args.cases, lists=not args.no_lists)
    print(f"wrote {len(ids)} cases into {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
