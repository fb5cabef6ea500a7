"""The whole benchmark suite in one command: prints the scale table with its baselines measured in the same run.

Run from the repository root:

    .venv/bin/python benchmarks/run.py [--sizes 100,1000,10000] [--quick] [--out FILE]

For each size N it writes a corpus of N real-size cases (``benchmarks/corpus.py``:
replicas of the real cases) and measures, in this order:

- **validate**: ``casebook validate`` on the N files with an empty cache (cold)
  and again (warm), the builder's bytecode written first as an install does,
  against a plain ``yaml.load(CSafeLoader)`` +
  ``Case.model_validate`` loop over the same files (no positions, no rules); the
  CPU seconds of the cold run (all its processes) and of the baseline are shown
  too, since on a shared machine they depend less on the other jobs than seconds;
  and the floor of this design (``benchmarks/floor_validate.py`` in a fresh
  process: the same parser and models in the same workers, nothing else);
- **build**: ``casebook build`` (the pipeline and MkDocs) cold and warm,
  against a plain mkdocs-material build of the same pages' text: every generated
  page's Markdown export and the hand-written pages, with the same theme settings
  and no casebook plugin;
- **site bytes** per case, broken down by kind of file; the Boston case page's
  bytes and whether vis-network is loaded on pages that draw no network;
- **serve** (N <= 1,000 unless --quick): ``casebook serve`` on the corpus, one
  case edited, the served page polled until the edit shows;
- **search** and the **2,000-node network**: ``measure(site_dir)`` of
  ``benchmarks/bench_search.py`` and ``benchmarks/bench_network.py`` when they exist.

``--quick`` skips the builds' warm runs, the baseline build and serve (for a smoke
test). ``--serve-only`` measures serve alone, at any size (``--merge`` then fills
that size's serve cells into the table of a full run). Timings are for reading: no test asserts them.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import importlib.util
import io
import json
import logging
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import write_corpus  # noqa: E402

BOSTON = "boston-operation-ceasefire"
MB = 1_000_000


def machine() -> dict[str, str]:
    """The machine and versions the numbers were measured on."""
    from importlib.metadata import version

    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    libs = ["mkdocs", "mkdocs-material", "pydantic", "PyYAML", "yaml-rs", "networkx", "Jinja2"]
    return {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": f"{cpu}, {cores} cores available",
        "load average at start": load,
        "python": platform.python_version(),
        "system": platform.platform(),
        "libraries": ", ".join(f"{lib} {version(lib)}" for lib in libs),
    }


@contextlib.contextmanager
def env(**values: str | None):
    old = {k: os.environ.get(k) for k in values}
    for k, v in values.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def timed(fn) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


# --- validate ---------------------------------------------------------------------------------------


def plain_validate(cases: Path) -> int:
    """The baseline: libyaml's CSafeLoader and pydantic, no positions, no rules, no limits."""
    import yaml

    from builder.model import Case

    count = 0
    for path in sorted(cases.glob("*.yaml")):
        Case.model_validate(yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader))
        count += 1
    return count


def casebook(*args: str, cache: Path) -> float:
    """Seconds for one ``casebook`` command in a fresh process (output discarded), with ``cache`` as its cache."""
    command = [str(ROOT / ".venv" / "bin" / "casebook"), *args]
    if not Path(command[0]).exists():
        command = [sys.executable, "-m", "builder", *args]
    with env(CASEBOOK_CACHE_DIR=str(cache), CASEBOOK_CACHE="1"):
        start = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        seconds = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"casebook {' '.join(args)} failed:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return seconds


def children_cpu() -> float:
    """CPU seconds (user and system) used so far by this process's finished child processes."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def compile_builder() -> None:
    """Write the builder's bytecode (``__pycache__``), as installing the package does.

    Why: with ``PYTHONDONTWRITEBYTECODE`` set (as in some shells and CI images) and no bytecode yet, every
    ``casebook`` process compiled the builder's modules from source again, about 0.15 s of each start-up that no
    installed casebook pays. Python reads bytecode that exists even with that variable set.
    """
    import compileall

    with contextlib.redirect_stdout(io.StringIO()):
        compileall.compile_dir(str(ROOT / "builder"), quiet=1)


def bench_validate(cases: Path, n: int, work: Path) -> dict[str, float]:
    """Cases a second: cold, warm, the baseline; and CPU seconds cold and for the baseline (load-independent-ish)."""
    compile_builder()
    cache = work / "cache-validate"
    cpu = children_cpu()
    cold = casebook("validate", str(cases), cache=cache)
    cold_cpu = children_cpu() - cpu
    warm = casebook("validate", str(cases), cache=cache)
    startup = casebook("validate", str(next(cases.glob("*.yaml"))), cache=cache)
    cpu = children_cpu()
    floor, _ = timed(
        lambda: subprocess.run(
            [sys.executable, str(ROOT / "benchmarks" / "floor_validate.py"), str(cases)],
            cwd=ROOT,
            capture_output=True,
            check=True,
        )
    )
    floor_cpu = children_cpu() - cpu
    cpu = time.process_time()
    base, _ = timed(lambda: plain_validate(cases))
    base_cpu = time.process_time() - cpu
    return {
        "cold": n / cold,
        "warm": n / warm,
        "baseline": n / base,
        "startup": startup,
        "cold_cpu": cold_cpu,
        "baseline_cpu": base_cpu,
        "floor": n / floor,
        "floor_cpu": floor_cpu,
    }


# --- build ------------------------------------------------------------------------------------------


def baseline_project(work: Path, cases: Path) -> Path:
    """A plain Material project with the same pages' text as the casebook site; returns its mkdocs.yml."""
    from builder.pipeline import build_pages

    folder = work / "baseline"
    docs = folder / "docs"
    shutil.copytree(ROOT / "docs", docs)
    site = build_pages(cases)
    for path, page in site.pages.items():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.to_markdown(), "utf-8")
    for path, data in site.files.items():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    config = (ROOT / "mkdocs.yml").read_text("utf-8")
    config = re.sub(r"(?m)^  - casebook:\n(    .*\n)*", "", config)
    config = config.replace("custom_dir: overrides", f"custom_dir: {ROOT / 'overrides'}")
    (folder / "mkdocs.yml").write_text(config, "utf-8")
    return folder / "mkdocs.yml"


def plain_build(config: Path, site_dir: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    cfg = load_config(config_file=str(config), site_dir=str(site_dir))
    cfg.plugins.on_startup(command="build", dirty=False)
    with contextlib.redirect_stdout(io.StringIO()):
        build(cfg)


def bench_build(cases: Path, work: Path, quick: bool) -> dict[str, float]:
    cache = work / "cache-build"
    site = work / "site"
    cold = casebook("build", "--cases", str(cases), "--site-dir", str(site), cache=cache)
    out = {"cold": cold}
    if not quick:
        out["warm"] = casebook("build", "--cases", str(cases), "--site-dir", str(site), cache=cache)
        with env(CASEBOOK_CACHE_DIR=str(cache)):
            config = baseline_project(work, cases)
        out["baseline"], _ = timed(lambda: plain_build(config, work / "baseline-site"))
    return out


# --- site bytes -------------------------------------------------------------------------------------


def site_bytes(site: Path, ids: list[str]) -> dict[str, Any]:
    """Bytes of the built site by kind: case pages, other per-case pages, per-case downloads, search, the rest."""
    idset = set(ids)
    kinds: dict[str, int] = {}
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        rel = path.relative_to(site).as_posix()
        kinds[_kind(rel, idset)] = kinds.get(_kind(rel, idset), 0) + path.stat().st_size
    boston = next((i for i in ids if i.startswith(BOSTON)), None)
    page = site / "cases" / (boston or "") / "index.html"
    return {
        "kinds": kinds,
        "total": sum(kinds.values()),
        "boston": page.stat().st_size if boston and page.exists() else None,
        "vis_elsewhere": vis_on_plain_pages(site),
        "chrome": chrome_bytes(site / "concepts" / "index.html"),
    }


def _kind(rel: str, ids: set[str]) -> str:
    parts = rel.split("/")
    if rel.startswith(("search/", "pagefind/")):
        return "search index"
    if parts[0] == "cases" and len(parts) == 3 and parts[1] in ids and parts[2] == "index.html":
        return "case pages"
    if rel.startswith("data/") and any(seg.split(".")[0] in ids for seg in parts[1:]):
        return "per-case downloads"
    if rel.startswith("data/"):
        return "whole-corpus downloads"
    if any(seg in ids or seg.split(".")[0] in ids for seg in parts):
        return "other per-case pages"
    if rel.startswith("teaching/lists/"):
        return "reading lists and packets"
    if rel.startswith("assets/"):
        return "assets (scripts, styles, vendor)"
    return "other pages"


def vis_on_plain_pages(site: Path) -> str:
    """Which pages that draw no network still load vis-network (script or stylesheet), as 'k of n'."""
    loaded = total = 0
    for path in [site / "index.html", site / "concepts" / "index.html", site / "contribute" / "fields" / "index.html"]:
        if not path.exists():
            continue
        text = path.read_text("utf-8")
        if "cb-data" in text or 'class="cb-network' in text:
            continue
        total += 1
        loaded += bool(re.search(r"<(script|link)[^>]+vis-network", text))
    return f"{loaded} of {total}"


def chrome_bytes(page: Path) -> int | None:
    """Bytes of a page outside its article (header, navigation, footer): what every page carries."""
    if not page.exists():
        return None
    text = page.read_text("utf-8")
    match = re.search(r"<article[^>]*>.*</article>", text, re.S)
    return len(text.encode()) - (len(match.group(0).encode()) if match else 0)


# --- serve ------------------------------------------------------------------------------------------


def bench_serve(cases: Path, ids: list[str], work: Path, timeout: float = 600) -> dict[str, float | None]:
    """Start ``casebook serve``, wait for the first build, edit one case, poll its page until the edit shows.

    Then poll the case index, made in the background with the pages across cases, until it shows the edit too.
    Returns seconds: ``startup`` (first page), ``refresh`` (the edited page) and ``across`` (that page), from saving.
    """
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    target = ids[len(ids) // 2]
    url = f"http://127.0.0.1:{port}/casebook/cases/{target}/"
    log = (work / "serve.log").open("w")
    command = [str(ROOT / ".venv" / "bin" / "casebook"), "serve", "--dev-addr", f"127.0.0.1:{port}"]
    environ = {
        **os.environ,
        "CASEBOOK_CASES_DIR": str(cases),
        "CASEBOOK_CACHE_DIR": str(work / "cache-build"),
        "CASEBOOK_CACHE": "1",
    }
    proc = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=environ)
    try:
        start = time.perf_counter()
        first = _poll(url, lambda text: True, timeout)
        startup = time.perf_counter() - start if first else None
        path = cases / f"{target}.yaml"
        text = path.read_text("utf-8")
        marker = f"edited {time.time_ns()}"
        time.sleep(1.5)  # past the watcher's settling time, so the edit is a separate change
        start = time.perf_counter()
        path.write_text(text.replace("\ntitle: ", f"\ntitle: {marker} ", 1), "utf-8")
        seen = _poll(url, lambda body: marker in body, timeout)
        refresh = time.perf_counter() - start if seen else None
        # The case index, which names every case, follows in the background with the pages across cases (the
        # page across cases itself names cases only up to site_pages.NETWORK_CASES_MAX).
        across_url = f"http://127.0.0.1:{port}/casebook/cases/"
        across_seen = seen and _poll(across_url, lambda body: marker in body, timeout)
        across = time.perf_counter() - start if across_seen else None
        path.write_text(text, "utf-8")
        return {"startup": startup, "refresh": refresh, "across": across}
    finally:
        proc.send_signal(signal.SIGINT)  # as Ctrl-C: the server removes its site folder
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()  # reaped, so no process is left running (or warned about)
        log.close()


def _poll(url: str, ok, timeout: float) -> bool:
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if ok(response.read().decode("utf-8", "replace")):
                    return True
        except OSError:
            pass
        time.sleep(0.05)
    return False


# --- helpers' benchmarks ----------------------------------------------------------------------------


def external(name: str, site: Path) -> dict[str, Any] | None:
    """``measure(site_dir)`` of ``benchmarks/<name>.py``, if that file exists (rows for the table)."""
    path = ROOT / "benchmarks" / f"{name}.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader
    spec.loader.exec_module(module)
    fn = getattr(module, "measure", None)
    if fn is None:
        return {"error": f"benchmarks/{name}.py has no measure(site_dir) function"}
    try:
        result = fn(site)
    except Exception as exc:  # noqa: BLE001 - reported in the table
        return {"error": f"{type(exc).__name__}: {exc}"}
    return result if isinstance(result, dict) else {"result": result}


# --- the table --------------------------------------------------------------------------------------


def run_size(n: int, quick: bool, serve: bool, build: bool = True, serve_only: bool = False) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix=f"casebook-bench-{n}-"))
    try:
        cases = work / "cases"
        ids = write_corpus(cases, n)
        result: dict[str, Any] = {"n": n}
        if serve_only:  # the first build is then a cold one, inside serve: allow it the time a cold build takes
            print(f"[{n}] serve", file=sys.stderr)
            result["serve"] = bench_serve(cases, ids, work, timeout=max(600.0, n * 0.25))
            return result
        print(f"[{n}] validate", file=sys.stderr)
        result["validate"] = bench_validate(cases, n, work)
        if not build:
            return result
        print(f"[{n}] build", file=sys.stderr)
        result["build"] = bench_build(cases, work, quick)
        result["bytes"] = site_bytes(work / "site", ids)
        result["search"] = external("bench_search", work / "site")
        result["network"] = external("bench_network", work / "site")
        if serve and not quick:
            print(f"[{n}] serve", file=sys.stderr)
            result["serve"] = bench_serve(cases, ids, work)
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _f(x: float | None, fmt: str = "{:.1f}") -> str:
    return "-" if x is None else fmt.format(x)


def _without_startup(n: int, validate: dict[str, float]) -> float | None:
    """Cases a second of the warm run less the one-file run's start-up; None when the start-up took longer
    (a loaded machine), where the difference means nothing."""
    seconds = n / validate["warm"] - validate.get("startup", 0)
    return n / seconds if seconds > 0 else None


def _search_rows(row, found: list[dict[str, Any] | None]) -> None:
    """The search rows of the table from ``bench_search.measure``'s results (one per size, or None)."""
    if not any(x and "max_bytes" in x for x in found):
        return

    def cell(x: dict[str, Any] | None, fn) -> str:
        return fn(x) if x and "max_bytes" in x else "-"

    def largest(x: dict[str, Any]) -> str:
        gz = max(q["bytes_gzip"] for q in x["queries"])
        return f"{x['max_bytes'] / 1000:.0f} ({gz / 1000:.0f} gzipped)"

    def baseline(x: dict[str, Any]) -> str:
        if not x.get("baseline_bytes"):
            return "-"
        return f"{x['baseline_bytes'] / 1000:,.0f} ({x['baseline_bytes_gzip'] / 1000:,.0f} gzipped)"

    n = max(len(x["queries"]) for x in found if x and "queries" in x)
    row(f"search: bytes fetched by one query, largest of {n} (KB)", [cell(x, largest) for x in found], "≤ 300 KB")
    row(
        "search: bytes fetched by one query, median (KB)",
        [cell(x, lambda x: f"{x['median_bytes'] / 1000:.0f}") for x in found],
        "",
    )
    row("search: Material's one-file index for the same pages (KB)", [cell(x, baseline) for x in found], "")


def table(results: list[dict[str, Any]], info: dict[str, str]) -> str:
    """The Markdown report: the issue's table per size, the bytes breakdown and the machine."""
    lines = ["| what | " + " | ".join(f"{r['n']:,} cases" for r in results) + " | goal |"]
    lines.append("| --- |" + " ---: |" * len(results) + " --- |")

    def row(what: str, cells: list[str], goal: str) -> None:
        lines.append(f"| {what} | " + " | ".join(cells) + f" | {goal} |")

    b = [r.get("build") or {} for r in results]
    row("build, cold cache (s)", [_f(x.get("cold")) for x in b], "")
    row("build, warm cache (s)", [_f(x.get("warm")) for x in b], "")
    row("plain Material build of the same pages (s)", [_f(x.get("baseline")) for x in b], "")
    row(
        "build / baseline, cold · warm",
        [
            f"{_f(x['cold'] / x['baseline'], '{:.2f}')}× · {_f(x['warm'] / x['baseline'], '{:.2f}')}×"
            if x.get("baseline") and x.get("warm")
            else "-"
            for x in b
        ],
        "≤ 1.25×",
    )
    v = [r["validate"] for r in results]
    row(
        "`casebook validate`, cold cache (cases/s)", [_f(x["cold"], "{:.0f}") for x in v], "≥ 1,000/s and ≥ 2× baseline"
    )
    row(
        "`casebook validate`, warm cache (cases/s)", [_f(x["warm"], "{:.0f}") for x in v], "≥ 1,000/s and ≥ 2× baseline"
    )
    row(
        "`casebook validate`, warm cache, start-up left out (cases/s)",
        [_f(_without_startup(r["n"], x), "{:.0f}") for x, r in zip(v, results, strict=True)],
        "≥ 1,000/s and ≥ 2× baseline",
    )
    row("`casebook validate` of one file, warm: start-up (s)", [_f(x.get("startup"), "{:.2f}") for x in v], "")
    row("CSafeLoader + model_validate baseline (cases/s)", [_f(x["baseline"], "{:.0f}") for x in v], "")
    row(
        "CPU seconds: `casebook validate` cold (all its processes) · baseline",
        [f"{_f(x.get('cold_cpu'))} · {_f(x.get('baseline_cpu'))}" for x in v],
        "",
    )
    row(
        "floor of this design, cold: parse and models only, same workers (cases/s) · CPU seconds",
        [f"{_f(x.get('floor'), '{:.0f}')} · {_f(x.get('floor_cpu'))}" for x in v],
        "",
    )
    row(
        "validate / baseline, cold · warm",
        [f"{x['cold'] / x['baseline']:.2f}× · {x['warm'] / x['baseline']:.2f}×" for x in v],
        "≥ 2×",
    )
    s = [
        r.get("bytes") or {"kinds": {}, "total": 0, "boston": None, "chrome": None, "vis_elsewhere": "-"}
        for r in results
    ]
    row(
        "built site per case (KB)",
        [_f(x["total"] / r["n"] / 1000 if x["total"] else None, "{:.0f}") for x, r in zip(s, results, strict=True)],
        "≤ 100 KB",
    )
    row("Boston case page (KB)", [_f(x["boston"] and x["boston"] / 1000, "{:.0f}") for x in s], "≤ 60 KB")
    row("theme chrome of a plain page (KB)", [_f(x["chrome"] and x["chrome"] / 1000, "{:.1f}") for x in s], "")
    row("pages without a network that load vis-network", [x["vis_elsewhere"] for x in s], "0")
    sv = [r.get("serve") or {} for r in results]
    row("`casebook serve`: first page served (s)", [_f(x.get("startup")) for x in sv], "")
    row("`casebook serve`: page refreshed after saving a case (s)", [_f(x.get("refresh")) for x in sv], "≤ 2 s")
    row(
        "`casebook serve`: case index and pages across cases refreshed after saving (s)",
        [_f(x.get("across")) for x in sv],
        "",
    )
    _search_rows(row, [r.get("search") for r in results])
    for key, label in (("search", "search"), ("network", "network")):
        extra = [r.get(key) for r in results]
        if key == "search" and any(x and "max_bytes" in x for x in extra):
            continue
        names = sorted({k for x in extra if x for k in x})
        if not names:
            row(f"{label} (benchmarks/bench_{label}.py)", ["not present"] * len(results), "")
        for name in names:
            row(f"{label}: {name}", [str((x or {}).get(name, "-")) for x in extra], "")
    lines += ["", "Site bytes per case, by kind of file (KB per case):", ""]
    kinds = sorted({k for x in s for k in x["kinds"]})
    lines.append("| kind | " + " | ".join(f"{r['n']:,} cases" for r in results) + " |")
    lines.append("| --- |" + " ---: |" * len(results))
    for kind in kinds:
        cells = [f"{x['kinds'].get(kind, 0) / r['n'] / 1000:.1f}" for x, r in zip(s, results, strict=True)]
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    lines += ["", "Machine: " + "; ".join(f"{k}: {v}" for k, v in info.items())]
    return "\n".join(lines) + "\n"


def _serve_lines(results: list[dict[str, Any]]) -> str:
    """The serve measurements of a ``--serve-only`` run, one line per size (seconds; ``-``: not seen in time)."""
    lines = []
    for r in results:
        sv = r["serve"]
        lines.append(
            f"{r['n']:,} cases: first page {_f(sv['startup'])} s, edited page refreshed {_f(sv['refresh'])} s, "
            f"page across cases {_f(sv['across'])} s"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated corpus sizes")
    parser.add_argument("--quick", action="store_true", help="no warm builds, no baseline build, no serve")
    parser.add_argument("--no-serve", action="store_true", help="skip the serve measurement")
    parser.add_argument("--serve-max", type=int, default=1000, help="measure serve only up to this size")
    parser.add_argument("--merge", type=Path, nargs="+", help="print one table from the .json of earlier runs")
    parser.add_argument("--validate-only", action="store_true", help="measure validation only")
    parser.add_argument("--serve-only", action="store_true", help="measure serve only (its first build is cold)")
    parser.add_argument("--out", type=Path, help="also write the table (Markdown) and the raw numbers (.json)")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    try:
        return _main(args)
    finally:
        logging.disable(logging.NOTSET)


def _main(args: argparse.Namespace) -> int:
    if args.merge:
        runs = [json.loads(p.read_text("utf-8")) for p in args.merge]
        merged: dict[int, dict[str, Any]] = {}
        for run in runs:  # results of one size from several runs (say, --serve-only) fill each other's gaps
            for r in run["results"]:
                merged.setdefault(r["n"], {}).update({k: v for k, v in r.items() if v is not None})
        results = [merged[n] for n in sorted(merged)]
        print(table(results, runs[0]["machine"]))
        return 0
    info = machine()
    results = []
    for n in [int(x) for x in args.sizes.split(",") if x.strip()]:
        serve = args.serve_only or (not args.no_serve and n <= args.serve_max)
        results.append(run_size(n, args.quick, serve, not args.validate_only, args.serve_only))
        report = _serve_lines(results) if args.serve_only else table(results, info)
        if args.out:
            args.out.write_text(report, "utf-8")
            args.out.with_suffix(".json").write_text(json.dumps({"machine": info, "results": results}, indent=1))
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
