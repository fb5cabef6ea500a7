"""Templates: how every generated page becomes HTML, and how it reaches MkDocs.

All markup lives in Jinja2 templates under ``builder/templates/`` (pages at the top,
shared pieces in ``partials/`` and ``macros.html``). Python prepares plain view data
(text, numbers, lists, dicts) and calls :func:`render_page`; it never writes HTML.

Two decisions make contributor text safe by construction:

- **Autoescape is on** for every template, so a value is escaped unless a template marks
  it safe on purpose (none does for contributor text). A forgotten filter is then a
  harmless double escape, not a hole.
- **A generated page's body never goes through Markdown.** It is finished HTML
  (:class:`Page`), which the MkDocs adapter hands to the theme as the page's content, with
  a table of contents read from the page's own headings. So no Markdown punctuation in a
  case file can become a link, emphasis or raw HTML, and nothing needs backslashing.

The theme treats page titles and descriptions as HTML (Material prints
``page.meta.title``, ``page.title`` and ``page.meta.description`` without escaping, in
``<title>``, the header, the navigation and a ``<meta>`` attribute), so :class:`Page`
hands them over HTML-escaped (:meth:`Page.meta`), and the table of contents gets
escaped heading text.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from functools import cache, cached_property
from html.parser import HTMLParser
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

__all__ = [
    "Heading",
    "Page",
    "doc_blocks",
    "environment",
    "ends_sentence",
    "join_items",
    "paragraphs",
    "render_fragment",
    "render_page",
    "runs",
]


def paragraphs(text: str | None) -> list[str]:
    """Split plain text into paragraphs at blank lines, with runs of white space made single.

    >>> paragraphs("one\\nline\\n\\n  two  ")
    ['one line', 'two']
    """
    if not text:
        return []
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]


_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")


def ends_sentence(text: str) -> bool:
    """Whether ``text`` ends a sentence: ``.``, ``!``, ``?`` or ``…``, maybe closed by a quote or bracket.

    >>> ends_sentence("Widen the floodplain."), ends_sentence("Police (BPD)")
    (True, False)
    """
    return bool(_SENTENCE_END.search(text))


def join_items(items: list[str] | tuple[str, ...]) -> str:
    """Join items with ``"; "``, but with a space after an item that ends a sentence, so a full stop is never
    followed by a semicolon (``".;"``).

    >>> join_items(["Land.", "Money", "Permits."])
    'Land. Money; Permits.'
    """
    out = ""
    for i, item in enumerate(items):
        if i:
            out += " " if ends_sentence(out) else "; "
        out += item
    return out


@cache
def environment() -> Environment:
    """The one Jinja2 environment for generated pages: autoescape on, undefined names are errors."""
    env = Environment(
        loader=PackageLoader("builder", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False, "separators": (",", ":")}
    env.filters["paragraphs"] = paragraphs
    env.filters["join_items"] = join_items
    env.tests["sentence"] = ends_sentence
    return env


def render_fragment(template: str, **context: Any) -> str:
    """Render one template to an HTML string."""
    return environment().get_template(template).render(**context)


@dataclass(frozen=True)
class Heading:
    """A heading of a generated page: its level (1-6), element id and plain text."""

    level: int
    id: str
    text: str


class _Headings(HTMLParser):
    """Collects h1-h3 elements that have an id; the ¶ permalink inside a heading is left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[Heading] = []
        self._open: tuple[int, str, list[str]] | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("h1", "h2", "h3") and values.get("id"):
            self._open = (int(tag[1]), values["id"] or "", [])
        elif self._open and tag == "a" and "headerlink" in (values.get("class") or ""):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag == f"h{self._open[0]}":
            level, ident, text = self._open
            self.found.append(Heading(level, ident, " ".join("".join(text).split())))
            self._open = None
        elif self._skip and tag == "a":
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if self._open and not self._skip:
            self._open[2].append(data)


#: Markup in which a heading's start tag might not be one (comments, declarations, raw text elements).
_OPAQUE = re.compile(r"<[!?]|<(?:script|style|textarea|title|xmp|iframe|noembed|noframes|noscript|plaintext)\b", re.I)
_HEADING_START = re.compile(r"<h([1-3])[\t\n\r\f />]", re.I)
_HEADING_END = {level: re.compile(rf"</h{level}\s*>", re.I) for level in "123"}


def _headings_only(body: str) -> list[Heading] | None:
    """``_Headings`` fed only the h1-h3 elements of ``body`` (each from its start tag to its end tag), or ``None``.

    The same headings as parsing the whole body, at a small part of the cost (a case page is about 100 KB of
    which its headings are 2 KB). ``None`` (parse the whole body) when ``body`` has markup in which a heading's
    start tag might not be a tag, or a heading with no end tag.
    """
    if _OPAQUE.search(body):
        return None
    parser = _Headings()
    pos = 0
    while match := _HEADING_START.search(body, pos):
        close = _HEADING_END[match.group(1)].search(body, match.end())
        if close is None:
            return None
        parser.feed(body[match.start() : close.end()])
        pos = close.end()
    parser.close()
    return parser.found


@dataclass(frozen=True)
class Page:
    """One generated page: plain-text title and description, and a finished HTML body.

    ``title`` and ``description`` are plain text (they may hold any character); ``body``
    is HTML rendered from autoescaped templates. :meth:`meta` gives what the theme
    expects, and :attr:`headings` the table of contents.
    """

    title: str
    body: str
    description: str = ""

    @cached_property
    def headings(self) -> list[Heading]:
        """The page's h1-h3 elements that have an id, in order."""
        found = _headings_only(self.body)
        if found is not None:
            return found
        parser = _Headings()
        parser.feed(self.body)
        parser.close()
        return parser.found

    @cached_property
    def anchors(self) -> set[str]:
        """Every element id on the page (targets for ``#fragment`` links)."""
        return set(re.findall(r'\sid="([^"]+)"', self.body))

    def meta(self) -> dict[str, str]:
        """Title and description for the theme, HTML-escaped: the theme prints both as HTML."""
        out = {"title": html.escape(self.title, quote=True)}
        if self.description:
            out["description"] = html.escape(self.description, quote=True)
        return out

    def to_markdown(self) -> str:
        """The page as a Markdown file for builders without the casebook plugin (``casebook markdown``).

        Front matter holds the escaped title and description; the body is one raw HTML
        block, which Markdown passes through untouched.
        """
        front = "\n".join(f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in self.meta().items())
        return render_fragment("export.md", front=Markup(front), body=Markup(self.body))


def render_page(template: str, title: str, description: str = "", **context: Any) -> Page:
    """Render a page template into a :class:`Page`; ``title`` is also passed to the template."""
    return Page(title=title, description=description, body=render_fragment(template, title=title, **context))


_INLINE = re.compile(r"``([^`]+)``|`([^`]+)`|\*\*([^*]+)\*\*")


def runs(text: str) -> list[dict[str, Any]]:
    """Our own documentation text as runs for the ``rich`` macro: ```code```, ``code`` and ``**strong**``.

    >>> runs("Use ``x`` **now**.")
    [{'text': 'Use '}, {'text': 'x', 'code': True}, {'text': ' '}, {'text': 'now', 'strong': True}, {'text': '.'}]
    """
    out: list[dict[str, Any]] = []
    pos = 0
    for match in _INLINE.finditer(text):
        if match.start() > pos:
            out.append({"text": text[pos : match.start()]})
        code = match.group(1) or match.group(2)
        out.append({"text": code, "code": True} if code else {"text": match.group(3), "strong": True})
        pos = match.end()
    if pos < len(text):
        out.append({"text": text[pos:]})
    return out


def doc_blocks(text: str) -> list[dict[str, Any]]:
    """Docstring-style text as blocks for the ``doc`` macro: paragraphs, and lists of ``- `` items.

    >>> [b["kind"] for b in doc_blocks("Intro.\\n\\n- one\\n  more\\n- two")]
    ['p', 'ul']
    """
    blocks = []
    for para in re.split(r"\n\s*\n", text.strip()):
        lines = [ln.strip() for ln in para.splitlines()]
        if lines[0].startswith("- "):
            items: list[str] = []
            for ln in lines:
                if ln.startswith("- "):
                    items.append(ln[2:])
                else:
                    items[-1] += " " + ln
            blocks.append({"kind": "ul", "items": [runs(i) for i in items]})
        else:
            blocks.append({"kind": "p", "items": [runs(" ".join(lines))]})
    return blocks
