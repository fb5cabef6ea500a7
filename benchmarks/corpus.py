"""A deterministic corpus of real-size cases for the benchmarks: replicas of the real case files.

Run: python benchmarks/corpus.py OUT_DIR --cases 1000

The real cases in ``cases/`` (19 files of about 45-70 KB of YAML) are copied in
groups: group ``g`` holds one replica of every real case, with the id
``<real id>-r<g>`` (four digits) and the title ``<real title> (replica g)``, so
every id and title is unique and every file has the size, structure and text of
a real case. References between cases are kept consistent: a ``related:`` entry
naming a real case names that case's replica in the same group (or in group 0
when the last, partial group lacks it), and each full group gets a copy of the
real reading lists (``cases/reading-lists/``) naming its own replicas, so the
corpus has reading lists and packets in the same proportion as the real casebook.

The output depends only on ``n`` and the real files: the same call writes the
same bytes.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT / "cases"

_CASE_REF = re.compile(r"(?m)^(\s*-?\s*case:\s*)([a-z0-9-]+)\s*$")


def real_cases() -> list[tuple[str, str]]:
    """The real cases as (id, text), in file-name order."""
    return [(p.stem, p.read_text("utf-8")) for p in sorted(REAL.glob("*.yaml"))]


def replica_id(real_id: str, group: int) -> str:
    """The id of the replica of ``real_id`` in ``group``: ``<real id>-r0007``."""
    return f"{real_id}-r{group:04d}"


def _map_refs(text: str, group: int, present: set[str]) -> str:
    """Point every ``case: <real id>`` line at the replica of that case in ``group`` (group 0 if absent)."""

    def sub(match: re.Match[str]) -> str:
        ident = match.group(2)
        target = replica_id(ident, group)
        if target not in present:
            target = replica_id(ident, 0)
        return match.group(1) + target

    return _CASE_REF.sub(sub, text)


def write_corpus(folder: Path, n: int, lists: bool = True) -> list[str]:
    """Write ``n`` replica case files (and reading lists) into ``folder``; return the case ids in order.

    ``folder`` is created if needed; files already in it with the same names are replaced.
    """
    folder.mkdir(parents=True, exist_ok=True)
    reals = real_cases()
    real_ids = {ident for ident, _ in reals}
    plan = [(i // len(reals), *reals[i % len(reals)]) for i in range(n)]
    present = {replica_id(ident, g) for g, ident, _ in plan}
    for group, ident, text in plan:
        new = replica_id(ident, group)
        text = re.sub(r"(?m)^id: .*$", f"id: {new}", text, count=1)
        text = re.sub(
            r"(?m)^(title: )(.*)$", lambda m, g=group: f"{m.group(1)}{m.group(2)} (replica {g})", text, count=1
        )
        text = _map_refs(text, group, present) if "case:" in text else text
        folder.joinpath(f"{new}.yaml").write_text(text, "utf-8")
    if lists:
        _write_lists(folder / "reading-lists", n // len(reals), real_ids)
    return [replica_id(ident, g) for g, ident, _ in plan]


def _write_lists(folder: Path, groups: int, real_ids: set[str]) -> None:
    """One copy of every real reading list per full group, naming that group's replicas."""
    sources = sorted((REAL / "reading-lists").glob("*.yaml"))
    if not sources or groups == 0:
        return
    folder.mkdir(parents=True, exist_ok=True)
    for group in range(groups):
        present = {replica_id(ident, group) for ident in real_ids}
        for path in sources:
            text = path.read_text("utf-8")
            new = f"{path.stem}-r{group:04d}"
            text = re.sub(r"(?m)^id: .*$", f"id: {new}", text, count=1)
            text = re.sub(
                r'(?m)^(title: )"?(.*?)"?$', lambda m, g=group: f'{m.group(1)}"{m.group(2)} ({g})"', text, count=1
            )
            folder.joinpath(f"{new}.yaml").write_text(_map_refs(text, group, present), "utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--cases", type=int, default=100)
    parser.add_argument("--no-lists", action="store_true", help="no reading lists")
    args = parser.parse_args()
    ids = write_corpus(args.out, args.cases, lists=not args.no_lists)
    print(f"wrote {len(ids)} cases into {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
