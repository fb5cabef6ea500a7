"""The documentation stays true: README commands, CI, CLI help, problem codes and vocabularies."""

from __future__ import annotations

import re
import subprocess

import pytest

from builder.cli import build_parser
from builder.problems import CODES
from builder.vocab import all_vocabularies
from conftest import ROOT

README = (ROOT / "README.md").read_text("utf-8")


def _bash_blocks(text: str) -> list[str]:
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", text, re.S)]


def test_readme_has_exactly_two_setup_commands():
    section = README.split("## Set up on a fresh machine", 1)[1].split("\n## ", 1)[0]
    blocks = _bash_blocks(section)
    assert len(blocks) == 2
    build, test = blocks
    assert "casebook build" in build and "pip install" in build
    assert "pytest" in test and '".[test]"' in test


def test_ci_runs_the_readmes_test_command():
    section = README.split("## Set up on a fresh machine", 1)[1].split("\n## ", 1)[0]
    test_command = _bash_blocks(section)[1]
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert test_command in ci
    assert "apt-get install" in ci and "chromium" in ci


def _subcommands():
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return action.choices


def test_every_command_has_help_and_is_in_the_readme():
    for name, sub in _subcommands().items():
        assert sub.format_help().strip()
        assert f"`casebook {name}" in README, f"casebook {name} is not in the README's command table"
        for action in sub._actions:
            if action.dest != "help":
                assert action.help, f"casebook {name} {action.dest} has no help text"


def test_python_dash_m_builder_matches_the_command():
    out = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else "python", "-m", "builder", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert out.returncode == 0
    assert all(name in out.stdout for name in _subcommands())


def test_every_registered_code_says_why_and_how_to_fix():
    for code, info in CODES.items():
        assert info.title and info.why and info.fix, code


def _problem_literals() -> set[str]:
    """Codes written as literals: Problem(path, line, col, "code", ...), x.problem([path,] "code", ...), x.stop(mark, "code", ...)."""
    found = set()
    for path in (ROOT / "builder").glob("*.py"):
        text = path.read_text("utf-8")
        found |= set(re.findall(r'Problem\(\s*[^,]+,\s*[^,]+,\s*[^,]+,\s*"([a-z-]+)"', text))
        found |= set(re.findall(r'\.problem\(\s*(?:[^,()"]+(?:\([^()]*\))?,\s*)?"([a-z-]+)"', text))
        found |= set(re.findall(r'\.stop\(\s*[^,]+,\s*"([a-z-]+)"', text))
    return found


def test_every_code_has_a_section_on_the_site(built_site):
    page = (built_site / "contribute" / "problems" / "index.html").read_text("utf-8")
    for code in CODES:
        assert f'id="{code}"' in page, code


def test_every_emitted_code_is_registered():
    """Every code a rule can report (a string literal in a Problem(...) call) has documentation."""
    emitted = _problem_literals() | {"source-without-link", "empty-outcome"}  # these two come via _VALUE_ERRORS
    assert emitted <= set(CODES), emitted - set(CODES)
    assert len(_problem_literals()) >= 30


def test_an_unregistered_code_cannot_be_reported():
    """Codes built at run time (unknown-asset, unknown-purpose) are checked when the problem is made."""
    from builder.problems import Problem

    with pytest.raises(ValueError, match="unknown-thing"):
        Problem("x.yaml", 1, 1, "unknown-thing", "message", "fix")


@pytest.mark.parametrize("vocab", all_vocabularies(), ids=lambda v: v.name)
def test_every_vocabulary_term_is_defined(vocab):
    assert vocab.title and vocab.description
    codes = [t.code for t in vocab.terms]
    assert len(codes) == len(set(codes))
    for term in vocab.terms:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", term.code)
        assert term.title and len(term.description) > 15, term.code


def test_vocabularies_page_lists_every_term(built_site):
    page = (built_site / "contribute" / "vocabularies" / "index.html").read_text("utf-8")
    for vocab in all_vocabularies():
        for term in vocab.terms:
            assert f'id="{vocab.name}-{term.code}"' in page


def test_field_reference_lists_every_field(built_site):
    from builder.schema_export import case_schema

    page = (built_site / "contribute" / "fields" / "index.html").read_text("utf-8")
    schema = case_schema()
    for name, definition in [("Case", schema), *schema["$defs"].items()]:
        assert f'id="{name.lower()}"' in page
        for key in definition.get("properties", {}):
            assert f"<code>{key}</code>" in page, f"{name}.{key}"


def test_readme_excerpt_is_taken_from_the_real_case():
    block = re.search(r"```yaml\n(.*?)```", README, re.S).group(1)
    case = (ROOT / "cases" / "boston-operation-ceasefire.yaml").read_text("utf-8")
    for line in block.splitlines():
        code = line.split("  #", 1)[0].rstrip()
        assert code in case, f"README excerpt line not in the case file: {code!r}"


def test_code_passes_ruff():
    """The same lint and format checks as CI (settings in pyproject.toml)."""
    import shutil
    import sys
    from pathlib import Path

    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    paths = ["builder", "tests", "benchmarks"]
    check = subprocess.run([ruff, "check", *paths], capture_output=True, text=True, cwd=ROOT)
    assert check.returncode == 0, check.stdout
    fmt = subprocess.run([ruff, "format", "--check", *paths], capture_output=True, text=True, cwd=ROOT)
    assert fmt.returncode == 0, fmt.stdout


def test_citation_file_parses():
    import yaml

    data = yaml.safe_load((ROOT / "CITATION.cff").read_text("utf-8"))
    assert data["cff-version"] and data["title"] and data["authors"]
