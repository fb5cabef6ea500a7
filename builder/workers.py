"""Run one function over many items in worker processes, when that pays off.

In: a module-level function and a list of picklable items. Out: the results, in
the order of the items, exactly as a plain loop would give them. Used for the
per-file work of validation and the per-case work of the pipeline.

Workers are forked (they start with the parent's modules already imported), and
only when: there are at least ``min_items`` items, the machine gives this process
more than one core, and the process runs no other thread (forking a process whose
other threads may hold a lock, such as the server of ``casebook serve``, can
deadlock the child). ``CASEBOOK_JOBS`` sets the number of workers (``1``: none).
"""

from __future__ import annotations

import gc
import os
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def jobs() -> int:
    """How many worker processes to use: ``CASEBOOK_JOBS``, else the cores this process may run on (at most 8)."""
    explicit = os.environ.get("CASEBOOK_JOBS", "")
    if explicit.isdigit() and int(explicit) > 0:
        return int(explicit)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, 8))


def run(fn: Callable[..., R], items: Sequence[Any], *extra: Any, min_items: int = 40) -> list[R]:
    """``[fn(item, *extra) for item in items]``, in forked workers when that is safe and worth it."""
    workers = min(jobs(), len(items))
    if len(items) < min_items or workers < 2 or threading.active_count() > 1 or not hasattr(os, "fork"):
        return [fn(item, *extra) for item in items]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, min(16, len(items) // (workers * 4)))
    gc.freeze()  # the workers share the parent's objects instead of copying them when they collect
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(fn, items, *([e] * len(items) for e in extra), chunksize=chunk))
    finally:
        gc.unfreeze()
