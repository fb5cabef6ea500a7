"""The citation buttons of a case page in a real Chromium: copy to the clipboard, the selection fallback,
and saving the citation as a file. Uses Debian's Chromium through Playwright (see conftest.require_chromium)."""

from __future__ import annotations

import pytest

from builder import cite
from conftest import require_chromium

sync_api = require_chromium()

CASE = "cases/medellin-metrocable/"


@pytest.fixture(scope="module")
def medellin(corpus):
    case = next(c for c in corpus.cases if c.id == "medellin-metrocable")
    return cite.case_record(case)


def _context(browser, site_url, **kwargs):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, **kwargs)
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(site_url) else r.abort())
    return context


def test_copy_button_puts_the_bibtex_on_the_clipboard(browser, site_url, medellin):
    context = _context(browser, site_url)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_url + CASE)
    button = page.locator("#cite-bibtex button.cb-copy")
    assert button.is_visible()  # shown by the script (hidden in the HTML for readers without scripts)
    button.click()
    page.locator("#cite-bibtex .cb-copy-status", has_text="Copied").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == cite.bibtex(medellin)
    assert errors == []
    context.close()


def test_without_the_clipboard_api_the_text_is_selected(browser, site_url, medellin):
    context = _context(browser, site_url)
    context.add_init_script("Object.defineProperty(navigator, 'clipboard', {value: undefined});")
    page = context.new_page()
    page.goto(site_url + CASE)
    page.locator("#cite-ris summary").click()  # open the RIS box
    page.locator("#cite-ris button.cb-copy").click()
    page.locator("#cite-ris .cb-copy-status").filter(has_text="C").wait_for()
    # A selection drops the trailing space and line end of the RIS end tag; the text itself is whole.
    assert page.evaluate("window.getSelection().toString()").rstrip() == cite.ris(medellin).rstrip()
    context.close()


def test_save_button_saves_the_citation_as_a_file(browser, site_url, medellin, tmp_path):
    context = _context(browser, site_url, accept_downloads=True)
    page = context.new_page()
    page.goto(site_url + CASE)
    page.locator("#cite-csl summary").click()
    with page.expect_download() as info:
        page.locator("#cite-csl button.cb-save").click()
    download = info.value
    assert download.suggested_filename == "medellin-metrocable.csl.json"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    assert path.read_text("utf-8") == cite.csl_json(medellin)
    context.close()


def test_data_page_copies_the_casebook_citation(browser, site_url):
    context = _context(browser, site_url)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page = context.new_page()
    page.goto(site_url + "data/")
    page.locator("#casebook-cite-bibtex button.cb-copy").click()
    page.locator("#casebook-cite-bibtex .cb-copy-status", has_text="Copied").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == cite.bibtex(cite.casebook_record()).rstrip("\n")
    context.close()


def test_every_case_page_writes_the_citation_builder_cite_writes(browser, site_url, corpus):
    """cite.js writes the three formats from the page's one record (issue #12): the same text as builder/cite.py,
    for every case, with the first box open and the file names the Save buttons give."""
    context = _context(browser, site_url)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    for case in corpus.cases:
        record = cite.case_record(case)
        page.goto(site_url + f"cases/{case.id}/")
        page.locator("#cite-csl .cb-cite-text").wait_for(state="attached")
        texts = page.evaluate(
            """() => [...document.querySelectorAll('details.cb-cite-format')].map(d =>
                [d.id, d.open, d.querySelector('.cb-cite-text').textContent,
                 d.querySelector('button.cb-save').getAttribute('data-filename')])"""
        )
        assert texts == [
            ["cite-bibtex", True, cite.bibtex(record), f"{case.id}.bib"],
            ["cite-ris", False, cite.ris(record), f"{case.id}.ris"],
            ["cite-csl", False, cite.csl_json(record), f"{case.id}.csl.json"],
        ], case.id
    assert errors == []
    context.close()
