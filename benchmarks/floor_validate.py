"""The floor of a cold ``casebook validate`` with this design: parse and build the models, nothing else.

Each ``*.yaml`` file of a folder is read, parsed by the parser the builder's fast path uses (yaml-rs, with
``parse_datetime=False`` as in ``builder.load``) and validated by ``Case.model_validate``, in the same forked
workers as ``casebook validate`` (``builder.workers.run``, with the garbage collector off in each file as
``builder.load.no_gc`` does), after building the schema's validator and reading the code lists in the calling
process before the workers fork, as ``builder.validate`` does. Left out, on purpose: the screen of YAML features
(``load.unusual``), positions, the rules inside a case and across cases, the reading lists, the warnings, the
cache and the report. So no ``casebook validate`` that parses with yaml-rs and builds pydantic models can be faster
than this, on the same machine in the same run.

    .venv/bin/python benchmarks/floor_validate.py FOLDER     # prints how many files were validated

``benchmarks/run.py`` runs it in a fresh process, as it runs ``casebook validate``, so that both pay the start-up
of Python and the imports. Prints nothing else; no test depends on a timing.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml_rs  # noqa: E402

from builder.load import no_gc  # noqa: E402
from builder.model import Case, load_code_lists  # noqa: E402
from builder.workers import run  # noqa: E402


def check(path: str) -> bool:
    """Parse and validate one file: True when it fits the model, False when it does not parse or fit."""
    with no_gc():
        try:
            Case.model_validate(yaml_rs.loads(Path(path).read_bytes().decode("utf-8"), parse_datetime=False))
        except ValueError:  # yaml_rs.YAMLDecodeError and pydantic's ValidationError are both ValueErrors
            return False
    return True


def main(argv: list[str]) -> int:
    folder = Path(argv[0])
    paths = sorted(str(p) for p in folder.glob("*.yaml"))
    load_code_lists()  # as casebook validate does before it forks: once here, not once in every worker
    Case.model_rebuild()  # the validator too (built at first use otherwise: defer_build in model.Model)
    valid = sum(run(check, paths))
    print(f"{valid} of {len(paths)} files fit the model")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
