"""Site and analysis commands of the CLI: build, serve, markdown, analyze, diagnose, new."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from builder.problems import summary_line

CONFIG = Path("mkdocs.yml")


def _problems_or_none(cases: Path) -> bool:
    """Validate first, so problems are printed plainly and nothing is built."""
    from builder.validate import check_paths

    checked = check_paths([cases], models=False)  # the build reads the models again, from the cache
    for problem in checked.problems:
        print(problem.format())
    if checked.problems:
        print(summary_line(checked.problems) + "; nothing was built", file=sys.stderr)
        return True
    if checked.files == 0:
        print(f"no case files found in {cases}", file=sys.stderr)
        return True
    _print_warnings(checked.warnings)
    return False


def _print_warnings(warnings: list) -> None:
    """Print the warnings of the cases (markup in a text): they are shown, but they do not stop the build."""
    for warning in warnings:
        print(warning.format())
    if warnings:
        print(
            f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''}; the site is built all the same",
            file=sys.stderr,
        )


#: A file that marks a folder as output that casebook wrote, so that it may be replaced.
OUTPUT_MARK = ".casebook-output"


def unsafe_output(out: Path, project: list[Path], sources: list[Path]) -> str | None:
    """Why writing into ``out`` (which is first removed) could destroy something, or None if it cannot.

    ``out`` may not be or contain the working folder, a ``project`` folder or a ``sources`` folder (the docs and
    the cases), nor lie inside a ``sources`` folder. An existing ``out`` must be a folder that is empty, a site
    MkDocs built (it has ``sitemap.xml`` and ``404.html``) or output casebook wrote (it has ``OUTPUT_MARK``).
    """
    target = out.resolve()
    for folder in (Path.cwd(), *project, *sources):
        folder = folder.resolve()
        if target == folder or folder.is_relative_to(target):
            return f"{out} is or contains {folder}, which would be deleted"
    for folder in sources:
        if target.is_relative_to(folder.resolve()):
            return f"{out} lies inside {folder}, whose files it would mix with"
    if target.exists() and not target.is_dir():
        return f"{out} is a file, not a folder"
    if target.is_dir() and any(target.iterdir()):
        ours = (target / OUTPUT_MARK).exists() or ((target / "sitemap.xml").exists() and (target / "404.html").exists())
        if not ours:
            return f"{out} is a folder that casebook did not write; name a new or empty folder"
    return None


def _refuse(out: Path, args: argparse.Namespace) -> bool:
    """Print why ``out`` is refused and return True, or return False if it is safe to write there."""
    from builder.plugin import docs_dir

    reason = unsafe_output(out, [args.config.parent], [docs_dir(args.config), args.cases])
    if reason:
        print(f"refusing to write there: {reason}; nothing was changed", file=sys.stderr)
    return reason is not None


def cmd_build(args: argparse.Namespace) -> int:
    """Build the site into site/ (the old site stays if the build fails)."""
    if _refuse(args.site_dir, args) or _problems_or_none(args.cases):
        return 1
    from builder.plugin import build_site

    error = build_site(args.config, args.site_dir, strict=not args.no_strict, cases_dir=args.cases)
    if error:
        print(f"build failed: {error}; the previous site was left as it was", file=sys.stderr)
        return 1
    print(f"built {args.site_dir}/")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Serve the site locally, rebuilding when a case changes."""
    import logging

    from builder.plugin import serve_site

    # What the server does (its address, each build or refresh, problems) is told on stderr, as `mkdocs serve` does.
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    serve_site(args.config, args.dev_addr)
    return 0


def cmd_markdown(args: argparse.Namespace) -> int:
    """Write the hand-written docs and every generated page as plain files, for other builders."""
    from builder.pipeline import build_pages
    from builder.plugin import docs_dir

    if _refuse(args.out, args):
        return 1
    site = build_pages(args.cases)
    if site.problems:
        for problem in site.problems:
            print(problem.format())
        print(summary_line(site.problems) + "; nothing was written", file=sys.stderr)
        return 1
    out: Path = args.out
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(docs_dir(args.config), out)
    (out / OUTPUT_MARK).write_text("Written by casebook markdown; casebook may replace this folder.\n", "utf-8")
    for path, page in site.pages.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.to_markdown(), "utf-8")
    for path, data in site.files.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    print(f"wrote {len(site.pages)} generated pages and {len(site.files)} files into {out}/")
    return 0


def register(sub) -> None:
    """Add the commands defined here to the CLI's sub-parsers."""
    p = sub.add_parser("build", help="build the site into site/ from cases/")
    p.add_argument("--cases", type=Path, default=Path("cases"), help="folder of case files (default: cases/)")
    p.add_argument("--config", type=Path, default=CONFIG, help="MkDocs configuration (default: mkdocs.yml)")
    p.add_argument("--site-dir", type=Path, default=Path("site"), help="output folder (default: site/)")
    p.add_argument("--no-strict", action="store_true", help="do not treat MkDocs warnings as errors")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser(
        "serve", help="serve the site locally and rebuild what changes (cases, reading lists, pages, vocabularies)"
    )
    p.add_argument("--config", type=Path, default=CONFIG, help="MkDocs configuration (default: mkdocs.yml)")
    p.add_argument("--dev-addr", default=None, help="address to serve on (default: 127.0.0.1:8000)")
    p.set_defaults(func=cmd_serve)

    p = sub.add_parser("markdown", help="write all pages as plain Markdown, for another site builder")
    p.add_argument("--cases", type=Path, default=Path("cases"), help="folder of case files (default: cases/)")
    p.add_argument("--config", type=Path, default=CONFIG, help="MkDocs configuration (default: mkdocs.yml)")
    p.add_argument("--out", type=Path, required=True, help="folder to write (replaced if it exists)")
    p.set_defaults(func=cmd_markdown)
    register_more(sub)


def cmd_analyze(args: argparse.Namespace) -> int:
    """Print what the analysis finds in one case."""
    import json

    from builder import analyze
    from builder.validate import check_paths

    path = (
        args.case
        if args.case.suffix in (".yaml", ".yml") or args.case.exists()
        else (Path("cases") / f"{args.case}.yaml")
    )
    checked = check_paths([path])
    if checked.problems:
        for problem in checked.problems:
            print(problem.format())
        print(summary_line(checked.problems), file=sys.stderr)
        return 1
    case = checked.cases[0]
    result = analyze.analyze(case)
    if args.json:
        print(json.dumps(analyze.analysis_data(result), indent=2, ensure_ascii=False, sort_keys=True))
        return 0
    print(f"{case.title}\n{'=' * len(case.title)}")
    for sentence in analyze.summarize(result):
        print(f"- {sentence}")
    return 0


def cmd_diagnose(args: argparse.Namespace) -> int:
    """Map a practitioner's situation: candidate deals, one-way dependences, conveners."""
    from builder.situation import check_situation_file, diagnose, format_report

    if args.example:
        print((Path(__file__).parent / "templates" / "situation.yaml").read_text("utf-8"), end="")
        return 0
    if args.situation is None:
        print("name a situation file, or use --example to print one to start from", file=sys.stderr)
        return 2
    situation, problems = check_situation_file(args.situation)
    if problems or situation is None:
        for problem in problems:
            print(problem.format())
        print(summary_line(problems), file=sys.stderr)
        return 1
    print(format_report(diagnose(situation)))
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    """Write a new case file from the commented template."""
    import re

    from builder.problems import quote
    from builder.validate import RESERVED_IDS

    slug = args.slug
    slug_form = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
    if not slug_form.fullmatch(slug) or len(slug) > 80 or slug in RESERVED_IDS:
        bare = Path(slug).stem if Path(slug).suffix.lower() in (".yaml", ".yml") else ""
        print(
            f"{quote(slug, limit=90)} is not a valid case id: use lower-case letters, digits and single hyphens, "
            "at most 80 characters and not 'index', such as vancouver-agreement"
            + (f" (the id without .yaml: casebook new {bare})" if slug_form.fullmatch(bare) else ""),
            file=sys.stderr,
        )
        return 1
    if args.cases.exists() and not args.cases.is_dir():
        print(f"{args.cases} is a file; --cases names the folder of case files", file=sys.stderr)
        return 1
    if not args.cases.is_dir() and args.cases == Path("cases"):  # outside the casebook, where nothing reads it
        print(
            f"there is no folder {args.cases} in {Path.cwd()}: run casebook new in the casebook's folder (the one "
            "that holds cases/), or name the folder of case files with --cases",
            file=sys.stderr,
        )
        return 1
    target = args.cases / f"{slug}.yaml"
    if target.exists() or target.is_symlink():
        print(f"{target} already exists; edit it, or choose another id", file=sys.stderr)
        return 1
    template = (Path(__file__).parent / "templates" / "case.yaml").read_text("utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(template.replace("{slug}", slug), "utf-8")
    print(f"wrote {target}\nnext: fill it in from your sources, then run: casebook validate {target} --report")
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    """Upgrade case files to the current version of the case model, in place, and list what to add by hand."""
    from builder.load import load_bytes, load_text, read_file
    from builder.migrate import CURRENT, advice, migrate_text
    from builder.validate import case_files, is_reading_list

    files = case_files(args.paths)
    if not files:
        print("no case files found", file=sys.stderr)
        return 1
    failed = 0
    for path in files:
        if is_reading_list(path):
            print(f"{path}: a reading list, which has no schema_version: nothing to migrate")
            continue
        data, problems = read_file(path)  # never a link, device or pipe, never more than the size limit
        if data is not None:
            problems = load_bytes(data, path)[1]  # not UTF-8, or not YAML: said as validate says it
        if data is None or problems:
            for problem in problems:
                print(problem.format(), file=sys.stderr)
            failed += 1
            continue
        try:
            result = migrate_text(data.decode("utf-8"))
        except ValueError as exc:
            print(f"{path}: {exc}", file=sys.stderr)
            failed += 1
            continue
        if result.changed and not args.check:
            path.write_bytes(result.text.encode("utf-8"))  # line endings and everything else as they were
        state = (
            f"already version {CURRENT}"
            if not result.changed
            else f"version {result.before} -> {result.after}" + (" (not written: --check)" if args.check else "")
        )
        print(f"{path}: {state}")
        raw, _ = load_text(result.text, path)
        for item in advice(raw.data if raw and isinstance(raw.data, dict) else {}):
            print(f"  to do: {item}")
        failed += bool(args.check and result.changed)
    return 1 if failed else 0


def register_more(sub) -> None:
    p = sub.add_parser("analyze", help="print what the analysis finds in one case")
    p.add_argument("case", type=Path, help="a case id (looked up in cases/) or a case file")
    p.add_argument("--json", action="store_true", help="print the full analysis as JSON")
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser("diagnose", help="find candidate deals in your own situation file")
    p.add_argument("situation", type=Path, nargs="?", help="a situation file (start from --example)")
    p.add_argument("--example", action="store_true", help="print an example situation file to start from")
    p.set_defaults(func=cmd_diagnose)

    p = sub.add_parser("migrate", help="upgrade case files to the current version of the case model")
    p.add_argument(
        "paths", nargs="*", type=Path, default=[Path("cases")], help="case files or folders (default: cases/)"
    )
    p.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file needs upgrading")
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("new", help="start a new case from the commented template")
    p.add_argument("slug", help="the case id, which is also the file name, e.g. vancouver-agreement")
    p.add_argument("--cases", type=Path, default=Path("cases"), help="folder of case files (default: cases/)")
    p.set_defaults(func=cmd_new)

    from builder import export

    export.register(sub)
