"""Where a cold ``casebook validate`` spends its CPU time: milliseconds a file, by stage.

Runs the check of every ``*.yaml`` file in a folder the way one worker process does it (``CASEBOOK_JOBS=1``, an
empty cache in a temporary folder, the raw data not kept), with each stage wrapped in a CPU-time counter
(``time.process_time``: user and system time of this process, much less sensitive than wall time to other jobs on
the machine), then the work the calling process does alone: imports, the rules across files, the reading lists.
The counters themselves cost a little; compare runs of this script with each other, not with ``run.py``.

    .venv/bin/python benchmarks/corpus.py /tmp/c1000 --cases 1000
    .venv/bin/python benchmarks/profile_validate.py /tmp/c1000

Prints a Markdown table. No test depends on a timing.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

clock = time.process_time
spent: dict[str, float] = {}


def _count(label: str, since: float) -> None:
    spent[label] = spent.get(label, 0.0) + clock() - since


def _wrap(owner: Any, name: str, label: str, generator: bool = False) -> None:
    """Count the CPU time of ``owner.name`` under ``label`` (a generator is run to its end inside the count)."""
    inner: Callable[..., Any] | None = getattr(owner, name, None)
    if inner is None:  # an older builder without this stage
        return

    def counted(*args: Any, **kwargs: Any) -> Any:
        start = clock()
        try:
            return iter(list(inner(*args, **kwargs))) if generator else inner(*args, **kwargs)
        finally:
            _count(label, start)

    setattr(owner, name, counted)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", type=Path, help="a folder of case files (benchmarks/corpus.py writes one)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="casebook-profile-"))
    os.environ.update(CASEBOOK_JOBS="1", CASEBOOK_CACHE="1", CASEBOOK_CACHE_DIR=str(folder))
    start = clock()
    from builder import cache, load, validate
    from builder.model import Case

    imports = clock() - start
    _wrap(validate, "read_file", "read the file")
    _wrap(cache, "key", "cache key (SHA-256 of the bytes)")
    _wrap(load, "unusual", "`load.unusual` screen")
    if load.yaml_rs is not None:
        _wrap(load.yaml_rs, "loads", "parse (yaml-rs)")
    _wrap(validate, "_case_problems", "rules inside one case", generator=True)
    _wrap(validate.CaseSummary, "of", "summary for the rules across files")
    _wrap(cache, "put", "cache writes")
    _wrap(cache, "put_many", "cache writes")
    model_validate = Case.model_validate.__func__

    def validated(cls: type, *args: Any, **kwargs: Any) -> Any:
        start = clock()
        try:
            return model_validate(cls, *args, **kwargs)
        finally:
            _count("schema (`Case.model_validate`)", start)

    Case.model_validate = classmethod(validated)  # type: ignore[method-assign]
    began = [0.0]
    gc.callbacks.append(
        lambda phase, _: began.__setitem__(0, clock()) if phase == "start" else _count("garbage collector", began[0])
    )
    files = sorted(args.cases.glob("*.yaml"))
    validate._MAIN[0] = -1  # as in a worker: raw data is not kept for a build
    start = clock()
    results = validate._run(files, False, False)
    total, stages = clock() - start, dict(spent)
    start = clock()
    validate.cross_file_problems([r[1] for r in results if r[1] is not None])
    cross = clock() - start
    start = clock()
    lists, _ = validate.check_reading_lists(args.cases / "reading-lists", {p.stem for p in files})
    reading = clock() - start
    shutil.rmtree(folder, ignore_errors=True)
    n = max(1, len(files))
    print(f"| stage (one worker, {len(files)} files) | CPU ms a file |\n| --- | ---: |")
    for label, seconds in sorted(stages.items(), key=lambda kv: -kv[1]):
        print(f"| {label} | {seconds / n * 1000:.3f} |")
    print(f"| everything else (decoding, calls, freeing the data) | {(total - sum(stages.values())) / n * 1000:.3f} |")
    print(f"| **total** | **{total / n * 1000:.3f}** |")
    print(
        f"\nCalling process alone: imports {imports * 1000:.0f} ms, rules across files {cross * 1000:.0f} ms, "
        f"{len(lists)} reading lists {reading * 1000:.0f} ms."
    )


if __name__ == "__main__":
    main()
