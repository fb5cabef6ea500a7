"""A cache of per-file results, keyed by the file's content and the builder's own code.

In: a kind of result (``"check"``, ``"case"``, ...), the bytes it was computed from
and the file's shown path. Out: the stored result, or ``None`` on a miss. Used by
validation (``builder.validate``) and the pipeline (``builder.pipeline``) so that
``casebook validate``, ``casebook build`` and ``casebook serve`` redo work only for
files that changed.

Why it is safe:

- **Stale code.** Every key includes ``code_key()``: a hash of every file of the
  ``builder`` package (code, templates), the vocabularies in ``schema/`` and the
  versions of Python and of the libraries whose output is stored. Changing any of
  them starts a fresh cache.
- **Untrusted files.** Results are stored with ``pickle``, which runs code when
  read, so the cache never lives in the repository (a pull request could add files
  there): it is ``$CASEBOOK_CACHE_DIR``, else ``$XDG_CACHE_HOME/casebook``, else
  ``~/.cache/casebook``, a folder of the user running the builder, created with
  mode 0700. ``CASEBOOK_CACHE=0`` turns the cache off.
- **Damage.** A file that cannot be read back is a miss; entries are written to a
  temporary name and renamed, so a reader never sees half a file.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import os
import pickle
import sys
from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent
_SCHEMA = _PACKAGE.parent / "schema"
_LIBRARIES = ("pydantic", "pydantic-core", "PyYAML", "yaml-rs", "networkx", "Jinja2", "MarkupSafe", "pycountry")


@functools.cache
def code_key() -> str:
    """A hash (hex, 64 characters) of the builder's code, templates, vocabularies and library versions."""
    digest = hashlib.sha256(sys.version.encode())
    for name in _LIBRARIES:
        try:
            found = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found = "?"
        digest.update(f"{name}={found}".encode())
    for folder in (_PACKAGE, _SCHEMA):
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def cache_dir() -> Path | None:
    """The cache folder, or ``None`` when caching is off (``CASEBOOK_CACHE=0``)."""
    if os.environ.get("CASEBOOK_CACHE", "1") == "0":
        return None
    explicit = os.environ.get("CASEBOOK_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "casebook"


def key(kind: str, *parts: bytes | str) -> str:
    """The cache key (hex) of a result of ``kind`` computed from ``parts`` by the current code."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(code_key().encode() + b"\0" + kind.encode() + b"\0")
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


#: Results also kept in this process's memory, by (kind, key), while ``remember`` is on (``casebook serve``).
_MEMORY: dict[tuple[str, str], Any] = {}
_REMEMBER = False


def remember(on: bool = True) -> None:
    """Keep results in memory as well (a long-running ``casebook serve``), or stop and forget them.

    Results are shared, not copied: callers must not change what ``get`` returns.
    """
    global _REMEMBER
    _REMEMBER = on
    if not on:
        _MEMORY.clear()


def get(kind: str, entry: str) -> Any | None:
    """The result stored under ``entry`` (from ``key``), or ``None``."""
    if _REMEMBER and (kind, entry) in _MEMORY:
        return _MEMORY[kind, entry]
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with (folder / kind / entry[:2] / entry).open("rb") as handle:
            value = pickle.load(handle)
    except Exception:  # noqa: BLE001 - a missing or damaged entry is a miss
        return None
    if _REMEMBER:
        _MEMORY[kind, entry] = value
    return value


def put(kind: str, entry: str, value: Any) -> None:
    """Store ``value`` under ``entry``; a cache that cannot be written is silently skipped."""
    if _REMEMBER:
        _MEMORY[kind, entry] = value
    folder = cache_dir()
    if folder is None:
        return
    target = folder / kind / entry[:2]
    try:
        _write(target, entry, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    except FileNotFoundError:  # the folder is new, or was removed meanwhile
        try:
            target.mkdir(parents=True, exist_ok=True, mode=0o700)
            _write(target, entry, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            return
    except OSError:
        return


def _write(folder: Path, name: str, data: bytes) -> None:
    """Write ``data`` to ``folder/name`` through a new temporary file, renamed into place when complete.

    The temporary name is unique (process id and random bytes) and created exclusively, with mode 0600. Plain
    system calls: ``tempfile.mkstemp`` and a file object cost a cold validation more than the write itself.
    """
    base = os.fspath(folder)
    tmp = f"{base}/.tmp-{os.getpid()}-{os.urandom(6).hex()}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
        finally:
            os.close(fd)
        os.replace(tmp, f"{base}/{name}")
    except BaseException:
        os.unlink(tmp)
        raise
