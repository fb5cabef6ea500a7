"""Work across cases rewritten to grow about linearly gives exactly what the plain pairwise code gave; the
collector paused during a build is on again after it."""

from __future__ import annotations

import gc
import random

from builder import crosscase as X
from builder.pipeline import build_pages
from conftest import DATA


def _pairwise(boxes, gap=4):
    """The plain definition: every pair compared."""
    return [
        (i, j)
        for i, a in enumerate(boxes)
        for j, b in enumerate(boxes[i + 1 :], i + 1)
        if a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap
    ]


def test_the_sweep_finds_the_overlaps_of_every_pair():
    """Random boxes, many sharing a top, some inside out (right of left, bottom above top), three gaps."""
    rng = random.Random(12)
    for _ in range(2000):
        boxes = []
        for _ in range(rng.randint(0, 30)):
            x, y = rng.randint(-50, 50), rng.choice([rng.randint(-50, 50), 0, 10])
            boxes.append((x, y, x + rng.randint(-5, 30), y + rng.randint(-5, 30)))
        gap = rng.choice([0, 4, -3])
        assert X.overlaps(boxes, gap) == _pairwise(boxes, gap)


def test_columns_of_cases_are_found_apart_and_together():
    """Hand-checked: two columns of 1,000 boxes 20 units apart do not touch; moved closer, neighbours do."""
    apart = [(x, 20 * i, x + 50, 20 * i + 10) for x in (-100, 100) for i in range(1000)]
    assert X.overlaps(apart) == []
    close = [(0, 10 * i, 50, 10 * i + 8) for i in range(1000)]
    assert X.overlaps(close) == [(i, i + 1) for i in range(999)]


def test_the_collector_is_on_again_after_a_build(tmp_path):
    """build_pages pauses the collector while it runs; after a build, with or without problems, it is on again,
    and a caller's own pause is kept."""
    (tmp_path / "broken.yaml").write_text("id: [unclosed\n", "utf-8")
    for folder in (DATA / "valid", tmp_path):
        assert gc.isenabled()
        build_pages(folder)
        assert gc.isenabled()
    gc.disable()
    try:
        build_pages(tmp_path)
        assert not gc.isenabled()
    finally:
        gc.enable()
