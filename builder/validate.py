"""Validate stage: turn raw case data into ``Case`` models, or problems.

In: ``RawCase`` objects from ``builder.load``. Out: validated ``Case`` models and a
list of ``Problem``. Three layers of rules, all reported together: the schema
(pydantic, with messages rewritten for people by error type), references inside
one case (every actor, asset, purpose and source id used is declared), and rules
across files (ids, titles, sources cited the same way). This stage never writes.
Situations (``casebook diagnose``) and reading lists go through the same
machinery (``check_model``, ``schema_problems``, ``References``).
"""

from __future__ import annotations

import datetime
import difflib
import functools
import itertools
import math
import os
import re
import types
import typing
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pycountry
from pydantic import BaseModel, ValidationError

from builder import cache, workers
from builder.load import DataPath, RawCase, load_bytes, load_fast, no_gc, read_file
from builder.markup import file_warnings
from builder.model import Case, ReadingList, load_code_lists
from builder.problems import CODES, Problem, char_name, display_path, quote

__all__ = [
    "CaseSummary",
    "Checked",
    "References",
    "case_files",
    "check_model",
    "check_paths",
    "check_reading_lists",
    "cross_file_problems",
    "guarded",
    "is_case_name",
    "is_reading_list",
    "schema_problems",
    "validate_raw",
]


@dataclass
class Checked:
    """The result of checking a set of files."""

    #: The valid cases (empty when ``check_paths`` was asked for no models).
    cases: list[Case]
    problems: list[Problem]
    files: int
    #: Raw data of the valid cases parsed in this run, by id (a case read from the cache has none).
    raws: dict[str, RawCase]
    reading_lists: list[ReadingList] = field(default_factory=list)
    #: How many case files are valid.
    valid: int = 0
    #: Case id -> cache key of its file's content (see ``CaseSummary.key``).
    keys: dict[str, str] = field(default_factory=dict)
    #: Case id -> what the rules across files read of the case (``CaseSummary``), for the valid cases.
    summaries: dict[str, CaseSummary] = field(default_factory=dict)
    #: What is reported but leaves a case valid (``Problem.severity`` "warning": markup in a text), in file order;
    #: found by the same check as ``problems`` (``builder.markup.file_warnings``) and cached with it.
    warnings: list[Problem] = field(default_factory=list)
    #: How many reading lists were named (a file, or their folder), not found beside a folder of cases.
    list_files: int = 0


@dataclass(frozen=True)
class CaseSummary:
    """What the rules across files read of one valid case: id, title and cited sources, with their places."""

    display: str
    id: str
    title: str
    #: (address or None, title) of each source, in order.
    sources: tuple[tuple[str | None, str], ...]
    #: data path -> (line, column) of the id, the title and each source's title; empty when the file was read by
    #: the fast path (``builder.load.load_fast``), which reads no positions: ``position`` then finds them.
    places: dict[DataPath, tuple[int, int]]
    #: The cache key of the file's content (``builder.cache.key``): later stages key their results on it.
    key: str = ""
    #: The file's path as it was given, to find the places of a file read by the fast path.
    file: str = ""

    @classmethod
    def of(cls, case: Case, raw: RawCase, key: str = "") -> CaseSummary:
        """The summary of a validated case and its raw data (with positions, or none from the fast path)."""
        sources = tuple((None if s.url is None else str(s.url), s.title) for s in case.sources)
        places = {p: raw.position(p) for p in cls.paths(len(sources))} if raw.values else {}
        return cls(raw.display, case.id, case.title, sources, places, key, "" if places else str(raw.path))

    @staticmethod
    def paths(sources: int) -> list[DataPath]:
        """The data paths of the places a summary keeps: the id, the title and each source's title."""
        return [("id",), ("title",), *(("sources", i, "title") for i in range(sources))]

    def position(self, path: DataPath) -> tuple[int, int]:
        """Where ``path`` (one of the summary's places) is in the file; (1, 1) if the file changed since.

        Positions are computed only when a problem needs them: a file read by the fast path is read again here,
        with positions, the first time one is asked for (rules across files are the only callers).
        """
        if not self.places and self.file:
            self.places.update(_places(Path(self.file), self.display, self.key, len(self.sources)))
        return self.places.get(path, (1, 1))


def _places(path: Path, shown: str, key: str, sources: int) -> dict[DataPath, tuple[int, int]]:
    """The places of a summary, from the file at ``path`` if its content is still the one summarized (``key``)."""
    data, _ = read_file(path)
    if data is None or cache.key("check", shown, data) != key:
        return {}
    raw, _ = load_bytes(data, path)
    return {} if raw is None else {p: raw.position(p) for p in CaseSummary.paths(sources)}


def is_case_name(path: Path) -> bool:
    """Whether a file of a case folder is named as a case file (``*.yaml`` or ``*.yml``, not a template ``_*``)."""
    return path.suffix.lower() in (".yaml", ".yml") and not path.name.startswith("_")


def case_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders to their ``*.yaml`` files, skipping templates whose name starts with ``_``."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(p for p in sorted(path.iterdir()) if is_case_name(p) and not p.is_dir())
        else:
            files.append(path)
    return files


#: The folder, beside the case files, that holds the reading lists.
READING_LISTS = "reading-lists"


def is_reading_list(path: Path) -> bool:
    """Whether ``path`` is a reading list (a file in a ``reading-lists`` folder), not a case file."""
    return path.absolute().parent.name == READING_LISTS


#: Below this many files to parse, checking runs in this process (starting workers costs more than it saves).
PARALLEL_MIN = 40


def check_paths(paths: Iterable[Path], models: bool = True, keep: bool = True, siblings: bool = True) -> Checked:
    """Load and validate every case file under ``paths``, with the cross-file rules.

    ``models=False`` skips handing back the ``Case`` models (``Checked.cases`` is
    empty): enough to report problems, and faster when results come from the cache
    (``builder.cache``). ``keep=False`` also skips storing the models in the cache
    for a later build (``casebook validate`` alone needs only the problems). Files
    whose results are not cached are parsed and validated in worker processes when
    there are many (``PARALLEL_MIN``) and the machine has more than one core; the
    results are the same, in file order. A file named alone is checked across files
    against the other case files of its folder (``_siblings``); ``siblings=False``
    leaves that to the caller, which must then check across files itself (the
    serve's refresh does, against the summaries of its last build, without reading
    every other file again). Reading lists are checked when their folder's parent is
    checked, or when they are named (a file or the ``reading-lists`` folder itself).
    """
    paths = list(paths)
    paths = list({os.path.realpath(p): p for p in reversed(paths)}.values())[::-1]  # each folder or file once,
    files = list({os.path.realpath(p): p for p in reversed(case_files(paths))}.values())[::-1]  # however named
    named_lists = [p for p in files if is_reading_list(p)]
    files = [p for p in files if not is_reading_list(p)]
    _MAIN[0] = os.getpid()
    results = _check_files(files, models, keep)
    problems: list[Problem] = []
    summaries: list[CaseSummary] = []
    cases: list[Case] = []
    raws: dict[str, RawCase] = {}
    warnings: list[Problem] = []
    for case, summary, reported in results:
        found = _errors(reported)
        problems.extend(found)
        warnings.extend(p for p in reported if p.severity == "warning")
        if summary is not None and not found:
            summaries.append(summary)
            if case is not None:
                cases.append(case)
                raw = _LAST_RAWS.pop(summary.display, None)
                if raw is not None:
                    raws[case.id] = raw
    _LAST_RAWS.clear()
    problems.extend(_across_files(summaries, _siblings(paths, files) if siblings else []))
    lists, list_problems = _reading_lists(paths, named_lists, {s.id for s in summaries} | {p.stem for p in files})
    problems.extend(_errors(list_problems))
    warnings.extend(p for p in list_problems if p.severity == "warning")
    problems.sort(key=lambda p: (p.path, p.line, p.column, p.code))
    warnings.sort(key=lambda p: (p.path, p.line, p.column, p.code))
    keys = {s.id: s.key for s in summaries}
    by_id = {s.id: s for s in summaries}
    lists.sort(key=lambda r: r.id)
    return Checked(cases, problems, len(files), raws, lists, len(summaries), keys, by_id, warnings, len(named_lists))


def _reading_lists(paths: list[Path], named: list[Path], ids: set[str]) -> tuple[list[ReadingList], list[Problem]]:
    """The reading lists of the folders among ``paths`` (checked against the ``ids`` of the cases checked with them),
    and the lists ``named`` (against the case files of the folder that holds their ``reading-lists`` folder)."""
    lists: list[ReadingList] = []
    problems: list[Problem] = []
    covered = set()
    for folder in (p for p in paths if p.is_dir()):
        found, more = check_reading_lists(folder / READING_LISTS, ids)
        lists.extend(found)
        problems.extend(more)
        covered.add(os.path.realpath(folder / READING_LISTS))
    named = [p for p in named if os.path.realpath(p.parent) not in covered]  # each list once
    for folder in sorted({p.parent for p in named}):
        known = ids | {p.stem for p in case_files([folder.absolute().parent]) if not is_reading_list(p)}
        found, more = check_reading_lists(folder, known, [p for p in named if p.parent == folder])
        lists.extend(found)
        problems.extend(more)
    return lists, problems


def _errors(problems: list[Problem]) -> list[Problem]:
    """The errors among a file's ``problems`` (its warnings, cached with them, leave the case valid)."""
    return [p for p in problems if p.severity == "error"]


def _siblings(paths: list[Path], files: list[Path]) -> list[Path]:
    """The other case files in the folders of the files named one by one in ``paths`` (not those in ``files``).

    ``casebook validate cases/my-case.yaml`` checks the named file against these (a duplicate id or title, a
    source cited differently), as ``casebook build`` will, so that "ok" means the build will not fail on it.
    """
    folders = sorted(
        {p.parent for p in paths if not p.is_dir() and p.suffix.lower() in (".yaml", ".yml") and not is_reading_list(p)}
    )
    named = {os.path.abspath(p) for p in files}  # not resolved: a link (even a loop) is refused when read, not here
    return [p for p in case_files(f for f in folders if f.is_dir()) if os.path.abspath(p) not in named]


def _across_files(summaries: list[CaseSummary], siblings: list[Path]) -> list[Problem]:
    """The rules across files for ``summaries``; with ``siblings``, against theirs too, reporting only problems
    in the files of ``summaries`` (a sibling's results mostly come from the cache; its own problems are left out)."""
    if not siblings:
        return cross_file_problems(summaries)
    results = _check_files(siblings, models=False, keep=False)
    others = [s for _, s, found in results if s is not None and not _errors(found)]
    _LAST_RAWS.clear()  # the siblings' raw data is not handed back
    named = {s.display for s in summaries}
    # The siblings first, so that a clash between a named file and a sibling is reported in the named file.
    found = cross_file_problems(
        [*may_clash(summaries, others), *summaries], order=lambda s: (s.display in named, s.display)
    )
    return [p for p in found if p.path in named]


def may_clash(named: list[CaseSummary], others: list[CaseSummary]) -> list[CaseSummary]:
    """Those of ``others`` that share an id, a title (as :func:`cross_file_problems` compares them) or a source's
    address with one of ``named``, in their order: the only ones with which the rules across files can find a
    problem in ``named``. Every one that shares something is kept, so the first holder of each id, title and address
    is the same and the problems of ``named`` are those of all ``others``; a check of one file among 10,000 then
    compares it with a handful instead of folding every title of every source.
    """
    ids = {s.id for s in named}
    titles = {_fold(s.title) for s in named}
    urls = {a.rstrip("/") for s in named for a, _ in s.sources if a is not None}
    return [
        s
        for s in others
        if s.id in ids or any(a is not None and a.rstrip("/") in urls for a, _ in s.sources) or _fold(s.title) in titles
    ]


#: Raw data of files parsed in this process during one ``check_paths`` call, by shown path.
_LAST_RAWS: dict[str, RawCase] = {}
#: The process that called ``check_paths`` (workers are other processes).
_MAIN = [0]

Result = tuple[Case | None, CaseSummary | None, list[Problem]]


#: How many files' results are looked up in the cache by the calling process before deciding who looks up the rest.
PROBE = 8


def _check_files(files: list[Path], models: bool, keep: bool = True) -> list[Result]:
    """The result of every file, in order: from the cache where possible, else checked (in parallel if many).

    Results are looked up here; but when most of the first ``PROBE`` files miss (an empty or stale cache), the
    rest are handed to the workers unlooked-up, and each worker looks up and checks its files, reading each once.
    """
    results: list[Result | None] = [None] * len(files)
    todo: list[int] = []
    for i, path in enumerate(files):
        if i == PROBE and len(todo) * 2 > PROBE:
            todo.extend(range(i, len(files)))
            break
        hit = guarded(path, lambda path=path: _cached(path, models))
        if hit[2] or hit[1] is not None or hit[0] is not None:
            results[i] = hit
        else:
            todo.append(i)
    for i, result in zip(todo, _run([files[i] for i in todo], models, keep), strict=True):
        results[i] = result
    return [r for r in results if r is not None]


def _cached(path: Path, models: bool) -> Result:
    """The cached result of one file, or (None, None, []) when it must be checked."""
    data, problems = read_file(path)
    if data is None:
        return None, None, problems
    return _lookup(path, data, models)


def _lookup(path: Path, data: bytes, models: bool, entry: str = "") -> Result:
    """The cached result of one file's bytes (``entry``: their "check" key, if known), or (None, None, [])."""
    hit = cache.get("check", entry or cache.key("check", display_path(path), data))
    if hit is None:
        return None, None, []
    summary, problems = hit
    if summary is None or not models:
        return None, summary, problems
    case = cache.get("case", cache.key("case", display_path(path), data))
    return (case, summary, problems) if case is not None else (None, None, [])


#: From this many files to check, their results are stored in packs (``cache.put_many``), not a file each.
PACK_MIN = 100


def _run(files: list[Path], models: bool, keep: bool) -> list[Result]:
    """Check ``files`` (in workers if many); with ``PACK_MIN`` or more, their results are stored together here."""
    if len(files) >= PARALLEL_MIN:
        load_code_lists()  # once here, not once in every worker
        Case.model_rebuild()  # the schema's validator too (built at first use: ``defer_build`` in ``model.Model``)
    look = cache.holds("check")  # else no file can be in the cache: skip looking each one up
    if len(files) < PACK_MIN:
        return workers.run(_check_one, files, models, keep, False, look, min_items=PARALLEL_MIN)
    done = workers.run(_check_one, files, models, keep, True, look, min_items=PARALLEL_MIN)
    cache.put_many("check", {entry: (result[1], result[2]) for result, entry in done if entry})
    return [result for result, _ in done]


def _check_one(path: Path, models: bool, keep: bool = True, pack: bool = False, look: bool = True) -> Any:
    """Check one file with the cyclic garbage collector paused until its data is freed (see ``no_gc``).

    With ``pack``, its result is not stored: (result, "check" key to store it under, or "" when it needs none).
    With ``look``, a result already in the cache is returned instead.
    """
    pending: list[str] = []
    with no_gc():
        result = guarded(
            path, lambda: _check_case_file(path, models, keep, look=look, pending=pending if pack else None)
        )
    return (result, pending[0] if pending else "") if pack else result


def _check_case_file(
    path: Path, models: bool = True, keep: bool = True, look: bool = False, pending: list[str] | None = None
) -> Result:
    """Parse and validate one file, and store its result in the cache (its model too, if ``keep``).

    With ``look``, a result already in the cache is returned instead. With ``pending``, the result (summary and
    problems) is not stored here: its "check" key is appended to ``pending`` for the caller to store.
    A file is first tried on the fast path (``_check_fast``), which only ever accepts; a file with any problem
    is read again by ``load_bytes``, so problems, messages and places are always the slow path's.
    """
    data, problems = read_file(path)
    if data is None:
        return None, None, problems
    shown = display_path(path)
    entry = cache.key("check", shown, data)
    if look:
        hit = _lookup(path, data, models, entry)
        if hit[2] or hit[1] is not None:
            return hit
    case, raw = _check_fast(data, path)
    read = raw  # the data as read, when YAML read it without a problem (the schema may still find some)
    if case is None:
        raw, problems = load_bytes(data, path)
        read = None if problems else raw
        if raw is not None:
            case, more = validate_raw(raw)
            problems = problems + more
    summary = CaseSummary.of(case, raw, entry) if case is not None and raw is not None and not problems else None
    if read is not None:
        problems = problems + file_warnings(data, read)
    if summary is not None:
        if keep:
            cache.put("case", cache.key("case", shown, data), case)
        if os.getpid() == _MAIN[0]:  # a worker's raw data would only pile up in the worker
            _LAST_RAWS[shown] = raw
    if pending is None:
        cache.put("check", entry, (summary, problems))
    else:
        pending.append(entry)
    return (case if models else None), summary, problems


def _check_fast(data: bytes, path: Path) -> tuple[Case | None, RawCase | None]:
    """The model of a case file read by the fast path that has no problem at all, or (None, None).

    ``load_fast`` gives the data ``load_bytes`` would, for any data ``Case`` accepts (it does not look for keys
    that are not text or nesting deeper than ``MAX_DEPTH``: ``Case`` refuses both); here the schema and the rules
    must find nothing, or the caller starts again on the slow path. No problem is ever reported from here.
    """
    with no_gc():
        raw = load_fast(data, path)
        if raw is None:
            return None, None
        try:
            case = Case.model_validate(raw.data)
        except ValidationError:
            return None, None
        if next(iter(_case_problems(raw)), None) is not None:
            return None, None
    return case, raw


def guarded(path: Path, check: Callable[[], tuple[Any, Any, list[Problem]]]) -> tuple[Any, Any, list[Problem]]:
    """Run the checks of one file; a bug they hit becomes a problem of that file, and the other files are checked.

    Why: a build checks every file; one file that trips a bug in the checker must
    not hide the problems of all the others behind a traceback.
    """
    try:
        return check()
    except Exception as exc:  # noqa: BLE001 - reported, with its type, as a problem of this file
        reason = quote(f"{type(exc).__name__}: {exc}", limit=120)
        return (
            None,
            None,
            [
                Problem(
                    display_path(path),
                    1,
                    1,
                    "internal-error",
                    f"the checker failed: {reason}",
                    CODES["internal-error"].fix,
                )
            ],
        )


def check_reading_lists(
    folder: Path, case_ids: set[str], paths: list[Path] | None = None
) -> tuple[list[ReadingList], list[Problem]]:
    """Validate the reading lists in ``folder`` (or only its files ``paths``); every case they name must be among
    ``case_ids``. The problems include their warnings (``Problem.severity``), which leave a list valid."""
    lists: list[ReadingList] = []
    problems: list[Problem] = []
    pending: dict[str, Any] = {}
    for path in paths if paths is not None else sorted(folder.glob("*.y*ml")) if folder.is_dir() else []:
        reading, _, found = guarded(path, lambda path=path: _check_reading_list(path, case_ids, pending))
        problems.extend(found)  # its warnings among them: ``check_paths`` sets them apart
        if reading is not None and not _errors(found):
            lists.append(reading)
    if len(pending) >= PACK_MIN:
        cache.put_many("reading-list", pending)
    else:
        for entry, result in pending.items():
            cache.put("reading-list", entry, result)
    return lists, problems


def _check_reading_list(
    path: Path, case_ids: set[str], pending: dict[str, Any]
) -> tuple[ReadingList | None, None, list[Problem]]:
    """One reading list's model and problems; a result read anew is added to ``pending`` for the cache."""
    data, problems = read_file(path)
    if data is None:
        return None, None, problems
    shown = display_path(path)
    entry = cache.key("reading-list", shown, data)
    result = cache.get("reading-list", entry)
    if result is None:
        result = _read_reading_list(data, path)
        pending[entry] = result
    reading, found, places = result
    if reading is None:
        return None, None, found
    named = [item.case for item in reading.items]
    twice = len(set(named)) < len(named)
    if places is None and (reading.id != path.stem or twice or any(case not in case_ids for case in named)):
        places = _reading_places(load_bytes(data, path)[0], reading)  # read by the fast path: no places yet
    found = list(found)
    if reading.id != path.stem:
        line, col = places[("id",)]
        found.append(
            Problem(
                shown,
                line,
                col,
                "id-mismatch",
                f"id {quote(reading.id)} differs from the file name {quote(path.name)}",
                (f"set id: {_bare(path.stem)}, or rename" if _SLUG.fullmatch(path.stem) else "rename")
                + f" the file to {_bare(reading.id)}.yaml",
            )
        )
    first: dict[str, int] = {}
    for i, item in enumerate(reading.items):
        named = quote(item.case, ascii_only=True)
        if item.case not in case_ids:
            code, message = "unknown-case", f"there is no case {named}"
            fix = _suggest(item.case, sorted(case_ids), "use the id of a file in cases/")
        elif item.case in first:
            code, message = (
                "duplicate-case",
                f"items[{i}] names case {named} again (items[{first[item.case]}] names it too)",
            )
            fix = "name each case once: replace this one with another case, or delete the item"
        else:
            first[item.case] = i
            continue
        line, col = places[("items", i, "case")]
        found.append(Problem(shown, line, col, code, message, fix))
    return reading, None, found


def _read_reading_list(data: bytes, path: Path) -> tuple[ReadingList | None, list[Problem], dict[DataPath, Any] | None]:
    """A reading list's model, schema problems and warnings, and the places its other checks point at (cacheable).

    A list with no schema problem read by the fast path (``load_fast``: ``ReadingList`` refuses keys that are not
    text and is shallow, as ``Case``) has no places (``None``): they are read when a problem needs them.
    """
    with no_gc():
        fast = load_fast(data, path)
        try:
            reading = None if fast is None else ReadingList.model_validate(fast.data)
        except ValidationError:
            reading = None
    if fast is not None and reading is not None:
        return reading, file_warnings(data, fast), None
    raw, problems = load_bytes(data, path)
    if raw is None or problems:
        return None, problems, {}
    reading, found = check_model(raw, ReadingList, lambda raw: (), "reading list")
    found = found + file_warnings(data, raw)
    if reading is None:
        return None, found, {}
    return reading, found, _reading_places(raw, reading)


def _reading_places(raw: RawCase | None, reading: ReadingList) -> dict[DataPath, Any]:
    """The places of a reading list's id and of each item's case."""
    paths = [("id",), *(("items", i, "case") for i in range(len(reading.items)))]
    return {p: (1, 1) if raw is None else raw.position(p) for p in paths}


def validate_raw(raw: RawCase) -> tuple[Case | None, list[Problem]]:
    """Validate one raw case: schema first, then the references inside it."""
    return check_model(raw, Case, _case_problems, "case")


M = typing.TypeVar("M", bound=BaseModel)


def check_model(
    raw: RawCase, model: type[M], rules: Callable[[RawCase], Iterable[Problem]], noun: str
) -> tuple[M | None, list[Problem]]:
    """Validate raw data against ``model``, then ``rules`` on the raw data; all problems together.

    The same machinery serves cases, reading lists and situations: pydantic's
    errors rewritten for people, at the line and column of the value.
    """
    if not isinstance(raw.data, dict):
        return None, [_not_a_mapping(raw, noun)]
    try:
        obj = model.model_validate(raw.data)
    except ValidationError as exc:
        with no_gc():
            problems = schema_problems(raw, exc, model)
        # The other rules still run on the raw data, so a contributor sees everything at once.
        problems.extend(itertools.islice(rules(raw), MAX_PROBLEMS + 1))
        return None, _capped(raw, _dedupe(problems))
    return obj, _capped(raw, _dedupe(list(itertools.islice(rules(raw), MAX_PROBLEMS + 1))))


#: At most this many problems are listed for one file; a file with more is not worth reading line by line.
MAX_PROBLEMS = 200


def _capped(raw: RawCase, problems: list[Problem]) -> list[Problem]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    first = problems[MAX_PROBLEMS]
    return problems[:MAX_PROBLEMS] + [
        Problem(
            raw.display,
            first.line,
            first.column,
            "too-many-problems",
            f"more problems from here on; only the first {MAX_PROBLEMS} are listed",
            "fix these first, or start again from the template: casebook new SLUG",
        )
    ]


def _not_a_mapping(raw: RawCase, noun: str) -> Problem:
    line, col = raw.position(())
    if raw.data is None:
        what = "empty"
    else:
        what = _what(raw.data, raw.scalars.get(()))
    start = {"case": "the template: casebook new SLUG", "situation": "the example: casebook diagnose --example"}
    keys = {"case": "id:, title:, actors:", "situation": "title:, actors: and help:"}.get(noun, "id:, title:, items:")
    return Problem(
        raw.display,
        line,
        col,
        "not-a-mapping",
        f"the file is {what}; a {noun} file must be a mapping of keys such as {keys}",
        f"start from {start.get(noun, 'an existing list in cases/reading-lists/')}",
    )


def _dedupe(problems: list[Problem]) -> list[Problem]:
    return sorted(set(problems), key=lambda p: (p.line, p.column, p.code, p.message))


# --- Schema problems, rewritten for people -----------------------------------------------------

#: Errors that a rule on the raw data reports at the right line; the model raises them only for API users.
COVERED_BY_RULES = {"references"}


def schema_problems(raw: RawCase, exc: ValidationError, root: type[BaseModel] = Case) -> list[Problem]:
    """Schema problems of any model (cases, situations), rewritten for people, with positions."""
    errors = _merge_unions(raw, [e for e in exc.errors() if e["type"] not in COVERED_BY_RULES])
    if len(errors) > MAX_PROBLEMS:  # keep a hostile file fast: the list is cut to MAX_PROBLEMS anyway
        errors = errors[: MAX_PROBLEMS + 1]
    return _dedupe(_merge_typos([_schema_problem(raw, err, root) for err in errors], errors, raw))


def _merge_unions(raw: RawCase, errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One mistake, one message: the errors of the members of a union become one error.

    Pydantic reports a value that fits no member of ``int | Literal["ongoing"]``
    once per member. Keep the member the contributor meant (the one whose type
    the value has, such as the word for ``'onging'``), naming the others as
    alternatives; if none, one wrong-type error that names every member.
    """
    groups: dict[DataPath, list[dict[str, Any]]] = {}
    out: list[Any] = []
    for err in errors:
        loc = _data_loc(raw, err["loc"], err["type"])
        if len(loc) < len(err["loc"]) and err["type"] not in ("missing", "extra_forbidden"):
            if loc not in groups:
                out.append(loc)
            groups.setdefault(loc, []).append(err)
        else:
            out.append(err)
    return [_union_error(groups[item]) if isinstance(item, tuple) else item for item in out]


def _union_error(group: list[dict[str, Any]]) -> dict[str, Any]:
    if len(group) == 1:
        return group[0]
    fitting = [e for e in group if not _is_mismatch(e)]
    others = [_expected_word(e) for e in group if _is_mismatch(e)]
    if fitting:
        chosen = dict(fitting[0])
        chosen["ctx"] = {**(chosen.get("ctx") or {}), "alternatives": others}
        return chosen
    return {"type": "union_type", "loc": group[0]["loc"], "input": group[0].get("input"), "ctx": {"expected": others}}


def _is_mismatch(err: dict[str, Any]) -> bool:
    """The value is not even of this member's type (so the contributor did not mean it)."""
    if err["type"] == "literal_error":
        return not isinstance(err.get("input"), str)
    return err["type"] in _TYPE_WORDS


def _expected_word(err: dict[str, Any]) -> str:
    if err["type"] == "literal_error":
        return " or ".join(f"'{o}'" for o in _literal_options((err.get("ctx") or {}).get("expected", "")))
    return _TYPE_WORDS.get(err["type"], "another form")


def _merge_typos(problems: list[Problem], errors: list[dict[str, Any]], raw: RawCase) -> list[Problem]:
    """Drop a missing-key problem when an unknown key beside it is a likely misspelling of it."""
    unknown: dict[DataPath, list[str]] = {}
    for err in errors:
        if err["type"] == "extra_forbidden":
            loc = _data_loc(raw, err["loc"], err["type"])
            unknown.setdefault(loc[:-1], []).append(str(loc[-1]))
    drop = set()
    for err in errors:
        if err["type"] == "missing":
            loc = _data_loc(raw, err["loc"], err["type"])
            merged = _at(raw.data, loc[:-1] + ("<<",))
            if isinstance(merged, dict) and loc[-1] in merged:  # a YAML 1.1 merge key holds it: one message
                drop.add(f"{_dotted(loc[:-1])} is missing the required key '{loc[-1]}'")
            if difflib.get_close_matches(str(loc[-1]), unknown.get(loc[:-1], []), n=1, cutoff=0.6):
                drop.add(f"{_dotted(loc[:-1])} is missing the required key '{loc[-1]}'")
    return [p for p in problems if not (p.code == "missing-key" and p.message in drop)]


def _at(data: Any, loc: DataPath) -> Any:
    for part in loc:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def _data_loc(raw: RawCase, loc: tuple[Any, ...], kind: str = "") -> DataPath:
    """Drop the parts of a pydantic location that name union members rather than keys."""
    out: list[Any] = []
    node = raw.data
    for part in loc:
        if isinstance(node, dict) and part in node:
            out.append(part)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
        elif kind in ("missing", "extra_forbidden") and isinstance(node, dict) and isinstance(part, str):
            out.append(part)  # a missing key, or an unknown key's own name
            node = None
    return tuple(out)


def _dotted(loc: DataPath) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            name = str(part)
            if not (name.isascii() and name.isprintable()):
                name = quote(name)[1:-1]
            text += f".{name}" if text else name
    return text or "the top level"


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


#: Quotation marks a word processor types, which YAML keeps as part of the text (only straight quotes quote).
_TYPOGRAPHIC_QUOTES = "\u201c\u201d\u2018\u2019\u00ab\u00bb\u201e\u201a"


def _suggest(word: str, options: Iterable[str], rest: str) -> str:
    """The fix for a word that names nothing among ``options``: "did you mean" the closest option, then ``rest``
    (the usual advice). When the word is an option written inside typographic quotes (“police”, as a word
    processor types them), saying so is the whole fix: ``rest`` ("or add an actor with id: “police”") would
    contradict it."""
    options = list(options)
    bare = str(word).strip(_TYPOGRAPHIC_QUOTES)
    if bare != str(word) and bare in options:
        return (
            f"it is written inside typographic quotes, which YAML keeps as part of the text: write "
            f"{quote(bare, ascii_only=True)} with straight quotes or none"
        )
    close = difflib.get_close_matches(str(word), options, n=1, cutoff=0.6)
    return (f"did you mean {quote(close[0], ascii_only=True)}? " if close else "") + rest


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

#: Messages of the models' own checks, by how they begin: the problem code, and a fix where the code's
#: general fix would not say enough.
#: Case ids that would take the address of a generated page (``cases/index``).
RESERVED_IDS = frozenset({"index"})

_SUBDIVISION = re.compile(r"[A-Z]{2}-[A-Z0-9]{1,3}")

_VALUE_ERRORS: dict[str, tuple[str, str | None]] = {
    "a source needs": ("source-without-link", None),
    "an outcome needs": ("empty-outcome", None),
    "a date": ("bad-date", "write a year (1996), a month (1996-05) or a day (1996-05-15) that exists"),
    "an actor needs a `mission`": (
        "missing-key",
        "add `mission:` (what the actor exists to do), or `kind: affected-group` if these are people the effort "
        "serves or targets",
    ),
    "an actor": ("actor-kind", None),
    "an agreement ends after": ("agreement-dates", None),
    "an agreement with": ("missing-key", "add `end:` (completed, expired, cut-short or superseded)"),
    "an agreement cut short": ("agreement-dates", "set status: dissolved (or partial), or correct end:"),
    "an interdependency realized by": ("wrong-type", "write realized: true or partly, or remove realized_by:"),
    "an outcome in money": ("money-and-unit", None),
    "an area's north edge": ("out-of-range", None),
    "a source role names": ("unknown-source", "list the source under this part's sources: too, or remove its role"),
    "a claim needs": ("one-sided-claim", None),
}

_DATE_ERRORS = {"date_type", "date_parsing", "date_value", "date_from_datetime_parsing", "date_from_datetime_inexact"}
_URL_ERRORS = {
    "url_type",
    "url_parsing",
    "url_scheme",
    "url_syntax_violation",
    "url_too_long",
    "url_userinfo",
    "url_host_dot",
    "url_private",
}


@dataclass
class _Error:
    """One pydantic error, placed in the raw data."""

    raw: RawCase
    root: type[BaseModel]
    kind: str
    loc: DataPath
    given: Any
    ctx: dict[str, Any]
    text: str

    @property
    def where(self) -> str:
        return _dotted(self.loc)

    @property
    def source(self) -> str | None:
        """How the value was written, if YAML read it as a number, boolean or null."""
        return self.raw.scalars.get(self.loc)

    @property
    def shown(self) -> str:
        return _what(self.given, self.source)

    def problem(self, code: str, message: str, fix: str, at: DataPath | None = None, key: bool = False) -> Problem:
        line, col = self.raw.position(self.loc if at is None else at, key=key)
        return Problem(self.raw.display, line, col, code, message, fix)

    def alternatives(self) -> str:
        others = self.ctx.get("alternatives") or []
        return f", or {' or '.join(others)}" if others else ""


def _schema_problem(raw: RawCase, err: dict[str, Any], root: type[BaseModel]) -> Problem:
    e = _Error(
        raw,
        root,
        err["type"],
        _data_loc(raw, err["loc"], err["type"]),
        err.get("input"),
        err.get("ctx") or {},
        err.get("msg", ""),
    )
    if e.kind == "missing":
        return _missing(e)
    if e.kind == "extra_forbidden":
        return _unknown_key(e)
    if e.given is None and e.kind != "value_error":
        return _empty(e)
    for kinds, handler in _HANDLERS:
        if e.kind in kinds:
            return handler(e)
    return e.problem("wrong-type", f"{e.where}: {e.text}", "see the field reference")


def _missing(e: _Error) -> Problem:
    if e.loc == ("schema_version",) and e.root is Case:
        return e.problem(
            "old-schema",
            "this file is written for version 1 of the case model (it has no schema_version)",
            f"run: casebook migrate {e.raw.display}",
            at=(),
        )
    desc = _field_description(e.loc, e.root)
    return e.problem(
        "missing-key",
        f"{_dotted(e.loc[:-1])} is missing the required key '{e.loc[-1]}'",
        f"add `{e.loc[-1]}:`" + (f" ({desc.rstrip('.')})" if desc else ""),
        at=e.loc[:-1],
    )


def _unknown_key(e: _Error) -> Problem:
    model = _model_at(e.loc[:-1], e.root)
    allowed = sorted(model.model_fields) if model else []
    name = str(e.loc[-1])
    hint = "YAML merge keys (<<) are not used in case files; write the keys out. " if name == "<<" else ""
    return e.problem(
        "unknown-key",
        f"unknown key {quote(name)} " + (f"in {_dotted(e.loc[:-1])}" if e.loc[:-1] else "at the top level"),
        hint + _suggest(name, allowed, "allowed keys here: " + ", ".join(allowed)),
        key=True,
    )


def _empty(e: _Error) -> Problem:
    desc = _field_description(e.loc, e.root)
    optional = not _required(e.loc, e.root)
    if e.source:  # null, Null or ~: YAML's word for nothing
        return e.problem(
            "needs-quotes",
            f"{e.where}: YAML read `{_shown_source(e.source)}` as nothing (an empty value)",
            f"if you mean the word, write it in quotes: {_quoted_yaml(e.source)}"
            + (", or delete the key" if optional else ""),
        )
    return e.problem(
        "empty-value",
        f"{e.where} is empty",
        f"fill in {e.where}"
        + (f": {desc[0].lower()}{desc[1:].rstrip('.')}" if desc else "")
        + (", or delete the key if it is optional" if optional else ""),
    )


#: Words YAML 1.1 read as booleans; the casebook reads YAML 1.2, where they are text.
_OLD_BOOLEANS = frozenset({"yes", "no", "on", "off", "y", "n", "true", "false"})


def _not_allowed(e: _Error) -> Problem:
    options = _literal_options(e.ctx.get("expected", ""))
    written = e.source if e.source is not None else e.given
    fix = _suggest(str(written), options, "use one of: " + ", ".join(options) + e.alternatives())
    if "true or false" in e.alternatives() and isinstance(e.given, str) and e.given.strip().lower() in _OLD_BOOLEANS:
        # One of the union's parts is a boolean: say how YAML reads booleans.
        if e.given.strip() in ("true", "false"):
            fix = f"remove the quotes: write {e.given.strip()}"
        else:
            fix = (
                f"write true or false (or one of: {', '.join(options)}); YAML reads only true and false as "
                f"booleans, so {quote(e.given)} is text"
            )
    return e.problem("unknown-value", f"{e.where}: {quote(written)} is not an allowed value", fix)


def _wrong_type(e: _Error) -> Problem:
    word = _TYPE_WORDS[e.kind]
    if e.kind == "string_type" and e.source is not None:
        return _needs_quotes(e)
    if isinstance(e.given, float) and not math.isfinite(e.given):
        return _not_finite(e)
    return e.problem("wrong-type", f"{e.where} should be {word}, not {e.shown}", _type_fix(e, word))


def _union_type(e: _Error) -> Problem:
    words = list(e.ctx.get("expected") or [])
    if "text" in words and e.source is not None:
        return _needs_quotes(e)
    word = " or ".join(words)
    return e.problem("wrong-type", f"{e.where} should be {word}, not {e.shown}", f"write {e.where} as {word}")


def _needs_quotes(e: _Error) -> Problem:
    return e.problem(
        "needs-quotes",
        f"{e.where}: YAML read `{_shown_source(str(e.source))}` as {_what(e.given, None)}, but text is needed here",
        f"write it in quotes: {_quoted_yaml(str(e.source))}",
    )


def _type_fix(e: _Error, word: str) -> str:
    given = e.given
    if e.kind.startswith("bool") and isinstance(given, str):
        if given.strip() in ("true", "false"):
            return f"remove the quotes: write {given.strip()}"
        return f"write true or false; YAML reads only true and false as booleans, so {quote(given)} is text"
    if e.kind.startswith(("int", "float")) and isinstance(given, str):
        example = "2004" if e.kind.startswith("int") else "12.5"
        try:
            number = float(given)
        except ValueError:
            number = math.nan
        if math.isfinite(number):
            return f"remove the quotes: write {given.strip()}"
        return f"write {word} such as {example}, with no units or other text"
    if e.kind.startswith("int") and isinstance(given, float):
        return "write a whole number, such as 2004"
    if e.kind == "list_type":
        return f"write {e.where} as a list: `- item` lines under the key, or [a, b] on one line"
    if word == "a mapping of keys":
        return f"write {e.where} as `key: value` lines, indented under its key"
    return f"write {e.where} as {word}"


def _bad_format(e: _Error) -> Problem:
    odd = next((c for c in str(e.given) if not c.isascii() or not c.isprintable()), None)
    named = f" (it contains {char_name(odd)})" if odd else ""
    return e.problem(
        "bad-format",
        f"{e.where}: {quote(e.given, ascii_only=True)} is not in the expected form{named}",
        _format_fix(e.loc),
    )


def _unknown_code(e: _Error) -> Problem:
    """A code of the right shape that its standard (ISO 4217, ISO 3166-2) does not have."""
    return e.problem("bad-format", f"{e.where}: {e.text}", _format_fix(e.loc))


def _bad_url(e: _Error) -> Problem:
    if e.kind == "url_userinfo":
        return e.problem(
            "bad-url",
            f"{e.where}: {quote(e.given)} has a name before @, which disguises the real site",
            "write the address of the page itself, with nothing before @",
        )
    if e.kind == "url_host_dot":
        host = urlsplit(str(e.given)).hostname or ""
        return e.problem(
            "bad-url",
            f"{e.where}: {quote(e.given)} has a dot at the end of its host name",
            f"remove the dot after {host.rstrip('.')}" if host else "remove the dot at the end of the host name",
        )
    if e.kind == "url_private":
        return e.problem(
            "bad-url",
            f"{e.where}: {quote(e.given)} points at this computer or a private network, which readers cannot reach",
            "write the public address where you read the source",
        )
    reason = "is not an http:// or https:// address" if e.kind == "url_scheme" else "is not a web address"
    if e.kind == "url_too_long":
        reason = "is too long for a web address"
    return e.problem(
        "bad-url",
        f"{e.where}: {quote(e.given)} {reason}",
        "write the full address of the page where you read the source, starting with https://",
    )


def _bad_date(e: _Error) -> Problem:
    written = e.source if e.source is not None else e.given
    if e.kind == "date_value":
        message = f"{e.where}: {quote(written)} is not a date that exists ({e.ctx.get('reason', '')})"
    else:
        message = f"{e.where}: {quote(written)} is not a date written year-month-day"
    return e.problem("bad-date", message, "write a date that exists as YYYY-MM-DD, such as 2026-02-28")


def _not_finite(e: _Error) -> Problem:
    written = f"`{_shown_source(e.source)}`" if e.source else quote(e.given)
    return e.problem(
        "not-finite",
        f"{e.where}: {written} is not a finite number (YAML reads .nan as not-a-number and .inf as infinity)",
        "write the figure from your source, such as 12.5, or delete the key if there is none",
    )


def _too_few(e: _Error) -> Problem:
    need = e.ctx.get("min_length", 1)
    what = ("character" if e.kind == "string_too_short" else "item") + ("s" if need != 1 else "")
    return e.problem(
        "too-few",
        f"{e.where} needs at least {need} {what}" + (" (it is empty)" if not e.given else ""),
        f"add at least {need} {what} to {e.where}" if e.kind == "too_short" else f"fill in {e.where}",
    )


def _out_of_range(e: _Error) -> Problem:
    limit = _LIMITS[e.kind].format(**e.ctx) + e.alternatives()
    if e.kind == "string_too_long":
        return e.problem("out-of-range", f"{e.where} is too long ({len(e.given)} characters): {_short(e.given)}", limit)
    return e.problem("out-of-range", f"{e.where}: {_short(e.given)} is out of range", limit)


def _value_error(e: _Error) -> Problem:
    message = str(e.ctx.get("error", e.text))
    code, fix = next((v for prefix, v in _VALUE_ERRORS.items() if message.startswith(prefix)), ("wrong-type", None))
    return e.problem(code, f"{e.where}: {message}", fix or CODES[code].fix)


_HANDLERS: list[tuple[Iterable[str], Callable[[_Error], Problem]]] = [
    (("literal_error", "enum"), _not_allowed),
    (("union_type",), _union_type),
    (_DATE_ERRORS, _bad_date),
    (_URL_ERRORS, _bad_url),
    (("finite_number",), _not_finite),
    (_TYPE_WORDS, _wrong_type),
    (("string_pattern_mismatch",), _bad_format),
    (("currency_code", "subdivision_code"), _unknown_code),
    (("too_short", "string_too_short"), _too_few),
    (_LIMITS, _out_of_range),
    (("value_error",), _value_error),
]


def _what(value: Any, source: str | None) -> str:
    """A value as a contributor would recognize it: 'the number 12', "text 'abc'"."""
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        shown = {math.inf: "infinity", -math.inf: "minus infinity"}.get(value, repr(value))
        return "not-a-number" if value != value else f"the number {shown}"
    if isinstance(value, str):
        return f"text {quote(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping of keys"
    return "nothing"


def _quoted_yaml(text: str) -> str:
    """``text`` as a quoted YAML scalar (invisible characters shown escaped)."""
    return quote(text.replace("'", "''"), limit=200)


def _shown_source(text: str) -> str:
    """A scalar as it was written, between backticks, with invisible characters escaped."""
    return quote(text, limit=200)[1:-1]


def _short(value: Any) -> str:
    if isinstance(value, str):
        return quote(value)
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
    if name in ("currency",):
        return "use a three-letter ISO 4217 code in capitals, such as USD, EUR, GBP or KES"
    if name == "subdivisions":
        return "use an ISO 3166-2 code: the country code, a hyphen and the subdivision, such as GB-SCT or IN-KL"
    return "use lower-case letters a-z, digits and single hyphens, such as boston-police"


# --- Rules about one case beyond the schema ----------------------------------------------------------


def _case_problems(raw: RawCase) -> Iterator[Problem]:
    """Rules about one case beyond the schema. They read the raw data and tolerate any shape."""
    data = raw.data
    case_id = data.get("id")
    same_stem = isinstance(case_id, str) and case_id == raw.path.stem
    if isinstance(case_id, str) and raw.path.name != f"{case_id}.yaml" and (same_stem or _SLUG.fullmatch(case_id)):
        if same_stem:  # x.yml, x.YAML: the site's links name the file x.yaml
            message = (
                f"the file {quote(raw.path.name)} must be named {case_id}.yaml: the site's edit link and "
                "`casebook analyze` find a case by that name"
            )
            fix = f"rename the file to {case_id}.yaml"
        else:  # an id that is not a slug is bad-format instead
            message = f"id {quote(case_id, ascii_only=True)} differs from the file name {quote(raw.path.name)}"
            fix = (f"set id: {_bare(raw.path.stem)}, or rename" if _SLUG.fullmatch(raw.path.stem) else "rename") + (
                f" the file to {_bare(case_id)}.yaml"
            )
        line, col = raw.position(("id",))
        yield Problem(raw.display, line, col, "id-mismatch", message, fix)
    if case_id in RESERVED_IDS:
        line, col = raw.position(("id",))
        yield Problem(
            raw.display,
            line,
            col,
            "reserved-id",
            f"the id {quote(case_id)} is the address of a page the site generates",
            f"choose another id and rename the file, such as {case_id}-{raw.path.parent.name or 'case'}",
        )
    yield from _years_order(raw, data.get("years"))
    yield from _countries(raw, data)
    yield from _mixed_scripts(raw, data)
    yield from _subdivisions(raw, data)
    yield from _related_cases(raw, data)
    yield from _references(raw, data)
    yield from _dates_after_review(raw, data)


#: Scripts whose letters look alike (UTS #39 confusables): a word mixing them is a likely spoof.
_LOOKALIKE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


def mixed_script_letter(text: str) -> str | None:
    """The first letter of a word that mixes Latin, Cyrillic and Greek letters (a look-alike), or None.

    >>> mixed_script_letter("Operation Ceasefire"), mixed_script_letter("Bost\u043en"), mixed_script_letter("Москва")
    (None, 'о', None)
    """
    if text.isascii():  # ASCII letters are all Latin
        return None
    for word in re.findall(r"\w+", text):
        letters = [(c, unicodedata.name(c, "").split(" ")[0]) for c in word if c.isalpha()]
        letters = [(c, script) for c, script in letters if script in _LOOKALIKE_SCRIPTS]
        if letters:
            first = letters[0][1]
            odd = next((c for c, script in letters if script != first), None)
            if odd:
                return odd
    return None


def _mixed_scripts(raw: RawCase, data: dict[str, Any]) -> Iterator[Problem]:
    """Titles and names do not mix look-alike scripts in one word (a Cyrillic О among Latin letters)."""
    places: list[tuple[DataPath, Any]] = [(("title",), data.get("title"))]
    for i, actor in enumerate(_list(data.get("actors"))):
        if isinstance(actor, dict):
            places += [(("actors", i, key), actor.get(key)) for key in ("name", "short_name")]
    for path, text in places:
        letter = mixed_script_letter(text) if isinstance(text, str) else None
        if letter:
            line, col = raw.position(path)
            yield Problem(
                raw.display,
                line,
                col,
                "mixed-script",
                f"{_dotted(path)} mixes scripts in one word: {char_name(letter)} among letters of another script",
                "retype the word in one script; a look-alike letter makes two names seem the same",
            )


def _subdivisions(raw: RawCase, data: dict[str, Any]) -> Iterator[Problem]:
    """Each subdivision lies in one of the case's countries."""
    countries = {c for c in _list(data.get("countries")) if isinstance(c, str)}
    for i, code in enumerate(_list(data.get("subdivisions"))):
        if isinstance(code, str) and _SUBDIVISION.fullmatch(code) and countries and code[:2] not in countries:
            line, col = raw.position(("subdivisions", i))
            yield Problem(
                raw.display,
                line,
                col,
                "subdivision-country",
                f"subdivisions[{i}] {quote(code)} is in {code[:2]}, which is not among the countries",
                f"add {code[:2]} to countries:, or correct the subdivision code",
            )


def _related_cases(raw: RawCase, data: dict[str, Any]) -> Iterator[Problem]:
    """Each related case is another file in the same folder."""
    for i, item in enumerate(_list(data.get("related"))):
        other = item.get("case") if isinstance(item, dict) else None
        if not isinstance(other, str) or not _SLUG.fullmatch(other):
            continue  # the schema reports a missing or malformed id
        path: DataPath = ("related", i, "case")
        if other == data.get("id"):
            line, col = raw.position(path)
            yield Problem(
                raw.display,
                line,
                col,
                "unknown-case",
                f"{_dotted(path)} is this case itself",
                "name another case, or remove the entry",
            )
        elif not (raw.path.parent / f"{other}.yaml").is_file():
            line, col = raw.position(path)
            known = sorted(p.stem for p in raw.path.parent.glob("*.yaml"))
            yield Problem(
                raw.display,
                line,
                col,
                "unknown-case",
                f"{_dotted(path)} {quote(other)} is not a case in {quote(raw.path.parent.name + '/')}",
                _suggest(other, known, f"use the file name of a case in {raw.path.parent.name}/, without .yaml"),
            )


def _dated(data: dict[str, Any]) -> Iterator[tuple[DataPath, Any]]:
    """Every date of something that happened: timeline events, actors' changes, the deal's and agreements' dates."""
    for i, event in enumerate(_list(data.get("timeline"))):
        if isinstance(event, dict):
            yield ("timeline", i, "date"), event.get("date")
    for i, actor in enumerate(_list(data.get("actors"))):
        for j, change in enumerate(_list(actor.get("changes") if isinstance(actor, dict) else None)):
            if isinstance(change, dict):
                yield ("actors", i, "changes", j, "date"), change.get("date")
    if isinstance(data.get("deal"), dict):
        yield ("deal", "ended"), data["deal"].get("ended")
    for i, agreement in enumerate(_list(data.get("agreements"))):
        if isinstance(agreement, dict):
            yield ("agreements", i, "agreed"), agreement.get("agreed")
            yield from ((("agreements", i, "amended", j), d) for j, d in enumerate(_list(agreement.get("amended"))))
            yield ("agreements", i, "ended"), agreement.get("ended")


def _first_day(value: Any) -> datetime.date | None:
    """The first day a date of the schema (a year, a year and month, or a day) can mean; None if it is not one."""
    match = re.fullmatch(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?", str(value)) if value is not None else None
    if match is None or isinstance(value, bool):
        return None
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None  # the schema reports a date that is not in the calendar


def _within(day: datetime.date, limit: Any) -> bool:
    """Whether ``day`` meets one of a field's limits (an annotated-types ``Ge`` or ``Le``; others are met)."""
    ge, le = getattr(limit, "ge", None), getattr(limit, "le", None)
    return (ge is None or day >= ge) and (le is None or day <= le)


def _dates_after_review(raw: RawCase, data: dict[str, Any]) -> Iterator[Problem]:
    """No event is dated after ``last_reviewed`` (what happened cannot be in the future of the review).

    Dates before ``years.start`` or after ``years.end`` are allowed: antecedents and later evaluations.
    """
    reviewed = _first_day(data.get("last_reviewed"))
    limits = Case.model_fields["last_reviewed"].metadata  # the schema's range (ge, le): outside it, it reports
    if reviewed is None or len(str(data.get("last_reviewed"))) != 10 or not all(_within(reviewed, m) for m in limits):
        return  # no review date, or the schema reports it
    for path, value in _dated(data):
        first = _first_day(value)
        if first is not None and first > reviewed:
            line, col = raw.position(path)
            yield Problem(
                raw.display,
                line,
                col,
                "after-review",
                f"{_dotted(path)} {value} is after the case was last reviewed ({reviewed.isoformat()})",
                "correct the date from the source, or update last_reviewed: if the case was checked again since",
            )
    yield from _notes_after_review(raw, data, reviewed)


#: The day a note says its source was read: a full ISO date shortly after "read", "checked", "accessed"... ("Read
#: via a search excerpt on 2026-11-30"). Other dates in a note (a deadline, a date in an address) are not reading
#: dates. The gap is bounded and lazy, so a long note costs one short scan per word that could start a match.
_DAY_IN_TEXT = re.compile(
    r"\b(?:read|checked|accessed|retrieved|consulted|visited|verified|seen)\b[^.;]{0,60}?"
    r"(?<![0-9])([0-9]{4}-[0-9]{2}-[0-9]{2})(?![0-9])",
    re.IGNORECASE,
)


def _notes_after_review(raw: RawCase, data: dict[str, Any], reviewed: datetime.date) -> Iterator[Problem]:
    """Sources' notes that say they were read after ``last_reviewed`` ("read on 2026-11-30"): the sources were
    checked after the day the case says it was last checked, so that day is out of date (and the case's citation
    and feed with it). Only reading dates count (``_DAY_IN_TEXT``), not a deadline or a date in an address.
    One problem a file, at the note with the latest day: one change to ``last_reviewed`` fixes them all."""
    later: list[tuple[str, int]] = []
    for i, source in enumerate(_list(data.get("sources"))):
        note = source.get("note") if isinstance(source, dict) else None
        if isinstance(note, str) and "-" in note:
            days = [d for d in _DAY_IN_TEXT.findall(note) if (day := _first_day(d)) is not None and day > reviewed]
            later.extend((d, i) for d in days)
    if not later:
        return
    day, i = max(later)
    others = len({n for _, n in later}) - 1
    line, col = raw.position(("sources", i, "note"))
    limits = [m.le for m in Case.model_fields["last_reviewed"].metadata if getattr(m, "le", None)]
    if limits and _first_day(day) > min(limits):  # no review date can follow it: the note is wrong
        fix = f"correct the date in the note: last_reviewed: can be at most {min(limits).isoformat()}"
    else:
        fix = f"set last_reviewed: to the day the case was last checked against its sources ({day} or later)"
    also = "; so is one other source note" if others == 1 else f"; so are {others} other source notes" if others else ""
    yield Problem(
        raw.display,
        line,
        col,
        "after-review",
        f"sources[{i}].note is dated {day}, after the case was last reviewed ({reviewed.isoformat()}){also}",
        fix,
    )


def _years_order(raw: RawCase, years: Any) -> Iterator[Problem]:
    """The end year is not before the start year."""
    if isinstance(years, dict):
        start, end = years.get("start"), years.get("end")
        in_range = [y for y in (start, end) if _is_int(y) and 1800 <= y <= 2100]  # else out-of-range says enough
        if len(in_range) == 2 and end < start:
            line, col = raw.position(("years", "end"))
            yield Problem(
                raw.display,
                line,
                col,
                "years-order",
                f"years.end ({end}) is before years.start ({start})",
                "swap the years, or correct the one that is wrong",
            )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _countries(raw: RawCase, data: dict[str, Any]) -> Iterator[Problem]:
    """Every country code is in ISO 3166-1."""
    countries = [(("countries", i), c) for i, c in enumerate(_list(data.get("countries")))]
    countries += [
        (("actors", i, "country"), a.get("country"))
        for i, a in enumerate(_list(data.get("actors")))
        if isinstance(a, dict) and "country" in a
    ]
    for path, code in countries:
        if isinstance(code, str) and len(code) == 2 and code.isascii() and code.isupper():
            if pycountry.countries.get(alpha_2=code) is None:
                line, col = raw.position(path)
                yield Problem(
                    raw.display,
                    line,
                    col,
                    "unknown-country",
                    f"{quote(code)} is not an ISO 3166-1 country code",
                    "use the two-letter code, for example GB for the United Kingdom",
                )


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


# --- References inside one file ------------------------------------------------------------------


class References:
    """Checks that the ids a file uses are declared in it, and that declared ids are unique.

    Plain data in, problems out; any shape is tolerated (the schema reports wrong
    shapes). Shared by cases and situations (``noun`` names which in messages).
    """

    def __init__(self, raw: RawCase, actors: Any, sources: Any = None, noun: str = "case"):
        self.raw = raw
        self.noun = noun
        self.actors: dict[str, dict[str, Any]] = {}
        for actor in _list(actors):
            if isinstance(actor, dict) and isinstance(actor.get("id"), str):
                self.actors.setdefault(actor["id"], actor)  # the first declaration counts; the second is reported
        self.actor_ids = sorted(self.actors)
        self.source_ids = sorted(_ids(sources))
        self.source_set = frozenset(self.source_ids)
        # An id the schema rejects (Hospital, b\u043eard) is reported once there; references to what it was meant
        # to be are not reported again.
        self.actors_malformed = _malformed(self.actor_ids)
        self.sources_malformed = _malformed(self.source_ids)
        #: (actor id, "assets" or "purposes") -> (its ids sorted, as a set, whether any is malformed), once known.
        self._owned: dict[tuple[str, str], tuple[list[str], frozenset[str], bool]] = {}

    def problem(self, path: DataPath, code: str, message: str, fix: str) -> Problem:
        line, col = self.raw.position(path)
        return Problem(self.raw.display, line, col, code, message, fix)

    # The checks below return a tuple or a list (empty when all is well: nearly always) instead of being
    # generators: a rules pass calls them about 300 times a file, and with the ids of each actor sorted once
    # (``_owned``) the rules take about 7 % less time. Callers ``yield from`` them all the same.

    def duplicates(self, items: Any, base: DataPath, what: str) -> Sequence[Problem]:
        """Each id in the list ``items`` is declared once."""
        if not isinstance(items, list):
            return ()
        seen: dict[str, int] = {}
        found: list[Problem] = []
        for i, item in enumerate(items):
            ident = item.get("id") if isinstance(item, dict) else None
            if not isinstance(ident, str):
                continue
            if ident in seen:
                first = self.raw.position(base + (seen[ident], "id"))[0]
                found.append(
                    self.problem(
                        base + (i, "id"),
                        "duplicate-id",
                        f"{what} id {quote(ident, ascii_only=True)} is used twice (first on line {first})",
                        "rename one of them",
                    )
                )
            else:
                seen[ident] = i
        return found

    def declared_ids(self, actors: Any) -> Iterator[Problem]:
        """Actors are unique, and so are the purposes and assets of each actor."""
        yield from self.duplicates(actors, ("actors",), "actor")
        for i, actor in enumerate(_list(actors)):
            if isinstance(actor, dict):
                yield from self.duplicates(actor.get("purposes"), ("actors", i, "purposes"), "purpose")
                yield from self.duplicates(actor.get("assets"), ("actors", i, "assets"), "asset")

    def actor(self, value: Any, path: DataPath) -> Sequence[Problem]:
        """``value`` names a declared actor."""
        # With no usable actors, every reference would be reported; the schema problem says enough.
        if not isinstance(value, str) or value in self.actors or not self.actor_ids or self.actors_malformed:
            return ()
        return (
            self.problem(
                path,
                "unknown-actor",
                f"{_dotted(path)} {quote(value, ascii_only=True)} is not an actor in this {self.noun}",
                _suggest(
                    value,
                    self.actor_ids,
                    f"use one of: {_listed(self.actor_ids)}, or add an actor with id: {_bare(value)} under actors:",
                ),
            ),
        )

    def actor_list(self, values: Any, path: DataPath) -> Sequence[Problem]:
        if not isinstance(values, list):
            return ()
        found: list[Problem] = []
        for j, who in enumerate(values):
            if isinstance(who, str) and who not in self.actors:
                found.extend(self.actor(who, path + (j,)))
        return found

    def sources(self, value: Any, path: DataPath) -> Sequence[Problem]:
        """Every item of the list ``value`` names a declared source."""
        if not isinstance(value, list) or not self.source_ids or self.sources_malformed:
            return ()
        found: list[Problem] = []
        for j, ref in enumerate(value):
            if isinstance(ref, str) and ref not in self.source_set:
                found.append(
                    self.problem(
                        path + (j,),
                        "unknown-source",
                        f"{_dotted(path + (j,))} {quote(ref, ascii_only=True)} is not a source in this {self.noun}",
                        _suggest(
                            ref,
                            self.source_ids,
                            f"use one of: {_listed(self.source_ids)}, or add a source with id: {_bare(ref)} under sources:",
                        ),
                    )
                )
        return found

    def owned(self, actor_id: Any, value: Any, key: str, path: DataPath) -> Sequence[Problem]:
        """``value`` names one of the ``key`` (assets or purposes) of actor ``actor_id``."""
        if not isinstance(value, str) or not isinstance(actor_id, str) or actor_id not in self.actors:
            return ()
        known = self._owned.get((actor_id, key))
        if known is None:
            declared = self.actors[actor_id].get(key)
            if not isinstance(declared, list):  # missing or of the wrong shape: the schema problem says enough
                return ()
            ids = sorted(_ids(declared))
            known = self._owned[actor_id, key] = (ids, frozenset(ids), _malformed(ids))
        owned, owned_set, malformed = known
        if value in owned_set or malformed:
            return ()
        what = key[:-1]
        return (
            self.problem(
                path,
                f"unknown-{what}",
                f"{_dotted(path)} {quote(value, ascii_only=True)} is not {'an' if what[0] in 'aeiou' else 'a'} "
                f"{what} of actor {quote(actor_id, ascii_only=True)}",
                _suggest(
                    value,
                    owned,
                    (f"use one of: {_listed(owned)}, or " if owned else "")
                    + f"add it under {key}: of actor {quote(actor_id, ascii_only=True)}",
                ),
            ),
        )

    def link(self, edge: dict[str, Any], base: DataPath) -> Iterator[Problem]:
        """An edge (interdependency or link of help) joins an asset and a purpose of two different actors."""
        yield from self.actor(edge.get("holder"), base + ("holder",))
        yield from self.actor(edge.get("target"), base + ("target",))
        yield from self.owned(edge.get("holder"), edge.get("asset"), "assets", base + ("asset",))
        yield from self.owned(edge.get("target"), edge.get("purpose"), "purposes", base + ("purpose",))
        holder = edge.get("holder")
        if isinstance(holder, str) and holder == edge.get("target"):
            yield self.problem(
                base + ("target",),
                "self-interdependency",
                f"{_dotted(base)} runs from {quote(holder)} to itself",
                "point target: at another actor, or remove the entry",
            )


_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


def _ids(items: Any) -> list[str]:
    return [x["id"] for x in _list(items) if isinstance(x, dict) and isinstance(x.get("id"), str)]


def _malformed(ids: Iterable[str]) -> bool:
    return any(not _SLUG.fullmatch(i) for i in ids)


def _bare(ident: str) -> str:
    """An id in a fix, escaped like a quoted one but without the quotes."""
    return quote(ident, ascii_only=True)[1:-1]


def _listed(ids: Iterable[str]) -> str:
    """The ids as a list for a fix, each once (a duplicated id, itself a problem, is not offered twice)."""
    return ", ".join(_bare(i) for i in dict.fromkeys(ids))


def _references(raw: RawCase, data: dict[str, Any]) -> Iterator[Problem]:
    """Every id a case uses is declared in it, and every declared id is unique."""
    refs = References(raw, data.get("actors"), data.get("sources"))
    yield from refs.declared_ids(data.get("actors"))
    yield from refs.duplicates(data.get("sources"), ("sources",), "source")
    yield from refs.duplicates(data.get("interdependencies"), ("interdependencies",), "interdependency")
    yield from refs.duplicates(data.get("timeline"), ("timeline",), "event")
    yield from refs.duplicates(data.get("claims"), ("claims",), "claim")
    for i, actor in enumerate(_list(data.get("actors"))):
        if isinstance(actor, dict):
            yield from refs.sources(actor.get("sources"), ("actors", i, "sources"))
            yield from _actor_structure(refs, actor, ("actors", i))
    yield from _interdependency_references(refs, data.get("interdependencies"))
    yield from _process_references(refs, data.get("process"))
    yield from _deal_references(refs, data.get("deal"))
    yield from _party_references(refs, data)
    yield from _claim_references(refs, data)
    yield from _agreement_references(refs, data)
    yield from _bundles(refs, data.get("interdependencies"))
    yield from _event_references(refs, data)


def _interdependency_references(refs: References, edges: Any) -> Iterator[Problem]:
    """Each interdependency joins declared actors, assets and purposes, and cites declared sources."""
    for i, edge in enumerate(_list(edges)):
        if isinstance(edge, dict):
            base: DataPath = ("interdependencies", i)
            yield from refs.link(edge, base)
            yield from refs.actor_list(edge.get("recognized_by"), base + ("recognized_by",))
            yield from refs.sources(edge.get("sources"), base + ("sources",))


def _process_references(refs: References, process: Any) -> Iterator[Problem]:
    """Stages name declared actors (mechanisms, conveners, stakes) and cite declared sources."""
    if not isinstance(process, dict):
        return
    for name, stage in process.items():
        if not isinstance(stage, dict):
            continue
        base: DataPath = ("process", name)
        yield from refs.sources(stage.get("sources"), base + ("sources",))
        for j, mech in enumerate(_list(stage.get("mechanisms"))):
            if isinstance(mech, dict):
                yield from refs.actor_list(mech.get("actors"), base + ("mechanisms", j, "actors"))
        yield from refs.actor_list(stage.get("conveners"), base + ("conveners",))
        for j, stake in enumerate(_list(stage.get("stakes"))):
            if isinstance(stake, dict):
                yield from refs.actor(stake.get("actor"), base + ("stakes", j, "actor"))
                yield from refs.sources(stake.get("sources"), base + ("stakes", j, "sources"))


def _deal_references(refs: References, deal: Any, base: DataPath = ("deal",)) -> Iterator[Problem]:
    """The deal (or a further agreement at ``base``) cites declared sources, and each commitment names a
    declared actor and assets that actor holds."""
    if not isinstance(deal, dict):
        return
    yield from refs.sources(deal.get("sources"), base + ("sources",))
    for j, com in enumerate(_list(deal.get("commitments"))):
        if isinstance(com, dict):
            at: DataPath = base + ("commitments", j)
            yield from refs.actor(com.get("actor"), at + ("actor",))
            for k, asset in enumerate(_list(com.get("assets"))):
                yield from refs.owned(com.get("actor"), asset, "assets", at + ("assets", k))


def _event_references(refs: References, data: dict[str, Any]) -> Iterator[Problem]:
    """Stages, the deal, outcomes and interdependencies that point at timeline events name declared ones; actors'
    dated changes cite declared sources."""
    declared = sorted(_ids(data.get("timeline")))
    pointers: list[tuple[Any, DataPath]] = []
    process = data.get("process")
    for name, stage in process.items() if isinstance(process, dict) else []:
        if isinstance(stage, dict):
            pointers += [(v, ("process", name, "events", k)) for k, v in enumerate(_list(stage.get("events")))]
    deal = data.get("deal")
    if isinstance(deal, dict):
        pointers += [(v, ("deal", "events", k)) for k, v in enumerate(_list(deal.get("events")))]
    for j, outcome in enumerate(_list(data.get("outcomes"))):
        if isinstance(outcome, dict):
            pointers += [(v, ("outcomes", j, "events", k)) for k, v in enumerate(_list(outcome.get("events")))]
    for i, edge in enumerate(_list(data.get("interdependencies"))):
        if isinstance(edge, dict) and "seen_at" in edge:
            pointers.append((edge.get("seen_at"), ("interdependencies", i, "seen_at")))
    yield from _dangling(
        refs, pointers, declared, "unknown-event", "an event on this case's timeline", "add the event under timeline:"
    )
    for i, actor in enumerate(_list(data.get("actors"))):
        if isinstance(actor, dict):
            for k, change in enumerate(_list(actor.get("changes"))):
                if isinstance(change, dict):
                    yield from refs.sources(change.get("sources"), ("actors", i, "changes", k, "sources"))


def _bundles(refs: References, edges: Any) -> Iterator[Problem]:
    """The members of a bundle of complements help the same purpose of the same actor, and are two or more."""
    members: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for i, edge in enumerate(_list(edges)):
        if isinstance(edge, dict) and isinstance(edge.get("bundle"), str):
            members.setdefault(edge["bundle"], []).append((i, edge))
    for name, group in members.items():
        first_i, first = group[0]
        if len(group) == 1:
            yield refs.problem(
                ("interdependencies", first_i, "bundle"),
                "bundle",
                f"interdependencies[{first_i}].bundle {quote(name, ascii_only=True)} has no other member",
                "give the same bundle id to the interdependencies that help only together with this one, "
                "or remove bundle:",
            )
        for i, edge in group[1:]:
            if (edge.get("target"), edge.get("purpose")) != (first.get("target"), first.get("purpose")):
                yield refs.problem(
                    ("interdependencies", i, "bundle"),
                    "bundle",
                    f"interdependencies[{i}] is in bundle {quote(name, ascii_only=True)} but helps another purpose "
                    f"than interdependencies[{first_i}]",
                    "complements help one purpose of one actor together: match target: and purpose:, "
                    "or use another bundle id",
                )


def _agreement_references(refs: References, data: dict[str, Any]) -> Iterator[Problem]:
    """Further agreements name declared parties and cite declared sources; interdependencies and timeline events
    that point at an agreement name a declared one."""
    agreements = _list(data.get("agreements"))
    yield from refs.duplicates(agreements, ("agreements",), "agreement")
    for j, agreement in enumerate(agreements):
        if isinstance(agreement, dict):
            base: DataPath = ("agreements", j)
            yield from _deal_references(refs, agreement, base)
            for key in ("parties", "ended_by"):
                yield from refs.actor_list(agreement.get(key), base + (key,))
    declared = sorted(_ids(agreements))
    pointers: list[tuple[Any, DataPath]] = []
    for i, edge in enumerate(_list(data.get("interdependencies"))):
        if isinstance(edge, dict):
            pointers += [
                (v, ("interdependencies", i, "realized_by", k)) for k, v in enumerate(_list(edge.get("realized_by")))
            ]
    for i, event in enumerate(_list(data.get("timeline"))):
        if isinstance(event, dict) and "agreement" in event:
            pointers.append((event.get("agreement"), ("timeline", i, "agreement")))
    yield from _dangling(
        refs,
        pointers,
        declared,
        "unknown-agreement",
        "an agreement in this case",
        "add it under agreements: (the main deal needs no id; leave it out)",
    )


def _dangling(
    refs: References, pointers: list[tuple[Any, DataPath]], declared: list[str], code: str, what: str, add: str
) -> Iterator[Problem]:
    """One problem for each pointer (value, path) whose value is not among the ``declared`` ids."""
    for value, path in pointers:
        if isinstance(value, str) and value not in declared:
            yield refs.problem(
                path,
                code,
                f"{_dotted(path)} {quote(value, ascii_only=True)} is not {what}",
                _suggest(value, declared, (f"use one of: {_listed(declared)}, or " if declared else "") + add),
            )


def _actor_structure(refs: References, actor: dict[str, Any], base: DataPath) -> Iterator[Problem]:
    """``part_of`` and ``members`` name other declared actors, and no actor contains itself."""
    yield from refs.actor(actor.get("part_of"), base + ("part_of",))
    yield from refs.actor_list(actor.get("members"), base + ("members",))
    ident = actor.get("id")
    chain, current = [ident], actor.get("part_of")
    while isinstance(current, str) and current in refs.actors and current not in chain:
        chain.append(current)
        current = refs.actors[current].get("part_of")
    # A loop is reported once, at the actor with the first id in it.
    if current == ident and isinstance(ident, str) and ident == min(str(a) for a in chain):
        yield refs.problem(
            base + ("part_of",),
            "part-of-cycle",
            f"{_dotted(base + ('part_of',))}: {quote(ident, ascii_only=True)} ends up part of itself "
            f"({' → '.join(str(a) for a in [*chain, ident])})",
            "point part_of: at the larger organization, never back down the chain",
        )
    if isinstance(ident, str) and ident in _list(actor.get("members")):
        yield refs.problem(
            base + ("members",),
            "part-of-cycle",
            f"{_dotted(base + ('members',))}: a coalition cannot be its own member",
            "list only the other actors that belong to the coalition",
        )


def _claim_references(refs: References, data: dict[str, Any]) -> Iterator[Problem]:
    """Claims, and the evidence behind outcomes, name declared actors and cite declared sources."""
    for j, claim in enumerate(_list(data.get("claims"))):
        if isinstance(claim, dict):
            base: DataPath = ("claims", j)
            for key in ("made_by", "disputed_by"):
                yield from refs.actor_list(claim.get(key), base + (key,))
            for key in ("sources_for", "sources_against"):
                yield from refs.sources(claim.get(key), base + (key,))
            yield from _dissent_references(refs, claim.get("dissent"), base + ("dissent",))
    for j, outcome in enumerate(_list(data.get("outcomes"))):
        evidence = outcome.get("evidence") if isinstance(outcome, dict) else None
        if isinstance(evidence, dict):
            base = ("outcomes", j, "evidence")
            yield from refs.actor(evidence.get("measured_by_actor"), base + ("measured_by_actor",))
            yield from _dissent_references(refs, evidence.get("contested"), base + ("contested",))


def _dissent_references(refs: References, dissent: Any, base: DataPath) -> Iterator[Problem]:
    for k, item in enumerate(_list(dissent)):
        if isinstance(item, dict):
            yield from refs.sources(item.get("sources"), base + (k, "sources"))


def _party_references(refs: References, data: dict[str, Any]) -> Iterator[Problem]:
    """Credit moves, counterfactuals, outcomes and timeline events name declared actors and cite declared sources."""
    for key in ("credit", "counterfactuals", "outcomes", "timeline"):
        for j, item in enumerate(_list(data.get(key))):
            if not isinstance(item, dict):
                continue
            if "actor" in item:
                yield from refs.actor(item.get("actor"), (key, j, "actor"))
            for field_name in ("credited", "actors"):
                yield from refs.actor_list(item.get(field_name), (key, j, field_name))
            yield from refs.sources(item.get("sources"), (key, j, "sources"))


# --- Rules across files ----------------------------------------------------------------------------


def cross_file_problems(
    summaries: list[CaseSummary], order: Callable[[CaseSummary], Any] | None = None
) -> list[Problem]:
    """Rules that need the whole corpus: unique ids and titles, one title per source URL.

    Of two files that clash, the later one in ``order`` (default: by shown path) gets the problem.
    """
    problems: list[Problem] = []
    titles: dict[str, str] = {}
    ids: dict[str, str] = {}
    urls: dict[str, tuple[str, str]] = {}
    fold = functools.lru_cache(maxsize=None)(_fold)  # the same source titles recur across cases
    for case in sorted(summaries, key=order or (lambda s: s.display)):
        if case.id in ids:
            line, col = case.position(("id",))
            problems.append(
                Problem(
                    case.display,
                    line,
                    col,
                    "duplicate-case-id",
                    f"case id '{case.id}' is also used by {ids[case.id]}",
                    "rename one of the files and its id:",
                )
            )
        ids.setdefault(case.id, case.display)
        key = fold(case.title)  # 'Café' written with one character or two is one title
        if key in titles:
            line, col = case.position(("title",))
            problems.append(
                Problem(
                    case.display,
                    line,
                    col,
                    "duplicate-title",
                    f"title {quote(case.title)} is also the title of case '{titles[key]}'",
                    "make the titles distinct, for example by adding the place or years",
                )
            )
        else:
            titles[key] = case.id
        for i, (address, source_title) in enumerate(case.sources):
            if address is None:
                continue
            url = address.rstrip("/")
            if url in urls and fold(urls[url][1]) != fold(source_title):
                other_case, other_title = urls[url]
                line, col = case.position(("sources", i, "title"))
                problems.append(
                    Problem(
                        case.display,
                        line,
                        col,
                        "source-title-mismatch",
                        f"{url} is cited as {quote(source_title)} here but as {quote(other_title)} in case '{other_case}'",
                        "use the exact title of the document in both cases",
                    )
                )
            else:
                urls.setdefault(url, (case.id, source_title))
    return problems


def _fold(text: str) -> str:
    """Text as a reader sees it, for comparing titles: compatibility forms folded, case ignored, joiners
    (U+200C, U+200D) dropped and runs of white space made one.

    >>> _fold("Café  Deal") == _fold("cafe\u0301 deal") == _fold("Caf\u200dé Deal")
    True
    """
    text = unicodedata.normalize("NFKC", text).replace("\u200c", "").replace("\u200d", "")
    return " ".join(text.casefold().split())
