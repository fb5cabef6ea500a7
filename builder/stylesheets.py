"""The site's own stylesheets served as one file (issue #12).

mkdocs.yml lists the casebook's stylesheets one by one (``extra_css``), which is how they are best edited;
every page of the site would then carry one ``<link>`` per file (ten, about 760 bytes a page, and ten
requests before first paint). The MkDocs adapter (``builder.plugin``) lists :data:`BUNDLE` instead and
writes it with :func:`bundle`: the same files, in the same order, so the cascade is unchanged. Every
bundled file sits in the bundle's folder, so a relative ``url()`` in any of them still points where it did.
The source files are still copied into the site, for anyone who links them directly.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

#: The one stylesheet every page links instead of the files it bundles (relative to the docs folder).
BUNDLE = "assets/stylesheets/casebook.bundle.css"


def bundled(extra_css: list[str], docs_dir: Path) -> list[str]:
    """The entries of ``extra_css`` that go into the bundle: local files in the bundle's folder that exist.

    ``extra_css`` as in mkdocs.yml (paths relative to ``docs_dir``); a web address, a file elsewhere or a
    missing file is left as its own ``<link>``. Returns the bundled paths in their order in ``extra_css``.
    """
    folder = PurePosixPath(BUNDLE).parent
    return [
        path
        for path in extra_css
        if "://" not in path
        and not path.startswith("/")
        and PurePosixPath(path).parent == folder
        and path != BUNDLE
        and (docs_dir / path).is_file()
    ]


def links(extra_css: list[str], docs_dir: Path) -> list[str]:
    """``extra_css`` with its bundled files replaced by :data:`BUNDLE`, at the place of the first of them."""
    inside = set(bundled(extra_css, docs_dir))
    if not inside:
        return list(extra_css)
    out: list[str] = []
    for path in extra_css:
        if path not in inside:
            out.append(path)
        elif BUNDLE not in out:
            out.append(BUNDLE)
    return out


def bundle(paths: list[str], docs_dir: Path) -> str:
    """The text of the bundle: each file of ``paths`` (relative to ``docs_dir``) in order, under a comment
    naming it. Deterministic: the same files give the same bytes. Raises OSError if a file cannot be read."""
    parts = []
    for path in paths:
        text = (docs_dir / path).read_text("utf-8").strip("\n")
        parts.append(f"/* {PurePosixPath(path).name} */\n{text}\n")
    return "".join(parts)
