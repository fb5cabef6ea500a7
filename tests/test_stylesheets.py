"""The site's own stylesheets reach every page as one file (builder.stylesheets; issue #12)."""

import re
from pathlib import Path

import yaml

from builder import stylesheets

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
BOSTON = "cases/boston-operation-ceasefire/index.html"


def listed() -> list[str]:
    text = (ROOT / "mkdocs.yml").read_text("utf-8")
    block = text.split("\nextra_css:\n", 1)[1].split("\nextra_javascript:", 1)[0]
    return yaml.safe_load("extra_css:\n" + block)["extra_css"]


def test_links_replace_the_local_files_with_the_bundle_at_the_first_ones_place(tmp_path):
    folder = tmp_path / "assets" / "stylesheets"
    folder.mkdir(parents=True)
    for name in ("a.css", "b.css"):
        (folder / name).write_text(f".{name[0]} {{ color: red; }}\n", "utf-8")
    (tmp_path / "other.css").write_text("", "utf-8")
    extra = ["https://example.org/x.css", "assets/stylesheets/a.css", "other.css", "assets/stylesheets/b.css"]
    assert stylesheets.bundled(extra, tmp_path) == ["assets/stylesheets/a.css", "assets/stylesheets/b.css"]
    assert stylesheets.links(extra, tmp_path) == ["https://example.org/x.css", stylesheets.BUNDLE, "other.css"]
    assert stylesheets.links(["assets/stylesheets/missing.css"], tmp_path) == ["assets/stylesheets/missing.css"]
    text = stylesheets.bundle(stylesheets.bundled(extra, tmp_path), tmp_path)
    assert text == "/* a.css */\n.a { color: red; }\n/* b.css */\n.b { color: red; }\n"


def test_every_page_links_the_bundle_once_and_none_of_its_files(built_site):
    files = stylesheets.bundled(listed(), DOCS)
    assert "assets/stylesheets/print.css" in files and "assets/stylesheets/icons.css" in files
    for page in (BOSTON, "index.html", "frame/index.html", "cases/index.html"):
        html = (built_site / page).read_text("utf-8")
        hrefs = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
        assert [h for h in hrefs if h.endswith("casebook.bundle.css")] == [
            h for h in hrefs if "/stylesheets/casebook" in h
        ]
        assert sum(h.endswith(stylesheets.BUNDLE.rsplit("/", 1)[1]) for h in hrefs) == 1, page
        assert not any(h.endswith(tuple(Path(f).name for f in files)) for h in hrefs), page


def test_bundle_is_the_listed_files_in_their_order(built_site):
    files = stylesheets.bundled(listed(), DOCS)
    text = (built_site / stylesheets.BUNDLE).read_text("utf-8")
    assert re.findall(r"^/\* (\S+\.css) \*/$", text, re.M) == [Path(f).name for f in files]
    for path in files:
        assert (DOCS / path).read_text("utf-8").strip("\n") in text, path
