"""Hostile and careless input: every bad file gives located problems with a fix, fast, never a traceback.

``tests/data/hostile/`` holds bad case files and situation files (``situation-*.yaml``),
each with its exact problem list in ``<name>.expected`` (as ``tests/data/invalid/``).
Files too big to commit (megabytes, a million levels of nesting) are generated here.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from builder.cli import main
from builder.load import MAX_ALIASES, MAX_BYTES, MAX_DEPTH, MAX_VALUES, load_file, load_text
from builder.problems import CODES, Problem
from builder.situation import check_situation_file
from builder.validate import check_paths
from conftest import DATA, count_hostile

HOSTILE = DATA / "hostile"
FILES = sorted(HOSTILE.glob("*.yaml"))
BASE = (HOSTILE / "dangling-actor.yaml").read_text("utf-8").replace("holder: twn", "holder: town")


def _problems(path: Path) -> list[Problem]:
    if path.name.startswith("situation-"):
        return check_situation_file(path)[1]
    return check_paths([path]).problems


def _assert_located(problems: list[Problem]) -> None:
    assert problems, "hostile input must give at least one problem"
    for p in problems:
        assert p.line >= 1 and p.column >= 1, p
        assert p.code in CODES and p.code != "internal-error", p.format()
        assert p.message and p.fix, p.format()


def test_corpus_is_large_and_varied():
    assert len(FILES) >= 60
    assert sum(p.name.startswith("situation-") for p in FILES) >= 15
    assert sorted(p.stem for p in HOSTILE.glob("*.expected")) == [p.stem for p in FILES]


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_hostile_file(path: Path):
    """Problems within a second, each located with a code and a fix, exactly as in <name>.expected."""
    start = time.process_time()  # CPU time: other processes on a busy machine do not count
    problems = _problems(path)
    elapsed = time.process_time() - start
    count_hostile("committed files")
    _assert_located(problems)
    assert elapsed < 1.0, f"{path.name} took {elapsed:.2f}s"
    actual = "".join(p.format().replace(p.path, path.name, 1) + "\n" for p in problems)
    expected = path.with_suffix(".expected")
    if not expected.exists():
        expected.write_text(actual, "utf-8")
        pytest.fail(f"wrote {expected.name}; review it and run again")
    assert actual == expected.read_text("utf-8")


def test_the_base_of_the_corpus_is_valid(tmp_path: Path):
    """Each corpus file is this valid case with one mistake, so its problems are that mistake's."""
    path = tmp_path / "dangling-actor.yaml"
    path.write_text(BASE, "utf-8")
    assert [p.format() for p in check_paths([path]).problems] == []


def _bomb(levels: int, width: int) -> str:
    lines = ["a0: &a0 [" + ", ".join(["lol"] * width) + "]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


GENERATED = {
    "five-megabytes": ("summary: " + "x" * 5_000_000 + "\n", "too-large", (1, 1)),
    "just-over-the-size-limit": ("summary: " + "é" * (MAX_BYTES // 2) + "\n", "too-large", (1, 1)),
    "billion-laughs": (_bomb(10, 10), "too-many-aliases", (5, 25)),
    "wide-alias-bomb": (_bomb(3, 90), "too-many-aliases", (3, None)),
    "many-small-aliases": (
        "a: &a x\nb: [" + ", ".join(["*a"] * (MAX_ALIASES + 1)) + "]\n",
        "too-many-aliases",
        (2, None),
    ),
    "million-flow-levels": ("[" * 1_000_000, "too-deep", (1, None)),
    "deep-flow-mappings": ("{a: " * 5_000 + "x" + "}" * 5_000, "too-deep", (1, None)),
    "deep-block-lists": (
        "".join("  " * i + "-\n" for i in range(200)) + "  " * 200 + "- x\n",
        "too-deep",
        (MAX_DEPTH + 1, None),
    ),
    "deep-block-mappings": ("".join("  " * i + f"k{i}:\n" for i in range(200)), "too-deep", (MAX_DEPTH + 1, None)),
    "too-many-values": ("countries:\n" + "  - NL\n" * (MAX_VALUES + 10), "too-large", (MAX_VALUES, 5)),
    "many-unknown-keys": ("".join(f"key{i}: 1\n" for i in range(40_000)), "too-many-problems", (None, 1)),
    "many-bad-ids": ("actors:\n" + "  - {id: Bad_Id, name: x}\n" * 10_000, "too-many-problems", (None, None)),
    "control-characters-on-one-line": ("summary: " + "\x07" * 200_000 + "\n", "bad-character", (1, 10)),
    "control-characters-on-many-lines": ("summary: |\n" + "  a\x07\n" * 100_000, "too-many-problems", (22, 4)),
}


@pytest.mark.parametrize("name", GENERATED)
def test_generated_hostile_file_is_refused_within_a_second(tmp_path: Path, name: str):
    text, code, (line, col) = GENERATED[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, "utf-8")
    start = time.process_time()  # CPU time: other processes on a busy machine do not count
    problems = check_paths([path]).problems
    elapsed = time.process_time() - start
    count_hostile("generated files")
    _assert_located(problems)
    assert elapsed < 1.0, f"{name} took {elapsed:.2f}s"
    assert code in [p.code for p in problems], [p.format() for p in problems][:3]
    found = next(p for p in problems if p.code == code)
    assert line is None or found.line == line, found.format()
    assert col is None or found.column == col, found.format()


def test_big_file_is_refused_before_it_is_read(tmp_path: Path, monkeypatch):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as f:
        f.truncate(50 * MAX_BYTES)  # a sparse 50 MB file
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("the file was read"))
    raw, problems = load_file(path)
    assert raw is None and [p.code for p in problems] == ["too-large"]
    assert "50,000,000 bytes" in problems[0].message


def test_text_under_the_limits_still_loads():
    """The limits leave room: a file at the deepest allowed nesting, with 100 aliases, loads."""
    deep = "".join("  " * i + f"k{i}:\n" for i in range(MAX_DEPTH - 1)) + "  " * (MAX_DEPTH - 1) + "end: x\n"
    raw, problems = load_text(deep, Path("x.yaml"))
    assert problems == [] and raw is not None
    aliases = "a: &a x\nb: [" + ", ".join(["*a"] * MAX_ALIASES) + "]\n"
    raw, problems = load_text(aliases, Path("x.yaml"))
    assert problems == [] and raw.data["b"] == ["x"] * MAX_ALIASES


def test_build_reports_every_file_and_builds_nothing(tmp_path: Path, capsys):
    """One impossible date, one alias bomb and one bad URL: all three files' problems, no traceback."""
    cases = tmp_path / "cases"
    cases.mkdir()
    for name in ("date-february-29", "alias-bomb", "url-javascript", "bidi-override-in-name"):
        (cases / f"{name}.yaml").write_bytes((HOSTILE / f"{name}.yaml").read_bytes())
    assert main(["build", "--cases", str(cases), "--site-dir", str(tmp_path / "site")]) == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    for code in ("bad-date", "too-many-aliases", "bad-url", "bad-character"):
        assert f"error[{code}]" in out
    assert "check failed: 4 errors in 4 files; nothing was built" in err
    assert not (tmp_path / "site").exists()


def test_unclosed_hint_only_for_an_opening_that_runs_into_the_error():
    """A quote or bracket closed before the error, or opened on the error's own line, gets no hint."""
    closed = 'title: "a text over\n  two lines"\nsummary: ok\ncountries: [NL,\n  BE]\n\n\nbad: [x]: y\n'
    (problem,) = load_text(closed, Path("closed.yaml"))[1]
    assert (problem.line, problem.code) == (8, "yaml-syntax")
    assert "probably not closed" not in problem.message
    assert problem.fix == CODES["yaml-syntax"].fix
    same_line = 'title: "Boston\n'
    (problem,) = load_text(same_line, Path("same.yaml"))[1]
    assert "probably not closed" in problem.message  # the end of the file is reported, on line 2
    (problem,) = load_text("title: 'Boston: x'  y: z\n", Path("one.yaml"))[1]
    assert "probably not closed" not in problem.message
