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

Many results at once (``put_many``, a cold ``casebook validate`` of many files) go
into a few pack files instead of one file each: creating a file cost more than
checking the case on the project's build machine. A pack holds the entries whose
keys start with one hex digit; ``get`` looks in the packs of that digit when an
entry has no file of its own, reading them once per process.
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
_LIBRARIES = (
    "pydantic",
    "pydantic-core",
    "PyYAML",
    "yaml-rs",
    "networkx",
    "Jinja2",
    "MarkupSafe",
    "pycountry",
    "babel",
)


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
    # SHA-256 (cut to 160 bits): with the processor's SHA instructions, which OpenSSL uses, twice as fast as
    # BLAKE2b on a case file's 50 KB (0.03 ms a file instead of 0.06 for ``casebook validate``).
    digest = hashlib.sha256(code_key().encode() + b"\0" + kind.encode() + b"\0")
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()[:40]


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


def holds(kind: str) -> bool:
    """False when ``get`` of ``kind`` is sure to miss: nothing remembered, and no cache folder for ``kind`` (the
    cache is off, or empty as on a first run). A cold check then skips looking up each file (a failed ``open``
    and a search of the packs, about 0.02 ms a file)."""
    if _REMEMBER and any(k == kind for k, _ in _MEMORY):
        return True
    folder = cache_dir()
    return folder is not None and (folder / kind).is_dir()


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
    except FileNotFoundError:
        value = _packed(folder, kind, entry[:1]).get(entry)
        if value is None:
            return None
    except Exception:  # noqa: BLE001 - a damaged entry is a miss
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


#: The entries of the packs read in this process, by (cache folder, kind, first hex digit of their keys).
_PACKS: dict[tuple[str, str, str], dict[str, Any]] = {}


def _pack_folder(folder: Path, kind: str, digit: str) -> Path:
    """Where the packs of ``kind`` for keys starting with ``digit`` live; per code version, so that packs written by
    other code are never read."""
    return folder / kind / "packs" / code_key()[:16] / digit


def _packed(folder: Path, kind: str, digit: str) -> dict[str, Any]:
    """Every entry in the packs of ``kind`` for keys starting with ``digit`` (read once per process; a damaged
    pack is skipped)."""
    slot = (os.fspath(folder), kind, digit)
    if slot not in _PACKS:
        found: dict[str, Any] = {}
        try:
            names = sorted(os.listdir(_pack_folder(folder, kind, digit)))
        except OSError:
            names = []
        for name in names:
            if name.startswith("."):
                continue
            try:
                with (_pack_folder(folder, kind, digit) / name).open("rb") as handle:
                    found.update(pickle.load(handle))
            except Exception:  # noqa: BLE001 - a damaged pack is a miss for its entries
                continue
        _PACKS[slot] = found
    return _PACKS[slot]


def put_many(kind: str, entries: dict[str, Any]) -> None:
    """Store many results at once (``entries``: key from ``key`` -> value), in at most 16 new files (packs).

    Same as ``put`` for each entry, as ``get`` sees it; a cache that cannot be written is silently skipped. Each
    pack has a new unique name, so writers never meet; nothing is ever removed (as with ``put``).
    """
    if _REMEMBER:
        _MEMORY.update(((kind, entry), value) for entry, value in entries.items())
    folder = cache_dir()
    if folder is None:
        return
    groups: dict[str, dict[str, Any]] = {}
    for entry, value in entries.items():
        groups.setdefault(entry[:1], {})[entry] = value
    for digit, group in sorted(groups.items()):
        target = _pack_folder(folder, kind, digit)
        name = f"{os.getpid()}-{os.urandom(6).hex()}"
        try:
            target.mkdir(parents=True, exist_ok=True, mode=0o700)
            _write(target, name, pickle.dumps(group, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            continue
        slot = (os.fspath(folder), kind, digit)
        if slot in _PACKS:
            _PACKS[slot].update(group)


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
