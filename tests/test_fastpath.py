"""The validation fast path (``builder.load.load_fast``, ``builder.validate._check_fast``) only ever accepts.

A file read by yaml-rs without positions must give exactly what the position-tracking loader gives: the same
data for every file it accepts, and for every other file the slow path's own result (problems, messages, lines
and columns). Checked on every real case, every fixture, hostile inputs, payload-filled cases and a few hundred
seeded mutations of real cases. No timing is asserted here (see ``benchmarks/``).
"""

from __future__ import annotations

import math
import random
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from builder import load, validate
from builder.load import (
    FAST_MAX_BYTES,
    MAX_DEPTH,
    MAX_VALUES,
    load_bytes,
    load_fast,
    load_text,
    refused_bytes,
)
from builder.model import Case
from builder.problems import BAD_CHARACTERS
from builder.validate import CaseSummary, _check_case_file, check_paths
from conftest import DATA, ROOT

pytest.importorskip("yaml_rs")

REAL = sorted((ROOT / "cases").glob("*.yaml"))
FIXTURES = sorted(p for folder in ("valid", "invalid", "hostile", "concepts") for p in (DATA / folder).glob("*.yaml"))


def same(a: Any, b: Any) -> bool:
    """Equal, with the same types all the way down and the same key order (``1 == 1.0 == True`` is not enough)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


def _slow_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(validate, "load_fast", lambda data, path: None)


def _result(path: Path, fast: bool) -> tuple[Any, ...]:
    """Everything ``_check_case_file`` gives for one file (its warnings among its problems), with the summary's
    places, comparable."""
    with pytest.MonkeyPatch.context() as mp:
        if not fast:
            _slow_only(mp)
        case, summary, problems = _check_case_file(path)
    validate._LAST_RAWS.clear()
    if summary is not None:
        places = [summary.position(p) for p in CaseSummary.paths(len(summary.sources))]
        summary = (summary.display, summary.id, summary.title, summary.sources, summary.key, places)
    return (None if case is None else case.model_dump(mode="json"), summary, [p.format() for p in problems])


def _same_result(path: Path) -> None:
    fast, slow = _result(path, True), _result(path, False)
    assert fast == slow, path.name


@pytest.mark.parametrize("path", REAL, ids=[p.stem for p in REAL])
def test_every_real_case_takes_the_fast_path_and_reads_the_same(path: Path):
    data = path.read_bytes()
    raw = load_fast(data, path)
    assert raw is not None, f"{path.name} no longer takes the fast path (see load.unusual)"
    slow, problems = load_bytes(data, path)
    assert problems == [] and same(raw.data, slow.data)
    case, fast_raw = validate._check_fast(data, path)
    assert case is not None and same(fast_raw.data, slow.data)
    _same_result(path)


@pytest.mark.parametrize("path", FIXTURES, ids=[f"{p.parent.name}-{p.stem}" for p in FIXTURES])
def test_every_fixture_gives_the_slow_paths_result(path: Path):
    _same_result(path)
    raw = load_fast(path.read_bytes(), path)
    slow, problems = load_bytes(path.read_bytes(), path)
    if raw is not None and slow is not None and not problems and not _deeper_or_odd_keys(slow.data):
        assert same(raw.data, slow.data)


def _deeper_or_odd_keys(data: Any, depth: int = 1) -> bool:
    """What ``load_fast`` leaves to the model: keys that are not text (in yaml-rs's reading) or deep nesting."""
    if isinstance(data, dict):
        return depth > MAX_DEPTH or any(_deeper_or_odd_keys(v, depth + 1) for v in data.values())
    if isinstance(data, list):
        return depth > MAX_DEPTH or any(_deeper_or_odd_keys(v, depth + 1) for v in data)
    return False


def test_hostile_generated_inputs_give_the_slow_paths_problems(tmp_path: Path):
    """Billion laughs, a million levels, 5 MB files, too many values: the fast path refuses them all."""
    from test_hostile import GENERATED

    for name, (text, code, _) in GENERATED.items():
        path = tmp_path / f"{name}.yaml"
        path.write_text(text, "utf-8")
        raw = load_fast(path.read_bytes(), path)
        assert raw is None or _deeper_or_odd_keys(raw.data), name  # deep data is left to the model
        fast, slow = _result(path, True), _result(path, False)
        assert fast == slow and code in "".join(fast[2]), name


def test_the_fast_path_never_reaches_the_value_limit():
    """Below ``FAST_MAX_BYTES`` even the densest writing (two bytes a value) stays under ``MAX_VALUES``."""
    for unit, head, tail in (("-\n", "", ""), ("a,", "[", "a]"), ("[],", "[", "[]]"), (",", "[", "a]")):
        count = (FAST_MAX_BYTES - len(head) - len(tail)) // len(unit)
        text = head + unit * count + tail
        assert len(text) <= FAST_MAX_BYTES
        raw, problems = load_text(text, Path("x.yaml"))
        assert "too-large" not in [p.code for p in problems]
        assert raw is None or len(raw.values) < MAX_VALUES, unit
    assert load_fast(b"k: " + b"x" * FAST_MAX_BYTES, Path("x.yaml")) is None


def test_refused_characters_are_found_in_the_bytes_exactly():
    """``refused_bytes`` finds each character of ``BAD_CHARACTERS`` (and the tab), and no other character."""
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    bad = set(BAD_CHARACTERS.findall(every)) | {"\t"}
    assert len(bad) > 200
    for char in sorted(bad):
        assert refused_bytes(f"a: b{char}c\n".encode("utf-8", "surrogatepass")), hex(ord(char))
    assert not refused_bytes("".join(c for c in every if c not in bad).encode("utf-8"))


# --- What load.unusual must send to the slow path: written as plain regular expressions ------------

import re  # noqa: E402

_REFERENCE = [
    re.compile(r"(?:^|[-?:,\[\]{}])[ ]*[&*!]", re.M),  # anchor, alias or tag where a value starts
    re.compile(r"^(?:%|---|\.\.\.)", re.M),  # directive, document marker
    re.compile(r"<<"),  # merge key
    re.compile(r"\t"),
    re.compile(r"[|>][-+]?[0-9+]"),  # block scalar with an indentation indicator or keep
    re.compile(  # a whole plain scalar that yaml-rs and YAML 1.2's core schema could read differently
        r"(?:^|(?<=[\s\[\]{},:]))[-+._0-9A-Za-z]*(?:[0-9]_|_[0-9]|0[xXoObB]|\.[iInN][nNaA][fFnN]|[0-9]{16})"
        r"[-+._0-9A-Za-z]*(?=[\s\[\]{},:#]|$)",
        re.M,
    ),
]


_WORD = r"[A-Za-z0-9(\x80-\U0010ffff][-A-Za-z0-9._/()+'\x80-\U0010ffff]*(?: [-A-Za-z0-9._/()+'\x80-\U0010ffff]+)*"
_ITEM = rf"""(?:{_WORD}|"(?:[^"\\\n]|\\")*"|'(?:[^'\n]|'')*')"""
_PLAIN_FLOW = re.compile(
    rf"(?<=: |- )(?:\[ *(?:{_ITEM}(?: *, *{_ITEM})*)? *\]|\{{ *(?:\w+: +{_ITEM}(?: *, *\w+: +{_ITEM})*)? *\}})(?= *(?:#.*)?\n)",
    re.ASCII,
)


def reference_unusual(text: str) -> bool:
    """The specification of ``load.unusual``, slow and plain."""
    if BAD_CHARACTERS.search(text) or "\\" in text.replace("\\\\", "").replace('\\"', "").replace("\\n", ""):
        return True
    if not text.endswith("\n") or re.search(r"[|>][-+]?(?:[ \t]+#.*)?\n(?:[ \t]*(?:#.*)?\n)*\Z", text):
        return True  # no final line break; a block scalar last, with nothing in it
    if any(c in "[{" for c in _PLAIN_FLOW.sub("", text)):
        return True  # a bracket outside the plain flow collections
    return any(pattern.search(text) for pattern in _REFERENCE)


def _texts() -> list[str]:
    texts = [p.read_bytes().decode("utf-8", "replace") for p in REAL + FIXTURES]
    texts += [m for path in REAL[:6] for m in _mutations(path.read_text("utf-8"), random.Random(path.name), 20)]
    return texts + SNIPPETS


SNIPPETS = [
    "k: &a x\n",
    "k: *a\n",
    "k: !!str 1\n",
    "- !x y\n",
    "k: [a, &b c]\n",
    "k: {a: *b}\n",
    "k:\n  - &a x\n",
    "%YAML 1.2\n---\nk: v\n",
    "k: v\n---\nj: w\n",
    "k: v\n...\n",
    "<<: {a: 1}\n",
    'k: "\\u202e"\n',
    'k: "a\\\\"\n',
    "k: |2\n   x\n",
    "k: >+\n  x\n",
    "k: 1_000\n",
    "k: [1_0, 2]\n",
    'k: {"a":1_0}\n',
    "k: 0b101\n",
    "k: 0X1F\n",
    "k: +0x1\n",
    "k: 0O17\n",
    "k: .iNf\n",
    "k: -.NaN\n",
    "k: " + "1" * 51 + "\n",
    "k: 0." + "0" * 60 + "1\n",
    "k: 0x" + "a" * 60 + "\n",
    "k:\ta\n",
    "1_0: x\n",
    "k: Probation & parole, R&D, Great! *Note*\n",
    "k: |\n",
    "k: >\n\n",
    "k: | # c\n  \n",
    "a:\n  k: >-\n# end\n",
    "k: |\n  a",
    "k: a",
    "k: [|, a]\n",
    "k: {?a: 1}\n",
    "k:\n [:a ]\n",
    "k: [a, [b]]\n",
    "k: [a,\n  b]\n",
    "k: [a #b]\n",
    "k: see [1] and {2}\n",
    "k: [US, 'a''b', \"c, d\", Medellín, Mayor's Office]\n",
    "k: {start: 1995, end: 2000}\n",
]


def test_unusual_finds_all_the_reference_finds():
    for text in _texts():
        if reference_unusual(text):
            assert load.unusual(text.encode("utf-8", "surrogatepass")), text[:200]
    assert not any(load.unusual(p.read_bytes()) for p in REAL)


def test_yaml_rs_reads_numbers_as_the_core_schema_where_unusual_lets_it():
    """Every plain scalar form not flagged reads the same in both readers."""
    words = ["1", "-0", "+12", "012", "1.", ".5", "+.5", "1e3", "1E+05", "1.e5", "-.5e-3", "0x1F", "0o17", "0x", "0o"]
    words += ["1e", "e5", ".e3", "1.2.3", "10:20", "3:1", "1/2", "2026-02-29", "2026-01-31", "12:30:00"]
    words += ["true", "True", "TRUE", "tRue", "yes", "NO", "off", "null", "Null", "NULL", "~", "", ".inf", "-.Inf"]
    words += [".NAN", ".nan", "+.inf", "1" * 50, "9" * 15, "1.5" + "0" * 20, "- 1", "-", "a: b"]
    for word in words:
        text = f"k: {word}\nl: [{word}]\n"
        if load.unusual(text.encode()):
            continue
        fast = load_fast(text.encode(), Path("x.yaml"))
        slow, problems = load_text(text, Path("x.yaml"))
        if fast is not None:
            assert problems == [] and same(fast.data, slow.data), word


def test_random_documents_read_the_same_when_the_fast_path_takes_them():
    """Seeded random YAML (odd words, block and flow styles, block scalars, comments, odd endings): wherever
    ``load_fast`` reads a document, ``load_text`` reads the same data without problems (or the data has keys
    that are not text, which the model refuses). This test found the empty block scalar at the end of a file
    and the flow collections that libyaml and yaml-rs read differently."""
    rng = random.Random("random documents")
    taken = 0
    for _ in range(4000):
        doc = _document(rng, 0, 0) + rng.choice(["\n", "\n", "\n\n", "", "  \n", "\n# end\n"])
        fast = load_fast(doc.encode(), Path("x.yaml"))
        if fast is None:
            continue
        taken += 1
        slow, problems = load_text(doc, Path("x.yaml"))
        if not _odd_keys(fast.data):
            assert slow is not None and problems == [] and same(fast.data, slow.data), doc
    assert taken > 100


_NORMAL = ["alpha", "beta gamma", "1995", "2026-01-31", "x-y", "Medellín", "O'Brien", "a, b", "US", "12.5", "true"]
_NORMAL += ["one two", "—", "“q”", "a: b", "50%", "(c)", "e.g.", "[US]", "[a, b]", "{start: 1995, end: 2000}"]
_WEIRD = ["é", "1", "no", "~", "", " ", "a  b", "#", "a #b", "a#b", "-", "- a", "?", ":", "'", '"', "[", "]", "{"]
_WEIRD += [
    "}",
    ",",
    "a,b",
    "3:1",
    "@",
    "`",
    "%",
    "|",
    ">",
    "a'b",
    'a"b',
    "\u00a0",
    "日本",
    "😀",
    "a:",
    ":a",
    "-a",
    "?a",
]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_WEIRD if rng.random() < 0.2 else _NORMAL) for _ in range(rng.randrange(1, 3)))


def _scalar(rng: random.Random, indent: int) -> str:
    kind = rng.randrange(8)
    word = _word(rng)
    if kind == 0:
        return "'" + word.replace("'", rng.choice(["''", "'"])) + "'"
    if kind == 1:
        return '"' + word.replace('"', rng.choice(['\\"', '"'])) + '"'
    if kind == 2:
        pad = " " * (indent + rng.choice([1, 2, 2, 4]))
        lines = [rng.choice(["", " ", "  "]) + _word(rng) for _ in range(rng.randrange(0, 4))]
        body = "".join("\n" + (pad + line if line.strip() or rng.random() < 0.5 else line) for line in lines)
        return rng.choice(["|", ">", "|-", ">-", "| ", "> #c"]) + body
    if kind == 3:
        return word + "\n" + " " * (indent + rng.choice([0, 1, 2])) + _word(rng)
    if kind == 4:
        return "[" + ", ".join(_word(rng) for _ in range(rng.randrange(0, 3))) + rng.choice(["]", ",]", " ]"])
    if kind == 5:
        pairs = ", ".join(f"{_word(rng)}: {_word(rng)}" for _ in range(rng.randrange(0, 3)))
        return "{" + pairs + rng.choice(["}", ",}"])
    return word


def _document(rng: random.Random, indent: int, depth: int) -> str:
    kind = rng.randrange(4) if depth < 4 else 3
    pad = " " * indent
    lines = []
    if kind == 0:
        for i in range(rng.randrange(1, 4)):
            key = rng.choice(["k", "key", f"k{i}", "a b", "'q'", '"d"', "1", "true", "x-y", f"k{rng.randrange(3)}"])
            sub = _document(rng, indent + rng.choice([2, 2, 4, 1]), depth + 1)
            lines.append(f"{pad}{key}:" + ("\n" + sub if sub[:1] in (" ", "-") else " " + sub.lstrip()))
            if rng.random() < 0.2:
                lines.append(rng.choice(["", pad + "# c", "  ", "#"]))
        return "\n".join(lines)
    if kind == 1:
        return "\n".join(
            f"{pad}- " + _document(rng, indent + 2, depth + 1).lstrip() for _ in range(rng.randrange(1, 4))
        )
    return pad + _scalar(rng, indent)


def _odd_keys(data: Any) -> bool:
    if isinstance(data, dict):
        return any(type(k) is not str for k in data) or any(_odd_keys(v) for v in data.values())
    return isinstance(data, list) and any(_odd_keys(v) for v in data)


# --- Mutations of real cases ----------------------------------------------------------------------

_ODD = list(":-? \n#\"'[]{},|>&*!%@`\t\\") + ["\u202e", "\u00e9", "\u2014"]
_SCALARS = [" 1_000", " 0x1F", " .NaN", " yes", " 2026-02-30", " '1'", " &a x", " *a", " !!str x", " [a, b]"]
_SCALARS += [" {a: 1}", " |2\n  x", " >-\n  x", ' "a\\tb"', " null", " ~", " -1", " 1e3", " 2004", " true", ""]


def _mutations(text: str, rng: random.Random, count: int) -> list[str]:
    """``count`` texts, each ``text`` with one small mistake of the kinds contributors (or attackers) make."""
    lines = text.split("\n")
    out = []
    for _ in range(count):
        kind = rng.randrange(5)
        at = rng.randrange(len(text))
        if kind == 0:
            out.append(text[:at] + rng.choice(_ODD) + text[at:])
        elif kind == 1:
            out.append(text[:at] + text[at + 1 :])
        elif kind in (2, 3):
            i = rng.randrange(len(lines))
            changed = list(lines)
            if kind == 2:
                changed.insert(i, lines[i])
            else:
                changed[i] = (" " * rng.choice([1, 2])) + lines[i] if rng.random() < 0.5 else lines[i][1:]
            out.append("\n".join(changed))
        else:
            i = rng.randrange(len(lines))
            head, colon, _ = lines[i].partition(":")
            out.append("\n".join(lines[:i] + [head + (colon or ":") + rng.choice(_SCALARS)] + lines[i + 1 :]))
    return out


def test_mutated_real_cases_give_the_slow_paths_result(tmp_path: Path):
    """Seeded mutations of real cases, beside the other real cases (related cases must exist)."""
    folder = tmp_path / "cases"
    shutil.copytree(ROOT / "cases", folder)
    accepted = 0
    for path in REAL:
        original = path.read_text("utf-8")
        for text in _mutations(original, random.Random(f"mutate {path.name}"), 8):
            target = folder / path.name
            target.write_text(text, "utf-8")
            fast, slow = _result(target, True), _result(target, False)
            assert fast == slow, (path.name, text[:0])
            accepted += fast[1] is not None
        (folder / path.name).write_text(original, "utf-8")
    assert accepted > 20, "too few mutations were valid to say anything about the fast path accepting"


def test_payload_filled_case_gives_the_slow_paths_result(tmp_path: Path):
    """A real case with hostile payloads in every free-text string, written out by PyYAML (its own quoting)."""
    from payloads import hostile_case

    source = min(REAL, key=lambda p: p.stat().st_size)
    data, poisoned = hostile_case(source)
    assert poisoned > 10
    folder = tmp_path / "cases"
    shutil.copytree(ROOT / "cases", folder)
    path = folder / source.name
    for style in (None, "'", '"'):  # quoted alike, numbers get !!int tags: problems for both paths
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_style=style), "utf-8")
        fast, slow = _result(path, True), _result(path, False)
        assert fast == slow, style
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1_000_000), "utf-8")
    fast, slow = _result(path, True), _result(path, False)
    assert fast == slow  # its warnings too: the payloads are markup, found with the same places on both paths
    assert fast[1] is not None and fast[2] and all(": warning[markup-in-text] " in p for p in fast[2])


# --- What load_fast leaves to the model --------------------------------------------------------------


def test_the_case_model_refuses_keys_that_are_not_text():
    path = ROOT / "cases" / "boston-operation-ceasefire.yaml"
    case = load_bytes(path.read_bytes(), path)[0].data
    Case.model_validate(case)
    for place in (case, case["actors"][0], case["sources"][0]):
        for key in (1, 1.5, True, None, ("a",)):
            place[key] = "x"
            with pytest.raises(ValidationError):
                Case.model_validate(case)
            del place[key]
    roles = next(item for item in case["interdependencies"] if isinstance(item, dict))
    roles["source_roles"] = {1: "context"}
    with pytest.raises(ValidationError):
        Case.model_validate(case)


def test_the_case_schema_has_no_open_field_and_is_shallower_than_the_depth_limit():
    """Every value is typed (no field of any type, no free extra keys), so deep or odd data is refused."""
    schema = Case.model_json_schema()
    defs = schema.get("$defs", {})
    typed = {"type", "$ref", "anyOf", "oneOf", "allOf", "const", "enum"}

    def depth(node: dict[str, Any], seen: tuple[str, ...] = ()) -> int:
        """How many levels of lists and mappings ``node`` allows."""
        assert typed & set(node), node
        extra = node.get("additionalProperties")
        assert extra in (None, False) or isinstance(extra, dict), node
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[-1]
            assert name not in seen, f"{name} contains itself"
            return depth(defs[name], seen + (name,))
        levels = [depth(n, seen) for key in ("anyOf", "oneOf", "allOf") for n in node.get(key, [])]
        children = list(node.get("properties", {}).values())
        children += [node[key] for key in ("items", "additionalProperties") if isinstance(node.get(key), dict)]
        if node.get("type") in ("object", "array"):
            levels.append(1 + max((depth(n, seen) for n in children), default=0))
        return max(levels, default=0)

    assert depth(schema) <= 7 < MAX_DEPTH


# --- The rest of the fast path ------------------------------------------------------------------------


def test_without_yaml_rs_every_file_takes_the_slow_path(monkeypatch):
    monkeypatch.setattr(load, "yaml_rs", None)
    assert load_fast(REAL[0].read_bytes(), REAL[0]) is None
    assert check_paths([ROOT / "cases"], models=False).problems == []


def test_places_of_a_fast_file_are_found_when_a_rule_across_files_needs_them(tmp_path: Path):
    """Two cases with one title: the second file's problem points at its title, as on the slow path."""
    folder = tmp_path / "cases"
    folder.mkdir()
    first = (ROOT / "cases" / "boston-operation-ceasefire.yaml").read_text("utf-8")
    second = (ROOT / "cases" / "medellin-metrocable.yaml").read_text("utf-8")
    title = next(line for line in first.split("\n") if line.startswith("title:"))
    lines = second.split("\n")
    lines[next(i for i, line in enumerate(lines) if line.startswith("title:"))] = title
    (folder / "boston-operation-ceasefire.yaml").write_text(first, "utf-8")
    (folder / "medellin-metrocable.yaml").write_text("\n".join(lines), "utf-8")
    fast = [p.format() for p in check_paths([folder], models=False).problems]
    with pytest.MonkeyPatch.context() as mp:
        _slow_only(mp)
        slow = [p.format() for p in check_paths([folder], models=False).problems]
    assert fast == slow and any("duplicate-title" in p for p in fast)
    assert not any(":1:1:" in p for p in fast if "duplicate-title" in p)


def test_a_summary_of_a_changed_file_has_no_stale_places(tmp_path: Path):
    path = tmp_path / "boston-operation-ceasefire.yaml"
    shutil.copy(ROOT / "cases" / path.name, path)
    _, summary, problems = _check_case_file(path)
    assert problems == [] and summary.places == {} and summary.file
    path.write_text("\n\n" + path.read_text("utf-8"), "utf-8")
    assert summary.position(("title",)) == (1, 1)


def test_validate_alone_stores_no_models_and_a_build_finds_them_again(tmp_path: Path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("CASEBOOK_CACHE", "1")
    monkeypatch.setenv("CASEBOOK_CACHE_DIR", str(folder))
    assert check_paths([ROOT / "cases"], models=False, keep=False).problems == []
    assert any((folder / "check").rglob("*")) and not (folder / "case").exists()
    checked = check_paths([ROOT / "cases"])
    assert len(checked.cases) == len(REAL) and any((folder / "case").rglob("*"))


# --- The flow screen cuts plain flow collections out instead of counting their brackets ---------------


def _covered_by_plain_flows(data: bytes) -> bool:
    """The reference for ``load._odd_flow``: every ``[`` and ``{`` lies inside some match, in ``data`` itself,
    of one of the plain flow patterns (``load._FLOW_VALUES``)."""
    covered: set[int] = set()
    for pattern in load._FLOW_VALUES:
        for start in range(len(data)):  # every start, so overlapping matches count too
            match = pattern.match(data, start)
            if match:
                covered.update(range(match.start(), match.end()))
    return all(i in covered for i, byte in enumerate(data) if byte in b"[{")


def test_odd_flow_accepts_only_brackets_inside_plain_flow_collections():
    """Wherever ``_odd_flow`` lets a document through, each bracket lies in a plain flow collection of the
    original text: cutting one out never joins the text around it into a new match (``- [a]: [b]`` stays odd)."""
    rng = random.Random("flow cuts")
    pieces = ["key: ", "- ", "[a, b]", "{start: 1995, end: 2000}", "[", "]", "{", "}", ": [x]", "- [y]", "# c: [z]"]
    pieces += ["\n", "  ", "'q [r]'", '"s {t}"', "a", ", ", ":", "x\n"]
    docs = [b"- [a]: [b]\n", b"k: [a] x: [b]\n", b"k: [a]\n: [b]\n", b"- {a: [b]}\n", b"k: [a]]\n"]
    docs += [("".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) + "\n").encode() for _ in range(3000)]
    for data in docs:
        if not load._odd_flow(data):
            assert _covered_by_plain_flows(data), data
    assert load._odd_flow(b"- [a]: [b]\n") and load._odd_flow(b"k: [a]]\n")
    assert not load._odd_flow(b"k: [a, b]\n- {start: 1995, end: 2000}  # [c]\n")
    assert not any(load._odd_flow(p.read_bytes()) for p in REAL)


def test_known_codes_are_remembered_and_unknown_ones_still_refused():
    """The schema remembers the ISO codes it found (a cost, never what is valid): after a known subdivision and
    currency, an unknown one of the same shape is still an error, every time."""
    raw, problems = load_bytes((DATA / "valid" / "river-town-example.yaml").read_bytes(), Path("x.yaml"))
    assert raw is not None and not problems
    case = raw.data
    for _ in range(2):
        Case.model_validate({**case, "subdivisions": ["US-MA"]})
        with pytest.raises(ValidationError, match="subdivision_code|not an ISO 3166-2"):
            Case.model_validate({**case, "subdivisions": ["US-ZZ"]})


def _reading_lists_result(folder: Path, case_ids: set[str], fast: bool) -> tuple[Any, ...]:
    with pytest.MonkeyPatch.context() as mp:
        if not fast:
            _slow_only(mp)
        lists, problems = validate.check_reading_lists(folder, case_ids)
    return [r.model_dump(mode="json") for r in lists], [p.format() for p in problems]


def test_reading_lists_read_by_the_fast_path_give_the_slow_paths_result(tmp_path: Path):
    """Reading lists take the fast path too; their problems (a case that does not exist, an id that is not the
    file's name, schema problems, odd YAML) and places are the slow path's, with the places found only then."""
    real = sorted((ROOT / "cases" / "reading-lists").glob("*.yaml"))
    folder = tmp_path / "lists"
    folder.mkdir()
    rng = random.Random("reading lists")
    for i, path in enumerate(real):
        text = path.read_text("utf-8")
        (folder / path.name).write_text(text, "utf-8")
        (folder / f"renamed-{i}.yaml").write_text(text, "utf-8")  # id-mismatch
        lines = text.splitlines(keepends=True)
        for k in range(20):
            mutated = list(lines)
            at = rng.randrange(len(mutated))
            mutated[at] = rng.choice(["", "  extra: 1\n", "- [x\n", "id: Bad Id\n", mutated[at] * 2, "\t\n"])
            (folder / f"{path.stem}-m{k}.yaml").write_text("".join(mutated), "utf-8")
    ids = {p.stem for p in (ROOT / "cases").glob("*.yaml")}
    for case_ids in (ids, ids - {sorted(ids)[0], sorted(ids)[5]}):
        fast = _reading_lists_result(folder, case_ids, True)
        assert fast == _reading_lists_result(folder, case_ids, False)
        assert fast[1], "the mutations and the missing cases give problems"


def test_remembered_public_hosts_never_let_a_bad_address_through():
    """``_plain_address`` remembers hosts it found public (a cost, never what is valid): the same host with a
    name before ``@`` is still refused, and private or dotted hosts are refused every time."""
    from pydantic import TypeAdapter

    from builder.model import WebAddress

    check = TypeAdapter(WebAddress).validate_python
    for _ in range(2):
        assert check("https://www.who.int/news").host == "www.who.int"
        for bad, kind in [
            ("https://user@www.who.int/", "url_userinfo"),
            ("https://www.who.int./", "url_host_dot"),
            ("http://localhost/", "url_private"),
            ("http://10.0.0.5/", "url_private"),
        ]:
            with pytest.raises(ValidationError) as caught:
                check(bad)
            assert caught.value.errors()[0]["type"] == kind, bad
