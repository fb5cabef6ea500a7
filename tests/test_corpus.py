"""The benchmark corpus (benchmarks/corpus.py): replicas that keep size, structure and references, and whose
free text differs from group to group, so compressed files and search indexes are measured honestly."""

from __future__ import annotations

import lzma
import sys

import yaml

from builder.validate import check_paths
from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus as bench_corpus  # noqa: E402

BOSTON = ROOT / "cases" / "boston-operation-ceasefire.yaml"


def _leaves(data, path=()):
    """Every scalar of a YAML document with its path."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _leaves(value, (*path, i))
    else:
        yield path, data


def test_segments_mark_prose_values_only():
    text = (
        "id: x-case\n"
        "title: A title\n"
        "summary: >\n  Two lines\n  of text.\n\n  After a blank.\n"
        "domains: [public-safety]\n"
        "actors:\n  - id: bpd\n    name: Boston Police\n    sources: [a-b]\n"
        "teaching:\n  learning_objectives:\n    - Explain the role\n      of a convener.\n  concepts: [pooling]\n"
        "sources:\n  - id: a-b\n    url: https://www.example.org/some/page\n"
    )
    pieces = bench_corpus.segments(text)
    assert "".join(chunk for chunk, _ in pieces) == text
    prose = "".join(chunk for chunk, kind in pieces if kind == "prose")
    # (the line break after ``learning_objectives:`` is its empty value, prose but without words)
    expected = "A title\n  Two lines\n  of text.\n\n  After a blank.\nBoston Police\n\n    - Explain the role\n      of a convener.\n"
    assert prose == expected
    assert [chunk for chunk, kind in pieces if kind == "url"] == ["https://www.example.org/some/page\n"]


def test_a_reworded_replica_keeps_size_lines_ids_and_every_value_that_is_not_free_text():
    real = BOSTON.read_text("utf-8")
    replica = bench_corpus.reword(real, 3)
    assert bench_corpus.reword(real, 0) == real
    assert replica != real
    # Same lines of the same length, but for each web address's fragment "#r3" (3 characters).
    grown = [len(b) - len(a) for a, b in zip(real.splitlines(), replica.splitlines(), strict=True)]
    urls = [i for i, line in enumerate(real.splitlines()) if line.lstrip().startswith("url: ")]
    assert urls and all(grown[i] == 3 for i in urls)
    assert all(g == 0 for i, g in enumerate(grown) if i not in urls)
    assert len(replica.encode()) == len(real.encode()) + 3 * len(urls)
    before, after = yaml.safe_load(real), yaml.safe_load(replica)
    old, new = dict(_leaves(before)), dict(_leaves(after))
    assert old.keys() == new.keys()  # same structure
    changed = {path[-1] if isinstance(path[-1], str) else path[-2] for path in old if old[path] != new[path]}
    assert changed <= bench_corpus.PROSE_KEYS | bench_corpus.URL_KEYS
    assert {"summary", "narrative", "description", "name", "url"} <= changed
    for path, value in old.items():
        if path[-1] in ("id", "holder", "target", "asset", "purpose", "kind", "sector", "effect", "year"):
            assert new[path] == value, path


def test_rewording_maps_words_one_to_one_onto_real_words_of_the_same_length():
    words = bench_corpus.word_map(7)
    assert sorted(words) == sorted(words.values())  # a permutation of the real vocabulary
    assert all(len(a) == len(b) and len(a.encode()) == len(b.encode()) for a, b in words.items())
    assert sum(a != b for a, b in words.items()) > 0.9 * len(words)
    assert bench_corpus.word_map(1) != bench_corpus.word_map(2)
    assert not {"true", "false", "null", "no", "yes"} & set(words.values())


def test_groups_do_not_compress_into_each_other(tmp_path):
    """xz of two groups of replicas is nearly twice xz of one: copies no longer fold into back-references."""
    bench_corpus.write_corpus(tmp_path, 57, lists=False)  # groups 0, 1 and 2

    def xz(group: int) -> int:
        text = b"".join(p.read_bytes() for p in sorted(tmp_path.glob(f"*-r{group:04d}.yaml")))
        return len(lzma.compress(text, preset=1))

    one = xz(0)
    both = len(lzma.compress(b"".join(p.read_bytes() for p in sorted(tmp_path.glob("*.yaml"))), preset=1))
    assert both > 2.6 * one  # identical copies gave about 1.05 x
    assert 0.8 * one < xz(1) < 1.2 * one


def test_reworded_groups_are_valid_with_consistent_sources(tmp_path):
    ids = bench_corpus.write_corpus(tmp_path, 76)  # four groups: sources cited by several cases agree in each
    checked = check_paths([tmp_path], models=False)
    assert checked.problems == [] and checked.valid == 76 == len(set(ids))
    for real in sorted((ROOT / "cases").glob("*.yaml")):
        sizes = {(tmp_path / f"{real.stem}-r{g:04d}.yaml").stat().st_size for g in range(1, 4)}
        assert len(sizes) == 1  # the suffixes of id, title and addresses are the same length in groups 1-9
        urls = sum(line.lstrip().startswith("url: ") for line in real.read_text("utf-8").splitlines())
        assert abs(sizes.pop() - real.stat().st_size) < 100 + 3 * urls
