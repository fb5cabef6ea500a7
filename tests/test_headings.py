"""Page.headings reads only the headings of a page (``templating._headings_only``): it must give exactly what
parsing the whole body gives, on every generated page and on markup written to trip it."""

from __future__ import annotations

import pytest

from builder import templating
from builder.pipeline import build_pages
from builder.templating import Page
from conftest import DATA, ROOT


def _full(body: str) -> list[templating.Heading]:
    parser = templating._Headings()
    parser.feed(body)
    parser.close()
    return parser.found


@pytest.mark.parametrize("folder", [ROOT / "cases", DATA / "valid"], ids=["real cases", "fixtures"])
def test_every_generated_page_has_the_headings_of_a_full_parse(folder, monkeypatch):
    monkeypatch.setenv("CASEBOOK_CACHE", "0")
    pages = build_pages(folder).pages
    fast = 0
    for path, page in pages.items():
        assert page.headings == _full(page.body), path
        fast += templating._headings_only(page.body) is not None
    assert fast >= len(pages) - 2  # the fast way was taken (the case index's map has <title>: a full parse)
    assert sum(len(p.headings) for p in pages.values()) > 100


BODIES = [
    '<h2 id="a">One <a class="headerlink" href="#a">¶</a></h2><p>x</p><H3 ID="b">Two &amp; <em>three</em></H3 >',
    '<h2 id="a">unclosed <p>text</p><h3 id="b">inner</h3> after',  # an h2 with no end tag
    '<h1 id="t">T<h2 id="n">nested</h2> tail</h1><h3>no id</h3><h3 id="">empty id</h3>',
    '<!-- <h2 id="c">commented</h2> --><h2 id="d">real</h2>',
    '<style>.x{}</style><script></script><h2 id="e">after raw text</h2>',
    '<h2x id="f">not a heading</h2x><h2\tid="g">tab</h2><h2/id="h">slash</h2><h4 id="i">four</h4>',
    '<h2 id="j">one</h2x> still open</h2><h3 id="k">k</h3>',
    '<svg><title>map</title></svg><h2 id="l">l</h2>',
]


@pytest.mark.parametrize("body", BODIES)
def test_tricky_markup_gives_the_headings_of_a_full_parse(body):
    assert Page(title="t", body=body).headings == _full(body)


def test_the_fast_way_finds_the_headings():
    """Hand-checked: ids, levels and text, the permalink left out."""
    heads = templating._headings_only(BODIES[0])
    assert heads == [templating.Heading(2, "a", "One"), templating.Heading(3, "b", "Two & three")]
