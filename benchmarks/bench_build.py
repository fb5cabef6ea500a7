"""Benchmark the site build against plain mkdocs-material pages of the same count, in the same run.

Run: python benchmarks/bench_build.py [--sizes 10 100 300] [--runs 3] [--real]

For each size N it writes N cases into a temporary folder: copies of the small test
fixture with new ids, or with ``--real`` replicas of the real cases in ``cases/``
(about 50-70 KB each, taken in turn, with new ids and titles). It times, as the
median of --runs runs:

- ``validate``: ``check_paths`` on the N files (load + schema + references);
- ``pipeline``: ``build_pages`` (validate, analyze and render every page, no MkDocs);
- ``casebook build``: the whole site with Material, through the MkDocs adapter;
- ``baseline``: ``mkdocs build`` with the same theme and settings but no casebook
  plugin, on N plain Markdown pages of about the same length outside the sidebar.

The last column is the build time over the baseline. Timings are for reading:
no test asserts them.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import logging
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from builder.pipeline import build_pages  # noqa: E402
from builder.plugin import build_site  # noqa: E402
from builder.validate import check_paths  # noqa: E402

FIXTURE = ROOT / "tests" / "data" / "valid" / "river-town-example.yaml"


def make_cases(folder: Path, n: int, real: bool = False) -> None:
    """Write ``n`` valid cases with ids ``bench-case-NNNN``: fixture copies, or replicas of the real cases."""
    sources = sorted((ROOT / "cases").glob("*.yaml")) if real else [FIXTURE]
    texts = [(p.stem, p.read_text("utf-8")) for p in sources]
    for i in range(n):
        stem, text = texts[i % len(texts)]
        ident = f"bench-case-{i:04d}"
        text = re.sub(r"(?m)^id: .*$", f"id: {ident}", text, count=1)
        text = re.sub(r"(?m)^title: .*$", f"title: Bench case {i} ({stem})", text, count=1)
        folder.joinpath(f"{ident}.yaml").write_text(text, "utf-8")


def make_baseline(folder: Path, n: int, page_text: str) -> Path:
    docs = folder / "docs"
    (docs / "pages").mkdir(parents=True)
    (docs / "index.md").write_text("# Baseline\n", "utf-8")
    for i in range(n):
        (docs / "pages" / f"p{i:04d}.md").write_text(page_text, "utf-8")
    config = folder / "mkdocs.yml"
    config.write_text(
        "site_name: Baseline\ntheme:\n  name: material\n  font: false\nplugins:\n  - search\n"
        "nav:\n  - index.md\nnot_in_nav: |\n  /pages/*.md\n",
        "utf-8",
    )
    return config


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 300])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--real", action="store_true", help="replicas of the real cases instead of the small fixture")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    print("| cases | validate (s) | pipeline (s) | casebook build (s) | baseline mkdocs (s) | build / baseline |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            tmp_path = Path(tmp)
            cases = tmp_path / "cases"
            cases.mkdir()
            make_cases(cases, n, args.real)
            site = build_pages(cases)
            page = site.pages["cases/bench-case-0000.md"].to_markdown()  # the same text, as a plain page
            t_validate = median_time(lambda: check_paths([cases]), args.runs)
            t_pipeline = median_time(lambda: build_pages(cases), args.runs)
            with contextlib.redirect_stdout(io.StringIO()):
                t_build = median_time(
                    lambda: build_site(ROOT / "mkdocs.yml", tmp_path / "site", True, cases), args.runs
                )
            config = make_baseline(tmp_path / "baseline", n, page)

            def baseline():
                cfg = load_config(config_file=str(config), site_dir=str(tmp_path / "baseline-site"))
                cfg.plugins.on_startup(command="build", dirty=False)
                build(cfg)

            t_base = median_time(baseline, args.runs)
            print(
                f"| {n} | {t_validate:.2f} | {t_pipeline:.2f} | {t_build:.2f} | {t_base:.2f} | {t_build / t_base:.2f} |"
            )


if __name__ == "__main__":
    main()
