"""Adjacent citations are one bracket, [8, 13, 2], with one link per number (macros.cites; issue #12).

The brackets and separators sit inside the links, so that whatever drops citation links (the search index's
``a[href^="#source-"]``, teaching.js's extracts) drops the whole bracket and leaves no stray "[, ]".
"""

import re

from builder.templating import environment

BOSTON = "cases/boston-operation-ceasefire/index.html"


def cites(items: list[dict]) -> str:
    return environment().from_string('{% import "macros.html" as m %}{{ m.cites(items) }}').render(items=items)


def item(n: int, role: str = "") -> dict:
    return {"n": n, "href": f"#source-_{n}", "role": role}


def test_one_citation_is_one_bracket():
    assert cites([item(4)]) == ' <a href="#source-_4">[4]</a>'
    assert cites([item(2, "disputes")]) == ' <a href="#source-_2">[2, disputes]</a>'
    assert cites([]) == ""


def test_adjacent_citations_share_one_bracket_with_a_link_per_number():
    assert cites([item(8), item(13), item(2)]) == (
        ' <a href="#source-_8">[8,</a> <a href="#source-_13">13,</a> <a href="#source-_2">2]</a>'
    )


def test_a_role_in_the_group_parts_the_numbers_with_semicolons():
    assert cites([item(1), item(2, "gives context")]) == (
        ' <a href="#source-_1">[1;</a> <a href="#source-_2">2, gives context]</a>'
    )


def test_case_page_has_no_citation_links_back_to_back_and_each_bracket_closes(built_site):
    page = (built_site / BOSTON).read_text("utf-8")
    assert not re.search(r'</a><a href="#source-', page)
    texts = re.findall(r'<a href="#source-_\d+">([^<]*)</a>', page)
    assert len(texts) > 50
    # Read in order, the link texts make whole brackets: [n], or [n, n, ..., n] / [n; n, role].
    joined = " ".join(texts)
    groups = re.findall(r"\[[^\[\]]*\]", joined)
    assert "".join(groups).count("[") == len(groups) and len(" ".join(groups)) == len(joined)
    assert "[8, 13, 2]" in groups
    # Without its links (what the search index and teaching.js keep), no bracket or separator is left.
    stripped = re.sub(r'<a href="#source-_\d+">[^<]*</a>', "", page)
    assert not re.search(r"\[\s*[,;]?\s*\]", stripped)
