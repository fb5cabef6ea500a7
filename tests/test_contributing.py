"""The contributor path works as CONTRIBUTING.md describes it.

The repository's GitHub files parse and have the keys GitHub needs; the "Report a
problem" link on case pages opens a form that exists; a new user's steps (new,
fill in, validate, build a preview) succeed; every ``casebook`` command the guide
shows is a real one; and CI runs the README's test command.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from builder.cli import build_parser, main
from conftest import DATA, ROOT

GITHUB = ROOT / ".github"
CONTRIBUTING = ROOT / "CONTRIBUTING.md"
FIXTURE = DATA / "valid" / "river-town-example.yaml"
SLUG = "my-slug"  # the slug CONTRIBUTING.md uses in its examples
SCHEMA_LINE = "# yaml-language-server: $schema=../schema/case.schema.json"
YAML_FILES = sorted([*GITHUB.rglob("*.yml"), *GITHUB.rglob("*.yaml"), ROOT / ".pre-commit-config.yaml"])
ISSUE_FORMS = sorted(p for p in (GITHUB / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))


def _load(path: Path):
    return yaml.safe_load(path.read_text("utf-8"))


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    return next(a.choices for a in parser._actions if isinstance(a, argparse._SubParsersAction))


def _shell_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```(?:bash|sh|shell|console)\n(.*?)^```", markdown, re.S | re.M)


def _casebook_commands(text: str) -> list[str]:
    """Every ``casebook ...`` command in shell text, split at ``&&``, ``;`` and ``|``."""
    found = []
    for line in text.splitlines():
        for part in re.split(r"&&|;|\|", line):
            part = part.strip().removeprefix("$ ").removeprefix(".venv/bin/")
            if part.startswith("casebook "):
                found.append(part)
    return found


def _check_command(command: str) -> None:
    """Parse a shown command with the real CLI parser: an unknown command or option fails."""
    args = shlex.split(command)[1:]
    assert args and args[0] in _subcommands(), f"`{command}`: no such subcommand; have {sorted(_subcommands())}"
    try:
        build_parser().parse_args(args)
    except SystemExit as exc:  # argparse exits on an unknown option
        pytest.fail(f"`{command}` is not accepted by the casebook command line (exit {exc.code})")


# (a) Every YAML file parses, and GitHub's required keys are there.


def test_github_files_exist():
    for name in [
        "workflows/ci.yml",
        "workflows/pages.yml",
        "ISSUE_TEMPLATE/config.yml",
        "ISSUE_TEMPLATE/propose-a-case.yml",
        "ISSUE_TEMPLATE/report-an-error.yml",
        "CODEOWNERS",
        "pull_request_template.md",
        "PULL_REQUEST_TEMPLATE/new-case.md",
        "PULL_REQUEST_TEMPLATE/correction.md",
        "PULL_REQUEST_TEMPLATE/builder-change.md",
    ]:
        assert (GITHUB / name).is_file(), f".github/{name} is missing"


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_yaml_parses(path):
    assert isinstance(_load(path), dict), f"{path.relative_to(ROOT)} is not a YAML mapping"


@pytest.mark.parametrize("path", ISSUE_FORMS, ids=lambda p: p.name)
def test_issue_form_has_required_keys(path):
    form = _load(path)
    for key in ("name", "description", "body"):
        assert form.get(key), f"{path.name}: GitHub needs a non-empty `{key}`"
    assert isinstance(form["body"], list)
    ids = []
    for number, element in enumerate(form["body"]):
        assert element.get("type") in {"markdown", "input", "textarea", "dropdown", "checkboxes"}, (path.name, number)
        attributes = element.get("attributes") or {}
        if element["type"] == "markdown":
            assert attributes.get("value"), f"{path.name}: body[{number}] markdown needs attributes.value"
            continue
        assert attributes.get("label"), f"{path.name}: body[{number}] needs attributes.label"
        assert re.fullmatch(r"[A-Za-z0-9_-]+", element.get("id", "")), f"{path.name}: body[{number}] needs an id"
        ids.append(element["id"])
        if element["type"] in {"dropdown", "checkboxes"}:
            assert attributes.get("options"), f"{path.name}: body[{number}] needs options"
    assert ids and len(ids) == len(set(ids)), f"{path.name}: input ids must exist and be unique: {ids}"
    assert any((e.get("validations") or {}).get("required") for e in form["body"]), f"{path.name}: nothing required"


def test_propose_form_requires_a_public_source():
    body = {e["id"]: e for e in _load(GITHUB / "ISSUE_TEMPLATE" / "propose-a-case.yml")["body"] if "id" in e}
    assert body["sources"]["validations"]["required"] is True
    assert body["name"]["validations"]["required"] is True


def test_issue_config_allows_blank_issues_and_links_the_guide():
    config = _load(GITHUB / "ISSUE_TEMPLATE" / "config.yml")
    assert config["blank_issues_enabled"] is True
    urls = [link["url"] for link in config["contact_links"]]
    assert "https://makeable-deals.github.io/casebook/contribute/" in urls
    for link in config["contact_links"]:
        assert link.get("name") and link.get("about"), link


def test_default_pr_template_links_to_each_checklist():
    text = (GITHUB / "pull_request_template.md").read_text("utf-8")
    linked = set(re.findall(r"\]\([^)]*[?&]template=([\w-]+\.md)\)", text))
    present = {p.name for p in (GITHUB / "PULL_REQUEST_TEMPLATE").glob("*.md")}
    assert linked == present == {"new-case.md", "correction.md", "builder-change.md"}
    for name in present:
        assert "blank if unsure" in (GITHUB / "PULL_REQUEST_TEMPLATE" / name).read_text("utf-8"), name


def test_codeowners_paths_exist():
    for line in (GITHUB / "CODEOWNERS").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            path, *owners = line.split()
            assert (ROOT / path.strip("/")).exists(), f"CODEOWNERS names {path}, which does not exist"
            assert owners and all(o.startswith("@makeable-deals/") for o in owners), line


# (b) The form that case pages link to exists.


def test_case_pages_link_to_the_report_form():
    from builder.pipeline import build_pages

    site = build_pages(DATA / "valid")
    assert not site.problems
    page = site.pages["cases/river-town-example.md"].body
    match = re.search(r'href="([^"]*/issues/new\?[^"]*)">Report a problem</a>', page)
    assert match, "case pages should carry a 'Report a problem' link"
    query = parse_qs(urlsplit(match.group(1).replace("&amp;", "&")).query)
    assert query["template"] == ["report-an-error.yml"]
    assert query["title"] == ["Problem in case: river-town-example"]
    form = _load(GITHUB / "ISSUE_TEMPLATE" / query["template"][0])
    body = {e["id"]: e for e in form["body"] if "id" in e}
    for required in ("case-id", "what-is-wrong", "source"):
        assert body[required]["validations"]["required"] is True, required


# (c) A new user's path, as CONTRIBUTING.md tells it.


def test_new_user_adds_a_case(tmp_path, capsys):
    cases, site = tmp_path / "cases", tmp_path / "site"

    assert main(["new", SLUG, "--cases", str(cases)]) == 0
    target = cases / f"{SLUG}.yaml"
    assert str(target) in capsys.readouterr().out
    template = target.read_text("utf-8")
    assert template.splitlines()[0] == SCHEMA_LINE, "CONTRIBUTING.md promises editor support from this first line"
    assert re.search(rf"^id: {SLUG}\b", template, re.M)

    # The untouched template fails, with problem lines shaped as the guide explains them.
    assert main(["validate", str(target)]) == 1
    out = capsys.readouterr().out
    assert re.search(rf"^{re.escape(str(target))}:\d+:\d+: error\[empty-value\] ", out, re.M)
    assert re.search(r"^  fix: ", out, re.M)

    # Fill it in: keep the template's first line, take the values of the valid fixture.
    filled = FIXTURE.read_text("utf-8").replace("id: river-town-example", f"id: {SLUG}")
    filled = "\n".join([SCHEMA_LINE, *filled.splitlines()[1:]]) + "\n"
    target.write_text(filled, "utf-8")

    assert main(["validate", str(target)]) == 0
    assert "ok: 1 case valid" in capsys.readouterr().out
    assert main(["validate", str(target), "--report"]) == 0
    assert re.search(rf"^{SLUG}: \d+% complete", capsys.readouterr().out, re.M)

    assert main(["build", "--cases", str(cases), "--config", str(ROOT / "mkdocs.yml"), "--site-dir", str(site)]) == 0
    page = site / "cases" / SLUG / "index.html"
    assert page.is_file()
    assert "River Town flood partnership" in page.read_text("utf-8")


def test_preview_address_in_the_guide_matches_the_site():
    site_url = _load(ROOT / "mkdocs.yml")["site_url"]
    preview = f"http://127.0.0.1:8000{urlsplit(site_url).path}cases/{SLUG}/"
    assert preview in CONTRIBUTING.read_text("utf-8"), f"the guide should point to {preview}"


def test_problem_codes_link_in_the_guide_exists():
    from builder.problems import CODES

    text = CONTRIBUTING.read_text("utf-8")
    assert "https://makeable-deals.github.io/casebook/contribute/problems/" in text
    for code in re.findall(r"contribute/problems/#([a-z-]+)", text):
        assert code in CODES, f"CONTRIBUTING.md links to problem code {code!r}, which does not exist"
    for code in re.findall(r"error\[([a-z-]+)\]", text):
        assert code in CODES, f"CONTRIBUTING.md shows problem code {code!r}, which does not exist"


# (d) Every casebook command shown in the guide is real.


def test_guide_shows_only_real_commands():
    text = CONTRIBUTING.read_text("utf-8")
    commands = [c for block in _shell_blocks(text) for c in _casebook_commands(block)]
    assert {"new", "validate", "serve"} <= {shlex.split(c)[1] for c in commands}
    inline = [c for c in re.findall(r"`(casebook [^`]+)`", text)]
    for command in commands + inline:
        _check_command(command)


def test_guide_mentions_every_subcommand_it_needs():
    assert {"new", "validate", "serve", "build", "export-schema"} <= set(_subcommands())


# (e) CI runs what the README says.


def _readme_test_command() -> str:
    readme = (ROOT / "README.md").read_text("utf-8")
    lines = [line for block in _shell_blocks(readme) for line in block.splitlines() if "pytest" in line]
    assert len(lines) == 1, f"expected one test command in README.md, found {lines}"
    return lines[0].strip()


def _steps(path: Path) -> dict[str, list[str]]:
    return {name: [step.get("run", "") for step in job["steps"]] for name, job in _load(path)["jobs"].items()}


def test_ci_runs_the_readme_test_command():
    command = _readme_test_command()
    assert command in _steps(GITHUB / "workflows" / "ci.yml")["test"]
    assert command in CONTRIBUTING.read_text("utf-8")


def test_ci_checks_cases_schema_and_build():
    ci = _load(GITHUB / "workflows" / "ci.yml")
    on = ci.get("on", ci.get(True))  # PyYAML reads a bare `on:` key as True
    assert "pull_request" in on and on["push"]["branches"] == ["main"]
    assert ci["permissions"] == {"contents": "read"}
    assert ci["concurrency"]["cancel-in-progress"] is True
    assert ci["jobs"]["test"]["strategy"]["fail-fast"] is False
    assert ci["jobs"]["test"]["strategy"]["matrix"]["python"] == ["3.11", "3.12"]
    steps = _steps(GITHUB / "workflows" / "ci.yml")
    assert "casebook validate --format github" in steps["validate"]
    assert "casebook export-schema --check" in steps["validate"]
    assert "casebook build" in steps["build"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_commands_are_real_and_actions_pinned(path):
    for run in (r for runs in _steps(path).values() for r in runs):
        for command in _casebook_commands(run):
            _check_command(command)
    for line in path.read_text("utf-8").splitlines():
        if "uses:" in line:
            assert re.search(r"uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d", line), f"{path.name}: pin by SHA: {line}"


def test_pre_commit_hooks_run_real_commands():
    hooks = [h for repo in _load(ROOT / ".pre-commit-config.yaml")["repos"] for h in repo["hooks"]]
    by_id = {h["id"]: h for h in hooks}
    assert by_id["casebook-validate"]["entry"] == "casebook validate"
    assert re.search(by_id["casebook-validate"]["files"], "cases/boston-operation-ceasefire.yaml")
    assert not re.search(by_id["casebook-validate"]["files"], "builder/model.py")
    for hook in hooks:
        _check_command(hook["entry"])
    schema_hook = next(h for h in hooks if h["entry"] == "casebook export-schema --check")
    assert re.search(schema_hook["files"], "builder/model.py") and re.search(schema_hook["files"], "schema/x.yaml")


@pytest.mark.parametrize("status", ["draft", "reviewed"])
def test_last_reviewed_is_optional_and_every_page_says_so(tmp_path, capsys, status):
    """The validator accepts a case without ``last_reviewed`` whatever its status; the template, the schema,
    CONTRIBUTING.md and the contribute page say that same thing (a newcomer read "set it when reviewed" in one
    and "the date you last checked" in the other)."""
    text = FIXTURE.read_text("utf-8").replace("status: draft", f"status: {status}")
    text = re.sub(r"^last_reviewed: .*\n", "", text, flags=re.M)
    (tmp_path / "river-town-example.yaml").write_text(text, "utf-8")
    assert main(["validate", str(tmp_path / "river-town-example.yaml")]) == 0, capsys.readouterr().out

    schema = json.loads((ROOT / "schema" / "case.schema.json").read_text("utf-8"))
    assert "last_reviewed" not in schema["required"]
    said = "optional, for a draft as for a reviewed case"
    assert schema["properties"]["last_reviewed"]["description"].lower().startswith(said)
    for page in (CONTRIBUTING, ROOT / "docs" / "contribute" / "index.md"):
        assert said in " ".join(page.read_text("utf-8").split()), page
    template = (ROOT / "builder" / "templates" / "case.yaml").read_text("utf-8")
    assert re.search(r"^last_reviewed: +# \(optional, draft or reviewed\)", template, re.M)
