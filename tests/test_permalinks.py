"""The ¶ permalinks of generated pages' section headings are written by casebook.js (issue #12), not carried in
every page's HTML; Markdown pages keep the ones MkDocs writes, and no heading gets two."""

from tests.conftest import guard_page, require_chromium, serve_site

BOSTON = "cases/boston-operation-ceasefire/index.html"

LINKS = """() => Array.from(document.querySelectorAll('article.md-content__inner > h2[id]')).map(h => ({
  id: h.id, links: Array.from(h.querySelectorAll('a.headerlink')).map(a => [a.getAttribute('href'), a.title, a.textContent])
}))"""


def test_generated_pages_carry_no_permalink_in_their_html(built_site):
    page = (built_site / BOSTON).read_text("utf-8")
    assert '<h2 id="summary">Summary</h2>' in page
    assert "headerlink" not in page
    # A Markdown page keeps the permalinks MkDocs writes.
    assert 'class="headerlink"' in (built_site / "frame" / "index.html").read_text("utf-8")


def test_each_section_heading_gets_one_permalink_in_the_browser(browser, built_site):
    require_chromium()
    server, url = serve_site(built_site)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        pg = guard_page(context.new_page(), url)
        for path, least in (("cases/boston-operation-ceasefire/", 16), ("frame/", 2), ("concepts/", 2)):
            pg.goto(url + path)
            pg.wait_for_function("() => document.querySelector('article a.headerlink') !== null")
            headings = pg.evaluate(LINKS)
            assert len(headings) >= least, path
            for h in headings:
                # (Material's instant navigation makes the links of a page it loads absolute.)
                [(href, title, text)] = h["links"]
                assert href.endswith(f"#{h['id']}") and (title, text) == ("Permanent link", "¶"), (path, h)
        # Instant navigation runs the page hooks again: still one permalink per heading.
        pg.goto(url + "cases/boston-operation-ceasefire/")
        pg.wait_for_function("() => document.querySelector('article a.headerlink') !== null")
        pg.evaluate("() => window.casebookNetworks.draw(document).then(() => null)")
        pg.locator("a.md-tabs__link", has_text="Patterns").click()
        pg.wait_for_url("**/patterns/")
        pg.go_back()
        pg.wait_for_function("() => document.querySelector('article a.headerlink[href=\"#summary\"]') !== null")
        assert all(len(h["links"]) == 1 for h in pg.evaluate(LINKS))
        assert pg.errors == [] and pg.offsite == []
    finally:
        context.close()
        server.shutdown()
        server.server_close()
