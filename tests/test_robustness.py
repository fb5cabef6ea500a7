"""Bad input never crashes the checker: any YAML gives problems, not a traceback."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builder.load import load_text
from builder.validate import validate_raw
from conftest import DATA

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
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    raw, problems = load_text(text, Path("river-town-example.yaml"))
    if raw is None:
        return problems
    case, more = validate_raw(raw)
    assert (case is None) == bool(more) or case is not None
    for problem in problems + more:
        assert problem.line >= 1 and problem.column >= 1 and problem.code and problem.message
    return problems + more


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(ALL_PATHS), values)
def test_any_value_anywhere_gives_problems_not_a_crash(path, value):
    _check(_replace(FIXTURE, path, value))


@settings(max_examples=100, deadline=None)
@given(values)
def test_any_document_gives_problems_not_a_crash(document):
    _check(document)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gives_problems_not_a_crash(text):
    raw, problems = load_text(text, Path("x.yaml"))
    if raw is not None and not problems:
        validate_raw(raw)


SITUATION = yaml.safe_load(
    (Path(__file__).resolve().parent.parent / "builder" / "templates" / "situation.yaml").read_text("utf-8")
)
SITUATION_PATHS = [p for p in _paths(SITUATION) if p]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(SITUATION_PATHS), values)
def test_diagnose_reports_bad_situations_without_a_crash(tmp_path, capsys, path, value):
    from builder.cli import main

    target = tmp_path / "situation.yaml"
    target.write_text(yaml.safe_dump(_replace(SITUATION, path, value), allow_unicode=True), "utf-8")
    assert main(["diagnose", str(target)]) in (0, 1)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
