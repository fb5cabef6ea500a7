"""HTML or Markdown in a case's text is reported as a warning (``markup-in-text``), and ordinary text is not.

Texts are shown as written (escaped), so markup would reach the page with its brackets and stars; the warning
leaves the case valid. ``tests/data/warnings/<name>.expected`` holds the exact warnings of each fixture.
"""

from __future__ import annotations

import dataclasses
import logging
import shutil
from pathlib import Path

import pytest
import yaml
from payloads import PAYLOADS, hostile_case

from builder.cli import main
from builder.load import load_file, load_text
from builder.markup import file_warnings, find_markup, markup_warnings
from conftest import DATA, ROOT

WARNINGS = DATA / "warnings"
FILES = sorted(WARNINGS.glob("*.yaml"))


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_warning_fixture(path: Path):
    raw, problems = load_file(path)
    assert raw is not None and not problems
    found = file_warnings(path.read_bytes(), raw)
    actual = "\n".join(dataclasses.replace(w, path=path.name).format() for w in found) + "\n"
    expected = path.with_suffix(".expected")
    if not expected.exists():
        expected.write_text(actual, "utf-8")
        pytest.fail(f"wrote {expected.name}; review it and run again")
    assert actual == expected.read_text("utf-8")


def test_a_warning_leaves_the_case_valid(capsys):
    assert main(["validate", str(WARNINGS / "markup-in-text.yaml")]) == 0
    out = capsys.readouterr().out
    assert "warning[markup-in-text] title: '<i>' is an HTML tag" in out
    assert out.rstrip().endswith("ok: 1 case valid (7 warnings)")
    assert main(["validate", "--format", "github", str(WARNINGS / "markup-in-text.yaml")]) == 0
    assert capsys.readouterr().out.startswith("::warning file=")


@pytest.mark.parametrize(
    "text",
    [
        "< 5 % of homes",
        "5 * 3 = 15",
        "x < y > z",
        "a*b*c",
        "2 ** 10",
        "[sic]",
        "AT&T and R&D",
        "snake_case_id",
        "fewer than <5 and more than 3>",
        "Section 3(b) [of the Act]",
        "It's a 'quote' and a \"quote\".",
    ],
)
def test_ordinary_text_is_not_markup(text: str):
    assert find_markup(text) is None


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("<b>x</b>", ("an HTML tag", "<b>")),
        ('<a href="https://example.org">a</a>', ("an HTML tag", '<a href="https://example.org">')),
        ("**x**", ("Markdown emphasis", "**x**")),
        ("[a](http://example.org/a_(b))", ("a Markdown link", "[a](http://example.org/a_(b))")),
        ("![a picture](a.png)", ("a Markdown link", "![a picture](a.png)")),
        ("&nbsp;", ("an HTML character reference", "&nbsp;")),
        ("<https://example.org>", ("a link in angle brackets", "<https://example.org>")),
    ],
)
def test_markup_is_found(text: str, found: tuple[str, str]):
    assert find_markup(text) == found


def test_every_free_text_field_of_a_real_case_is_checked():
    """The hostile payloads go into every free-text string of a real case (those where the case stays valid);
    each string given an HTML or Markdown payload gets exactly one warning."""
    data, poisoned = hostile_case(ROOT / "cases" / "boston-operation-ceasefire.yaml")
    markup = [p for p in PAYLOADS if find_markup(p)]
    assert len(markup) >= 7 and "{{ 7*7 }}" not in markup

    def texts(value):
        if isinstance(value, dict):
            return [t for v in value.values() for t in texts(v)]
        if isinstance(value, list):
            return [t for v in value for t in texts(v)]
        return [value] if isinstance(value, str) else []

    expected = sum(any(p in t for p in markup) for t in texts(data))
    assert poisoned > 250 and expected > 250
    raw, problems = load_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), Path("boston.yaml"))
    assert raw is not None and not problems
    assert len(markup_warnings(raw, limit=None)) == expected


def test_the_build_shows_the_warnings_and_builds_all_the_same(tmp_path, capsys):
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "markup-in-text.yaml").write_bytes((WARNINGS / "markup-in-text.yaml").read_bytes())
    site = tmp_path / "site"
    assert main(["build", "--cases", str(cases), "--config", str(ROOT / "mkdocs.yml"), "--site-dir", str(site)]) == 0
    captured = capsys.readouterr()
    expected = (WARNINGS / "markup-in-text.expected").read_text("utf-8").splitlines()
    shown = [line for line in captured.out.splitlines() if "warning[markup-in-text]" in line]
    assert [line.split(": ", 1)[1] for line in shown] == [line.split(": ", 1)[1] for line in expected[::2]]
    assert "7 warnings; the site is built all the same" in captured.err
    assert (site / "index.html").exists()


def test_serve_logs_the_warnings_of_the_edited_case_files(tmp_path, caplog):
    """Of the saved files, the case files and reading lists have their warnings logged; an editor's swap file, a
    case not saved, a removed file and a file outside the cases are not read."""
    from builder.plugin import log_warnings

    cases = tmp_path / "cases"
    (cases / "reading-lists").mkdir(parents=True)
    text = (WARNINGS / "markup-in-text.yaml").read_bytes()
    for name in ("edited.yaml", "untouched.yaml", ".edited.yaml.swp"):
        (cases / name).write_bytes(text)
    listed = (ROOT / "cases" / "reading-lists" / "holding-environments.yaml").read_text("utf-8")
    (cases / "reading-lists" / "list.yaml").write_text(
        listed.replace("id: holding-environments", "id: list").replace('at the table"', 'at the <b>table</b>"'), "utf-8"
    )
    changed = {str(cases / n) for n in ("edited.yaml", ".edited.yaml.swp", "reading-lists/list.yaml", "gone.yaml")}
    with caplog.at_level(logging.INFO):
        log_warnings(changed | {str(ROOT / "mkdocs.yml")}, cases.resolve())
    logged = [r.getMessage() for r in caplog.records if "markup-in-text" in r.getMessage()]
    assert len(logged) == 8 and all(f" {cases / 'edited.yaml'}:" in m for m in logged[:7]), logged
    assert f" {cases / 'reading-lists' / 'list.yaml'}:5:8: " in logged[7] and "'<b>' is an HTML tag" in logged[7]
    assert {r.levelno for r in caplog.records if "markup-in-text" in r.getMessage()} == {logging.INFO}


def _variants(folder: Path, n: int) -> list[Path]:
    """``n`` valid copies of the warning fixture with their own ids and titles (seven warnings each)."""
    text = (WARNINGS / "markup-in-text.yaml").read_text("utf-8")
    folder.mkdir()
    paths = []
    for i in range(n):
        copy = text.replace("id: markup-in-text\n", f"id: markup-{i}\n").replace("(markup-in-text)", f"(copy {i})")
        paths.append(folder / f"markup-{i}.yaml")
        paths[-1].write_text(copy, "utf-8")
    return paths


def test_the_check_finds_the_warnings_and_caches_them_with_its_result(tmp_path, monkeypatch):
    """Warnings are found by each file's one check (here in worker processes: more than ``PARALLEL_MIN`` files),
    the same as the slow loader's, and kept in the cache with the check's result: a warm check finds them without
    searching any text again (no file is read a second time for its warnings)."""
    from builder import cache, markup, validate

    monkeypatch.setenv("CASEBOOK_CACHE", "1")
    monkeypatch.setenv("CASEBOOK_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(cache, "_PACKS", {})
    paths = _variants(tmp_path / "cases", validate.PARALLEL_MIN + 5)
    expected = sorted(
        (w for p in paths for w in markup_warnings(load_file(p)[0])), key=lambda w: (w.path, w.line, w.column)
    )
    assert len(expected) == 7 * len(paths)
    cold = validate.check_paths([tmp_path / "cases"], models=False)
    assert not cold.problems and cold.valid == len(paths)
    assert cold.warnings == expected

    def searched(*args):
        raise AssertionError("a warm check searched a file's text for markup again")

    monkeypatch.setattr(markup, "file_warnings", searched)
    monkeypatch.setattr(validate, "file_warnings", searched)
    monkeypatch.setattr(cache, "_PACKS", {})  # as a new process: the results are read back from the packs
    warm = validate.check_paths([tmp_path / "cases"], models=False)
    assert warm.warnings == expected and not warm.problems


def test_an_invalid_case_gets_its_warnings_beside_its_errors(tmp_path, capsys):
    """A file YAML reads but the schema refuses still has its warnings reported (its errors make it fail)."""
    path = _variants(tmp_path / "cases", 1)[0]
    path.write_text(path.read_text("utf-8").replace("countries: [NL]", "countries: [XX]"), "utf-8")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "markup-0.yaml:10:13: error[unknown-country] 'XX' is not an ISO 3166-1 country code" in out
    assert out.count("warning[markup-in-text]") == 7


def test_a_reading_list_gets_warnings_too(tmp_path, capsys):
    """Reading lists are contributor text shown on the teaching pages: markup in them is warned about as in a case,
    and the list stays valid (both the fast path's reading and, with an error beside it, the slow path's)."""
    shutil.copytree(ROOT / "cases", tmp_path / "cases")
    listed = tmp_path / "cases" / "reading-lists" / "holding-environments.yaml"
    text = listed.read_text("utf-8").replace("what kept them at the table", "what **kept** them at the table")
    listed.write_text(text, "utf-8")
    assert main(["validate", str(tmp_path / "cases")]) == 0
    out = capsys.readouterr().out
    warning = "holding-environments.yaml:5:8: warning[markup-in-text] title: '**kept**' is Markdown emphasis"
    assert warning in out and out.rstrip().endswith("valid (1 warning)")
    listed.write_text(text.replace("case: room-for-the-river", "case: room-for-the-rivers"), "utf-8")
    assert main(["validate", str(tmp_path / "cases")]) == 1
    out = capsys.readouterr().out
    assert warning in out and "error[unknown-case] there is no case 'room-for-the-rivers'" in out
    listed.write_text(text.replace("\nsummary: >-", "\nsumary: >-"), "utf-8")  # the schema refuses it
    assert main(["validate", str(tmp_path / "cases")]) == 1
    out = capsys.readouterr().out
    assert warning in out and "holding-environments.yaml:6:1: error[unknown-key] unknown key 'sumary'" in out


def test_a_flood_of_warnings_is_cut_short_and_quick(tmp_path):
    """A file written to flood the output, or to make a search backtrack (a megabyte-long line, a hundred thousand
    cut values or lines of text), gives at most MAX_WARNINGS warnings of each kind and is read in linear time: no
    pattern here can backtrack (the first one took over a second for a 16,000-character line, and grew with its
    square). Timing is not asserted; a quadratic pass would hang the test well past any CI limit."""
    from builder.load import RawCase
    from builder.markup import MAX_WARNINGS, cut_warnings

    raw = RawCase(tmp_path / "x.yaml", {"k": "x y", "z": "a", "a": "b", "q": "q", "v": "v"})
    long_line = "k: x" + " " * 900_000 + "y\nz: a #b\n"
    assert [(w.line, w.column) for w in cut_warnings(long_line, raw)] == [(2, 6)]
    assert len(cut_warnings("k: x\n" + "a: b #c\n" * 120_000, raw)) == MAX_WARNINGS
    assert cut_warnings("k: x\n" + "a: b # c\n" * 110_000, raw) == []  # comments on purpose
    block = "summary: |\n" + "".join(f"  k{i}: v #x{i}\n" for i in range(55_000)) + "z: q #r\n"
    assert [(w.line, w.column) for w in cut_warnings(block, raw)] == [(55_002, 6)]  # the block's lines are text
    many = {"texts": [f"<b>{i}</b>" for i in range(1_000)]}
    assert len(markup_warnings(RawCase(tmp_path / "x.yaml", many))) == MAX_WARNINGS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("summary: |\r\n  Timeline: see item #1 below.\r\n  - Phase #2 began.\r\nid: x\r\n", []),  # CRLF block text
        ('title: "A long title that\n  continues: in Ward #3 here"\n', []),  # a quoted text's next line
        ("title: 'A title\n  - Ward #3 here'\n", []),
        ("locality: River Town\t#1 ward\n", [(1, 22)]),  # a tab before the #
        ("\ufefflocality: River Town #1 ward\n", [(1, 22)]),  # a byte-order mark
        ("tagline: Ward #3\nsummary: All of Ward #3 voted.\n", [(1, 15), (2, 22)]),  # the same words twice
        ("- Phase #2\n", [(1, 9)]),
        ("summary: >-\n  a #b\nz: q #r\n", [(3, 6)]),
        ("actors:\n  - description: >-\n      long text\n    name: Metro #2 line\n", [(4, 17)]),  # after a block
        ("a:\n  - >-\n    x #1 y\n  - q #2\n", [(4, 7)]),
    ],
)
def test_cut_text_is_found_where_yaml_cuts_it_and_nowhere_else(text, expected):
    from builder.markup import cut_warnings

    raw, problems = load_text(text, Path("x.yaml"))
    assert raw is not None and not problems
    assert [(w.line, w.column) for w in cut_warnings(text, raw)] == expected
