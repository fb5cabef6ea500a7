"""The Content Security Policy: where it goes, what it allows, and the theme override it relies on."""

from __future__ import annotations

import re
from pathlib import Path

import material

from builder.csp import POLICY, inline_scripts
from conftest import ROOT


def test_policy_comes_before_any_script(built_site):
    for path in ("index.html", "cases/boston-operation-ceasefire/index.html", "404.html"):
        html = (built_site / path).read_text("utf-8")
        meta = html.index(f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">')
        assert html.index('<meta charset="utf-8">') < meta < html.index("<script"), path
        assert html.count("Content-Security-Policy") == 1, path


def test_policy_allows_no_inline_script_and_no_eval():
    directives = dict(d.strip().split(" ", 1) for d in POLICY.split(";"))
    # 'wasm-unsafe-eval' lets the site search compile its WebAssembly; it allows no eval of script.
    assert directives["script-src"] == "'self' 'wasm-unsafe-eval'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'self'"
    assert "'unsafe-eval'" not in POLICY.split() and "'unsafe-inline'" not in directives["script-src"]
    # frame-ancestors, report-uri and sandbox are ignored in a meta element and would warn in the console.
    assert not {"frame-ancestors", "report-uri", "sandbox"} & directives.keys()
    assert '"' not in POLICY


def test_inline_scripts_are_those_a_browser_runs():
    html = (
        "<script>run()</script>"
        '<script type="module">mod()</script>'
        '<script type="text/javascript">js()</script>'
        '<script type="application/json" id="__config">{"a": 1}</script>'
        '<script type="text/x-template"><b></b></script>'
        '<script src="x.js"></script>'
    )
    assert inline_scripts(html) == ["run()", "mod()", "js()"]


# Material's inline scripts, moved to files of the site by overrides/partials/javascripts/*.html.
MATERIAL = Path(material.__file__).parent / "templates" / "partials" / "javascripts"
OVERRIDES = ROOT / "overrides"
TEMPLATED = {
    '"{{ config.extra.scope | d(base_url) }}"': 'document.currentScript.getAttribute("data-scope")',
    '"{{ base_url }}"': 'document.currentScript.getAttribute("data-base")',
}


def test_theme_override_holds_the_same_code_as_material():
    """If Material changes an inline script, this fails: copy the new code into overrides/assets/javascripts/theme/."""
    partials = sorted(MATERIAL.glob("*.html"))
    assert partials, "Material's partials/javascripts folder has moved"
    for partial in partials:
        override = OVERRIDES / "partials" / "javascripts" / partial.name
        assert override.exists(), f"Material has a new inline script partial {partial.name}: override it"
        theirs = re.findall(r"<script>(.*?)</script>", partial.read_text("utf-8"), re.S)
        ours = re.findall(
            r"<script src=\"\{\{ '(assets/javascripts/theme/[\w-]+\.js)' \| url \}\}\"", override.read_text()
        )
        assert len(theirs) == len(ours), partial.name
        for code, path in zip(theirs, ours, strict=True):
            for template, attribute in TEMPLATED.items():
                code = code.replace(template, attribute)
            assert (OVERRIDES / path).read_text("utf-8").strip() == code.strip(), path
        assert "<script>" not in override.read_text("utf-8")


def test_built_pages_have_no_inline_script(built_site):
    for path in sorted(built_site.rglob("*.html")):
        html = path.read_text("utf-8")
        assert inline_scripts(html) == [], path
        assert html.count('http-equiv="Content-Security-Policy"') == 1, path
