"""Where a full build's time goes: each pipeline stage and MkDocs hook, in wall and CPU seconds.

Run from the repository root, with the cache pointed at an empty folder for a cold build:

    CASEBOOK_CACHE_DIR=/tmp/empty .venv/bin/python benchmarks/profile_build.py CASES_DIR SITE_DIR
    .venv/bin/python benchmarks/profile_build.py CASES_DIR SITE_DIR --baseline WORK_DIR   # plain Material
    .venv/bin/python benchmarks/profile_build.py CASES_DIR SITE_DIR --profile out.prof    # cProfile too

Prints one row a stage: wall seconds, CPU seconds of this process, and CPU seconds of its finished child
processes (the workers, the downloads' child and Pagefind: counted when they are reaped, so a stage that waits
for them carries them), its number of calls, and the time the cyclic garbage collector took in this process.
``--baseline`` times the plain mkdocs-material build of the same pages that ``benchmarks/run.py`` compares
against (its project is written into WORK_DIR first, not timed). For reading only: no test asserts a timing.
"""

from __future__ import annotations

import argparse
import collections
import cProfile
import functools
import gc
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

#: Stage name -> [wall s, own CPU s, children's CPU s, calls].
TIMES: dict[str, list[float]] = collections.defaultdict(lambda: [0.0, 0.0, 0.0, 0])
#: The collector: [CPU s, collections, start of the current one].
COLLECTOR: list[float] = [0.0, 0, 0.0]


def clock() -> tuple[float, float, float]:
    """(wall, own CPU, finished children's CPU) seconds."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter(), time.process_time(), usage.ru_utime + usage.ru_stime


def timed(owner, name: str, label: str | None = None) -> None:
    """Replace ``owner.name`` by a wrapper that adds its times to ``TIMES[label]``."""
    fn = getattr(owner, name)
    label = label or f"{getattr(owner, '__name__', '?').split('.')[-1]}.{name}"

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        start = clock()
        try:
            return fn(*args, **kwargs)
        finally:
            row = TIMES[label]
            for i, (a, b) in enumerate(zip(start, clock(), strict=True)):
                row[i] += b - a
            row[3] += 1

    setattr(owner, name, wrapper)


def _collector(phase: str, _info: dict) -> None:
    if phase == "start":
        COLLECTOR[2] = time.process_time()
    else:
        COLLECTOR[0] += time.process_time() - COLLECTOR[2]
        COLLECTOR[1] += 1


def instrument() -> None:
    """Time the pipeline's stages, MkDocs's build steps and every plugin event."""
    import mkdocs.commands.build as mkbuild
    import mkdocs.plugins as mkplugins
    import mkdocs.structure.files as mkfiles

    from builder import pipeline, plugin, render, site_pages

    for name in ("check_paths", "_corpus", "_case_pages", "_case_index"):
        timed(pipeline, name)
    timed(site_pages, "extra_pages")
    timed(render, "similar_index")
    timed(plugin.search, "index_site")
    for name in ("_populate_page", "_build_page", "_build_theme_template", "get_files", "get_navigation"):
        timed(mkbuild, name)
    timed(mkfiles.Files, "copy_static_files", "Files.copy_static_files")
    run_event = mkplugins.PluginCollection.run_event

    def event(self, name, item=None, **kwargs):
        start = clock()
        try:
            return run_event(self, name, item, **kwargs)
        finally:
            row = TIMES[f"hook {name}"]
            for i, (a, b) in enumerate(zip(start, clock(), strict=True)):
                row[i] += b - a
            row[3] += 1

    mkplugins.PluginCollection.run_event = event
    gc.callbacks.append(_collector)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cases", type=Path)
    parser.add_argument("site", type=Path)
    parser.add_argument("--baseline", type=Path, metavar="WORK_DIR", help="time the plain Material build instead")
    parser.add_argument("--profile", type=Path, help="also write a cProfile of this process here")
    args = parser.parse_args()
    instrument()
    if args.baseline:
        import run as suite

        args.baseline.mkdir(parents=True, exist_ok=True)
        config = suite.baseline_project(args.baseline, args.cases)
        TIMES.clear()
        COLLECTOR[:2] = [0.0, 0]

        def build() -> None:
            suite.plain_build(config, args.site)
    else:
        from builder import plugin

        def build() -> None:
            error = plugin.build_site(ROOT / "mkdocs.yml", args.site, strict=True, cases_dir=args.cases)
            if error:
                raise SystemExit(error)

    profile = cProfile.Profile() if args.profile else None
    start = clock()
    if profile:
        profile.enable()
    build()
    if profile:
        profile.disable()
        profile.dump_stats(args.profile)
    end = clock()
    print(f"{'stage':44s} {'wall s':>8s} {'CPU s':>8s} {'children':>8s} calls")
    for label, (wall, cpu, children, calls) in sorted(TIMES.items(), key=lambda kv: -kv[1][0] - kv[1][2]):
        if wall >= 0.05 or cpu >= 0.05:
            print(f"{label:44s} {wall:8.2f} {cpu:8.2f} {children:8.2f} {int(calls)}")
    print(f"{'garbage collector, this process':44s} {'':8s} {COLLECTOR[0]:8.2f} {'':8s} {int(COLLECTOR[1])}")
    print(f"{'whole build':44s} {end[0] - start[0]:8.2f} {end[1] - start[1]:8.2f} {end[2] - start[2]:8.2f}")


if __name__ == "__main__":
    main()
