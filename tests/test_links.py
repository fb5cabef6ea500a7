"""Nothing lost, always the same: every internal link and anchor of a built site resolves, and a site
built twice from the same input is the same byte for byte (also from hostile case files)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from conftest import ROOT, build

SITE_URL = re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text("utf-8"), re.M).group(1).rstrip("/") + "/"


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        named = dict(attrs)
        if named.get("id"):
            self.ids.add(named["id"])
        if tag == "a" and named.get("name"):
            self.ids.add(named["name"])
        for attr in ("href", "src"):
            if named.get(attr) is not None:
                self.links.append(named[attr])


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text("utf-8"))
    page.close()
    return page


def _target(site: Path, url: str) -> Path | None:
    """The file a URL of the site stands for, or None when it is outside the site."""
    if not url.startswith(SITE_URL):
        return None
    rel = unquote(urlsplit(url).path)[len(urlsplit(SITE_URL).path) :]
    path = site / rel
    if rel == "" or rel.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path


def broken_links(site: Path) -> list[str]:
    """Every internal href or src that names no file, and every #fragment that names no element."""
    pages = {p: _parse(p) for p in sorted(site.rglob("*.html"))}
    broken = []
    for path, page in pages.items():
        rel = path.relative_to(site).as_posix()
        here = SITE_URL + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
        for link in page.links:
            if re.match(r"^(mailto|tel|data):", link, re.I):
                continue
            url = urljoin(here, link)
            target = _target(site, url.split("#")[0])
            if target is None:
                continue
            if not target.is_file():
                broken.append(f"{rel}: {link} (no file {target.relative_to(site)})")
                continue
            fragment = unquote(urlsplit(url).fragment)
            if fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else _parse(target).ids
                if fragment not in ids:
                    broken.append(f"{rel}: {link} (no id {fragment!r} in {target.relative_to(site)})")
    return broken


def test_link_check_finds_a_broken_link_and_anchor(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text('<a href="a/">ok</a><a href="a/#there">ok</a><a href="b/">no</a><p id="x">')
    (tmp_path / "a" / "index.html").write_text(
        '<h2 id="there">t</h2><a href="../#x">ok</a><a href="../#y">no</a><a href="https://example.org/">out</a>'
    )
    assert broken_links(tmp_path) == [
        "a/index.html: ../#y (no id 'y' in index.html)",
        "index.html: b/ (no file b/index.html)",
    ]


def test_no_broken_internal_link_or_anchor(built_site):
    assert broken_links(built_site) == []


def test_no_broken_link_or_anchor_with_hostile_text(payload_site):
    """Hostile titles make no live <img src=x> in the theme's head or header, so no broken link either."""
    assert broken_links(payload_site) == []


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_hostile_site_builds_the_same_twice(payload_site, tmp_path):
    again = tmp_path / "again"
    assert build(payload_site.parent / "cases", again) == 0
    first, second = _files(payload_site), _files(again)
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []
