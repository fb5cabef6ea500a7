"""Content Security Policy for the built site.

Every page declares one policy in a ``<meta http-equiv="Content-Security-Policy">`` in ``<head>``
after Material's own meta elements, before any script: the theme override ``overrides/main.html``
writes it from :data:`POLICY`, which the MkDocs adapter hands the theme (not under ``mkdocs serve``,
whose live-reload script is inline). Scripts may come only from files of the site: no inline
script, no inline event handler, no ``javascript:`` URL, no eval (WebAssembly may be compiled, for the site search: see DIRECTIVES).

Material writes a few inline scripts into its pages; the theme override in ``overrides/`` moves
them into files of the site (same code), so the policy needs no ``'unsafe-inline'`` and no hashes.
Hashes computed from the built pages would be worse: a template that let a case file's text into
a page unescaped would have that text's ``<script>`` hashed and allowed with the theme's own.

The policy is the same on every page. That matters with Material's instant navigation: a policy
set by a meta element can never be lifted, and Material adds the next page's meta to the head
without reloading, so both pages' policies then apply together.

Data blocks such as Material's ``<script id="__config" type="application/json">`` are never
executed, so a policy does not apply to them.

:func:`inline_scripts` lets tests check that no page needs an inline script.
"""

from __future__ import annotations

from html.parser import HTMLParser

# Why each directive:
# - default-src 'self': anything not named below (fonts, fetches of pages, the sitemap and the
#   search index's chunks, the search worker, frames, media) comes from the site itself or not at all.
# - script-src 'self' 'wasm-unsafe-eval': scripts only from files of the site. No 'unsafe-inline'
#   (so no inline script, event-handler attribute or javascript: URL runs) and no 'unsafe-eval'.
#   'wasm-unsafe-eval' lets the page compile WebAssembly and nothing else (no eval, no new Function):
#   the site search (Pagefind, builder/search.py) runs its search code as WebAssembly, in a worker
#   or, where workers fail, on the page. Its scripts are files of the site under pagefind/.
# - style-src 'self' 'unsafe-inline': generated pages colour legend dots and size networks with
#   style attributes. Styles cannot run script, and contributor text is escaped, so a case file
#   cannot add a style attribute.
# - img-src 'self' data: Material's icons are data: SVG images in its stylesheet.
# - object-src 'none': no plugins. base-uri 'self': no <base> that re-points relative script
#   URLs elsewhere. form-action 'self': no form posts to another site.
DIRECTIVES = (
    ("default-src", "'self'"),
    ("script-src", "'self' 'wasm-unsafe-eval'"),
    ("style-src", "'self' 'unsafe-inline'"),
    ("img-src", "'self' data:"),
    ("object-src", "'none'"),
    ("base-uri", "'self'"),
    ("form-action", "'self'"),
)

POLICY = "; ".join(f"{name} {value}" for name, value in DIRECTIVES)

# Types under which a <script> runs (HTML's JavaScript MIME type essences, and modules);
# any other type makes it a data block, which is never executed.
_SCRIPT_TYPES = {
    "",
    "module",
    "application/ecmascript",
    "application/javascript",
    "application/x-ecmascript",
    "application/x-javascript",
    "text/ecmascript",
    "text/javascript",
    "text/javascript1.0",
    "text/javascript1.1",
    "text/javascript1.2",
    "text/javascript1.3",
    "text/javascript1.4",
    "text/javascript1.5",
    "text/jscript",
    "text/livescript",
    "text/x-ecmascript",
    "text/x-javascript",
}


class _InlineScripts(HTMLParser):
    """Collects the text of every inline script that a browser would run."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self._current: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "script":
            return
        named = {k.lower(): (v or "") for k, v in attrs}
        kind = named.get("type", "").split(";")[0].strip().lower()
        self._current = [] if "src" not in named and kind in _SCRIPT_TYPES else None

    def handle_data(self, data: str) -> None:
        if self._current is not None:
            self._current.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._current is not None:
            self.scripts.append("".join(self._current))
            self._current = None


def inline_scripts(html: str) -> list[str]:
    """The text of each inline script of a page that a browser would execute (the policy blocks them)."""
    parser = _InlineScripts()
    parser.feed(html)
    parser.close()
    return parser.scripts
