"""Scale machinery: the result cache, worker processes, dirty rebuilds for serve, the benchmark corpus.

No timing is asserted here (performance lives in benchmarks/): these tests check that the fast
paths give exactly what the plain path gives.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from builder import cache, workers
from builder.pipeline import build_pages
from builder.validate import check_paths
from conftest import DATA, ROOT, build

sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus as bench_corpus  # noqa: E402


def _files(site: Path) -> dict[str, str]:
    return {
        str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def cache_on(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("CASEBOOK_CACHE", "1")
    monkeypatch.setenv("CASEBOOK_CACHE_DIR", str(folder))
    return folder


def test_cold_and_warm_builds_are_byte_identical_to_an_uncached_build(built_site, cache_on, tmp_path):
    assert build(ROOT / "cases", tmp_path / "cold") == 0
    assert any(cache_on.rglob("*")), "the cold build stored nothing"
    assert build(ROOT / "cases", tmp_path / "warm") == 0
    plain, cold, warm = _files(built_site), _files(tmp_path / "cold"), _files(tmp_path / "warm")
    assert plain.keys() == cold.keys() == warm.keys()
    assert [k for k in plain if not plain[k] == cold[k] == warm[k]] == []


def test_cached_problems_are_the_problems(cache_on):
    folder = DATA / "invalid"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CASEBOOK_CACHE", "0")
        plain = check_paths([folder]).problems
    cold = check_paths([folder]).problems
    warm = check_paths([folder], models=False).problems
    assert plain and plain == cold == warm


def test_a_changed_file_is_checked_again(cache_on, tmp_path):
    cases = tmp_path / "cases"
    bench_corpus.write_corpus(cases, 2, lists=False)
    assert check_paths([cases]).problems == []
    path = sorted(cases.glob("*.yaml"))[0]
    path.write_text(path.read_text("utf-8").replace("\nid: ", "\nid: Not-A-Slug-", 1), "utf-8")
    assert check_paths([cases], models=False).problems
    assert check_paths([cases]).problems


def test_a_damaged_cache_entry_is_a_miss(cache_on):
    entry = cache.key("check", "some/file.yaml", b"text")
    cache.put("check", entry, ("value", []))
    assert cache.get("check", entry) == ("value", [])
    (cache_on / "check" / entry[:2] / entry).write_bytes(b"not a pickle")
    assert cache.get("check", entry) is None


def test_the_cache_key_changes_with_the_code(monkeypatch):
    before = cache.key("check", "a.yaml", b"x")
    monkeypatch.setattr(cache, "code_key", lambda: "other code")
    assert cache.key("check", "a.yaml", b"x") != before


def test_workers_give_the_results_of_a_plain_loop(monkeypatch):
    monkeypatch.setenv("CASEBOOK_JOBS", "2")
    items = list(range(50))
    assert workers.run(pow, items, 3, min_items=1) == [pow(i, 3) for i in items]


def test_parallel_check_matches_serial_check(cache_on, tmp_path, monkeypatch):
    cases = tmp_path / "cases"
    bench_corpus.write_corpus(cases, 4, lists=False)
    monkeypatch.setattr("builder.validate.PARALLEL_MIN", 2)
    monkeypatch.setenv("CASEBOOK_JOBS", "2")
    parallel = check_paths([cases])
    monkeypatch.setenv("CASEBOOK_CACHE", "0")
    monkeypatch.setenv("CASEBOOK_JOBS", "1")
    serial = check_paths([cases])
    assert parallel.problems == serial.problems == []
    assert [c.model_dump() for c in parallel.cases] == [c.model_dump() for c in serial.cases]


def test_corpus_is_deterministic_valid_and_consistent(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    ids = bench_corpus.write_corpus(first, 21)
    assert bench_corpus.write_corpus(second, 21) == ids
    assert _files(first) == _files(second)
    assert len(ids) == len(set(ids)) == 21
    lists = sorted((first / "reading-lists").glob("*.yaml"))
    assert len(lists) == len(list((ROOT / "cases" / "reading-lists").glob("*.yaml")))  # one full group of 19
    checked = check_paths([first], models=False)
    assert checked.problems == [] and checked.valid == 21
    real = (ROOT / "cases" / "boston-operation-ceasefire.yaml").stat().st_size
    replica = (first / "boston-operation-ceasefire-r0000.yaml").stat().st_size
    assert abs(replica - real) < 100


def test_dirty_serve_rewrites_only_what_changed(tmp_path, monkeypatch):
    """What `casebook serve` does on an edit: the edited case page now, the pages across cases after."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    cases = tmp_path / "cases"
    bench_corpus.write_corpus(cases, 3, lists=False)
    monkeypatch.setenv("CASEBOOK_CASES_DIR", str(cases))
    monkeypatch.setenv("CASEBOOK_CACHE", "0")
    site = tmp_path / "site"
    logging.disable(logging.WARNING)

    def rebuild():
        config = load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=str(site))
        mkdocs_build(config, serve_url="http://127.0.0.1:8000/casebook/", dirty=True)
        return config

    try:
        config = load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=str(site))
        config.plugins.on_startup(command="serve", dirty=True)
        plugin = config.plugins["casebook"]
        rebuild()
        edited, other = sorted(cases.glob("*.yaml"))[:2]
        other_page = site / "cases" / other.stem / "index.html"
        stamp = other_page.stat().st_mtime_ns
        # The tagline, not the title: other case pages name their similar cases by title, so a new title
        # rightly rewrites them too.
        text = edited.read_text("utf-8")
        assert "\ntagline: >-\n  " in text
        edited.write_text(text.replace("\ntagline: >-\n  ", "\ntagline: >-\n  Edited ", 1), "utf-8")
        rebuild()
        assert "Edited " in (site / "cases" / edited.stem / "index.html").read_text("utf-8")
        assert other_page.stat().st_mtime_ns == stamp, "an unchanged case page was written again"
        plugin._worker.join(120)
        rebuild()  # the server's next build, asked for by the thread
        assert "Edited " in (site / "cases" / "index.html").read_text("utf-8")
    finally:
        logging.disable(logging.NOTSET)
        cache.remember(False)


def test_benchmark_command_runs(tmp_path, capsys):
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import run as bench_run

    assert bench_run.main(["--sizes", "2", "--validate-only", "--out", str(tmp_path / "t.md")]) == 0
    out = capsys.readouterr().out
    assert "`casebook validate`, warm cache (cases/s)" in out
    assert "floor of this design, cold" in out
    assert "Machine:" in (tmp_path / "t.md").read_text("utf-8")
    assert build_pages  # the pipeline the benchmark times


def test_the_validation_floor_counts_what_fits_the_model(tmp_path):
    """benchmarks/floor_validate.py parses and validates only: a case fits, a broken or invalid file does not."""
    import floor_validate

    shutil.copy(ROOT / "cases" / "boston-operation-ceasefire.yaml", tmp_path / "a.yaml")
    (tmp_path / "b.yaml").write_text("id: [", "utf-8")  # does not parse
    (tmp_path / "c.yaml").write_text("id: x\n", "utf-8")  # parses, misses every required field
    (tmp_path / "d.txt").write_text("not a case", "utf-8")  # not looked at
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "floor_validate.py"), str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == "1 of 3 files fit the model\n"
    assert floor_validate.check(str(tmp_path / "a.yaml")) is True
