"""Many results stored at once go into a few pack files (``builder.cache.put_many``), read back by ``get``.

A cold ``casebook validate`` of many files stores each file's result in packs (one per first hex digit of the
keys) instead of one new file each; ``get`` finds them, a damaged pack is a miss, packs of other code are never
read, and a warm check gives exactly the cold check's result. No timing is asserted (see ``benchmarks/``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from builder import cache, validate
from builder.validate import check_paths
from conftest import ROOT


@pytest.fixture
def cache_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CASEBOOK_CACHE", "1")
    monkeypatch.setenv("CASEBOOK_CACHE_DIR", str(folder))
    monkeypatch.setattr(cache, "_PACKS", {})
    return folder


def _forget_packs(monkeypatch: pytest.MonkeyPatch) -> None:
    """As a new process: nothing read from packs yet."""
    monkeypatch.setattr(cache, "_PACKS", {})


def test_put_many_is_read_back_by_get(cache_on: Path, monkeypatch: pytest.MonkeyPatch):
    entries = {cache.key("check", f"f{i}.yaml", b"x"): (i, [str(i)]) for i in range(50)}
    cache.put_many("check", entries)
    packs = [p for p in cache_on.rglob("*") if p.is_file()]
    assert 1 < len(packs) <= 16 and all("packs" in p.parts for p in packs)
    _forget_packs(monkeypatch)
    assert all(cache.get("check", entry) == value for entry, value in entries.items())
    assert cache.get("check", cache.key("check", "other.yaml", b"x")) is None
    more = {cache.key("check", "late.yaml", b"y"): ("late", [])}
    cache.put_many("check", more)  # seen by this process at once, packs already read or not
    assert cache.get("check", next(iter(more))) == ("late", [])


def test_a_damaged_pack_is_a_miss_and_other_packs_still_count(cache_on: Path, monkeypatch: pytest.MonkeyPatch):
    first = cache.key("check", "a.yaml", b"1")
    second = first[:1] + "0" * (len(first) - 1)
    cache.put_many("check", {first: "one"})
    cache.put_many("check", {second: "two"})
    packs = sorted(p for p in cache_on.rglob("*") if p.is_file())
    assert len(packs) == 2
    damaged = next(p for p in packs if b"one" in p.read_bytes())
    damaged.write_bytes(damaged.read_bytes()[:-5])
    _forget_packs(monkeypatch)
    assert cache.get("check", first) is None and cache.get("check", second) == "two"


def test_packs_of_other_code_are_never_read(cache_on: Path, monkeypatch: pytest.MonkeyPatch):
    entry = "ab" + "0" * 38
    cache.put_many("check", {entry: "old code's result"})
    _forget_packs(monkeypatch)
    monkeypatch.setattr(cache, "code_key", lambda: "f" * 64)
    assert cache.get("check", entry) is None


def test_a_cold_check_of_many_files_stores_packs_and_a_warm_one_reads_them(
    cache_on: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """With at least ``PACK_MIN`` files, results go into packs only; the warm check reads them all back (it
    checks no file again) and gives the cold check's result, problems and places included."""
    folder = tmp_path / "cases"
    shutil.copytree(ROOT / "cases", folder)
    (folder / "broken.yaml").write_text("id: broken\ntitle: [\n", "utf-8")
    monkeypatch.setattr(validate, "PACK_MIN", 5)
    cold = check_paths([folder], models=False, keep=False)
    singles = [p for p in (cache_on / "check").rglob("*") if p.is_file() and "packs" not in p.parts]
    assert cold.problems and singles == []
    _forget_packs(monkeypatch)
    monkeypatch.setattr(validate, "_check_fast", lambda data, path: pytest.fail("checked again"))
    warm = check_paths([folder], models=False, keep=False)
    assert [p.format() for p in warm.problems] == [p.format() for p in cold.problems]
    assert (warm.files, warm.valid, warm.keys) == (cold.files, cold.valid, cold.keys)
