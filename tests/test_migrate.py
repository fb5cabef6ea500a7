"""casebook migrate: a version-1 file becomes version 2 with everything else kept as written."""

from __future__ import annotations

import re
import shutil

import pytest

from builder.cli import main
from builder.migrate import CURRENT, advice, file_version, migrate_text
from builder.validate import check_paths
from conftest import DATA

V1 = """# yaml-language-server: $schema=../schema/case.schema.json
# A comment the contributor wrote.
id: river-town-example   # trailing comment
title: 'Quoted'
"""


def test_the_upgrade_keeps_comments_quotes_and_order():
    result = migrate_text(V1)
    assert result.changed and (result.before, result.after) == (1, CURRENT)
    lines = result.text.splitlines()
    assert lines[2] == "schema_version: 2"
    assert [line for line in lines if line != "schema_version: 2"] == V1.splitlines()
    assert migrate_text(result.text).text == result.text  # twice is the same as once


def test_a_version_1_case_is_told_to_migrate(tmp_path, capsys):
    text = (DATA / "valid" / "river-town-example.yaml").read_text("utf-8").replace("schema_version: 2\n", "")
    path = tmp_path / "river-town-example.yaml"
    path.write_text(text, "utf-8")
    assert file_version(text) == 1
    (problem,) = check_paths([path]).problems
    assert problem.code == "old-schema" and problem.fix.startswith("run: casebook migrate ")
    assert main(["migrate", "--check", str(tmp_path)]) == 1
    assert path.read_text("utf-8") == text  # --check writes nothing
    assert main(["migrate", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "version 1 -> 2" in out and "to do: outcomes [0, 1]: add evidence:" in out
    assert check_paths([path]).problems == []
    assert main(["migrate", "--check", str(tmp_path)]) == 0


def test_an_unknown_version_is_refused(tmp_path, capsys):
    shutil.copy(DATA / "valid" / "river-town-example.yaml", tmp_path / "river-town-example.yaml")
    path = tmp_path / "river-town-example.yaml"
    path.write_text(path.read_text("utf-8").replace("schema_version: 2", "schema_version: 7"), "utf-8")
    assert main(["migrate", str(path)]) == 1
    assert "schema_version 7 is not a version this casebook knows" in capsys.readouterr().err


def test_advice_names_what_the_sources_may_support():
    data = {
        "actors": [{"id": "residents", "sector": "community"}],
        "outcomes": [{"indicator": "Spending", "unit": "million US dollars"}],
        "deal": {"status": "dissolved"},
    }
    items = advice(data)
    assert any(i.startswith("timeline:") for i in items)
    assert "outcomes [0]: add evidence: (design, who measured it) where the sources say" in items
    assert any("looks like money" in i for i in items)
    assert any("kind: affected-group" in i for i in items)
    assert any(i.startswith("deal: dissolved") for i in items)
    assert not any(i.startswith("deal:") for i in advice({**data, "timeline": [{"kind": "end"}]}))


def test_a_new_case_from_the_template_is_already_current(tmp_path, capsys):
    """The template's ``schema_version: 2   # (required) ...`` line has a comment: still version 2, left alone."""
    assert main(["new", "fresh-case", "--cases", str(tmp_path)]) == 0
    path = tmp_path / "fresh-case.yaml"
    before = path.read_bytes()
    assert main(["migrate", "--check", str(path)]) == 0
    assert main(["migrate", str(path)]) == 0
    assert f"{path}: already version 2" in capsys.readouterr().out
    assert path.read_bytes() == before


def test_a_declared_version_1_is_replaced_in_place(tmp_path):
    """``schema_version: 1`` (with a comment, quoted, spaced) becomes 2 on its own line; never a second key."""
    valid = (DATA / "valid" / "river-town-example.yaml").read_text("utf-8")
    for written, expected in [
        ("schema_version: 1   # the old model", "schema_version: 2   # the old model"),
        ("schema_version: '1'", "schema_version: '2'"),
        ('schema_version : "1" # quoted', 'schema_version : "2" # quoted'),
    ]:
        result = migrate_text(valid.replace("schema_version: 2", written))
        assert (result.before, result.after) == (1, 2)
        assert result.text == valid.replace("schema_version: 2", expected), written
        assert file_version(result.text) == 2
    path = tmp_path / "river-town-example.yaml"
    path.write_text(migrate_text(valid.replace("schema_version: 2", "schema_version: 1  # x")).text, "utf-8")
    assert [p.code for p in check_paths([path]).problems] == []


def test_line_endings_and_unreadable_files(tmp_path, capsys):
    """A file with CRLF line endings keeps them; a file that is not UTF-8 or not YAML is reported as validate reports
    it (file, line, fix), never with a traceback, and the other files are still migrated."""
    text = (DATA / "valid" / "river-town-example.yaml").read_text("utf-8").replace("schema_version: 2\n", "")
    crlf = tmp_path / "river-town-example.yaml"
    crlf.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    (tmp_path / "latin.yaml").write_bytes("id: caf\xe9\n".encode("latin-1"))
    (tmp_path / "broken.yaml").write_text("id: [unclosed\n", "utf-8")
    assert main(["migrate", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert "latin.yaml:1:" in captured.err and "broken.yaml:" in captured.err and "Traceback" not in captured.err
    assert f"{crlf}: version 1 -> 2" in captured.out
    migrated = crlf.read_bytes()
    assert migrated.count(b"\r\n") == migrated.count(b"\n") and b"schema_version: 2\r\n" in migrated


def test_a_reading_list_is_not_migrated(tmp_path, capsys):
    listed = tmp_path / "reading-lists" / "a-list.yaml"
    listed.parent.mkdir()
    listed.write_text("id: a-list\ntitle: A list\n", "utf-8")
    assert main(["migrate", str(listed)]) == 0
    assert "a reading list, which has no schema_version: nothing to migrate" in capsys.readouterr().out
    assert listed.read_text("utf-8") == "id: a-list\ntitle: A list\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\ufeff# c\nid: x\ntitle: T\n", "\ufeff# c\nschema_version: 2\nid: x\ntitle: T\n"),  # the BOM stays first
        ("\ufeffschema_version: 1\nid: x\n", "\ufeffschema_version: 2\nid: x\n"),
        ("{id: x, title: T}\n", "{schema_version: 2, id: x, title: T}\n"),  # one flow mapping: inside it
        ("# c\n{id: x}\n", "# c\n{schema_version: 2, id: x}\n"),
        ("{schema_version: 1, id: x}\n", "{schema_version: 2, id: x}\n"),
        ("id: x\r\ntitle: T", "schema_version: 2\r\nid: x\r\ntitle: T"),
        ("--- {id: a, title: t}\n", "--- {schema_version: 2, id: a, title: t}\n"),
        ("%YAML 1.1\n---\n{id: h}\n", "%YAML 1.1\n---\n{schema_version: 2, id: h}\n"),
        ("# c\r\n\r\n{id: w}\r\n", "# c\r\n\r\n{schema_version: 2, id: w}\r\n"),
    ],
)
def test_the_upgrade_keeps_the_file_valid_yaml(text, expected):
    assert migrate_text(text).text == expected
    assert file_version(expected.lstrip("\ufeff")) == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("schema_version: 0x1\nid: x\n", "line 1: write schema_version: 2 in place of the version written there"),
        ("# another", "holds no case (only comments, or nothing)"),
        ("- a list\n", "is not a mapping of keys"),
        ("id: x\rtitle: T\r", "has line breaks of a lone CR"),
    ],
)
def test_what_cannot_be_upgraded_safely_is_refused(text, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        migrate_text(text)


def test_a_layout_migrate_cannot_edit_safely_is_refused_not_broken(monkeypatch):
    """Whatever the layout, what migrate writes must read back as the same case with the new version; if it would
    not (a layout this code does not place the key in correctly), the file is refused and left as it was."""
    from builder import migrate

    monkeypatch.setattr(migrate, "_FLOW_START", re.compile(r"(?!)"))  # as if it did not know flow files
    with pytest.raises(ValueError, match="cannot add the version safely to this file's layout"):
        migrate_text("---\n{id: b, title: t}\n")
