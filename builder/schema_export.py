"""Export the JSON Schema of the case model to ``schema/case.schema.json``."""

from __future__ import annotations

import json
from pathlib import Path

from builder.model import Case

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "case.schema.json"
SCHEMA_ID = "https://makeable-deals.github.io/casebook/schema/case.schema.json"


def case_schema() -> dict:
    """The JSON Schema of a case file, as editors and other validators read it."""
    schema = Case.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def schema_text() -> str:
    return json.dumps(case_schema(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
