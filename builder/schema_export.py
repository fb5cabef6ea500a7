"""Export the JSON Schemas of case files and reading lists into ``schema/``."""

from __future__ import annotations

import json
from pathlib import Path

from builder.model import Case, ReadingList

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "case.schema.json"
SCHEMA_ID = "https://makeable-deals.github.io/casebook/schema/case.schema.json"


def case_schema() -> dict:
    """The JSON Schema of a case file, as editors and other validators read it."""
    schema = Case.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_ID, **schema}


def schema_text() -> str:
    return json.dumps(case_schema(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def reading_list_schema() -> dict:
    """The JSON Schema of a reading list in ``cases/reading-lists/``."""
    schema = ReadingList.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID.replace("case.schema", "reading-list.schema"),
        **schema,
    }


def schema_files() -> dict[Path, str]:
    """Every exported schema file and its text."""
    return {
        SCHEMA_PATH: schema_text(),
        SCHEMA_DIR / "reading-list.schema.json": json.dumps(reading_list_schema(), indent=2, ensure_ascii=False) + "\n",
    }
