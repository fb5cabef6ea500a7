"""The built site under attack and under navigation, in a real Chromium.

Pages are served at the site's real address (site_url in mkdocs.yml) by answering every request
from the built folder inside the browser, so nothing goes to the network and Material's instant
navigation works exactly as when deployed: it only takes over links to pages in sitemap.xml, and
the sitemap names pages by their real address. (On http://127.0.0.1:PORT/ every link click is a
plain page load.)

Checked here: the Content Security Policy stops script put into a page and lets the site's own
scripts run on every kind of page; hostile case files put no live markup or script anywhere
they control; each network is drawn on first load, after same-page links (citations, table of
contents, heading permalinks), instant navigation, back and forward, and search.
"""

from __future__ import annotations

import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import ROOT, require_chromium

sync_api = require_chromium()


def _site_url() -> str:
    text = (ROOT / "mkdocs.yml").read_text("utf-8")
    return re.search(r"^site_url:\s*(\S+)", text, re.M).group(1).rstrip("/") + "/"


ORIGIN = _site_url()
BASE_PATH = urlsplit(ORIGIN).path

# Page kinds of the real site, for the policy check.
KINDS = [
    "",
    "frame/",
    "cases/",
    "cases/boston-operation-ceasefire/",
    "coverage/",
    "patterns/",
    "patterns/cycle/",
    "cross-case/",
    "diagnose/",
    "teaching/",
    "teaching/reading-lists/",
    "teaching/lists/holding-environments/",
    "teaching/packet/?list=holding-environments",
    "teaching/case/exercise/?case=boston-operation-ceasefire",
    "teaching/exercise/",
    "concepts/",
    "contribute/",
    "contribute/fields/",
    "contribute/vocabularies/",
    "contribute/problems/",
    "data/",
    "404.html",
]

# Records every Content Security Policy violation, before any page script runs.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(e.effectiveDirective + " " + (e.blockedURI || "") + " " + (e.sample || ""));
  window.__reportViolation(e.effectiveDirective + " line " + e.lineNumber + ": " + (e.sample || e.blockedURI));
});
"""

# For each network container on the page: how many vis canvases it holds, and whether anything is
# painted on them (the canvas is transparent until nodes and edges are drawn).
NETWORKS = """
() => Array.from(document.querySelectorAll(".cb-network")).map(function (box) {
  var canvases = box.querySelectorAll("canvas");
  var inked = 0;
  if (canvases.length === 1 && canvases[0].width && canvases[0].height) {
    var c = canvases[0];
    var pixels = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
    for (var i = 3; i < pixels.length; i += 64) if (pixels[i] > 0) inked += 1;
  }
  return { id: box.getAttribute("data-graph"), canvases: canvases.length,
           views: box.querySelectorAll(".vis-network").length, inked: inked };
})
"""

# Live markup that only a payload could have made: elements a case file's text asked for.
LIVE_PAYLOAD = """
(scope) => {
  var root = scope ? document.querySelector(scope) : document;
  if (!root) return [];
  var found = [];
  root.querySelectorAll("script, img, svg, a, strong").forEach(function (el) {
    var text = el.outerHTML;
    if (el.tagName === "SCRIPT" && /__pwned/.test(el.textContent)) found.push(text.slice(0, 80));
    else if (el.tagName === "IMG" && el.getAttribute("src") === "x") found.push(text.slice(0, 80));
    else if (el.tagName.toLowerCase() === "svg" && el.hasAttribute("onload")) found.push(text.slice(0, 80));
    else if (el.tagName === "A" && /^\\s*javascript:/i.test(el.getAttribute("href") || "")) found.push(text.slice(0, 80));
    else if (el.tagName === "STRONG" && el.textContent === "bold") found.push(text.slice(0, 80));
  });
  document.querySelectorAll("[onerror], [onload]").forEach(function (el) {
    if (!root.contains(el) && root !== document) return;
    if (el.tagName.toLowerCase() !== "svg" && el.tagName !== "IMG") found.push(el.outerHTML.slice(0, 80));
  });
  return found;
}
"""


def _route_to(site: Path, overrides: dict[str, str]):
    """Answer requests for the site's address from the built folder; refuse everything else."""
    site = site.resolve()

    def handle(route):
        url = route.request.url
        rel = unquote(urlsplit(url).path)[len(BASE_PATH) :]
        if rel == "" or rel.endswith("/"):
            rel += "index.html"
        if rel in overrides:
            return route.fulfill(status=200, content_type="text/html", body=overrides[rel])
        target = (site / rel).resolve()
        if target.is_dir():
            return route.fulfill(status=301, headers={"Location": url + "/"})
        if site not in target.parents or not target.is_file():
            return route.fulfill(status=404, content_type="text/html", body=(site / "404.html").read_bytes())
        kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        return route.fulfill(status=200, content_type=kind, body=target.read_bytes())

    return handle


class Session:
    """One browser context on one built site, recording errors, violations, dialogs and offsite requests."""

    def __init__(self, browser, site: Path, overrides: dict[str, str] | None = None, width: int = 1280):
        self.context = browser.new_context(viewport={"width": width, "height": 900})
        self.errors: list[str] = []
        self.violations: list[str] = []
        self.dialogs: list[str] = []
        self.offsite: list[str] = []
        handler = _route_to(site, overrides or {})

        def route(r):
            if not r.request.url.startswith(ORIGIN):
                self.offsite.append(r.request.url)
                return r.abort()
            return handler(r)

        self.context.route("**/*", route)
        self.context.expose_function("__reportViolation", lambda text: self.violations.append(text))
        self.context.add_init_script(RECORD_VIOLATIONS)
        self.context.set_default_timeout(8_000)
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.on("console", self._console)
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append(f"{message.text} ({message.location.get('url', '')})")

    def goto(self, path: str) -> None:
        self.page.goto(ORIGIN + path)
        self.page.wait_for_load_state("load")

    def settle(self) -> None:
        """Wait until the page at the current address is the one shown: instant navigation pushes the
        address first and swaps the page in after fetching it, also for a first same-page link."""
        self.page.wait_for_timeout(200)
        self.page.wait_for_function(
            "() => { var c = document.querySelector('link[rel=canonical]');"
            " return !c || c.href === location.href.split('#')[0]; }"
        )

    def networks(self) -> list[dict]:
        return self.page.evaluate(NETWORKS)

    def wait_drawn(self, timeout: int = 10_000) -> list[dict]:
        """Wait until every network container on the page holds one painted network; return their state."""
        try:
            # A function, not an expression: an expression would be eval'd, which the policy forbids.
            self.page.wait_for_function(
                "() => (" + NETWORKS + ")().every(n => n.canvases === 1 && n.views === 1 && n.inked > 0)",
                timeout=timeout,
            )
        except sync_api.TimeoutError:
            pass
        state = self.networks()
        assert all(n["canvases"] == 1 and n["views"] == 1 and n["inked"] > 0 for n in state), (self.page.url, state)
        return state

    def pwned(self) -> bool:
        return self.page.evaluate("() => typeof window.__pwned !== 'undefined'")

    def other_errors(self) -> list[str]:
        """Console errors. With every payload inert, the policy has nothing to refuse and no payload
        image tries to load, so there should be none at all."""
        return list(self.errors)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def real(browser, built_site):
    s = Session(browser, built_site)
    yield s
    s.close()


@pytest.fixture
def hostile(browser, payload_site):
    s = Session(browser, payload_site)
    yield s
    s.close()


def _policy_of(html: str) -> str:
    return re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html).group(1)


# --- The Content Security Policy -------------------------------------------------------------


@pytest.mark.parametrize("path", KINDS)
def test_site_scripts_run_under_the_policy_without_violations(real, path):
    real.goto(path)
    if real.networks():
        real.wait_drawn()
    real.page.wait_for_timeout(150)
    assert real.page.evaluate("() => document.body.classList.contains('no-js') === false")
    assert real.page.evaluate("() => typeof window.document$ === 'object' && !!window.__md_scope")
    assert real.page.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1
    assert real.violations == []
    assert real.errors == []
    assert real.offsite == []


def test_search_runs_under_the_policy(real):
    real.goto("")
    real.page.locator("input.md-search__input").click()
    real.page.locator("input.md-search__input").press_sequentially("ceasefire")
    result = real.page.locator(".md-search-result__item a").first
    result.wait_for(timeout=10_000)
    real.page.evaluate("window.__sameDocument = 1")
    result.click()
    real.page.wait_for_url("**/cases/boston-operation-ceasefire/**")
    real.settle()
    real.wait_drawn()
    assert real.page.evaluate("() => window.__sameDocument") == 1, "search results should open by instant navigation"
    assert real.violations == [] and real.errors == [] and real.offsite == []


def _inject(html: str) -> str:
    """The page with script put in by hand where a template bug would put it: in the head and the content."""
    head_script = "<script>window.__pwned = 'head'</script>"
    body = (
        "<script>window.__pwned = 'body'</script>"
        "<img src=x onerror=\"window.__pwned = 'img'\">"
        "<svg onload=\"window.__pwned = 'svg'\"></svg>"
        '<a id="evil" href="javascript:window.__pwned = \'link\'">click</a>'
    )
    html = html.replace("</head>", head_script + "</head>", 1)
    # The article's opening tag may carry attributes (data-pagefind-body for search).
    return re.sub(r'<article class="md-content__inner md-typeset"[^>]*>', lambda m: m.group(0) + body, html, count=1)


def test_policy_blocks_script_put_into_a_page(browser, built_site):
    page = "cases/boston-operation-ceasefire/index.html"
    html = (built_site / page).read_text("utf-8")
    injected = _inject(html)
    assert injected.count("__pwned") == 5
    s = Session(browser, built_site, {page: injected})
    try:
        s.goto("cases/boston-operation-ceasefire/")
        s.page.locator("#evil").click()
        s.page.wait_for_timeout(300)
        assert not s.pwned()
        blocked = " ".join(s.violations)
        assert blocked.count("script-src-elem") >= 2 and blocked.count("script-src-attr") >= 2, s.violations
        s.wait_drawn()  # the site's own scripts still run
    finally:
        s.close()
    # The same page without its policy: the injected script does run, so the check above can fail.
    s = Session(
        browser, built_site, {page: re.sub(r"<meta http-equiv=\"Content-Security-Policy\"[^>]*>", "", injected)}
    )
    try:
        s.goto("cases/boston-operation-ceasefire/")
        s.page.wait_for_timeout(300)
        assert s.pwned()
    finally:
        s.close()


def test_policy_is_first_in_head_and_the_same_on_every_page(built_site):
    from builder.csp import POLICY, inline_scripts

    for path in sorted(built_site.rglob("*.html")):
        html = path.read_text("utf-8")
        head = html[html.index("<head>") : html.index("</head>")]
        meta = head.index('http-equiv="Content-Security-Policy"')
        assert "<script" not in head[:meta], path
        assert head.index("<meta charset=") < meta, path
        assert _policy_of(html) == POLICY, path
        assert inline_scripts(html) == [], path
    directives = dict(d.strip().split(" ", 1) for d in POLICY.split(";"))
    # 'wasm-unsafe-eval': the site search compiles WebAssembly (builder/csp.py); no eval of script.
    assert directives["script-src"] == "'self' 'wasm-unsafe-eval'"
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'self'"
    assert "'unsafe-eval'" not in POLICY.split()


# --- Networks under navigation --------------------------------------------------------------


def _same_page_moves(s: Session) -> int:
    """Follow same-page links (a citation, table-of-contents entries, a heading permalink), then back and
    forward; every network must be drawn after each move. Returns how many moves were made."""
    before = s.networks()
    moves = 0
    # The first citation, the first table-of-contents entry and the last heading's permalink (the first
    # permalink would usually be the same address as the first table-of-contents entry).
    links = [
        ("a[href*='#source-']", "first"),
        (".md-sidebar--secondary .md-nav__link[href*='#']", "first"),
        (".md-typeset a.headerlink", "last"),
    ]
    for selector, which in links:
        link = getattr(s.page.locator(selector), which)
        if not link.count():
            continue
        href = link.get_attribute("href")
        if s.page.url.endswith(href):
            continue  # a link to where the page already is adds no history entry to go back through
        link.click()
        s.page.wait_for_url(re.compile(re.escape(href.split("#")[1]) + "$"))
        s.settle()
        assert len(s.wait_drawn()) == len(before)
        moves += 1
    for _ in range(moves):
        s.page.go_back()
        s.settle()
        assert len(s.wait_drawn()) == len(before)
    s.page.go_forward()
    s.settle()
    assert len(s.wait_drawn()) == len(before)
    return moves


@pytest.mark.parametrize(
    ("path", "count"),
    [
        ("cases/boston-operation-ceasefire/", 1),
        ("cross-case/", 2),
        ("patterns/cycle/", 1),
    ],
)
def test_networks_survive_same_page_links(real, path, count):
    real.goto(path)
    assert len(real.wait_drawn()) == count
    assert _same_page_moves(real) >= 2
    assert real.errors == [] and real.violations == []


def test_networks_survive_instant_navigation_back_and_forward(real):
    real.goto("cases/")
    real.page.evaluate("window.__sameDocument = 1")
    real.page.locator(".cb-index tbody a").first.click()
    real.page.wait_for_url("**/cases/*/")
    real.settle()
    first = real.page.url
    real.wait_drawn()
    real.page.locator("a[href*='#source-']").first.click()
    real.settle()
    assert len(real.wait_drawn()) == 1
    # Case page -> pattern page -> cross-case page, all by instant navigation.
    real.page.locator("a[href*='patterns/']:not([href$='patterns/']):not([href*='#'])").first.click()
    real.page.wait_for_url("**/patterns/*/")
    real.settle()
    real.wait_drawn()
    real.page.locator(".md-tabs__link").filter(has_text="Patterns").click()
    real.page.wait_for_url("**/patterns/")
    real.settle()
    real.page.locator(".md-nav a").filter(has_text="Across cases").filter(visible=True).first.click()
    real.page.wait_for_url("**/cross-case/")
    real.settle()
    assert len(real.wait_drawn()) == 2
    for expected in ("/patterns/", "/patterns/", first + "#", first, "/cases/"):
        real.page.go_back()
        real.settle()
        assert expected in real.page.url
        real.wait_drawn()
    for _ in range(4):
        real.page.go_forward()
        real.settle()
        real.wait_drawn()
    assert real.page.evaluate("() => window.__sameDocument") == 1, "navigation should have been instant"
    assert real.page.evaluate("() => document.querySelectorAll('.vis-network').length") == len(real.networks())
    assert real.errors == [] and real.violations == []


# --- Hostile case files -----------------------------------------------------------------------


def _pages(site: Path) -> list[str]:
    """The address of every page of a built site, relative to the site's root."""
    paths = (p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    return sorted(p[: -len("index.html")] if p.endswith("index.html") else p for p in paths)


def test_hostile_text_never_runs_and_networks_draw_everywhere(hostile, payload_site):
    pages = _pages(payload_site)
    assert len(pages) > 20
    drawn = 0
    for path in pages:
        hostile.goto(path)
        if hostile.networks():
            drawn += len(hostile.wait_drawn())
        assert not hostile.pwned(), path
        # Every payload is text: in the content, the head, the header and the navigation.
        assert hostile.page.evaluate(LIVE_PAYLOAD, None) == [], path
        assert hostile.page.locator("a[href^='javascript:' i]").count() == 0, path
    assert drawn >= 12
    assert hostile.dialogs == [] and hostile.other_errors() == [] and hostile.offsite == []


def test_hostile_text_shows_as_written(hostile):
    hostile.goto("cases/river-town-example/")
    hostile.wait_drawn()
    text = hostile.page.locator(".md-content").inner_text()
    for payload in (
        "<script>window.__pwned=1</script>",
        "{{ 7*7 }}",
        "{% raw %}",
        "[x](javascript:alert(1))",
        "**bold**",
        "&amp;",
        "</script>",
    ):
        assert payload in text, payload


@pytest.mark.parametrize(
    "path",
    [
        "cases/boston-operation-ceasefire/",
        "cases/river-town-example/",
        "cross-case/",
        "teaching/lists/holding-environments/",
    ],
)
def test_hostile_pages_survive_same_page_links_and_navigation(hostile, path):
    hostile.goto(path)
    hostile.wait_drawn()
    hostile.page.evaluate("window.__sameDocument = 1")
    assert _same_page_moves(hostile) >= 2
    assert hostile.page.evaluate("() => window.__sameDocument") == 1
    assert not hostile.pwned()
    assert hostile.page.evaluate(LIVE_PAYLOAD, ".md-content") == []
    assert hostile.dialogs == [] and hostile.other_errors() == [] and hostile.offsite == []


def test_hostile_instant_navigation_and_search(hostile):
    hostile.goto("cases/")
    hostile.page.evaluate("window.__sameDocument = 1")
    for i in range(hostile.page.locator(".cb-index tbody a").count()):
        hostile.page.locator(".cb-index tbody a").nth(i).click()
        hostile.page.wait_for_url("**/cases/*/")
        hostile.settle()
        hostile.wait_drawn()
        hostile.page.locator("a[href*='#source-']").first.click()
        hostile.settle()
        hostile.wait_drawn()
        hostile.page.go_back()
        hostile.page.go_back()
        hostile.page.wait_for_url("**/cases/")
        hostile.settle()
    hostile.page.locator("input.md-search__input").click()
    hostile.page.locator("input.md-search__input").press_sequentially("River")
    hostile.page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    hostile.page.wait_for_timeout(300)
    assert hostile.page.evaluate(LIVE_PAYLOAD, ".md-search-result") == []
    hostile.page.locator(".md-search-result__item a").first.click()
    hostile.settle()
    if hostile.networks():
        hostile.wait_drawn()
    assert hostile.page.evaluate("() => window.__sameDocument") == 1
    assert not hostile.pwned()
    assert hostile.dialogs == [] and hostile.other_errors() == [] and hostile.offsite == []


def test_hostile_titles_stay_text_in_head_header_and_nav(hostile, payload_site):
    """Case and list titles and taglines reach Material's <title>, <meta name=description>, header and
    navigation escaped: not live markup at all (the policy would stop them running anyway)."""
    problems = []
    # The pages whose head or header can hold a case's or a list's title.
    titled = [p for p in _pages(payload_site) if p.startswith(("cases/", "teaching/lists/"))]
    assert len(titled) >= 4
    for path in titled:
        hostile.goto(path)
        found = hostile.page.evaluate(LIVE_PAYLOAD, None)
        if found:
            problems.append((path, found[:2]))
    assert problems == []
    assert hostile.violations == []
