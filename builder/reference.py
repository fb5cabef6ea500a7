"""Reference pages generated from the schema, the vocabularies and the problem codes.

In: the exported JSON Schema, the vocabularies and ``problems.CODES``. Out:
Markdown pages. Generating them means the reference cannot drift from the code.
"""

from __future__ import annotations

import json
import re
from typing import Any

from builder.problems import CODES
from builder.render import esc, table
from builder.schema_export import case_schema
from builder.vocab import all_vocabularies


def doc_text(text: str) -> str:
    """Escape our own descriptions, keeping `backticks` as code."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", esc(text))


def _vocab_for(values: list[Any]) -> str | None:
    for vocab in all_vocabularies():
        if set(values) == set(vocab.codes):
            return vocab.name
    return None


def _type_of(prop: dict[str, Any]) -> str:
    if "$ref" in prop:
        name = prop["$ref"].rsplit("/", 1)[-1]
        return f'<a href="#{name.lower()}">{name}</a>'
    if "anyOf" in prop:
        kinds = [_type_of(p) for p in prop["anyOf"] if p.get("type") != "null"]
        return " or ".join(kinds)
    if "enum" in prop:
        vocab = _vocab_for(prop["enum"])
        if vocab:
            return f'code from <a href="../vocabularies/#{vocab}"><code>{vocab}</code></a>'
        return "one of " + ", ".join(f"<code>{esc(v)}</code>" for v in prop["enum"])
    if "const" in prop:
        return f"<code>{esc(prop['const'])}</code>"
    kind = prop.get("type", "any")
    if kind == "array":
        return "list of " + _type_of(prop.get("items", {}))
    if prop.get("format") == "uri":
        return "URL"
    return {"string": "text", "integer": "whole number", "number": "number", "boolean": "true or false"}.get(kind, kind)


def fields_page() -> str:
    """The field reference, one table per part of a case, generated from ``case.schema.json``."""
    schema = case_schema()
    defs = schema.get("$defs", {})
    order = ["Case"] + sorted(defs)
    parts = [
        "---\ntitle: Field reference\n---\n",
        "# Field reference\n",
        "Every key a case file may contain, generated from the case model "
        "([`schema/case.schema.json`](https://github.com/makeable-deals/casebook/blob/main/schema/case.schema.json)). "
        "Keys not listed here are errors. Text fields are plain text: no HTML or Markdown is rendered.\n",
    ]
    for name in order:
        model = schema if name == "Case" else defs[name]
        props = model.get("properties", {})
        required = set(model.get("required", []))
        parts.append(f"## {name} {{#{name.lower()}}}\n")
        parts.append(doc_text(" ".join(model.get("description", "").split())) + "\n")
        rows = []
        for key, prop in props.items():
            desc = doc_text(prop.get("description", ""))
            if "examples" in prop:
                desc += " Example: " + ", ".join(
                    f"<code>{esc(e if isinstance(e, str) else json.dumps(e))}</code>" for e in prop["examples"][:2]
                )
            rows.append(
                f"<tr><td><code>{esc(key)}</code></td><td>{'required' if key in required else 'optional'}</td>"
                f"<td>{_type_of(prop)}</td><td>{desc}</td></tr>"
            )
        parts.append("\n" + table(("Key", "Required", "Type", "Description"), rows) + "\n")
    return "\n".join(parts)


def vocabularies_page() -> str:
    """Every controlled vocabulary with its terms and definitions."""
    parts = [
        "---\ntitle: Vocabularies\n---\n",
        "# Vocabularies\n",
        "Coded fields take their values from these lists, kept as data in "
        "[`schema/vocabularies/`](https://github.com/makeable-deals/casebook/tree/main/schema/vocabularies). "
        "To propose a new term, open an issue saying which cases need it.\n",
    ]
    for vocab in all_vocabularies():
        parts.append(f"## {esc(vocab.title)} {{#{vocab.name}}}\n")
        parts.append(f"{esc(vocab.description)} File: `schema/vocabularies/{vocab.name}.yaml`.\n")
        rows = "".join(
            f'<tr id="{vocab.name}-{t.code}"><td><code>{esc(t.code)}</code></td><td>{esc(t.title)}</td>'
            f"<td>{esc(t.description)}</td></tr>"
            for t in vocab.terms
        )
        parts.append("\n" + table(("Code", "Term", "Definition"), [rows]) + "\n")
    return "\n".join(parts)


def problems_page() -> str:
    """Every problem code: why the rule exists and how to fix it."""
    parts = [
        "---\ntitle: Problems and fixes\n---\n",
        "# Problems and fixes\n",
        "`casebook validate` reports each problem as `file:line:column: error[code] message`, followed by a "
        "fix. Every code is explained here. Run `casebook validate --format github` in CI to see the same "
        "problems as annotations on a pull request's lines.\n",
    ]
    for code, info in sorted(CODES.items()):
        parts.append(f"## `{code}` {{#{code}}}\n")
        parts.append(f"**{esc(info.title)}.** {esc(info.why)}\n")
        parts.append(f"**Fix:** {esc(info.fix)}\n")
    return "\n".join(parts)
