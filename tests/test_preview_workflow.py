"""The pull-request preview: a workflow builds the site as the README does and attaches it for reviewers.

The workflow (``.github/workflows/preview.yml``) parses, runs on pull requests with a read-only token,
validates with annotations, builds with the README's own command, uploads the folder that command writes,
and never puts a ``${{ }}`` expression straight into a shell line. The guide tells reviewers how to open it.
"""

from __future__ import annotations

import re
import shlex

from test_contributing import CONTRIBUTING, GITHUB, ROOT, _check_command, _load, _shell_blocks, _subcommands

PREVIEW = GITHUB / "workflows" / "preview.yml"
GUIDE = ROOT / "docs" / "contribute" / "index.md"


def _readme_build_command() -> str:
    readme = (ROOT / "README.md").read_text("utf-8")
    lines = [line for block in _shell_blocks(readme) for line in block.splitlines() if "casebook build" in line]
    assert len(lines) == 1, f"expected one build command in README.md, found {lines}"
    return lines[0].strip()


def _parts(command: str) -> list[str]:
    return [p.strip() for p in command.split("&&")]


def test_preview_runs_on_pull_requests_with_a_read_only_token():
    flow = _load(PREVIEW)
    on = flow.get("on", flow.get(True))  # PyYAML reads a bare `on:` key as True
    assert list(on) == ["pull_request"]
    assert flow["permissions"] == {"contents": "read"}
    assert flow["concurrency"]["cancel-in-progress"] is True
    comment = flow["jobs"]["comment"]
    assert comment["permissions"] == {"pull-requests": "write"}
    assert "head.repo.full_name == github.repository" in comment["if"]
    assert not any("uses" in step for step in comment["steps"])  # no checkout: no pull-request code runs here


def test_preview_builds_with_the_readme_command_after_validating():
    runs = [step.get("run", "") for step in _load(PREVIEW)["jobs"]["build"]["steps"]]
    validate = runs.index(".venv/bin/casebook validate --format github")
    install = next(i for i, r in enumerate(runs) if "pip install" in r)
    build = runs.index(".venv/bin/casebook build")
    assert install < validate < build
    assert _parts(runs[install]) + _parts(runs[build]) == _parts(_readme_build_command())
    for part in _parts(_readme_build_command()):
        if part.startswith(".venv/bin/casebook"):
            _check_command(part.removeprefix(".venv/bin/"))


def test_preview_uploads_the_folder_the_build_writes():
    steps = _load(PREVIEW)["jobs"]["build"]["steps"]
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    default = _subcommands()["build"].get_default("site_dir")
    assert upload["with"]["path"].rstrip("/") == str(default)
    assert upload["with"]["if-no-files-found"] == "error"
    assert upload["id"] == "upload"
    summary = next(s for s in steps if "GITHUB_STEP_SUMMARY" in s.get("run", ""))
    assert summary["env"]["URL"] == "${{ steps.upload.outputs.artifact-url }}"


def test_no_expression_is_pasted_into_a_shell_line():
    for job in _load(PREVIEW)["jobs"].values():
        for step in job["steps"]:
            assert "${{" not in step.get("run", ""), step  # values reach the shell through env only


def test_guide_tells_a_reviewer_how_to_open_the_preview():
    flow = PREVIEW.read_text("utf-8")
    serve = re.search(r"python3 -m http\.server -d (\w+)", flow)
    assert serve
    for text in (CONTRIBUTING.read_text("utf-8"), GUIDE.read_text("utf-8")):
        assert "How a reviewer sees your case before merging" in text
        assert "preview.yml" in text
        assert serve.group(0) in text
    shlex.split(serve.group(0))
