"""Compact copies of Material's theme templates, for the slimmer chrome of every page (issue #12).

Material's templates are indented for reading, and every page carries that indentation: about a quarter
of a case page's theme chrome was spaces and line breaks. `compact(source)` rewrites a template so that
it renders the same markup with less whitespace: each line loses its indentation, and a line that is only
a Jinja statement (``{% if %}``, ``{% for %}``, ``{% include %}``...) trims the whitespace on both sides.
Statements inside a line of markup (between attributes, say) are left as they are, so no attribute runs
into the next. Text lines stay separate lines, so no two words or inline elements run together.

``python tests/theme_compact.py`` writes the copies into ``overrides/``; tests/test_theme_chrome.py checks
that each copy is Material's template but for whitespace (and the marked casebook changes).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OVERRIDES = ROOT / "overrides"

# Material's templates copied in compact form; the ones the casebook changes are listed in CHANGED.
COPIED = (
    "base.html",
    "partials/tabs.html",
    "partials/tabs-item.html",
    "partials/nav.html",
    "partials/nav-item.html",
    "partials/toc.html",
    "partials/footer.html",
    "partials/copyright.html",
    "partials/social.html",
    "partials/top.html",
    "partials/palette.html",
    "partials/logo.html",
    "partials/content.html",
)

HEADER = (
    "{#-\n  Material's {name}, in compact form (tests/theme_compact.py writes it, tests/test_theme_chrome.py\n"
    "  checks it is Material's template but for whitespace): the same markup with less whitespace on every page.\n-#}\n"
)

STATEMENT = re.compile(r"^\{%-?\s.*?\s-?%\}$|^\{#-?.*-?#\}$", re.S)


def material_templates() -> Path:
    """The folder of Material's own templates in the installed mkdocs-material."""
    import material

    return Path(material.__file__).parent / "templates"


def compact(source: str) -> str:
    """Return `source` (a Jinja template of HTML) with its layout whitespace removed; same rendered markup.

    A line that is one whole Jinja statement or comment gets ``-`` on both delimiters; every line loses its
    leading and trailing spaces; empty lines go. Multi-line statements (a dict literal) keep their lines.
    """
    out = []
    for line in source.splitlines():
        text = line.strip()
        if not text:
            continue
        if STATEMENT.match(text) and text.count("{%") + text.count("{#") == 1:
            if text.startswith("{%"):
                text = re.sub(r"^\{%-?", "{%-", text)
                text = re.sub(r"-?%\}$", "-%}", text)
        out.append(text)
    return "\n".join(out) + "\n"


def strip_comments(source: str) -> str:
    """`source` without Jinja comments."""
    return re.sub(r"\{#.*?#\}", "", source, flags=re.S)


def normalized(source: str) -> str:
    """A template's text with comments, whitespace and whitespace-control dashes removed, for comparison."""
    text = strip_comments(source)
    text = re.sub(r"\{%-|\{%", "{%", text)
    text = re.sub(r"-%\}|%\}", "%}", text)
    text = re.sub(r"\{\{-", "{{", text)
    text = re.sub(r"-\}\}", "}}", text)
    return re.sub(r"\s+", "", text)


def write() -> None:
    """Write the compact copies of `COPIED` into overrides/ from the installed Material."""
    theirs = material_templates()
    for name in COPIED:
        source = strip_comments((theirs / name).read_text("utf-8")).lstrip()
        target = OVERRIDES / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(HEADER.replace("{name}", name) + compact(source), "utf-8")


if __name__ == "__main__":
    write()
    sys.exit(0)
