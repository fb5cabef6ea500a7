"""The analysis and authoring commands, run as a user would."""

from __future__ import annotations

import json

import pytest

from builder.cli import main
from conftest import DATA, ROOT


def test_analyze_prints_plain_findings(capsys):
    assert main(["analyze", str(DATA / "valid" / "river-town-example.yaml")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("River Town flood partnership (test fixture)\n")
    assert "- 1 makeable deal" in out
    assert "recognized only in hindsight" in out


def test_analyze_json_is_the_analysis(capsys):
    assert main(["analyze", "--json", str(DATA / "valid" / "river-town-example.yaml")]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["case_id"] == "river-town-example"
    assert data["reciprocal_pairs"] == [["board", "town"]]


def test_analyze_by_case_id(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["analyze", "boston-operation-ceasefire"]) == 0
    assert "makeable deal" in capsys.readouterr().out


def test_analyze_bad_case_reports_problems(capsys):
    assert main(["analyze", str(DATA / "invalid" / "three-problems.yaml")]) == 1
    assert "error[unknown-key]" in capsys.readouterr().out


def test_diagnose_example(capsys, tmp_path):
    assert main(["diagnose", "--example"]) == 0
    example = tmp_path / "mine.yaml"
    example.write_text(capsys.readouterr().out, "utf-8")
    assert main(["diagnose", str(example)]) == 0
    out = capsys.readouterr().out
    assert "Candidate deals (2)" in out
    assert "City Housing Office <-> Harbor Street Shelter" in out
    assert "Likely conveners" in out


def test_diagnose_bad_situation_names_line_and_fix(capsys, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: T\nactors:\n  - id: a\n    name: A\n    purpses: []\nhelp: []\n", "utf-8")
    assert main(["diagnose", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "bad.yaml:5:5: error[unknown-key] unknown key 'purpses' in actors[0]" in out
    assert "did you mean 'purposes'?" in out


def test_new_writes_the_template_once(capsys, tmp_path):
    assert main(["new", "my-case", "--cases", str(tmp_path)]) == 0
    written = (tmp_path / "my-case.yaml").read_text("utf-8")
    assert written.startswith("# yaml-language-server: $schema=../schema/case.schema.json")
    assert "id: my-case " in written
    assert main(["new", "my-case", "--cases", str(tmp_path)]) == 1
    assert main(["new", "Bad_Slug", "--cases", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "already exists" in err and "not a valid case id" in err


def test_template_names_every_field_and_every_allowed_value():
    from builder.schema_export import case_schema
    from builder.vocab import all_vocabularies

    template = (ROOT / "builder" / "templates" / "case.yaml").read_text("utf-8")
    schema = case_schema()
    for name, definition in [("Case", schema), *schema["$defs"].items()]:
        if name in ("ReadingItem", "ReadingList"):
            continue
        for key in definition.get("properties", {}):
            assert f"{key}:" in template, f"template lacks {name}.{key}"
    for vocab in all_vocabularies():
        if vocab.name in ("concept", "recognition-stage"):
            continue  # concepts are linked to the vocabulary page; stages are listed in full below
        for code in vocab.codes:
            assert code in template, f"template does not list {vocab.name} value {code}"
    for stage in ("hindsight", "never", "mutual-sense"):
        assert stage in template


def test_new_case_fails_validation_until_filled_in(capsys, tmp_path):
    main(["new", "draft-case", "--cases", str(tmp_path)])
    capsys.readouterr()
    assert main(["validate", str(tmp_path / "draft-case.yaml")]) == 1
    out = capsys.readouterr().out
    assert "error[empty-value] title is empty" in out
    assert "Traceback" not in out


def test_every_command_help_opens_with_a_description(capsys):
    """`casebook COMMAND --help` says what the command does (the line `casebook --help` lists it with)."""
    import pytest

    from builder.cli import build_parser

    sub = next(a for a in build_parser()._actions if a.dest == "command")
    listed = {choice.dest: choice.help for choice in sub._choices_actions}
    assert {"validate", "build", "serve", "markdown", "export", "new"} <= set(listed)
    for name, help_line in listed.items():
        with pytest.raises(SystemExit):
            main([name, "--help"])
        text = capsys.readouterr().out
        usage, description = text.split("\n\n")[:2]
        assert usage.startswith(f"usage: casebook {name}"), text
        assert " ".join(description.split()).lower() == help_line.lower() + ".", text


@pytest.mark.parametrize("command", [["build"], ["serve"], ["markdown", "--out", "md"]])
def test_run_outside_the_casebook_a_command_says_where_to_run_it(command, tmp_path, monkeypatch, capsys):
    """No mkdocs.yml where casebook is run: one line naming the file, the folder and --config, never a traceback."""
    monkeypatch.chdir(tmp_path)
    assert main(command) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"casebook {command[0]}: there is no mkdocs.yml in {tmp_path}: run casebook in")
    assert "--config PATH" in err and "Traceback" not in err and not (tmp_path / "site").exists()


def test_a_broken_configuration_is_one_message(tmp_path, capsys):
    bad = tmp_path / "mkdocs.yml"
    bad.write_text("site_name: [unclosed\n", "utf-8")
    assert main(["build", "--config", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"casebook build: {bad}: MkDocs encountered an error parsing the configuration file")
    assert "Traceback" not in err


def test_serve_on_an_address_in_use_says_so_before_building(capsys):
    """Port taken (python3 -m http.server, another serve): refused at once, with the next port to try."""
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--config", str(ROOT / "mkdocs.yml"), "--dev-addr", f"127.0.0.1:{port}"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == (
        f"casebook serve: 127.0.0.1:{port} is already in use (another casebook serve, or python3 -m http.server?): "
        f"stop it, or serve on another port with --dev-addr 127.0.0.1:{port + 1}"
    )


def test_new_outside_the_casebook_writes_nothing_and_says_where(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["new", "my-case"]) == 1
    assert capsys.readouterr().err.startswith(f"there is no folder cases in {tmp_path}: run casebook new in")
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "cases").mkdir()
    assert main(["new", "my-case.yaml"]) == 1
    assert capsys.readouterr().err.rstrip().endswith("(the id without .yaml: casebook new my-case)")
    assert main(["new", "my-case"]) == 0 and (tmp_path / "cases" / "my-case.yaml").is_file()


def test_diagnose_speaks_of_situation_files(tmp_path, capsys):
    assert main(["diagnose", str(tmp_path / "missing.yaml")]) == 1
    out = capsys.readouterr().out
    assert "fix: check the path; to start a situation file: casebook diagnose --example > my-situation.yaml" in out
    assert "cases/" not in out


@pytest.mark.parametrize(
    ("address", "message"),
    [
        ("127.0.0.1:99999", "port 99999 is not a port (1 to 65535)"),
        ("192.0.2.1:8000", "cannot serve on 192.0.2.1:8000 (Cannot assign requested address)"),
    ],
)
def test_serve_on_an_address_it_cannot_take_says_so_before_building(address, message, capsys):
    assert main(["serve", "--config", str(ROOT / "mkdocs.yml"), "--dev-addr", address]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"casebook serve: {message}") and "Traceback" not in err
