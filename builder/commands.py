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

    checked = check_paths([cases])
    for problem in checked.problems:
        print(problem.format())
    if checked.problems:
        print(summary_line(checked.problems) + "; nothing was built", file=sys.stderr)
        return True
    if checked.files == 0:
        print(f"no case files found in {cases}", file=sys.stderr)
        return True
    return False


def cmd_build(args: argparse.Namespace) -> int:
    """Build the site into site/ (the old site stays if the build fails)."""
    if _problems_or_none(args.cases):
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
    from builder.plugin import serve_site

    serve_site(args.config, args.dev_addr)
    return 0


def cmd_markdown(args: argparse.Namespace) -> int:
    """Write the hand-written docs and every generated page as plain files, for other builders."""
    from builder.pipeline import build_pages
    from builder.plugin import docs_dir

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

    p = sub.add_parser("serve", help="serve the site locally and rebuild when a case changes")
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
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False, sort_keys=True))
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

    slug = args.slug
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug):
        print(
            f"'{slug}' is not a valid case id: use lower-case letters, digits and single hyphens, "
            "such as vancouver-agreement",
            file=sys.stderr,
        )
        return 1
    target = args.cases / f"{slug}.yaml"
    if target.exists():
        print(f"{target} already exists; edit it, or choose another id", file=sys.stderr)
        return 1
    template = (Path(__file__).parent / "templates" / "case.yaml").read_text("utf-8")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(template.replace("{slug}", slug), "utf-8")
    print(f"wrote {target}\nnext: fill it in from your sources, then run: casebook validate {target} --report")
    return 0


def register_more(sub) -> None:
    p = sub.add_parser("analyze", help="print what the analysis finds in one case")
    p.add_argument("case", type=Path, help="a case id (looked up in cases/) or a case file")
    p.add_argument("--json", action="store_true", help="print the full analysis as JSON")
    p.set_defaults(func=cmd_analyze)

    p = sub.add_parser("diagnose", help="find candidate deals in your own situation file")
    p.add_argument("situation", type=Path, nargs="?", help="a situation file (start from --example)")
    p.add_argument("--example", action="store_true", help="print an example situation file to start from")
    p.set_defaults(func=cmd_diagnose)

    p = sub.add_parser("new", help="start a new case from the commented template")
    p.add_argument("slug", help="the case id, which is also the file name, e.g. vancouver-agreement")
    p.add_argument("--cases", type=Path, default=Path("cases"), help="folder of case files (default: cases/)")
    p.set_defaults(func=cmd_new)
