"""Controlled vocabularies, read from ``schema/vocabularies/*.yaml``.

Each vocabulary is a small data file (code, title, description), in the style of
OCDS codelists. Validation, the JSON Schema and the site all read the same files,
so a term is added in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

VOCAB_DIR = Path(__file__).resolve().parent.parent / "schema" / "vocabularies"


@dataclass(frozen=True)
class Term:
    code: str
    title: str
    description: str


@dataclass(frozen=True)
class Vocabulary:
    name: str
    title: str
    description: str
    terms: tuple[Term, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(t.code for t in self.terms)

    def title_of(self, code: str) -> str:
        for term in self.terms:
            if term.code == code:
                return term.title
        return code


@cache
def vocabulary(name: str) -> Vocabulary:
    """Return the vocabulary stored in ``schema/vocabularies/<name>.yaml``."""
    data = yaml.load((VOCAB_DIR / f"{name}.yaml").read_text("utf-8"), Loader=yaml.CSafeLoader)
    terms = tuple(Term(str(t["code"]), t["title"], t["description"]) for t in data["terms"])
    return Vocabulary(name, data["title"], data["description"], terms)


def all_vocabularies() -> list[Vocabulary]:
    """Every vocabulary, sorted by file name."""
    return [vocabulary(p.stem) for p in sorted(VOCAB_DIR.glob("*.yaml"))]
