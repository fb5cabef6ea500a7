"""The shortcuts of a cold ``casebook validate`` give exactly what the plain code gave.

Each shortcut (see "Cold validation (coldval)" in ``docs/contribute/performance.md``) is checked here against a
plain reference written the way the code was before: reading a file by its size, the remembered display form
of a path, the number-hint screen without regular expressions over digits, the validators built at first use;
and the reference rules inside one case, whose shortcuts were tried and not kept (no gain measured), as a
specification for the next attempt. No timing is asserted.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from builder import load, problems, validate
from builder.load import MAX_BYTES, RawCase, read_file
from builder.model import Case
from builder.problems import display_path
from conftest import DATA, ROOT

REAL = sorted((ROOT / "cases").glob("*.yaml"))


# --- Reading a file by its size --------------------------------------------------------------------


class _Shrunk:
    """``lstat`` of a file as it was before it grew: the real result with ``st_size`` replaced."""

    def __init__(self, real: os.stat_result, size: int):
        self.st_mode, self.st_size = real.st_mode, size


@pytest.mark.parametrize("size", [0, 1, 1000, MAX_BYTES - 10, MAX_BYTES + 5000])
@pytest.mark.parametrize("seen", [0, 5, 999])
def test_a_file_that_grew_after_its_size_was_read_is_read_whole_up_to_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int, seen: int
):
    path = tmp_path / "case.yaml"
    path.write_bytes(b"a" * size)
    real_lstat = Path.lstat
    monkeypatch.setattr(Path, "lstat", lambda self: _Shrunk(real_lstat(self), min(seen, size)))
    data, found = read_file(path)
    assert found == []
    assert data == b"a" * min(size, MAX_BYTES + 1)  # what reading MAX_BYTES + 1 at once gave


def test_read_file_gives_every_case_file_exactly():
    for path in REAL:
        assert read_file(path) == (path.read_bytes(), [])


# --- The display form of a path, remembered ---------------------------------------------------------


def _plain_display(path: Path) -> str:
    """``display_path`` as it was, computed every time."""
    try:
        text = os.path.relpath(os.path.abspath(path), os.path.abspath(os.getcwd()))
        if text.startswith(".."):
            text = str(path)
    except (ValueError, OSError):
        text = str(path)
    if not text.isprintable():
        text = problems.quote(text, limit=len(text))[1:-1]
    return text


def test_display_path_follows_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    inner = tmp_path / "inner"
    inner.mkdir()
    paths = [Path("cases/a.yaml"), tmp_path / "inner" / "b.yaml", inner / "x\u202ey.yaml", Path("/elsewhere/c.yaml")]
    for here in (tmp_path, inner, ROOT):
        monkeypatch.chdir(here)
        for path in paths:
            assert display_path(path) == _plain_display(path)
            assert display_path(str(path)) == _plain_display(path)
    monkeypatch.chdir(inner)
    assert display_path(inner / "b.yaml") == "b.yaml"
    monkeypatch.chdir(tmp_path)
    assert display_path(inner / "b.yaml") == "inner/b.yaml"  # the same path, shown from elsewhere


def test_display_path_without_a_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    assert display_path(Path("a\u202eb.yaml")) == _plain_display(Path("a\u202eb.yaml")) == "a\\u202eb.yaml"
    assert display_path(tmp_path / "c.yaml") == str(tmp_path / "c.yaml")


# --- The number-hint screen -------------------------------------------------------------------------

_NINES = bytes.maketrans(b"0123456789", b"9999999999")
_OLD_HINTS = (re.compile(rb"_9"), re.compile(rb"9_"), re.compile(b"9" * 16))
_OLD_BYTES = (re.compile(rb"0[xXoObB]"), re.compile(rb"\.[iInN][nNaA][fFnN]"))


def _old_number_hint(data: bytes) -> bool:
    """``load._number_hint`` as it was: regular expressions over the digits turned to nines."""
    nines = data.translate(_NINES)
    searches = [(p, nines) for p in _OLD_HINTS] + [(p, data) for p in _OLD_BYTES]
    return any(load._scalar_word(data, m.start(), m.end()) for p, text in searches for m in p.finditer(text))


def test_number_hint_is_the_regular_expressions_it_replaced():
    rng = random.Random(12)
    alphabet = b"0123456789_ _:-,[]{}#\n.aAxXbB+eE/"
    texts = [p.read_bytes() for p in REAL] + [p.read_bytes() for p in sorted((DATA / "hostile").glob("*.yaml"))]
    texts += [bytes(rng.choice(alphabet) for _ in range(rng.randrange(1, 60))) for _ in range(20_000)]
    texts += [b"_", b"1_", b"_1", b"k: 1_000\n", b"k: a_1\n", b"k: 1" * 8 + b"\n", b"k: x" + b"1" * 16, b"0" * 16]
    for data in texts:
        assert load._number_hint(data) == _old_number_hint(data), data[:80]


# --- Rules inside one case ---------------------------------------------------------------------------


def test_duplicate_ids_are_found_with_or_without_the_shortcut():
    refs = validate.References(RawCase(Path("c.yaml"), {}), [])
    cases = {
        "distinct": ([{"id": "a"}, {"id": "b"}], []),
        "twice": ([{"id": "a"}, {"id": "b"}, {"id": "a"}], [("x", 2, "id")]),
        "thrice": ([{"id": "a"}, {"id": "a"}, {"id": "a"}], [("x", 1, "id"), ("x", 2, "id")]),
        "not text": ([{"id": "a"}, {"id": 1}, {"id": "a"}, {"id": 1}], [("x", 2, "id")]),
        "not a mapping": ([{"id": "a"}, "a", ["a"], {"id": "a"}], [("x", 3, "id")]),
        "no id": ([{"name": "a"}, {"id": None}, {"id": "b"}], []),
        "one": ([{"id": "a"}], []),
        "not a list": ({"id": "a"}, []),
    }
    for name, (items, expected) in cases.items():
        found = list(refs.duplicates(items, ("x",), "thing"))
        assert [p.code for p in found] == ["duplicate-id"] * len(expected), name
        assert len(found) == len(expected), name


def test_unknown_assets_and_purposes_are_reported_for_each_reference():
    """Every reference to an actor's asset or purpose is checked on its own, even when asked again."""
    raw = RawCase(Path("c.yaml"), {})
    actors = [
        {"id": "a", "assets": [{"id": "money"}, {"id": "land"}], "purposes": [{"id": "p"}]},
        {"id": "b", "assets": "not a list", "purposes": [{"id": "Bad Id"}]},
    ]
    refs = validate.References(raw, actors)
    checks = [
        ("a", "money", "assets", 0),
        ("a", "votes", "assets", 1),
        ("a", "land", "assets", 0),
        ("a", "votes", "assets", 1),  # asked again: reported again
        ("a", "q", "purposes", 1),
        ("b", "x", "assets", 0),  # not a list: the schema says enough
        ("b", "x", "purposes", 0),  # a malformed id: the schema says enough
        ("c", "x", "assets", 0),  # no such actor: reported by ``actor``
    ]
    for actor, value, key, count in checks:
        found = list(refs.owned(actor, value, key, ("edge", key)))
        assert len(found) == count, (actor, value, key)
        assert all(p.code == f"unknown-{key[:-1]}" for p in found)


def test_references_in_lists_are_reported_with_their_index():
    actors = [{"id": "a"}, {"id": "b"}]
    refs = validate.References(RawCase(Path("c.yaml"), {}), actors, [{"id": "s1"}])
    found = list(refs.actor_list(["a", "x", 3, "b", "y", {"id": "a"}], ("deal", "parties")))
    assert [p.code for p in found] == ["unknown-actor", "unknown-actor"]
    assert [p.message.split()[0] for p in found] == ["deal.parties[1]", "deal.parties[4]"]
    found = list(refs.sources(["s1", "s2", None, "s3"], ("sources",)))
    assert [p.message.split()[0] for p in found] == ["sources[1]", "sources[3]"]
    assert list(refs.sources("s2", ("sources",))) == []  # not a list: the schema says so
    malformed = validate.References(RawCase(Path("c.yaml"), {}), [{"id": "Bad Actor"}], [{"id": "Bad Source"}])
    assert list(malformed.actor_list(["x"], ("p",))) == [] and list(malformed.sources(["x"], ("s",))) == []


# --- Validators built at first use -------------------------------------------------------------------


def test_the_case_validator_is_ready_before_the_workers_fork(tmp_path: Path):
    """``defer_build``: a model's validator is built at its first use, not at import; ``validate._run`` builds the
    case's before it forks, so that workers share it instead of each building it (in a fresh process: in this
    one, other tests have built it already)."""
    script = f"""
import sys
from pathlib import Path
from builder import validate
from builder.model import Case, Actor
assert not Case.__pydantic_complete__ and not Actor.__pydantic_complete__, "built at import"
seen = []
validate.workers.run = lambda fn, items, *extra, **kw: seen.append(Case.__pydantic_complete__) or []
validate._run([Path({str(REAL[0])!r})] * validate.PARALLEL_MIN, False, False)
assert seen == [True], seen
"""
    env = dict(os.environ, CASEBOOK_CACHE_DIR=str(tmp_path / "cache"))
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert Case.model_validate(load.load_fast(REAL[0].read_bytes(), REAL[0]).data).id == REAL[0].stem
