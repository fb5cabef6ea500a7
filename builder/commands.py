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
    for path, text in site.pages.items():
        target = out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
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
