"""Attacks found by trying to break the casebook as a hostile contributor would, each with its siblings.

Output folders that would destroy the project, files that are links or devices, dates the site cannot print,
formulas in the CSV downloads, ids that hide generated pages, look-alike titles, and inputs that make the
analysis work without end.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from builder import analyze
from builder.cli import main
from builder.validate import check_paths
from conftest import DATA, ROOT

FIXTURE = DATA / "valid" / "river-town-example.yaml"


def _project(tmp_path: Path) -> Path:
    """A copy of the parts of the project a build reads, as a contributor's clone would have them."""
    root = tmp_path / "project"
    root.mkdir()
    for name in ("docs", "overrides"):
        shutil.copytree(ROOT / name, root / name)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    (root / "cases").mkdir()
    shutil.copy(FIXTURE, root / "cases" / FIXTURE.name)
    return root


@pytest.mark.parametrize("command", ["build", "markdown"])
@pytest.mark.parametrize("target", [".", "cases", "docs", "docs/sub", "mkdocs.yml", "foreign"])
def test_output_folders_that_would_destroy_something_are_refused(tmp_path, monkeypatch, capsys, command, target):
    root = _project(tmp_path)
    (root / "foreign").mkdir()
    (root / "foreign" / "thesis.tex").write_text("mine", "utf-8")
    monkeypatch.chdir(root)
    before = sorted(str(p.relative_to(root)) for p in root.rglob("*"))
    flag = "--site-dir" if command == "build" else "--out"
    assert main([command, "--cases", "cases", "--config", "mkdocs.yml", flag, target]) == 1
    assert "refusing to write there" in capsys.readouterr().err
    assert sorted(str(p.relative_to(root)) for p in root.rglob("*")) == before


def test_a_site_can_be_rebuilt_in_place_and_nothing_else_is_removed(tmp_path, monkeypatch):
    root = _project(tmp_path)
    (root / "site.old").mkdir()
    (root / "site.old" / "notes.txt").write_text("mine", "utf-8")
    monkeypatch.chdir(root)
    for _ in range(2):
        assert main(["build", "--cases", "cases", "--config", "mkdocs.yml", "--site-dir", "site"]) == 0
    assert (root / "site" / "index.html").exists()
    assert (root / "site.old" / "notes.txt").read_text("utf-8") == "mine"
    for _ in range(2):
        assert main(["markdown", "--cases", "cases", "--config", "mkdocs.yml", "--out", "md"]) == 0


@pytest.mark.parametrize("kind", ["secret-link", "loop-link", "device-link", "fifo"])
def test_links_and_devices_are_refused_without_reading_them(tmp_path, monkeypatch, capsys, kind):
    cases = tmp_path / "cases"
    cases.mkdir()
    shutil.copy(FIXTURE, cases / FIXTURE.name)
    secret = tmp_path / "secret.txt"
    secret.write_text("password: hunter2-supersecret\n", "utf-8")
    target = cases / f"{kind}.yaml"
    if kind == "secret-link":
        target.symlink_to(secret)
    elif kind == "loop-link":
        target.symlink_to(target)
    elif kind == "device-link":
        target.symlink_to("/dev/zero")
    else:
        os.mkfifo(target)
    monkeypatch.chdir(tmp_path)
    assert main(["validate", "--format", "github", "cases"]) == 1
    out = capsys.readouterr().out
    assert f"file=cases/{kind}.yaml,line=1,col=1" in out and "hunter2" not in out
    assert out.count("::error") == 1, out  # the real case beside it is still checked, and valid


def _case(tmp_path: Path, old: str, new: str, name: str = FIXTURE.name) -> Path:
    text = FIXTURE.read_text("utf-8")
    assert old in text
    (tmp_path / name).write_text(text.replace(old, new, 1), "utf-8")
    return tmp_path / name


@pytest.mark.parametrize(
    "old, new, code",
    [
        ("last_reviewed: 2026-11-26", "last_reviewed: 1969-12-31", "out-of-range"),
        ("last_reviewed: 2026-11-26", "last_reviewed: 2106-02-08", "out-of-range"),
        ('date: "2002-01"', 'date: "2002-00"', "bad-date"),
        ('date: "2002-01"', 'date: "2002-01-00"', "bad-date"),
        ('date: "2002-01"', 'date: "２００２"', "bad-date"),
        ('date: "2002-01"', 'date: "2002-01\\n"', "bad-date"),
        ("short_name: Town", "short_name: '   '", "too-few"),
        ("doi:", 'doi: 10.1234/"><script>', "bad-format"),
    ],
    ids=[
        "reviewed-before-1970",
        "reviewed-after-2100",
        "month-zero",
        "day-zero",
        "wide-digits",
        "trailing-newline",
        "blank-label",
        "doi-markup",
    ],
)
def test_values_the_site_cannot_show_are_refused(tmp_path, old, new, code):
    text = FIXTURE.read_text("utf-8")
    if old == "doi:" and "doi:" not in text:
        old, new = "    type: report\n", f"    type: report\n    {new}\n"
    problems = check_paths([_case(tmp_path, old, new)]).problems
    assert [p.code for p in problems] == [code], [p.format() for p in problems]


def test_a_case_cannot_take_the_address_of_the_index(tmp_path):
    path = _case(tmp_path, "id: river-town-example", "id: index", name="index.yaml")
    assert [p.code for p in check_paths([path]).problems] == ["reserved-id"]


@pytest.mark.parametrize(
    "title",
    [
        "River  Town flood partnership (test fixture)",
        "Ri\u200dver Town flood partnership (test fixture)",
        "RIVER TOWN flood partnership (test fixture)",
    ],
)
def test_look_alike_titles_are_duplicates(tmp_path, title):
    shutil.copy(FIXTURE, tmp_path / FIXTURE.name)
    _case(tmp_path, "id: river-town-example", "id: river-town-copy", name="river-town-copy.yaml")
    copy = tmp_path / "river-town-copy.yaml"
    copy.write_text(
        copy.read_text("utf-8").replace("title: River Town flood partnership (test fixture)", f'title: "{title}"'),
        "utf-8",
    )
    codes = [p.code for p in check_paths([tmp_path]).problems]
    assert "duplicate-title" in codes


def test_only_yaml_files_are_cases(tmp_path):
    shutil.copy(FIXTURE, tmp_path / "river-town-example.YAML")
    (tmp_path / "notes.yaml.html").write_text("<p>not a case</p>", "utf-8")
    (tmp_path / "x.yhtml").write_text("not a case", "utf-8")
    checked = check_paths([tmp_path])
    assert checked.files == 1  # read as a case, and told to be named river-town-example.yaml (the site links so)
    assert [(p.code, p.fix) for p in checked.problems] == [
        ("id-mismatch", "rename the file to river-town-example.yaml")
    ]


def test_formulas_in_downloads_stay_text(tmp_path):
    _case(
        tmp_path,
        "title: River Town flood partnership (test fixture)",
        'title: \'=HYPERLINK("https://evil.example","x")\'',
    )
    from builder.pipeline import build_pages

    site = build_pages(tmp_path)
    assert site.problems == []
    from builder import downloads, export

    made = export.export_files(*export.read_casebook_json(site.files[downloads.WHOLE_JSON]))
    row = made["csv/cases.csv"].decode("utf-8-sig").splitlines()[1]
    assert ",\"'=HYPERLINK(" in row


def test_the_cycle_search_stops_after_its_budget():
    """A hub reciprocal with every x, a chain into a complete DAG over the x: no qualifying cycle closes,
    but an unbounded search would try millions of paths."""
    xs = [f"x{i:03d}" for i in range(80)]
    edges = [("h", x) for x in xs] + [(x, "h") for x in xs] + [("h", "a")] + [("a", x) for x in xs]
    edges += [(xs[i], xs[j]) for i in range(len(xs)) for j in range(i + 1, len(xs))]
    G = analyze.graph_from_edges(edges)
    result = analyze.cycles(G, max_steps=50_000)
    assert result.truncated
    assert analyze.cycles(G, max_steps=10**9, max_length=3).truncated is False  # a small search completes


def test_new_refuses_ids_it_cannot_write(tmp_path, capsys):
    assert main(["new", "a" * 300, "--cases", str(tmp_path)]) == 1
    assert main(["new", "index", "--cases", str(tmp_path)]) == 1
    afile = tmp_path / "afile"
    afile.write_text("", "utf-8")
    assert main(["new", "abc", "--cases", str(afile)]) == 1
    err = capsys.readouterr().err
    assert "at most 80 characters" in err and "is a file" in err


def test_a_file_name_that_is_no_id_is_not_offered_as_one(tmp_path):
    path = tmp_path / "My Case.yaml"
    shutil.copy(FIXTURE, path)
    (problem,) = check_paths([path]).problems
    assert problem.code == "id-mismatch"
    assert problem.fix == "rename the file to river-town-example.yaml"


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:8000/",
        "https://[::1]:8443/x",
        "http://127.0.0.1/",
        "http://10.0.0.5/report",
        "http://192.168.1.20/",
        "http://printer.local/",
        "http://intranet/page",
        "http://169.254.169.254/latest/meta-data/",
    ],
)
def test_source_addresses_readers_cannot_reach_are_refused(tmp_path, url):
    text = FIXTURE.read_text("utf-8")
    old = "url: https://example.org/report?a=1&b=2"
    assert old in text
    (tmp_path / FIXTURE.name).write_text(text.replace(old, f'url: "{url}"'), "utf-8")
    problems = check_paths([tmp_path]).problems
    assert [p.code for p in problems] == ["bad-url"], [p.format() for p in problems]
    assert "private network" in problems[0].message


@pytest.mark.parametrize("url", ["https://example.org./report", "https://nilebasin.org./about-us/x"])
def test_a_source_address_whose_host_ends_with_a_dot_is_refused(tmp_path, url):
    text = FIXTURE.read_text("utf-8")
    old = "url: https://example.org/report?a=1&b=2"
    (tmp_path / FIXTURE.name).write_text(text.replace(old, f'url: "{url}"'), "utf-8")
    problems = check_paths([tmp_path]).problems
    assert [p.code for p in problems] == ["bad-url"], [p.format() for p in problems]
    assert "dot at the end of its host name" in problems[0].message
    assert problems[0].fix == f"remove the dot after {url.split('/')[2].rstrip('.')}"


@pytest.mark.parametrize(
    "old, new",
    [
        (
            "title: River Town flood partnership (test fixture)",
            "title: River T\u043ewn flood partnership (test fixture)",
        ),
        ("    name: River Town council", "    name: River T\u03bfwn council"),
        ("    short_name: Town", "    short_name: T\u043ewn"),
    ],
    ids=["cyrillic-o-in-title", "greek-omicron-in-name", "cyrillic-o-in-label"],
)
def test_look_alike_letters_from_another_script_are_refused(tmp_path, old, new):
    problems = check_paths([_case(tmp_path, old, new)]).problems
    assert [p.code for p in problems] == ["mixed-script"], [p.format() for p in problems]
    assert "CYRILLIC" in problems[0].message or "GREEK" in problems[0].message


def test_words_wholly_in_another_script_are_fine(tmp_path):
    path = _case(tmp_path, "    name: River Town council", "    name: Городской совет River Town")
    assert check_paths([path]).problems == []
