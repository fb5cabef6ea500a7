"""casebook migrate: a version-1 file becomes version 2 with everything else kept as written."""

from __future__ import annotations

import shutil

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
