"""Validate stage: turn raw case data into ``Case`` models, or problems.

In: ``RawCase`` objects from ``builder.load``. Out: validated ``Case`` models and a
list of ``Problem``. Three layers of rules, all reported together: the schema
(pydantic, with messages rewritten for people by error type), references inside
one case (every actor, asset, purpose and source id used is declared), and rules
across files (ids, titles, sources cited the same way). This stage never writes.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pycountry
from pydantic import BaseModel, ValidationError

from builder.load import DataPath, RawCase, load_file
from builder.model import Case, ReadingList
from builder.problems import CODES, Problem

__all__ = [
    "Checked",
    "case_files",
    "check_paths",
    "check_reading_lists",
    "cross_file_problems",
    "schema_problems",
    "validate_raw",
]


@dataclass
class Checked:
    """The result of checking a set of files."""

    cases: list[Case]
    problems: list[Problem]
    files: int
    raws: dict[str, RawCase]
    reading_lists: list[ReadingList] = field(default_factory=list)


def check_reading_lists(folder: Path, case_ids: set[str]) -> tuple[list[ReadingList], list[Problem]]:
    """Validate the reading lists in ``folder``; every case they name must exist."""
    lists: list[ReadingList] = []
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.y*ml")) if folder.is_dir() else []:
        raw, load_problems = load_file(path)
        problems.extend(load_problems)
        if raw is None or load_problems:
            continue
        if not isinstance(raw.data, dict):
            problems.append(
                Problem(
                    raw.display,
                    1,
                    1,
                    "not-a-mapping",
                    "a reading list is a mapping of keys",
                    "start from an existing list in cases/reading-lists/",
                )
            )
            continue
        try:
            reading = ReadingList.model_validate(raw.data)
        except ValidationError as exc:
            problems.extend(schema_problems(raw, exc, ReadingList))
            continue
        found = []
        if reading.id != path.stem:
            line, col = raw.position(("id",))
            found.append(
                Problem(
                    raw.display,
                    line,
                    col,
                    "id-mismatch",
                    f"id '{reading.id}' differs from the file name '{path.name}'",
                    f"set id: {path.stem}, or rename the file",
                )
            )
        for i, item in enumerate(reading.items):
            if item.case not in case_ids:
                line, col = raw.position(("items", i, "case"))
                found.append(
                    Problem(
                        raw.display,
                        line,
                        col,
                        "unknown-case",
                        f"there is no case '{item.case}'",
                        _suggest(item.case, sorted(case_ids)) + "use the id of a file in cases/",
                    )
                )
        problems.extend(found)
        if not found:
            lists.append(reading)
    return lists, problems


def case_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders to their ``*.yaml`` files, skipping templates whose name starts with ``_``."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(p for p in sorted(path.glob("*.y*ml")) if not p.name.startswith("_"))
        else:
            files.append(path)
    return files


def check_paths(paths: Iterable[Path]) -> Checked:
    """Load and validate every case file under ``paths``, with the cross-file rules."""
    pairs: list[tuple[Case, RawCase]] = []
    problems: list[Problem] = []
    paths = list(paths)
    files = case_files(paths)
    for path in files:
        raw, load_problems = load_file(path)
        problems.extend(load_problems)
        if raw is None:
            continue
        case, case_problems = validate_raw(raw)
        problems.extend(case_problems)
        if case is not None and not load_problems and not case_problems:
            pairs.append((case, raw))
    problems.extend(cross_file_problems(pairs))
    lists: list[ReadingList] = []
    # Reading lists live beside the cases they name; checked when a whole folder is checked.
    ids = {c.id for c, _ in pairs} | {p.stem for p in files}
    for folder in (p for p in paths if p.is_dir()):
        found, list_problems = check_reading_lists(folder / "reading-lists", ids)
        lists.extend(found)
        problems.extend(list_problems)
    problems.sort(key=lambda p: (p.path, p.line, p.column, p.code))
    return Checked(
        [c for c, _ in pairs], problems, len(files), {c.id: r for c, r in pairs}, sorted(lists, key=lambda r: r.id)
    )


def validate_raw(raw: RawCase) -> tuple[Case | None, list[Problem]]:
    """Validate one raw case: schema first, then the references inside it."""
    if not isinstance(raw.data, dict):
        what = "empty" if raw.data is None else f"a {type(raw.data).__name__}"
        return None, [
            Problem(
                raw.display,
                1,
                1,
                "not-a-mapping",
                f"the file is {what}, not a mapping of keys such as id:, title:, actors:",
                "start from the template: casebook new SLUG",
            )
        ]
    try:
        case = Case.model_validate(raw.data)
    except ValidationError as exc:
        problems = schema_problems(raw, exc)
        # The other rules still run on the raw data, so a contributor sees everything at once.
        problems.extend(_case_problems(raw))
        return None, _dedupe(problems)
    return case, _dedupe(list(_case_problems(raw)))


def _merge_typos(problems: list[Problem], errors: list[dict[str, Any]], raw: RawCase) -> list[Problem]:
    """Drop a missing-key problem when an unknown key beside it is a likely misspelling of it."""
    unknown: dict[DataPath, list[str]] = {}
    for err in errors:
        if err["type"] == "extra_forbidden":
            loc = _data_loc(raw, err["loc"])
            unknown.setdefault(loc[:-1], []).append(str(loc[-1]))
    drop = set()
    for err in errors:
        if err["type"] == "missing":
            loc = _data_loc(raw, err["loc"])
            if difflib.get_close_matches(str(loc[-1]), unknown.get(loc[:-1], []), n=1, cutoff=0.6):
                drop.add(f"{_dotted(loc[:-1])} is missing the required key '{loc[-1]}'")
    return [p for p in problems if not (p.code == "missing-key" and p.message in drop)]


def _dedupe(problems: list[Problem]) -> list[Problem]:
    return sorted(set(problems), key=lambda p: (p.line, p.column, p.code, p.message))


# --- Schema problems, rewritten for people -----------------------------------------------------


def _data_loc(raw: RawCase, loc: tuple[Any, ...]) -> DataPath:
    """Drop the parts of a pydantic location that name union members rather than keys."""
    out: list[Any] = []
    node = raw.data
    for part in loc:
        if isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            out.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and part not in node and len(out) == len(loc) - 1:
            out.append(part)  # a missing key or an unknown-key's own name
        else:
            continue
    return tuple(out)


def _dotted(loc: DataPath) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "the top level"


def schema_problems(raw: RawCase, exc: ValidationError, root: type[BaseModel] = Case) -> list[Problem]:
    """Schema problems of any model (cases, situations), rewritten for people, with positions."""
    errors = exc.errors()
    return _dedupe(_merge_typos([_schema_problem(raw, err, root) for err in errors], errors, raw))


def _model_at(loc: DataPath, root: type[BaseModel]) -> type[BaseModel] | None:
    """The pydantic model (below ``root``) that describes the mapping at ``loc``."""
    model: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)) or part not in model.model_fields:
            return None
        model = _unwrap(model.model_fields[part].annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    """The model inside ``list[X]``, ``X | None`` and similar."""
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType) or origin is typing.Annotated:
        for arg in typing.get_args(annotation):
            inner = _unwrap(arg)
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
    return annotation


def _suggest(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(str(word), list(options), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'? " if close else ""


def _required(loc: DataPath, root: type[BaseModel]) -> bool:
    parent = _model_at(loc[:-1], root)
    name = loc[-1] if loc else None
    return bool(
        parent is not None
        and isinstance(name, str)
        and name in parent.model_fields
        and parent.model_fields[name].is_required()
    )


def _field_description(loc: DataPath, root: type[BaseModel]) -> str:
    parent = _model_at(loc[:-1], root)
    name = loc[-1] if loc else None
    if parent is not None and isinstance(name, str) and name in parent.model_fields:
        return parent.model_fields[name].description or ""
    return ""


_TYPE_WORDS = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping of keys",
    "model_type": "a mapping of keys",
    "model_attributes_type": "a mapping of keys",
    "date_type": "a date such as 2026-01-31",
    "date_parsing": "a date such as 2026-01-31",
    "date_from_datetime_parsing": "a date such as 2026-01-31",
    "url_type": "a web address",
}

_LIMITS = {
    "greater_than_equal": "use a value of at least {ge}",
    "less_than_equal": "use a value of at most {le}",
    "greater_than": "use a value above {gt}",
    "less_than": "use a value below {lt}",
    "string_too_long": "shorten it to at most {max_length} characters",
    "too_long": "use at most {max_length} items",
}

_VALUE_ERRORS = {
    "a source needs": "source-without-link",
    "an outcome needs": "empty-outcome",
    "a date": "bad-date",
}


def _schema_problem(raw: RawCase, err: dict[str, Any], root: type[BaseModel]) -> Problem:
    kind = err["type"]
    loc = _data_loc(raw, err["loc"])
    where = _dotted(loc)
    given = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "missing":
        line, col = raw.position(loc[:-1])
        desc = _field_description(loc, root)
        return Problem(
            raw.display,
            line,
            col,
            "missing-key",
            f"{_dotted(loc[:-1])} is missing the required key '{loc[-1]}'",
            f"add `{loc[-1]}:`" + (f" ({desc.rstrip('.')})" if desc else ""),
        )
    if kind == "extra_forbidden":
        line, col = raw.position(loc, key=True)
        model = _model_at(loc[:-1], root)
        allowed = sorted(model.model_fields) if model else []
        return Problem(
            raw.display,
            line,
            col,
            "unknown-key",
            f"unknown key '{loc[-1]}' " + (f"in {_dotted(loc[:-1])}" if loc[:-1] else "at the top level"),
            _suggest(str(loc[-1]), allowed) + "allowed keys here: " + ", ".join(allowed),
        )
    line, col = raw.position(loc)
    if given is None and kind not in ("value_error",):
        desc = _field_description(loc, root)
        return Problem(
            raw.display,
            line,
            col,
            "empty-value",
            f"{where} is empty",
            f"fill in {where}"
            + (f": {desc[0].lower()}{desc[1:].rstrip('.')}" if desc else "")
            + (", or delete the key if it is optional" if not _required(loc, root) else ""),
        )
    if kind in ("literal_error", "enum"):
        options = _literal_options(ctx.get("expected", ""))
        return Problem(
            raw.display,
            line,
            col,
            "unknown-value",
            f"{where}: '{given}' is not an allowed value",
            _suggest(str(given), options) + "use one of: " + ", ".join(options),
        )
    if kind in _TYPE_WORDS:
        shown = "nothing" if given is None else f"{type(given).__name__} {_short(given)}"
        return Problem(
            raw.display,
            line,
            col,
            "wrong-type",
            f"{where} should be {_TYPE_WORDS[kind]}, not {shown}",
            f"write {where} as {_TYPE_WORDS[kind]}",
        )
    if kind in ("string_pattern_mismatch", "url_parsing", "url_scheme", "url_syntax_violation"):
        return Problem(
            raw.display,
            line,
            col,
            "bad-format",
            f"{where}: {_short(given)} is not in the expected form",
            _format_fix(loc),
        )
    if kind in ("too_short", "string_too_short"):
        need = ctx.get("min_length", 1)
        what = ("character" if kind == "string_too_short" else "item") + ("s" if need != 1 else "")
        return Problem(
            raw.display,
            line,
            col,
            "too-few",
            f"{where} needs at least {need} {what}" + (" (it is empty)" if not given else ""),
            f"add at least {need} {what} to {where}" if kind == "too_short" else f"fill in {where}",
        )
    if kind in _LIMITS:
        limit = _LIMITS[kind].format(**ctx)
        if kind == "string_too_long":
            return Problem(
                raw.display,
                line,
                col,
                "out-of-range",
                f"{where} is too long ({len(given)} characters): {_short(given)}",
                limit,
            )
        return Problem(raw.display, line, col, "out-of-range", f"{where}: {_short(given)} is out of range", limit)
    if kind == "value_error":
        message = str(ctx.get("error", err["msg"]))
        code = next((c for prefix, c in _VALUE_ERRORS.items() if message.startswith(prefix)), "wrong-type")
        return Problem(raw.display, line, col, code, f"{where}: {message}", CODES[code].fix)
    return Problem(raw.display, line, col, "wrong-type", f"{where}: {err['msg']}", "see the field reference")


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _literal_options(expected: str) -> list[str]:
    # pydantic's ctx['expected'] reads "'a', 'b' or 'c'"
    return [part.strip().strip("'") for part in expected.replace(" or ", ", ").split(",") if part.strip()]


def _format_fix(loc: DataPath) -> str:
    name = next((p for p in reversed(loc) if isinstance(p, str)), "")
    if name in ("countries", "country"):
        return "use a two-letter ISO 3166-1 code in capitals, such as US, GB or KE"
    if name == "doi":
        return "write the DOI without https://doi.org/, starting with 10., such as 10.1177/0022427801038003001"
    if name == "url":
        return "write the full address, starting with https://"
    return "use lower-case letters, digits and single hyphens, such as boston-police"


# --- References inside one case ------------------------------------------------------------------


def _case_problems(raw: RawCase) -> Iterator[Problem]:
    """Rules about one case beyond the schema. They read the raw data and tolerate any shape."""
    data = raw.data
    case_id = data.get("id")
    if isinstance(case_id, str) and case_id != raw.path.stem:
        line, col = raw.position(("id",))
        yield Problem(
            raw.display,
            line,
            col,
            "id-mismatch",
            f"id '{case_id}' differs from the file name '{raw.path.name}'",
            f"set id: {raw.path.stem}, or rename the file to {case_id}.yaml",
        )
    years = data.get("years")
    if isinstance(years, dict):
        start, end = years.get("start"), years.get("end")
        if isinstance(start, int) and isinstance(end, int) and end < start:
            line, col = raw.position(("years", "end"))
            yield Problem(
                raw.display,
                line,
                col,
                "years-order",
                f"years.end ({end}) is before years.start ({start})",
                "swap the years, or correct the one that is wrong",
            )
    countries = [(("countries", i), c) for i, c in enumerate(_list(data.get("countries")))]
    countries += [
        (("actors", i, "country"), a.get("country"))
        for i, a in enumerate(_list(data.get("actors")))
        if isinstance(a, dict) and "country" in a
    ]
    for path, code in countries:
        if isinstance(code, str) and len(code) == 2 and pycountry.countries.get(alpha_2=code) is None:
            line, col = raw.position(path)
            yield Problem(
                raw.display,
                line,
                col,
                "unknown-country",
                f"'{code}' is not an ISO 3166-1 country code",
                "use the two-letter code, for example GB for the United Kingdom",
            )
    yield from _references(raw, data)


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _references(raw: RawCase, data: dict[str, Any]) -> Iterator[Problem]:
    """Every id used is declared, and every declared id is unique (plain data in, problems out)."""

    def at(path: DataPath) -> tuple[int, int]:
        return raw.position(path)

    def dup(items: list[Any], base: DataPath, what: str) -> Iterator[Problem]:
        seen: dict[str, int] = {}
        for i, item in enumerate(_list(items)):
            ident = item.get("id") if isinstance(item, dict) else None
            if not isinstance(ident, str):
                continue
            if ident in seen:
                line, col = at(base + (i, "id"))
                first = at(base + (seen[ident], "id"))[0]
                yield Problem(
                    raw.display,
                    line,
                    col,
                    "duplicate-id",
                    f"{what} id '{ident}' is used twice (first on line {first})",
                    "rename one of them",
                )
            else:
                seen[ident] = i

    actors = [a for a in _list(data.get("actors")) if isinstance(a, dict)]
    actor_index = {a["id"]: a for a in actors if isinstance(a.get("id"), str)}
    actor_ids = sorted(str(a) for a in actor_index if isinstance(a, str))
    sources = [s for s in _list(data.get("sources")) if isinstance(s, dict)]
    source_ids = sorted(str(s.get("id")) for s in sources if isinstance(s.get("id"), str))

    yield from dup(_list(data.get("actors")), ("actors",), "actor")
    yield from dup(_list(data.get("sources")), ("sources",), "source")
    yield from dup(_list(data.get("interdependencies")), ("interdependencies",), "interdependency")
    yield from dup(_list(data.get("timeline")), ("timeline",), "event")
    for i, actor in enumerate(_list(data.get("actors"))):
        if isinstance(actor, dict):
            yield from dup(_list(actor.get("purposes")), ("actors", i, "purposes"), "purpose")
            yield from dup(_list(actor.get("assets")), ("actors", i, "assets"), "asset")

    def ids_of(actor: Any, key: str) -> list[str]:
        return sorted(str(x.get("id")) for x in _list((actor or {}).get(key)) if isinstance(x, dict))

    # With no usable actors or sources, every reference would be reported; the schema problem says enough.
    def check_actor(value: Any, path: DataPath) -> Iterator[Problem]:
        if isinstance(value, str) and actor_ids and value not in actor_index:
            line, col = at(path)
            yield Problem(
                raw.display,
                line,
                col,
                "unknown-actor",
                f"{_dotted(path)} '{value}' is not an actor in this case",
                _suggest(value, actor_ids) + f"use one of: {', '.join(actor_ids)}, "
                f"or add an actor with id: {value} under actors:",
            )

    def check_sources(value: Any, path: DataPath) -> Iterator[Problem]:
        for j, ref in enumerate(_list(value)):
            if isinstance(ref, str) and source_ids and ref not in source_ids:
                line, col = at(path + (j,))
                yield Problem(
                    raw.display,
                    line,
                    col,
                    "unknown-source",
                    f"{_dotted(path + (j,))} '{ref}' is not a source in this case",
                    _suggest(ref, source_ids) + f"use one of: {', '.join(source_ids)}, "
                    f"or add a source with id: {ref} under sources:",
                )

    def check_owned(actor_id: Any, value: Any, key: str, path: DataPath, code: str, what: str) -> Iterator[Problem]:
        if not isinstance(value, str) or not isinstance(actor_id, str) or actor_id not in actor_index:
            return
        owned = ids_of(actor_index[actor_id], key)
        if value not in owned:
            line, col = at(path)
            yield Problem(
                raw.display,
                line,
                col,
                code,
                f"{_dotted(path)} '{value}' is not {'an' if what[0] in 'aeiou' else 'a'} {what} of actor '{actor_id}'",
                _suggest(value, owned)
                + (f"use one of: {', '.join(owned)}, or " if owned else "")
                + f"add it under {key}: of actor '{actor_id}'",
            )

    for i, actor in enumerate(_list(data.get("actors"))):
        if isinstance(actor, dict):
            yield from check_sources(actor.get("sources"), ("actors", i, "sources"))
    for i, edge in enumerate(_list(data.get("interdependencies"))):
        if not isinstance(edge, dict):
            continue
        base: DataPath = ("interdependencies", i)
        yield from check_actor(edge.get("holder"), base + ("holder",))
        yield from check_actor(edge.get("target"), base + ("target",))
        yield from check_owned(
            edge.get("holder"), edge.get("asset"), "assets", base + ("asset",), "unknown-asset", "asset"
        )
        yield from check_owned(
            edge.get("target"), edge.get("purpose"), "purposes", base + ("purpose",), "unknown-purpose", "purpose"
        )
        for j, who in enumerate(_list(edge.get("recognized_by"))):
            yield from check_actor(who, base + ("recognized_by", j))
        yield from check_sources(edge.get("sources"), base + ("sources",))
        if isinstance(edge.get("holder"), str) and edge.get("holder") == edge.get("target"):
            line, col = at(base + ("target",))
            yield Problem(
                raw.display,
                line,
                col,
                "self-interdependency",
                f"{_dotted(base)} runs from '{edge['holder']}' to itself",
                "point target: at another actor, or remove the entry",
            )
    process = data.get("process") or {}
    if isinstance(process, dict):
        for name, stage in process.items():
            if not isinstance(stage, dict):
                continue
            base = ("process", name)
            yield from check_sources(stage.get("sources"), base + ("sources",))
            for j, mech in enumerate(_list(stage.get("mechanisms"))):
                if isinstance(mech, dict):
                    for k, who in enumerate(_list(mech.get("actors"))):
                        yield from check_actor(who, base + ("mechanisms", j, "actors", k))
            for j, who in enumerate(_list(stage.get("conveners"))):
                yield from check_actor(who, base + ("conveners", j))
            for j, stake in enumerate(_list(stage.get("stakes"))):
                if isinstance(stake, dict):
                    yield from check_actor(stake.get("actor"), base + ("stakes", j, "actor"))
                    yield from check_sources(stake.get("sources"), base + ("stakes", j, "sources"))
    deal = data.get("deal")
    if isinstance(deal, dict):
        yield from check_sources(deal.get("sources"), ("deal", "sources"))
        for j, com in enumerate(_list(deal.get("commitments"))):
            if isinstance(com, dict):
                base = ("deal", "commitments", j)
                yield from check_actor(com.get("actor"), base + ("actor",))
                for k, asset in enumerate(_list(com.get("assets"))):
                    yield from check_owned(
                        com.get("actor"), asset, "assets", base + ("assets", k), "unknown-asset", "asset"
                    )
    for key in ("credit", "counterfactuals", "outcomes", "timeline"):
        for j, item in enumerate(_list(data.get(key))):
            if not isinstance(item, dict):
                continue
            if "actor" in item:
                yield from check_actor(item.get("actor"), (key, j, "actor"))
            for field_name in ("credited", "actors"):
                for k, who in enumerate(_list(item.get(field_name))):
                    yield from check_actor(who, (key, j, field_name, k))
            yield from check_sources(item.get("sources"), (key, j, "sources"))


# --- Rules across files ----------------------------------------------------------------------------


def cross_file_problems(pairs: list[tuple[Case, RawCase]]) -> list[Problem]:
    """Rules that need the whole corpus: unique ids and titles, one title per source URL."""
    problems: list[Problem] = []
    titles: dict[str, str] = {}
    ids: dict[str, str] = {}
    urls: dict[str, tuple[str, str]] = {}
    for case, raw in sorted(pairs, key=lambda pair: pair[1].display):
        if case.id in ids:
            line, col = raw.position(("id",))
            problems.append(
                Problem(
                    raw.display,
                    line,
                    col,
                    "duplicate-case-id",
                    f"case id '{case.id}' is also used by {ids[case.id]}",
                    "rename one of the files and its id:",
                )
            )
        ids.setdefault(case.id, raw.display)
        key = case.title.casefold()
        if key in titles:
            line, col = raw.position(("title",))
            problems.append(
                Problem(
                    raw.display,
                    line,
                    col,
                    "duplicate-title",
                    f"title '{case.title}' is also the title of case '{titles[key]}'",
                    "make the titles distinct, for example by adding the place or years",
                )
            )
        else:
            titles[key] = case.id
        for i, source in enumerate(case.sources):
            if source.url is None:
                continue
            url = str(source.url).rstrip("/")
            if url in urls and urls[url][1].casefold() != source.title.casefold():
                other_case, other_title = urls[url]
                line, col = raw.position(("sources", i, "title"))
                problems.append(
                    Problem(
                        raw.display,
                        line,
                        col,
                        "source-title-mismatch",
                        f"{url} is cited as '{source.title}' here but as '{other_title}' in case '{other_case}'",
                        "use the exact title of the document in both cases",
                    )
                )
            else:
                urls.setdefault(url, (case.id, source.title))
    return problems
