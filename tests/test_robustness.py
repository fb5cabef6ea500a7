"""Bad input never crashes the checker: any YAML gives problems, not a traceback."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.load import load_bytes, load_text
from builder.problems import CODES
from builder.situation import check_situation_file
from builder.validate import validate_raw
from conftest import DATA, ROOT

FIXTURE = yaml.safe_load((DATA / "valid" / "river-town-example.yaml").read_text("utf-8"))

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 3000),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    st.sampled_from(["town", "board", "farmers", "helps", "never", "fixture-report", ""]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12,
)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, prefix + (i,))


ALL_PATHS = [p for p in _paths(FIXTURE) if p]


def _replace(data, path, value):
    import copy

    data = copy.deepcopy(data)
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return data


def _check(data) -> list:
    text = yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True, sort_keys=False)
    raw, problems = load_text(text, Path("river-town-example.yaml"))
    if raw is None:
        return problems
    case, more = validate_raw(raw)
    assert (case is None) == bool(more) or case is not None
    _assert_located(problems + more)
    return problems + more


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(ALL_PATHS), values)
def test_any_value_anywhere_gives_problems_not_a_crash(path, value):
    _check(_replace(FIXTURE, path, value))


@settings(max_examples=100, deadline=None, derandomize=True)
@given(values)
def test_any_document_gives_problems_not_a_crash(document):
    _check(document)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.text(max_size=200))
def test_any_text_gives_problems_not_a_crash(text):
    raw, problems = load_text(text, Path("x.yaml"))
    if raw is not None and not problems:
        validate_raw(raw)


SITUATION_TEXT = (ROOT / "builder" / "templates" / "situation.yaml").read_text("utf-8")
SITUATION = yaml.safe_load(SITUATION_TEXT)
SITUATION_PATHS = [p for p in _paths(SITUATION) if p]


@settings(
    max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sampled_from(SITUATION_PATHS), values)
def test_diagnose_reports_bad_situations_without_a_crash(tmp_path, capsys, path, value):
    from builder.cli import main

    target = tmp_path / "situation.yaml"
    target.write_text(yaml.safe_dump(_replace(SITUATION, path, value), allow_unicode=True), "utf-8")
    assert main(["diagnose", str(target)]) in (0, 1)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err


# --- Fuzzing the loader, the validator and diagnose ---------------------------------------------------------
# Any input gives either a valid result or located problems (line and column >= 1, a registered code, a fix),
# never a traceback and never a hang. derandomize=True: the same examples on every run, so CI is deterministic.

FUZZ = settings(max_examples=200, deadline=timedelta(seconds=3), derandomize=True)
REAL_CASES = sorted((ROOT / "cases").glob("*.yaml"))[:4]
TOKENS = [
    "id",
    "title",
    "actors",
    "years",
    "end",
    "holder",
    "help",
    "sources",
    "url",
    "last_reviewed",
    "countries",
    ":",
    ": ",
    " ",
    "  ",
    "\n",
    "\n  ",
    "- ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "!!str ",
    "!!int ",
    "!x ",
    "!!python/object:os.system ",
    "'",
    '"',
    "# c",
    "---\n",
    "...\n",
    "|\n",
    ">-\n",
    "? ",
    "~",
    "null",
    "true",
    "yes",
    "NO",
    "3:1",
    "20:04",
    ".nan",
    "-.inf",
    "1e999",
    "2026-02-29",
    "2026-01-31",
    "0x1F",
    "\t",
    "\u202e",
    "\u200d",
    "\u200b",
    "\ufeff",
    "\x00",
    "\x1b",
    "\x85",
    "\u2028",
    "\\u202e",
    "\\x00",
    "<<",
    "%YAML 1.2\n",
    "@",
    "`",
    "onging",
    "javascript:alert(1)",
    "https://example.org/",
    "town",
    "board",
    "\u043e",
    "\U0001f469\u200d\U0001f467",
    "\r\n",
]
yamlish = st.lists(st.sampled_from(TOKENS), max_size=40).map("".join)


def _assert_located(problems, text: str | None = None) -> None:
    # Line breaks are \n, \r\n or a lone \r, as in YAML and editors; a problem may point just past the end.
    lines = len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")) + 1 if text is not None else None
    for p in problems:
        assert p.line >= 1 and p.column >= 1, p
        assert lines is None or p.line <= lines, (p.format(), lines)
        assert p.code in CODES and p.code != "internal-error", p.format()
        assert p.message and p.fix, p.format()


def _check_text(text: str, name: str = "x.yaml"):
    raw, problems = load_text(text, Path(name))
    _assert_located(problems, text)
    if raw is None or problems:
        assert problems
        return None, problems
    case, more = validate_raw(raw)
    _assert_located(more, text)
    assert (case is None) == bool(more) or case is not None
    return case, more


@FUZZ
@given(st.binary(max_size=300))
def test_any_bytes_give_a_result_or_located_problems(data):
    raw, problems = load_bytes(data, Path("x.yaml"))
    _assert_located(problems)
    if raw is not None and not problems:
        _, more = validate_raw(raw)
        _assert_located(more)


@FUZZ
@given(yamlish)
def test_any_yaml_ish_text_gives_a_result_or_located_problems(text):
    _check_text(text)


@FUZZ
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_any_unicode_text_gives_a_result_or_located_problems(text):
    _check_text(text)


def _mutate(text: str, data) -> str:
    lines = text.split("\n")
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        i = data.draw(st.integers(0, len(lines) - 1), label="line")
        how = data.draw(st.sampled_from(["delete", "duplicate", "insert", "indent", "dedent", "swap", "cut"]))
        if how == "delete":
            del lines[i : i + data.draw(st.integers(1, 5))]
        elif how == "duplicate":
            lines.insert(i, lines[i])
        elif how == "insert":
            at = data.draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + data.draw(st.sampled_from(TOKENS)) + lines[i][at:]
        elif how == "indent":
            lines[i] = "  " + lines[i]
        elif how == "dedent":
            lines[i] = lines[i][2:]
        elif how == "swap":
            j = data.draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines = lines[:i]
        if not lines:
            lines = [""]
    return "\n".join(lines)


@settings(max_examples=150, deadline=timedelta(seconds=3), derandomize=True)
@given(st.sampled_from(REAL_CASES), st.data())
def test_a_damaged_real_case_gives_a_result_or_located_problems(path, data):
    _check_text(_mutate(path.read_text("utf-8"), data), path.name)


@settings(
    max_examples=100,
    deadline=timedelta(seconds=3),
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.data())
def test_diagnose_of_a_damaged_situation_gives_a_report_or_located_problems(tmp_path, capsys, data):
    from builder.cli import main

    text = _mutate(SITUATION_TEXT, data)
    target = tmp_path / "situation.yaml"
    target.write_text(text, "utf-8")
    code = main(["diagnose", str(target)])
    out, err = capsys.readouterr()
    assert code in (0, 1) and "Traceback" not in out + err
    situation, problems = check_situation_file(target)
    _assert_located(problems, text)
    assert (code == 0) == (situation is not None and not problems)
    if code == 1:
        assert out.count("error[") == len(problems) and out.count("  fix: ") == len(problems)
