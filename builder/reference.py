"""Reference pages generated from the schema, the vocabularies and the problem codes.

In: the exported JSON Schema, the vocabularies and ``problems.CODES``. Out:
:class:`~builder.templating.Page` objects rendered from ``fields.html``,
``vocabularies.html`` and ``problems.html``. Generating them means the reference
cannot drift from the code.
"""

from __future__ import annotations

import json
from typing import Any

from builder.problems import CODES
from builder.schema_export import case_schema, reading_list_schema
from builder.templating import Page, render_page, runs
from builder.vocab import all_vocabularies

TYPE_NAMES = {"string": "text", "integer": "whole number", "number": "number", "boolean": "true or false"}


def _vocab_for(values: list[Any]) -> str | None:
    for vocab in all_vocabularies():
        if set(values) == set(vocab.codes):
            return vocab.name
    return None


def type_runs(prop: dict[str, Any]) -> list[dict[str, Any]]:
    """The type of a schema property in words, as runs for the ``rich`` macro (with links to models and vocabularies).

    >>> type_runs({"type": "array", "items": {"type": "integer"}})
    [{'text': 'list of '}, {'text': 'whole number'}]
    """
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[-1]
        return [{"text": name, "href": f"#{name.lower()}"}]
    if "anyOf" in prop:
        out: list[dict[str, Any]] = []
        for option in (p for p in prop["anyOf"] if p.get("type") != "null"):
            out += ([{"text": " or "}] if out else []) + type_runs(option)
        return out
    if "enum" in prop:
        vocab = _vocab_for(prop["enum"])
        if vocab:
            return [{"text": "code from "}, {"text": vocab, "code": True, "href": f"../vocabularies/#{vocab}"}]
        out = [{"text": "one of "}]
        for i, value in enumerate(prop["enum"]):
            out += ([{"text": ", "}] if i else []) + [{"text": str(value), "code": True}]
        return out
    if "const" in prop:
        return [{"text": str(prop["const"]), "code": True}]
    kind = prop.get("type", "any")
    if kind == "array":
        return [{"text": "list of "}, *type_runs(prop.get("items", {}))]
    if prop.get("format") == "uri":
        return [{"text": "URL"}]
    return [{"text": TYPE_NAMES.get(kind, kind)}]


def _field_row(key: str, prop: dict[str, Any], required: set[str]) -> dict[str, Any]:
    examples = [e if isinstance(e, str) else json.dumps(e) for e in prop.get("examples", [])[:2]]
    return {
        "key": key,
        "required": key in required,
        "type": type_runs(prop),
        "description": runs(prop.get("description", "")),
        "examples": examples,
    }


def _models(schema: dict[str, Any], root: str) -> list[dict[str, Any]]:
    """One table per model of a JSON Schema: the root model (named ``root``) first, then its ``$defs`` by name."""
    defs = schema.get("$defs", {})
    models = []
    for name in [root, *sorted(defs)]:
        model = schema if name == root else defs[name]
        required = set(model.get("required", []))
        models.append(
            {
                "name": name,
                "id": name.lower(),
                "description": runs(" ".join(model.get("description", "").split())),
                "rows": [_field_row(key, prop, required) for key, prop in model.get("properties", {}).items()],
            }
        )
    return models


def fields_page() -> Page:
    """The field reference, generated from ``case.schema.json`` (one table per part of a case) and
    ``reading-list.schema.json`` (a reading list and its items, after the case's tables)."""
    return render_page(
        "fields.html",
        "Field reference",
        models=_models(case_schema(), "Case"),
        reading=_models(reading_list_schema(), "ReadingList"),
    )


def vocabularies_page() -> Page:
    """Every controlled vocabulary with its terms and definitions."""
    return render_page("vocabularies.html", "Vocabularies", vocabularies=all_vocabularies())


def problems_page() -> Page:
    """Every problem code: why the rule exists and how to fix it."""
    codes = [
        {"code": code, "title": runs(info.title), "why": runs(info.why), "fix": runs(info.fix)}
        for code, info in sorted(CODES.items())
    ]
    return render_page("problems.html", "Problems and fixes", codes=codes)
