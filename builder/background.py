"""Run one function in a forked child process while this process goes on with other work.

In: a module-level function and its argument. Out: a handle whose ``result()`` is
``fn(arg)``, exactly as a call in this process would give it. Used by the pipeline
to make the downloads (``builder.downloads``) while the case pages are rendered,
so that on two cores the two overlap instead of following each other.

The child is forked only when that is safe and worth it (the same conditions as
``builder.workers``: more than one core, no other thread in this process, and
``fork`` available); otherwise, and whenever the child fails in any way (an
exception, a crash, a result that cannot be pickled), ``result()`` calls ``fn``
here, so an error is raised where a plain call would raise it. The result comes
back pickled through a pipe, read only when ``result()`` is called.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from builder import workers

A = TypeVar("A")
R = TypeVar("R")

#: The first byte the child writes: its result follows, or it failed (the parent then calls ``fn`` itself).
_OK = b"+"
_FAILED = b"-"


class Pending(Generic[R]):
    """A call of ``fn(arg)`` running in a child process, or left for ``result`` to make here."""

    def __init__(self, fn: Callable[[Any], R], arg: Any, pid: int | None, fd: int | None) -> None:
        self._fn, self._arg, self._pid, self._fd = fn, arg, pid, fd

    def result(self) -> R:
        """``fn(arg)``: the child's result when it made one, else computed here (raising any error here)."""
        data = b""
        try:
            if self._fd is not None:
                with os.fdopen(self._fd, "rb") as pipe:
                    self._fd = None
                    data = pipe.read()
        finally:
            self.cancel()
        if data[:1] == _OK:
            with contextlib.suppress(Exception):
                return pickle.loads(data[1:])  # noqa: S301 - written by our own forked child
        return self._fn(self._arg)

    def cancel(self) -> None:
        """Stop the child (if still running) and reap it; ``result`` after this computes here."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        if self._pid is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._pid, 0)
            self._pid = None


def start(fn: Callable[[A], R], arg: A) -> Pending[R]:
    """Start ``fn(arg)`` in a forked child when that is safe and there is a second core; see the module."""
    if workers.jobs() < 2 or threading.active_count() > 1 or not hasattr(os, "fork"):
        return Pending(fn, arg, None, None)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, and leave without running the parent's exit handlers
        code = 0
        try:
            os.close(read)
            try:
                payload = _OK + pickle.dumps(fn(arg), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:  # noqa: BLE001 - the parent computes it again and raises there
                payload, code = _FAILED, 1
            view = memoryview(payload)
            while view:
                view = view[os.write(write, view) :]
        finally:
            os._exit(code)
    os.close(write)
    return Pending(fn, arg, pid, read)
