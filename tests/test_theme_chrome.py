"""The lighter theme chrome (issue #12): compact copies of Material's templates and its icons as CSS masks.

Each check fails if Material changes a template or an icon the casebook copies: run
``python tests/theme_compact.py`` to write the copies again, and re-apply the marked changes.
"""

import re
from pathlib import Path

import pytest

from tests.theme_compact import COPIED, HEADER, OVERRIDES, compact, material_templates, normalized, strip_comments

ROOT = Path(__file__).resolve().parent.parent
ICONS_CSS = ROOT / "docs" / "assets" / "stylesheets" / "icons.css"


@pytest.mark.parametrize("name", COPIED)
def test_compact_copy_is_materials_template_but_for_whitespace(name):
    theirs = (material_templates() / name).read_text("utf-8")
    ours = (OVERRIDES / name).read_text("utf-8")
    assert normalized(ours) == normalized(theirs)
    expected = HEADER.replace("{name}", name) + compact(strip_comments(theirs).lstrip())
    assert ours == expected, "the copy is not the compact form: run python tests/theme_compact.py"


def test_compact_keeps_statements_inside_markup_lines():
    """A statement between attributes keeps its spaces, so attributes never run together."""
    source = '  <input a="1" {% if x %} b="2" {% endif %} c="3">\n    {% if y %}\n      <p>\n        text\n      </p>\n    {% endif %}\n'
    assert (
        compact(source)
        == '<input a="1" {% if x %} b="2" {% endif %} c="3">\n{%- if y -%}\n<p>\ntext\n</p>\n{%- endif -%}\n'
    )


def test_table_of_contents_lists_h2_sections_only():
    """The casebook's changes to toc-item.html: no nested list of h3 subsections, no ellipsis span."""
    ours = (OVERRIDES / "partials" / "toc-item.html").read_text("utf-8")
    theirs = (material_templates() / "partials" / "toc-item.html").read_text("utf-8")
    assert "toc_item.children" in theirs and "toc_item.children" not in ours
    assert 'href="{{ toc_item.url }}"' in ours and "toc_item.title" in ours
    assert "md-ellipsis" in theirs and "md-ellipsis" not in strip_comments(ours)


def test_icons_are_materials_drawings_as_masks():
    css = ICONS_CSS.read_text("utf-8")
    icons = sorted((OVERRIDES / ".icons").rglob("*.svg"))
    assert len(icons) >= 9
    for path in icons:
        name = path.relative_to(OVERRIDES / ".icons").with_suffix("").as_posix()
        slug = name.rsplit("/", 1)[-1]
        assert path.read_text("utf-8").startswith(f'<svg class="cb-ic cb-ic-{slug}"'), path
        theirs = (material_templates() / ".icons" / f"{name}.svg").read_text("utf-8")
        drawn = re.search(r"\.cb-ic-" + re.escape(slug) + r' \{\n  --cb-ic: url\("([^"]+)"\)', css)
        assert drawn, f"no mask for {name} in icons.css"
        for d in re.findall(r'<path d="([^"]+)"', theirs):
            assert f"d='{d}'" in drawn.group(1), f"{name}: the drawing differs from Material's"


def test_icons_stylesheet_is_listed():
    config = (ROOT / "mkdocs.yml").read_text("utf-8")
    assert "assets/stylesheets/icons.css" in config
