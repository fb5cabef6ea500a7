"""Building the site: every page is there, nothing loads from the network, bad input changes nothing."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from builder.cli import main
from conftest import DATA, ROOT, build


def _files(site: Path) -> dict[str, str]:
    return {
        str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(site.rglob("*"))
        if p.is_file()
    }


def test_every_case_has_a_page_with_graph_data(built_site, corpus):
    index = (built_site / "cases" / "index.html").read_text("utf-8")
    for case in corpus.cases:
        page = built_site / "cases" / case.id / "index.html"
        assert page.exists(), case.id
        html = page.read_text("utf-8")
        assert f'href="{case.id}/"' in index
        match = re.search(rf'<div hidden class="cb-data" id="graph-{case.id}" data-json=\'([^\']*)\'></div>', html)
        assert match, f"{case.id} page has no graph data"
        data = json.loads(match.group(1))
        assert sorted(n["id"] for n in data["nodes"]) == sorted(a.id for a in case.actors)
        assert sorted(e["id"] for e in data["edges"]) == sorted(e.id for e in case.interdependencies)
        assert 'class="cb-network"' in html
        assert "What the analysis finds" in html


def test_one_local_copy_of_vis_network(built_site):
    vendor = built_site / "assets" / "vendor" / "vis-network" / "vis-network.min.js"
    assert vendor.stat().st_size > 100_000
    script = (built_site / "assets" / "javascripts" / "casebook.js").read_text("utf-8")
    assert '"../vendor/vis-network/vis-network.min.js"' in script
    copies = [
        p
        for p in built_site.rglob("*.js")
        if "vis-network" in p.read_text("utf-8", errors="ignore")[:2000] and p.name != "casebook.js"
    ]
    assert copies == [vendor]


def test_no_page_loads_anything_from_another_host(built_site):
    # Anything the browser would fetch: scripts, stylesheets, icons, images, frames (not plain links).
    remote = re.compile(
        r'<(?:script|img|iframe|source)[^>]+src="(?:https?:)?//'
        r'|<link[^>]+rel="(?:stylesheet|preload|modulepreload|icon|shortcut icon)"[^>]+href="(?:https?:)?//',
        re.I,
    )
    offenders = [
        str(p.relative_to(built_site)) for p in built_site.rglob("*.html") if remote.search(p.read_text("utf-8"))
    ]
    assert offenders == []
    css = "".join(p.read_text("utf-8") for p in built_site.rglob("*.css"))
    assert "fonts.googleapis" not in css and "@import url(http" not in css


def test_pages_expected_by_readers_exist(built_site):
    for path in [
        "index.html",
        "frame/index.html",
        "cases/index.html",
        "patterns/index.html",
        "patterns/latent-deal/index.html",
        "cross-case/index.html",
        "coverage/index.html",
        "concepts/index.html",
        "contribute/fields/index.html",
        "contribute/vocabularies/index.html",
        "contribute/problems/index.html",
        "teaching/exercise/index.html",
        "data/casebook.json.bz2",
        "data/casebook.graphml.gz",
        "feed.xml",
    ]:
        assert (built_site / path).exists(), path


def test_case_pages_are_not_in_the_sidebar(built_site, corpus):
    home = (built_site / "index.html").read_text("utf-8")
    nav = home[home.index('<nav class="md-nav md-nav--primary') :]
    nav = nav[: nav.index("</nav>")]
    assert all(f"cases/{case.id}/" not in nav for case in corpus.cases)


def test_builds_are_deterministic(built_site, tmp_path):
    again = tmp_path / "again"
    assert build(ROOT / "cases", again) == 0
    first, second = _files(built_site), _files(again)
    assert first.keys() == second.keys()
    assert [k for k in first if first[k] != second[k]] == []


def test_failed_build_leaves_previous_site_intact(tmp_path, capsys):
    site = tmp_path / "site"
    assert build(DATA / "valid", site) == 0
    before = _files(site)
    bad = tmp_path / "cases"
    bad.mkdir()
    (bad / "three-problems.yaml").write_bytes((DATA / "invalid" / "three-problems.yaml").read_bytes())
    assert build(bad, site) == 1
    out = capsys.readouterr()
    assert "three-problems.yaml:6:1: error[unknown-key]" in out.out
    assert "nothing was built" in out.err
    assert _files(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases", "site"]


def test_contributor_text_never_becomes_live_html(fixture_site):
    html = (fixture_site / "cases" / "river-town-example" / "index.html").read_text("utf-8")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html
    assert 'href="javascript:' not in html
    assert "<b>markup</b>" not in html and "&lt;b&gt;markup&lt;/b&gt;" in html
    assert "<strong>not bold</strong>" not in html
    # The graph JSON cannot leave its single-quoted attribute, and no character reference can change it.
    data = re.search(r'id="graph-river-town-example" data-json=\'([^\']*)\'', html)
    assert not set("<>&'") & set(data.group(1))
    assert json.loads(data.group(1))["nodes"]


def test_source_links_are_escaped_and_complete(fixture_site):
    html = (fixture_site / "cases" / "river-town-example" / "index.html").read_text("utf-8")
    assert 'href="https://example.org/report?a=1&amp;b=2"' in html
    assert 'href="https://doi.org/10.1234/test.5678"' in html


def test_nothing_generated_is_written_into_docs(built_site):
    generated = {"cases", "patterns", "coverage.md", "cross-case.md", "concepts.md"}
    assert not generated & {p.name for p in (ROOT / "docs").iterdir()}
    assert not (ROOT / "docs" / "contribute" / "fields.md").exists()


def test_markdown_export_for_other_builders(tmp_path, corpus):
    out = tmp_path / "md"
    assert (
        main(["markdown", "--cases", str(ROOT / "cases"), "--config", str(ROOT / "mkdocs.yml"), "--out", str(out)]) == 0
    )
    assert (out / "index.md").exists() and (out / "cases" / "index.md").exists()
    assert sorted(p.stem for p in (out / "cases").glob("*.md") if p.stem != "index") == sorted(
        c.id for c in corpus.cases
    )
    assert (out / "assets" / "vendor" / "vis-network" / "vis-network.min.js").exists()


@pytest.mark.parametrize("kind", ["casebook.json.bz2", "casebook.graphml.gz"])
def test_downloads_cover_every_case(built_site, corpus, kind):
    import bz2
    import gzip

    raw = (built_site / "data" / kind).read_bytes()
    text = (bz2.decompress(raw) if kind.endswith(".bz2") else gzip.decompress(raw)).decode("utf-8")
    for case in corpus.cases:
        assert case.id in text


def test_serve_watches_the_case_files():
    """`casebook serve` (and `mkdocs serve`) rebuild when a case or vocabulary changes."""
    from mkdocs.config import load_config

    config = load_config(config_file=str(ROOT / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    assert str((ROOT / "cases").resolve()) in config.watch
    assert str(ROOT / "schema") in config.watch


def test_only_the_adapter_imports_mkdocs():
    importers = sorted(
        p.name
        for p in (ROOT / "builder").glob("*.py")
        if re.search(r"^\s*(from|import) mkdocs", p.read_text("utf-8"), re.M)
    )
    assert importers == ["plugin.py"]


def test_reading_lists_and_printable_packets(built_site, corpus):
    """Each list's page links its cases and its two packets; the packets are one shared page that teaching.js
    fills from the list's page and its cases' pages (checked in Chromium by tests/test_teaching.py)."""
    assert len(corpus.reading_lists) >= 2
    for reading in corpus.reading_lists:
        page = (built_site / "teaching" / "lists" / reading.id / "index.html").read_text("utf-8")
        assert f'href="../../packet/?list={reading.id}"' in page
        assert f'href="../../packet/?list={reading.id}&amp;for=instructor"' in page
        for item in reading.items:
            assert f'href="../../../cases/{item.case}/"' in page
            assert f'data-case="{item.case}"' in page
    packet = (built_site / "teaching" / "packet" / "index.html").read_text("utf-8")
    assert 'class="cb-network"' not in packet
    assert not [r for r in corpus.reading_lists if html_escape(r.title) in packet]


def html_escape(text: str) -> str:
    import html

    return html.escape(text, quote=True)


def test_a_failed_mkdocs_build_also_leaves_the_previous_site(tmp_path):
    """Not only validation: if MkDocs itself fails (here, a broken link in strict mode), site/ stays as it was."""
    from builder.plugin import build_site

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n", "utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        f"site_name: T\ndocs_dir: {docs}\ntheme:\n  name: material\n  font: false\n"
        f"plugins:\n  - casebook:\n      cases_dir: {DATA / 'valid'}\n",
        "utf-8",
    )
    site = tmp_path / "site"
    assert build_site(config, site, strict=True) is None
    before = _files(site)
    (docs / "index.md").write_text("# Home\n\n[broken](missing.md)\n", "utf-8")
    error = build_site(config, site, strict=True)
    assert error and "warning" in error.lower()
    assert _files(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "mkdocs.yml", "site"]


def test_exported_markdown_builds_without_the_plugin(tmp_path):
    """`casebook markdown` output is self-contained: plain MkDocs (no casebook plugin) builds it strictly."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    out = tmp_path / "docs"
    assert (
        main(["markdown", "--cases", str(DATA / "valid"), "--config", str(ROOT / "mkdocs.yml"), "--out", str(out)]) == 0
    )
    config = tmp_path / "mkdocs.yml"
    config.write_text(
        "site_name: Export\ntheme:\n  name: material\n  font: false\n"
        "markdown_extensions: [admonition, attr_list, tables, def_list, md_in_html, toc]\n"
        "extra_css: [assets/vendor/vis-network/vis-network.min.css, assets/stylesheets/casebook.css]\n"
        "extra_javascript: [assets/javascripts/casebook.js]\n",
        "utf-8",
    )
    cfg = load_config(config_file=str(config), site_dir=str(tmp_path / "site"), strict=True)
    cfg.plugins.on_startup(command="build", dirty=False)
    mkdocs_build(cfg)
    page = (tmp_path / "site" / "cases" / "river-town-example" / "index.html").read_text("utf-8")
    assert 'id="graph-river-town-example"' in page
    assert (tmp_path / "site" / "assets" / "vendor" / "vis-network" / "vis-network.min.js").exists()


def test_cases_and_patterns_link_both_ways(built_site, corpus):
    from builder.analyze import analyze, pattern_counts

    for case in corpus.cases:
        page = (built_site / "cases" / case.id / "index.html").read_text("utf-8")
        for code, n in pattern_counts(analyze(case)).items():
            pattern_page = (built_site / "patterns" / code / "index.html").read_text("utf-8")
            linked_from_case = f'href="../../patterns/{code}/"' in page
            linked_from_pattern = f'href="../../cases/{case.id}/"' in pattern_page
            assert linked_from_case == linked_from_pattern == bool(n), (case.id, code)
