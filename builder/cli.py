"""The ``casebook`` command line: validate, build, serve and more.

Each command calls the pipeline stages; user errors are printed as problems
(file:line:col, code, message, fix) and never as tracebacks.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from builder import __version__
from builder.problems import UsageError, summary_line

DEFAULT_CASES = Path("cases")


def _print_problems(problems, fmt: str) -> None:
    for problem in problems:
        print(problem.format_github() if fmt == "github" else problem.format())
    if problems:
        print(summary_line(problems), file=sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    """Check case files and print every problem."""
    from builder.validate import check_paths

    checked = check_paths(args.paths or [DEFAULT_CASES], models=bool(args.report), keep=bool(args.report))
    if checked.files == 0 and checked.list_files == 0:
        print(f"no case files found in {', '.join(map(str, args.paths or [DEFAULT_CASES]))}", file=sys.stderr)
        return 1
    _print_problems(checked.problems, args.format)
    warnings = checked.warnings
    for warning in warnings:  # reported, but they leave the cases valid
        print(warning.format_github() if args.format == "github" else warning.format())
    if args.report:
        from builder.completeness import completeness, format_report

        for case in checked.cases:
            print(format_report(case, completeness(case)))
    if checked.problems:
        return 1
    if args.format == "text":
        noted = f" ({len(warnings)} warning{'s' if len(warnings) != 1 else ''})" if warnings else ""
        valid = [f"{checked.valid} case{'s' if checked.valid != 1 else ''}"] if checked.files else []
        if checked.list_files or checked.reading_lists:  # named on their own, or in the folder of cases checked
            count = len(checked.reading_lists)
            valid.append(f"{count} reading list{'s' if count != 1 else ''}")
        print(f"ok: {' and '.join(valid)} valid{noted}")
    return 0


def cmd_export_schema(args: argparse.Namespace) -> int:
    """Write the JSON Schemas in schema/ from the models (or check that they are current)."""
    from builder.schema_export import schema_files

    stale = [path for path, text in schema_files().items() if not path.exists() or path.read_text("utf-8") != text]
    if args.check:
        for path in stale:
            print(f"{path} is stale. Run: casebook export-schema", file=sys.stderr)
        if not stale:
            print("schemas are current")
        return 1 if stale else 0
    for path, text in schema_files().items():
        path.write_text(text, "utf-8")
        print(f"wrote {path}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="casebook", description="Build and check the Makeable Deals casebook.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check case files and report every problem")
    p.add_argument("paths", nargs="*", type=Path, help="case files or folders (default: cases/)")
    p.add_argument(
        "--format",
        choices=["text", "github"],
        default="text",
        help="text for people, github for pull-request annotations",
    )
    p.add_argument("--report", action="store_true", help="also print what each case is missing")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("export-schema", help="write the JSON Schemas in schema/ from the models")
    p.add_argument("--check", action="store_true", help="only check that the committed schema is current")
    p.set_defaults(func=cmd_export_schema)
    _add_site_commands(sub)
    for choice in sub._choices_actions:  # `casebook COMMAND --help` opens with the line the command list shows
        command = sub.choices[choice.dest]
        command.description = command.description or choice.help[:1].upper() + choice.help[1:] + "."
    return parser


def _add_site_commands(sub) -> None:
    from builder import commands

    commands.register(sub)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except UsageError as exc:
        print(f"casebook {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into head or similar: stop quietly
        sys.stderr.close()
        return 1
