"""The case page's bytes (issue #12): a budget per page and per piece, so that growth shows up as a failure.

Budgets are today's sizes with a little room (see docs/contribute/performance.md for the history); raise one
only on purpose, with the reason in the commit. The issue's goal is a Boston page of at most 60 KB.
"""

import json
import re
from pathlib import Path

from builder.network import OPTIONS, stage_list

ROOT = Path(__file__).resolve().parent.parent
CASEBOOK_JS = ROOT / "docs" / "assets" / "javascripts" / "casebook.js"
BOSTON = "cases/boston-operation-ceasefire/index.html"

#: Bytes, with room for small edits of the case text; the chrome is everything outside the <article>.
#: Tightened by the slimpage pass (1 Dec 2026) to 95,855 / 12,940 / 13,558 / 3,411 bytes with a little room.
#: Raised from 97,300 to 97,500 on purpose (1 Dec 2026, evening): the page now cites the casebook's version and
#: review date in its plain citation, names its reciprocal group of two (the patterns line counted it, the findings
#: did not), and closes each ring's highlight label on its first actor: 97,399 bytes.
BUDGET = {"boston": 97_500, "boston_chrome": 13_300, "plain_page_chrome": 13_900, "boston_graph_data": 3_700}


def parts(page: str) -> dict[str, int]:
    """Bytes of a built page: whole, chrome (outside the article) and the graph data element."""
    start, end = page.index("<article"), page.index("</article>")
    data = re.search(r'<div hidden class="cb-data"[^>]*></div>', page)
    return {
        "page": len(page.encode()),
        "chrome": len((page[:start] + page[end:]).encode()),
        "data": len(data.group(0).encode()) if data else 0,
    }


def test_boston_page_within_its_budget(built_site):
    boston = parts((built_site / BOSTON).read_text("utf-8"))
    assert boston["page"] <= BUDGET["boston"], boston
    assert boston["chrome"] <= BUDGET["boston_chrome"], boston
    assert 0 < boston["data"] <= BUDGET["boston_graph_data"], boston


def test_plain_page_chrome_within_its_budget(built_site):
    plain = parts((built_site / "frame" / "index.html").read_text("utf-8"))
    assert plain["chrome"] <= BUDGET["plain_page_chrome"], plain


def test_chrome_has_no_inline_icon_drawings(built_site):
    """Theme icons are CSS masks (icons.css): no <path> outside the article, and the icons are still there."""
    page = (built_site / BOSTON).read_text("utf-8")
    chrome = page[: page.index("<article")] + page[page.index("</article>") :]
    assert "<path" not in chrome
    for icon in ("library", "menu", "magnify", "weather-night", "weather-sunny", "close", "arrow-up", "github"):
        assert f"cb-ic-{icon}" in chrome, icon


def test_case_graph_data_leaves_out_what_every_case_shares(built_site):
    page = (built_site / BOSTON).read_text("utf-8")
    raw = re.search(r"data-json='([^']*)'", page).group(1)
    data = json.loads(raw.replace("&#39;", "'").replace("&amp;", "&"))
    assert "options" not in data and "stages" not in data
    assert data["nodes"] and data["edges"] and data["legend"]


def _js_constant(name: str):
    text = CASEBOOK_JS.read_text("utf-8")
    return json.loads(re.search(r"var " + name + r" = (.*);\n", text).group(1))


def test_casebook_js_holds_the_shared_options_and_stages():
    """If network.OPTIONS or the recognition stages change, copy them into casebook.js (one JSON line each)."""
    assert _js_constant("CASE_OPTIONS") == OPTIONS
    assert _js_constant("CASE_STAGES") == stage_list()
