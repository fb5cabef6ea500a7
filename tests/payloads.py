"""Hostile case files for the browser tests, made from real ones.

Every free-text string of a case (and of a reading list) gets hostile payloads: script tags,
attribute break-outs, javascript: links, template syntax, Markdown, entities and a closing
</script>. Which strings are free text is found by trying: a string keeps its payload only if
the case still validates, so ids, codes, dates, URLs and references stay valid.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

from builder.load import RawCase, load_file
from builder.model import ReadingList
from builder.validate import validate_raw

# Each would set window.__pwned (or open a dialog) if it ever became live markup or script.
PAYLOADS = (
    "<script>window.__pwned=1</script>",
    "<svg onload=__pwned=1>",  # short, for fields with a length limit such as short names
    '"><img src=x onerror="window.__pwned=1">',
    "'><img src=x onerror='window.__pwned=1'>",
    "javascript:window.__pwned=1",
    "{{ 7*7 }}",
    "{% raw %}",
    "[x](javascript:alert(1))",
    "**bold**",
    "&amp;",
    "</script>",
)
ALL = " ".join(PAYLOADS)


def _leaves(data: Any, path: tuple = ()) -> Iterator[tuple]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _leaves(value, path + (i,))
    elif isinstance(data, str):
        yield path


def _set(data: Any, path: tuple, value: str) -> None:
    for key in path[:-1]:
        data = data[key]
    data[path[-1]] = value


def _get(data: Any, path: tuple) -> Any:
    for key in path:
        data = data[key]
    return data


def poison(data: Any, valid: Callable[[Any], bool]) -> int:
    """Put payloads into every string of ``data`` that stays valid with them; returns how many."""
    assert valid(data), "the starting document must be valid"
    count = 0
    for path in list(_leaves(data)):
        original = _get(data, path)
        _set(data, path, original + " x")
        if not valid(data):  # an id, code, date, URL or reference: no free text here
            _set(data, path, original)
            continue
        # All payloads at once, or else the first one that fits a length limit.
        for text in (f"{original} {ALL}", *(f"{original} {p}" for p in PAYLOADS)):
            _set(data, path, text)
            if valid(data):
                count += 1
                break
        else:
            _set(data, path, original)
    return count


def hostile_case(source: Path) -> tuple[dict, int]:
    """A case file's data with payloads in every free-text string."""
    raw, problems = load_file(source)
    assert raw is not None and not problems

    def valid(data: Any) -> bool:
        _, found = validate_raw(RawCase(source, data))
        return not found

    data = raw.data
    return data, poison(data, valid)


def hostile_reading_list(source: Path, case_ids: list[str]) -> tuple[dict, int]:
    """A reading list naming ``case_ids``, with payloads in every free-text string."""
    data = yaml.safe_load(source.read_text("utf-8"))
    items = data["items"][: len(case_ids)]
    for item, case_id in zip(items, case_ids, strict=True):
        item["case"] = case_id
    data["items"] = items

    def valid(candidate: Any) -> bool:
        try:
            ReadingList.model_validate(candidate)
        except ValueError:
            return False
        return all(item["case"] in case_ids for item in candidate["items"]) and candidate["id"] == source.stem

    return data, poison(data, valid)


def write_hostile_cases(sources: list[Path], reading_list: Path, folder: Path) -> dict[str, int]:
    """Write hostile versions of ``sources`` and of ``reading_list`` into ``folder``; payload counts by file."""
    folder.mkdir(parents=True, exist_ok=True)
    counts = {}
    ids = []
    for source in sources:
        data, counts[source.name] = hostile_case(source)
        ids.append(data["id"])
        (folder / source.name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    lists = folder / "reading-lists"
    lists.mkdir(exist_ok=True)
    data, counts[reading_list.name] = hostile_reading_list(reading_list, ids)
    (lists / reading_list.name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return counts
