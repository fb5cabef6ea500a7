"""Pages come from autoescaped templates: no markup in Python, no contributor text as live HTML.

The first tests check the mechanism (autoescape on, no HTML in string literals under ``builder/``);
the last builds a site whose titles and descriptions carry an attribute-breaking payload and checks
every place the theme prints them.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from builder.templating import Page, environment, render_fragment
from conftest import DATA, ROOT, build

BUILDER = ROOT / "builder"
TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9-]*(\s[^<>]*)?/?>")
PAYLOAD = '"><img src=x onerror="window.__pwned=1">'


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the string nodes that are docstrings (module, class, function)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def html_in_python(path: Path) -> list[str]:
    """String literals (docstrings aside) in a Python file that contain an HTML tag."""
    tree = ast.parse(path.read_text("utf-8"))
    docs = _docstrings(tree)
    return [
        f"{path.name}:{node.lineno}: {node.value[:60]!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
        if TAG.search(node.value)
    ]


def test_the_scan_finds_markup(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text('"""Docstrings may show <b>markup</b>."""\nX = "<td>" + name\nY = "a < b > c"\n', "utf-8")
    assert html_in_python(sample) == ["sample.py:2: '<td>'"]


def test_no_html_markup_in_python_strings():
    found = [hit for path in sorted(BUILDER.glob("*.py")) for hit in html_in_python(path)]
    assert found == [], "markup belongs in builder/templates/:\n" + "\n".join(found)


def test_autoescape_is_on_for_every_template():
    env = environment()
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"
    for name in env.list_templates(filter_func=lambda n: n.endswith((".html", ".md"))):
        assert env.get_template(name).environment.autoescape is True, name


def test_a_value_in_a_page_template_is_escaped():
    html = render_fragment(
        "reading-lists.html", lists=[{"id": "x", "title": "<b>bold</b>", "summary": "s", "items": []}]
    )
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "<b>" not in html


def test_contributor_markdown_is_never_interpreted():
    page = build_pages_for_fixture().pages["cases/river-town-example.md"]
    assert "&lt;b&gt;markup&lt;/b&gt;" in page.body
    # Markdown punctuation reaches the page as it was written: no backslashes, no link, no emphasis.
    assert "[a link](javascript:alert(1)) **not bold**" in page.body
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page.body


def build_pages_for_fixture():
    from builder.pipeline import build_pages

    return build_pages(DATA / "valid")


def test_headings_make_the_table_of_contents():
    page = Page("t", '<h2 id="a">A &amp; B<a class="headerlink" href="#a">¶</a></h2><h3 id="b">B</h3><h2>no id</h2>')
    assert [(h.level, h.id, h.text) for h in page.headings] == [(2, "a", "A & B"), (3, "b", "B")]


def test_markdown_export_escapes_front_matter():
    text = Page(PAYLOAD, "<p>body</p>", PAYLOAD).to_markdown()
    front = text.split("---")[1]
    assert "<img" not in front and "&lt;img" in front


class _Elements(HTMLParser):
    """Every start tag and its attributes, as the browser's parser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _elements(html: str) -> list[tuple[str, dict]]:
    parser = _Elements()
    parser.feed(html)
    return parser.tags


@pytest.fixture(scope="module")
def title_payload_site(tmp_path_factory):
    """A site whose case title, tagline and reading-list title carry an attribute-breaking payload."""
    cases = tmp_path_factory.mktemp("payload-cases")
    text = (DATA / "valid" / "river-town-example.yaml").read_text("utf-8")
    text = text.replace(
        "title: River Town flood partnership (test fixture)", f"title: {json.dumps('Harbour ' + PAYLOAD + ' deal')}"
    )
    text = re.sub(r"(?m)^tagline: .*$", f"tagline: {json.dumps('Tag ' + PAYLOAD)}", text)
    (cases / "river-town-example.yaml").write_text(text, "utf-8")
    other = (DATA / "valid" / "river-town-example.yaml").read_text("utf-8")  # a list names two different cases
    other = other.replace("\nid: river-town-example\n", "\nid: river-town-other\n", 1)
    other = other.replace("title: River Town flood partnership (test fixture)", "title: Another town (test fixture)")
    (cases / "river-town-other.yaml").write_text(other, "utf-8")
    lists = cases / "reading-lists"
    lists.mkdir()
    (lists / "payload.yaml").write_text(
        "id: payload\n"
        f"title: {json.dumps('List ' + PAYLOAD)}\n"
        f"summary: {json.dumps('Summary ' + PAYLOAD)}\n"
        "items:\n"
        + "".join(
            f"  - case: {c}\n    why: Why.\n    questions: [A question?]\n"
            for c in ("river-town-example", "river-town-other")
        ),
        "utf-8",
    )
    site = tmp_path_factory.mktemp("payload-site") / "site"
    assert build(cases, site) == 0
    yield site
    shutil.rmtree(site, ignore_errors=True)


@pytest.mark.parametrize("path", ["cases/river-town-example", "cases", "teaching/lists/payload"])
def test_titles_and_descriptions_stay_text_in_the_theme(title_payload_site, path):
    html = (title_payload_site / path / "index.html").read_text("utf-8")
    tags = _elements(html)
    assert not [attrs for tag, attrs in tags if "onerror" in attrs], "an onerror attribute went live"
    assert not [attrs for tag, attrs in tags if tag == "img" and attrs.get("src") == "x"]
    for tag, attrs in tags:
        if tag == "meta" and attrs.get("name") == "description" and path != "cases":
            assert PAYLOAD in attrs["content"], "the description is kept whole, as text"
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "<" not in title, title


def test_search_index_keeps_titles_as_text(title_payload_site):
    """Pagefind stores each page's title as the text a reader saw (search.js shows it as text)."""
    from builder.search import records

    titles = [r["meta"].get("title", "") for r in records(title_payload_site).values()]
    assert any(PAYLOAD in t for t in titles), "a payload title should be in the index, as text"


def _builder_imports() -> dict[str, set[str]]:
    """Each builder module and the builder modules it imports (at the top or inside functions)."""
    graph = {}
    for path in BUILDER.glob("*.py"):
        deps = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "builder":
                deps |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("builder."):
                deps.add(node.module.split(".")[1])
        graph[path.stem] = deps
    return graph


def test_no_import_cycles_between_stages():
    import networkx as nx

    graph = nx.DiGraph([(m, d) for m, deps in _builder_imports().items() for d in deps if d != m])
    assert list(nx.simple_cycles(graph)) == []


def _long_functions(path: Path, limit: int) -> list[str]:
    """Functions whose body (docstring aside) is longer than ``limit`` lines."""
    out = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body[1:] if ast.get_docstring(node) is not None else node.body
            if body and body[-1].end_lineno - body[0].lineno + 1 > limit:
                out.append(f"{path.name}:{node.lineno} {node.name}")
    return out


def test_functions_are_short_enough_to_read():
    long = [hit for path in sorted(BUILDER.glob("*.py")) for hit in _long_functions(path, 80)]
    assert long == [], "split these along the lines a reader would look for: " + ", ".join(long)
