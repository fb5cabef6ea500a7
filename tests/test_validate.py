"""Validation: real cases pass; each invalid fixture gives exactly its expected problems."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from builder.cli import main
from builder.load import load_text
from builder.validate import check_paths
from conftest import DATA, ROOT

INVALID = sorted((DATA / "invalid").glob("*.yaml"))


def _report(path: Path) -> str:
    checked = check_paths([path])
    return "".join(p.format().replace(p.path, path.name, 1) + "\n" for p in checked.problems)


def test_real_cases_are_valid(corpus):
    assert corpus.files >= 3
    assert [p.format() for p in corpus.problems] == []
    assert len(corpus.cases) == corpus.files


def test_valid_fixture_is_valid():
    checked = check_paths([DATA / "valid"])
    assert checked.problems == []
    assert [c.id for c in checked.cases] == ["river-town-example"]


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_fixture(path: Path):
    """Each fixture's full problem list (line, column, code, message, fix) is in <name>.expected."""
    expected = path.with_suffix(".expected")
    actual = _report(path)
    assert actual, f"{path.name} should have problems"
    if not expected.exists():
        expected.write_text(actual, "utf-8")
        pytest.fail(f"wrote {expected.name}; review it and run again")
    assert actual == expected.read_text("utf-8")


def test_every_invalid_fixture_has_expectations():
    assert sorted(p.stem for p in (DATA / "invalid").glob("*.expected")) == [p.stem for p in INVALID]


def test_duplicate_keys_name_both_lines():
    raw, problems = load_text("id: a\ntitle: x\nid: b\n", Path("x.yaml"))
    assert [(p.line, p.code) for p in problems] == [(3, "duplicate-key")]
    assert "first defined on line 1" in problems[0].message
    assert raw.data == {"id": "a", "title": "x"}


def test_unsafe_yaml_tags_are_refused():
    _, problems = load_text("id: !!python/object/apply:os.system ['echo hi']\n", Path("x.yaml"))
    assert [p.code for p in problems] == ["yaml-syntax"]


def test_cli_validate_exit_codes_and_output(capsys):
    assert main(["validate", str(DATA / "invalid" / "three-problems.yaml")]) == 1
    out, err = capsys.readouterr()
    assert out.count("error[") == 3
    assert "error[unknown-key] unknown key 'tagilne'" in out
    assert "error[duplicate-key]" in out
    assert "error[unknown-actor]" in out
    assert out.count("  fix: ") == 3
    assert "check failed: 3 errors in 1 file" in err
    assert "Traceback" not in out + err
    assert main(["validate", str(DATA / "valid")]) == 0


def test_cli_validate_github_format(capsys):
    assert main(["validate", "--format", "github", str(DATA / "invalid" / "three-problems.yaml")]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    first = lines[0]
    assert first.startswith("::error file=")
    assert (
        ",line=6,col=1,title=unknown-key::[unknown-key] unknown key 'tagilne' at the top level Fix: did you mean"
        in first
    )
    assert "three-problems.yaml" in first


def test_cross_file_rules(tmp_path: Path):
    src = (DATA / "valid" / "river-town-example.yaml").read_text("utf-8")
    (tmp_path / "river-town-example.yaml").write_text(src, "utf-8")
    copy = src.replace("id: river-town-example", "id: river-town-copy").replace(
        "title: A made-up report for tests", "title: Another title for the same report"
    )
    (tmp_path / "river-town-copy.yaml").write_text(copy, "utf-8")
    checked = check_paths([tmp_path])
    assert [(Path(p.path).name, p.line, p.code) for p in checked.problems] == [
        ("river-town-example.yaml", 5, "duplicate-title"),
        ("river-town-example.yaml", 194, "source-title-mismatch"),
    ]


def test_missing_path_is_a_problem_not_a_traceback(capsys):
    assert main(["validate", str(ROOT / "no-such-folder" / "x.yaml")]) == 1
    assert "error[missing-file]" in capsys.readouterr().out


def test_titles_and_names_have_a_length_limit(tmp_path):
    """A case title, an actor's name and a source's title each have a limit, checked like the tagline's: at the
    limit the case is valid, one character over it is an out-of-range problem at the value with the fix."""
    text = (DATA / "valid" / "river-town-example.yaml").read_text("utf-8")
    fields = [
        ("title: River Town flood partnership (test fixture)", "title: ", 150),
        ("    name: River Town council", "    name: ", 300),
        ("    title: A made-up report for tests", "    title: ", 500),
    ]
    for over in (0, 1):
        edited = text
        for line, key, limit in fields:
            assert edited.count(line + "\n") == 1
            edited = edited.replace(line + "\n", key + "T" * (limit + over) + "\n")
        path = tmp_path / "river-town-example.yaml"
        path.write_text(edited, "utf-8")
        found = [(p.line, p.column, p.code, p.message.split(":")[0], p.fix) for p in check_paths([path]).problems]
        if not over:
            assert found == []
            continue
        assert found == [
            (5, 8, "out-of-range", "title is too long (151 characters)", "shorten it to at most 150 characters"),
            (
                21,
                11,
                "out-of-range",
                "actors[0].name is too long (301 characters)",
                "shorten it to at most 300 characters",
            ),
            (
                194,
                12,
                "out-of-range",
                "sources[0].title is too long (501 characters)",
                "shorten it to at most 500 characters",
            ),
        ]


def test_every_dated_event_after_the_review_date_is_a_problem():
    """Timeline events, actors' changes, the deal's end and agreements' dates: a date whose first possible day
    is after last_reviewed is a problem; the review's own year or month, and dates outside years:, are not."""
    from builder.validate import _dates_after_review

    text = (
        "last_reviewed: 2026-11-26\n"
        "years: {start: 1995, end: 2000}\n"
        "timeline:\n"
        "  - {date: 2026}\n"  # the year of the review: can be before it
        "  - {date: 2026-11}\n"
        "  - {date: 2026-11-27}\n"  # the day after
        "  - {date: 1980}\n"  # an antecedent
        "actors:\n"
        "  - {id: a, changes: [{date: 2027}]}\n"
        "deal: {ended: 2026-12}\n"
        "agreements:\n"
        "  - {agreed: 2001, amended: [2010, 2030-02], ended: 2099}\n"
    )
    raw, problems = load_text(text, Path("x.yaml"))
    assert problems == []
    found = [(p.line, p.code, p.message) for p in _dates_after_review(raw, raw.data)]
    after = "is after the case was last reviewed (2026-11-26)"
    assert found == [
        (6, "after-review", f"timeline[2].date 2026-11-27 {after}"),
        (9, "after-review", f"actors[0].changes[0].date 2027 {after}"),
        (10, "after-review", f"deal.ended 2026-12 {after}"),
        (12, "after-review", f"agreements[0].amended[1] 2030-02 {after}"),
        (12, "after-review", f"agreements[0].ended 2099 {after}"),
    ]
    raw, _ = load_text(text.replace("last_reviewed: 2026-11-26\n", ""), Path("x.yaml"))
    assert list(_dates_after_review(raw, raw.data)) == []  # no review date: nothing to compare with


def test_source_notes_read_after_the_review_date_are_one_problem_at_the_latest():
    """A source's note that says when it was read ("read on 2026-11-30") after last_reviewed means the review
    date is out of date: one problem a file, at the note with the latest day, counting the others; days on or
    before the review, dates without a day, and digits that only look like dates are not problems."""
    from builder.validate import _dates_after_review

    text = (
        "last_reviewed: 2026-11-26\n"
        "sources:\n"
        "  - {id: a, note: Read via a search excerpt on 2026-11-30.}\n"
        "  - {id: b, note: 'Published 2026-11-26, read 2026-11-26; report no. 12026-11-301'}\n"
        "  - {id: c, note: Checked again on 2026-12-01 and on 2026-11-28.}\n"
        "  - {id: d, note: Dated 2026-12 in the excerpt.}\n"
        "  - {id: e}\n"
        "  - {id: f, note: read 2026-13-45}\n"  # not a day: left alone
        "  - {id: g, note: 'The plan runs until 2030-12-31; see https://example.org/news/2027-03-01-report.html'}\n"
    )
    raw, problems = load_text(text, Path("x.yaml"))
    assert problems == []
    found = [(p.line, p.code, p.message) for p in _dates_after_review(raw, raw.data)]
    assert found == [
        (
            5,
            "after-review",
            "sources[2].note is dated 2026-12-01, after the case was last reviewed (2026-11-26); "
            "so is one other source note",
        )
    ]
    raw, _ = load_text(text.replace("2026-11-26\n", "2026-12-01\n", 1), Path("x.yaml"))
    assert list(_dates_after_review(raw, raw.data)) == []
    raw, _ = load_text("last_reviewed: 2026-11-26\nsources:\n  - {id: a, note: Read on 2101-01-01.}\n", Path("x.yaml"))
    (problem,) = _dates_after_review(raw, raw.data)
    assert problem.fix == "correct the date in the note: last_reviewed: can be at most 2100-12-31"


def test_a_named_file_is_checked_against_the_other_cases_of_its_folder(tmp_path, capsys):
    """`casebook validate cases/x.yaml` runs the rules across files against x's siblings, as the build does,
    and reports problems in the named files only (a sibling's clash or fault is not the named file's)."""
    import shutil

    folder = tmp_path / "cases"
    folder.mkdir()
    original = folder / "boston-operation-ceasefire.yaml"
    shutil.copy(ROOT / "cases" / "boston-operation-ceasefire.yaml", original)
    text = original.read_text("utf-8")
    copy = folder / "my-test-case.yaml"  # the newcomer's reproduction: the same case under another id
    copy.write_text(text.replace("\nid: boston-operation-ceasefire\n", "\nid: my-test-case\n", 1), "utf-8")
    (folder / "broken.yaml").write_text("id: broken\n", "utf-8")  # a sibling's own problems are not reported
    checked = check_paths([copy])
    assert [(p.path.rsplit("/", 1)[-1], p.code) for p in checked.problems] == [("my-test-case.yaml", "duplicate-title")]
    assert "also the title of case 'boston-operation-ceasefire'" in checked.problems[0].message
    assert (checked.problems[0].line, checked.problems[0].column) == (4, 8)
    assert checked.files == 1 and checked.valid == 1
    assert main(["validate", str(copy)]) == 1
    assert "error[duplicate-title]" in capsys.readouterr().out
    # Both named: one problem, as for the folder (in the later file).
    both = check_paths([original, copy])
    assert [(p.path.rsplit("/", 1)[-1], p.code) for p in both.problems] == [("my-test-case.yaml", "duplicate-title")]
    # A source's address cited under another title than in a sibling.
    title = "Reducing Gun Violence: The Boston Gun Project's Operation Ceasefire"
    other = text.replace("\nid: boston-operation-ceasefire\n", "\nid: my-test-case\n", 1)
    other = other.replace("\ntitle: Operation Ceasefire and", "\ntitle: A copy of Operation Ceasefire and", 1)
    copy.write_text(other.replace(f'title: "{title}"', 'title: "Another title"', 1), "utf-8")
    found = check_paths([copy]).problems
    assert {p.code for p in found} == {"source-title-mismatch"} and all(
        p.path.endswith("my-test-case.yaml") for p in found
    )
    copy.write_text(other, "utf-8")
    assert check_paths([copy]).problems == []
    assert check_paths([folder]).files == 3  # a folder is checked as before


def test_a_named_file_is_compared_with_only_the_siblings_it_may_clash_with():
    """``may_clash`` keeps every sibling that shares an id, a folded title or a source address with the named
    files, so the problems of the named files are exactly those found against all siblings (first holders kept)."""
    import random

    from builder.validate import CaseSummary, cross_file_problems, may_clash

    rng = random.Random(12)
    titles = ["Room for the River", "Café Deal", "Cafe\u0301 deal", "Caf\u200dé  Deal", "Other", "Third"]
    urls = [None, "https://a.example/x", "https://a.example/x/", "https://b.example/y", "https://c.example/z"]

    def summary(name: str) -> CaseSummary:
        sources = tuple((rng.choice(urls), rng.choice(["Report", "report", "The report", "Plan"])) for _ in range(3))
        places = {p: (1, 1) for p in CaseSummary.paths(len(sources))}
        return CaseSummary(f"{name}.yaml", rng.choice(["a", "b", "c", name]), rng.choice(titles), sources, places)

    compared = 0
    for round_ in range(300):
        others = [summary(f"s{round_}-{i}") for i in range(rng.randint(0, 12))]
        named = [summary(f"z{round_}-{i}") for i in range(rng.randint(1, 2))]
        shown = {s.display for s in named}

        def order(s, shown=shown):
            return (s.display in shown, s.display)

        every = [p for p in cross_file_problems([*others, *named], order=order) if p.path in shown]
        some = [p for p in cross_file_problems([*may_clash(named, others), *named], order=order) if p.path in shown]
        assert some == every
        compared += bool(every)
    assert compared > 100  # most rounds have a clash to compare


def test_a_reading_list_named_alone_is_checked_as_a_reading_list(tmp_path, capsys):
    """``casebook validate cases/reading-lists/x.yaml`` (what the pre-commit hook runs on an edited list) checks a
    list as a list, against the case files beside its folder; never as a case (no "missing 'actors'", no advice
    to migrate it)."""
    shutil.copytree(ROOT / "cases", tmp_path / "cases")
    folder = tmp_path / "cases" / "reading-lists"
    listed = folder / "holding-environments.yaml"
    assert main(["validate", str(listed)]) == 0
    assert capsys.readouterr().out.strip() == "ok: 1 reading list valid"
    assert main(["validate", str(folder), str(tmp_path / "cases" / "total-place.yaml")]) == 0
    assert capsys.readouterr().out.strip() == "ok: 1 case and 3 reading lists valid"
    assert main(["validate", str(tmp_path / "cases")]) == 0  # the folder of cases checks its lists: it says so
    cases = len(list((tmp_path / "cases").glob("*.yaml")))
    assert capsys.readouterr().out.strip() == f"ok: {cases} cases and 3 reading lists valid"
    listed.write_text(listed.read_text("utf-8").replace("case: room-for-the-river", "case: room-for-the-rivr"))
    assert main(["validate", str(listed)]) == 1
    out = capsys.readouterr().out
    assert "error[unknown-case] there is no case 'room-for-the-rivr'" in out and "did you mean" in out.lower()
    assert "actors" not in out and "old-schema" not in out and "migrate" not in out
    (tmp_path / "cases" / "room-for-the-river.yaml").unlink()  # the list's case is gone from the folder
    listed.write_text(listed.read_text("utf-8").replace("room-for-the-rivr", "room-for-the-river"))
    assert main(["validate", str(listed)]) == 1
    assert "there is no case 'room-for-the-river'" in capsys.readouterr().out


def test_a_reading_list_that_names_a_case_twice_is_refused(tmp_path, capsys):
    """A packet would print the case twice, with every id on the page twice: an error at the second naming."""
    shutil.copytree(ROOT / "cases", tmp_path / "cases")
    listed = tmp_path / "cases" / "reading-lists" / "holding-environments.yaml"
    text = listed.read_text("utf-8")
    cases = re.findall(r"^  - case: (\S+)$", text, re.M)
    assert len(cases) >= 3
    listed.write_text(text.replace(f"case: {cases[2]}\n", f"case: {cases[0]}\n", 1), "utf-8")
    line = text.splitlines().index(f"  - case: {cases[2]}") + 1
    assert main(["validate", str(listed)]) == 1
    out = capsys.readouterr().out
    assert out.split("/")[-1].startswith(
        f"holding-environments.yaml:{line}:11: error[duplicate-case] items[2] names case '{cases[0]}' again "
        "(items[0] names it too)"
    ), out
    assert out.count("error[") == 1
    listed.write_text(
        text.replace(f"case: {cases[0]}\n", "case: gone\n").replace(f"case: {cases[2]}\n", "case: gone\n")
    )
    assert main(["validate", str(listed)]) == 1
    out = capsys.readouterr().out  # a missing case named twice is missing twice, not a duplicate
    assert out.count("error[unknown-case]") == 2 and "duplicate-case" not in out


def test_a_case_file_ends_in_yaml(tmp_path):
    """``x.yml`` (or ``x.YAML``) with ``id: x`` is refused with the name to give it: the site's edit link and
    ``casebook analyze`` name a case's file ``<id>.yaml``."""
    for name in ("river-town-example.yml", "river-town-example.YAML"):
        path = tmp_path / name
        shutil.copy(DATA / "valid" / "river-town-example.yaml", path)
        (problem,) = check_paths([path]).problems
        assert problem.format() == (
            f"{path}:4:5: error[id-mismatch] the file '{name}' must be named river-town-example.yaml: the site's edit "
            "link and `casebook analyze` find a case by that name\n  fix: rename the file to river-town-example.yaml"
        )
        path.unlink()


def test_a_file_named_twice_is_checked_once(tmp_path, monkeypatch, capsys):
    """A list named alone and through its folder, a case named alone and through its folder, or a list named from
    inside its own folder: each file is checked once, as what it is."""
    shutil.copytree(ROOT / "cases", tmp_path / "cases")
    cases = tmp_path / "cases"
    listed = cases / "reading-lists" / "holding-environments.yaml"
    assert main(["validate", str(cases), str(listed), str(cases / "total-place.yaml")]) == 0
    assert capsys.readouterr().out.strip() == "ok: 19 cases and 3 reading lists valid"
    listed.write_text(listed.read_text("utf-8").replace("case: room-for-the-river", "case: gone"), "utf-8")
    assert main(["validate", str(cases), str(listed)]) == 1
    assert capsys.readouterr().out.count("error[unknown-case]") == 1
    monkeypatch.chdir(cases / "reading-lists")
    assert main(["validate", "holding-environments.yaml"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("holding-environments.yaml:11:11: error[unknown-case] there is no case 'gone'")
    assert "actors" not in out


def test_a_look_alike_in_ordinary_text_is_not_blamed_for_a_nearby_error():
    """A no-break space or a full-width colon inside a text is allowed; near an unrelated syntax error, the error is
    reported as YAML found it, not blamed on the character."""
    for text, expected in [
        ("summary: |\n  Source:\u00a0Braga (2001).\nlocality: Boston: MA\n", "x.yaml:3:17: error[yaml-syntax]"),
        ("summary: |\n  Note\uff1athe plan\nx: y: z\n", "x.yaml:3:5: error[yaml-syntax]"),
        # typing a plain space there would make an earlier error, not mend this one
        ("summary: Text that goes on\n  ratio:\u00a03 to 1\nid: x: y\n", "x.yaml:3:6: error[yaml-syntax]"),
    ]:
        (problem,) = load_text(text, Path("x.yaml"))[1]
        assert problem.format().startswith(f"{expected} YAML syntax error: mapping values are not allowed"), problem
        assert "looks like" not in problem.message
    (problem,) = load_text("summary: |\n  ok\nscale:\u00a0local\nx: y\n", Path("x.yaml"))[1]
    assert (problem.line, problem.column) == (3, 7) and "U+00A0 NO-BREAK SPACE looks like a space" in problem.message


def test_a_folder_named_twice_or_through_a_link_is_checked_once(tmp_path, capsys):
    shutil.copytree(ROOT / "cases", tmp_path / "cases")
    (tmp_path / "linked").symlink_to(tmp_path / "cases", target_is_directory=True)
    listed = tmp_path / "cases" / "reading-lists" / "holding-environments.yaml"
    listed.write_text(listed.read_text("utf-8").replace("case: room-for-the-river", "case: gone"), "utf-8")
    for paths in (["cases", "cases"], ["cases", "linked"], ["cases/total-place.yaml", "linked/total-place.yaml"]):
        checked = check_paths([tmp_path / p for p in paths])
        codes = [p.code for p in checked.problems]
        assert codes == (["unknown-case"] if paths[0] == "cases" else []), (paths, codes)


def test_a_comment_that_hides_a_closing_brace_is_named():
    """`{start: 1995, end: 2000 #approx}`: the ` #` makes the rest of the line a comment, so YAML reports the brace as
    never closed; the message says a comment may be hiding it, and how to keep the text."""
    (problem,) = load_text("id: x\nyears: {start: 1995, end: 2000 #approx}\ntitle: t\n", Path("x.yaml"))[1]
    assert "(or a ' #' on line 2 starts a comment that hides its partner)" in problem.message
    assert problem.fix.startswith("put the text that holds ' #' on line 2 in quotes")
    (problem,) = load_text("years: {start: 1995,\nend: 2000\ntitle: t\n", Path("x.yaml"))[1]
    assert "comment" not in problem.message  # a brace left open, with no # in sight


def test_a_fix_lists_each_id_once():
    """An actor's purpose ids listed in a fix: a duplicated id (its own problem) is offered once."""
    from builder.validate import _listed

    assert _listed(["youth-wellbeing", "safety", "youth-wellbeing"]) == "youth-wellbeing, safety"


def test_a_colon_inside_unquoted_text_is_named_with_the_quoted_line():
    """`title: Youth mental health: Riverton` is read by YAML as a second key; the fix quotes that text. A line
    whose colon error has another cause keeps the general fix."""
    _, problems = load_text("id: x\ntitle: Youth mental health: Riverton 2027\n", Path("x.yaml"))
    (problem,) = problems
    assert (problem.line, problem.code) == (2, "yaml-syntax")
    assert problem.fix == (
        "the text after 'title' holds ': ', which YAML reads as another key: put it in quotes, "
        'title: "Youth mental health: Riverton 2027"'
    )
    _, problems = load_text("id: x\n  title: a\n", Path("x.yaml"))
    assert problems and "holds ': '" not in problems[0].fix
    # The line given back reads as the text: quotes, backslashes and a trailing comment survive a paste.
    import yaml

    for line, text in [('title: It\'s "x": y', 'It\'s "x": y'), ("title: C:\\dir: x", "C:\\dir: x")]:
        (problem,) = load_text(f"id: x\n{line}\n", Path("x.yaml"))[1]
        suggested = problem.fix.split("put it in quotes, ", 1)[1]
        assert yaml.safe_load(suggested) == {"title": text}, suggested
    (problem,) = load_text("id: x\ntitle: Youth: Riverton  # draft\n", Path("x.yaml"))[1]
    assert problem.fix.endswith("title: \"Youth: Riverton\" (the '# draft' after it stays a comment)")
    (problem,) = load_text("summary: text\n  see: this: that\n", Path("x.yaml"))[1]  # continues the text above
    assert "holds ': '" not in problem.fix


def test_a_missing_dash_is_suggested_only_inside_a_list():
    """The first key of a mapping again: inside a list, most often an item missing its "- "; at the top of a file
    or in a nested mapping, just a duplicate."""
    problems = load_text("title: X\nid: y\ntitle: Z\n", Path("x.yaml"))[1]
    assert [p.fix for p in problems] == ["merge the two 'title' entries into one, or rename one of them"]
    problems = load_text("items:\n  - case: a\n    why: b\n    case: c\n    why: d\n", Path("x.yaml"))[1]
    assert problems[0].fix.startswith("if line 4 starts another item of the list, put '- ' before 'case'")
    assert problems[1].fix.startswith("if line 4 starts another item of the list, this key is part of it")


@pytest.mark.parametrize(
    ("start", "named"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00", "a Word or OpenDocument document, or another zip archive"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word (.doc) or Excel (.xls) document"),
        (b"{\\rtf1\\ansi title: x", "a rich-text (RTF) document"),
        (b"%PDF-1.7\n", "a PDF"),
    ],
)
def test_a_document_saved_under_a_yaml_name_is_named(tmp_path, capsys, start, named):
    """A practitioner who saves a situation or case from a word processor gets told what the file is, not a
    guess about Latin-1 bytes or a YAML syntax error."""
    path = tmp_path / "my-situation.yaml"
    path.write_bytes(start + b"\x00\x01 rest of the document")
    assert main(["diagnose", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"error[not-utf8] the file is {named}, not plain text" in out
    assert "Save As, Plain Text" in out
