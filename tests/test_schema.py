"""The committed JSON Schema matches the models, describes every field, and agrees with pydantic."""

from __future__ import annotations

import json

import jsonschema
import pytest

from builder.load import load_file
from builder.schema_export import SCHEMA_PATH, case_schema, schema_text
from conftest import DATA, ROOT


def test_committed_schema_is_current():
    assert SCHEMA_PATH.read_text("utf-8") == schema_text(), (
        "schema/case.schema.json is stale. Run: casebook export-schema"
    )


def _properties(schema):
    yield "Case", schema.get("properties", {})
    for name, definition in schema.get("$defs", {}).items():
        yield name, definition.get("properties", {})


def test_every_property_has_a_description():
    missing = [
        f"{model}.{key}"
        for model, props in _properties(case_schema())
        for key, prop in props.items()
        if not prop.get("description")
    ]
    assert missing == []


def test_every_model_has_a_description():
    schema = case_schema()
    assert schema.get("description")
    assert [name for name, d in schema["$defs"].items() if not d.get("description")] == []


def _validator():
    schema = json.loads(SCHEMA_PATH.read_text("utf-8"))
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def _load(path):
    # JSON Schema sees JSON: dates become strings, as an editor would see them.
    raw, problems = load_file(path)
    assert raw is not None, problems
    return json.loads(json.dumps(raw.data, default=str))


@pytest.mark.parametrize(
    "path", sorted((ROOT / "cases").glob("*.yaml")) + [DATA / "valid" / "river-town-example.yaml"], ids=lambda p: p.stem
)
def test_independent_validator_accepts_valid_cases(path):
    errors = [e.message for e in _validator().iter_errors(_load(path))]
    assert errors == []


# Fixtures whose problems are all schema-level (not references, ids or cross-file rules).
SCHEMA_LEVEL = ["bad-vocabulary", "formats-and-ranges", "missing-keys", "wrong-types", "not-a-mapping"]


@pytest.mark.parametrize("name", SCHEMA_LEVEL)
def test_independent_validator_rejects_schema_level_invalid_fixtures(name):
    data = _load(DATA / "invalid" / f"{name}.yaml")
    assert list(_validator().iter_errors(data)), f"{name}.yaml should be rejected by the JSON Schema too"


def test_every_exported_schema_is_current():
    from builder.schema_export import schema_files

    for path, text in schema_files().items():
        assert path.read_text("utf-8") == text, f"{path.name} is stale. Run: casebook export-schema"


@pytest.mark.parametrize("path", sorted((ROOT / "cases" / "reading-lists").glob("*.yaml")), ids=lambda p: p.stem)
def test_reading_lists_match_their_schema(path):
    schema = json.loads((ROOT / "schema" / "reading-list.schema.json").read_text("utf-8"))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(_load(path))) == []
