"""The interactive network in a real Chromium: the page scrolls over it, its controls work, the stage
stepper changes which links are drawn, a clicked node lists its links, and the keyboard reaches it all.

Served from the built site on 127.0.0.1 (nothing else is reachable). Screenshots of the stepper
mid-way, at 1280 and 390 px wide, go to $CASEBOOK_SHOTS (default: the session's temporary folder).
No timings are asserted here: speed is measured by benchmarks/bench_network.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from test_browser import _drawn

from conftest import require_chromium

sync_api = require_chromium()

BOSTON = "cases/boston-operation-ceasefire/"
FLINT = "cases/flint-water-crisis/"

# The drawn network of the first container, through the documented hook.
NET = "window.casebookNetworks.get(document.querySelector('.cb-network'))"


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("CASEBOOK_SHOTS") or tmp_path_factory.mktemp("network-shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _open(browser, site_url, path, width=1280, height=900):
    context = browser.new_context(viewport={"width": width, "height": height})
    pg = context.new_page()
    pg.errors = []
    pg.route("**/*", lambda r: r.continue_() if r.request.url.startswith(site_url) else r.abort())
    pg.on("pageerror", lambda e: pg.errors.append(str(e)))
    pg.on("console", lambda m: pg.errors.append(m.text) if m.type == "error" else None)
    pg.goto(site_url + path)
    _drawn(pg)
    pg.wait_for_selector(".cb-network[data-fitted]")
    return pg


@pytest.fixture
def boston(browser, site_url):
    pg = _open(browser, site_url, BOSTON)
    yield pg
    pg.context.close()


def _view(pg) -> dict:
    return pg.evaluate(f"() => ({{ scale: {NET}.network.getScale(), pos: {NET}.network.getViewPosition() }})")


def _centre_of_canvas(pg) -> tuple[float, float]:
    pg.evaluate(
        "() => window.scrollTo(0, document.querySelector('.cb-network').getBoundingClientRect().top"
        " + window.scrollY - 150)"
    )
    box = pg.locator(".cb-network canvas").first.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + min(box["height"] / 2, 300)


def test_wheel_over_the_graph_scrolls_the_page(boston):
    x, y = _centre_of_canvas(boston)
    before, scroll = _view(boston), boston.evaluate("() => window.scrollY")
    boston.mouse.move(x, y)
    for _ in range(5):
        boston.mouse.wheel(0, 120)
    boston.wait_for_function(f"() => window.scrollY > {scroll}")
    assert _view(boston)["scale"] == before["scale"]
    # ctrl + wheel zooms the drawing instead, and leaves the page where it is.
    x, y = _centre_of_canvas(boston)
    boston.mouse.move(x, y)
    scroll = boston.evaluate("() => window.scrollY")
    boston.keyboard.down("Control")
    boston.mouse.wheel(0, -240)
    boston.keyboard.up("Control")
    boston.wait_for_function(f"() => {NET}.network.getScale() > {before['scale']}")
    assert boston.evaluate("() => window.scrollY") == scroll
    # One finger on a touch screen scrolls the page: the browser keeps vertical and horizontal panning.
    assert boston.evaluate("() => getComputedStyle(document.querySelector('.cb-network canvas')).touchAction") in (
        "pan-x pan-y",
        "pan-y pan-x",
    )
    assert boston.errors == []


def test_reset_restores_the_view(boston):
    home = _view(boston)
    zoom_in = boston.get_by_role("button", name="Zoom in")
    zoom_in.click()
    zoom_in.click()
    zoomed = _view(boston)
    assert zoomed["scale"] > home["scale"] * 1.5
    boston.get_by_role("button", name="Zoom out").click()
    assert _view(boston)["scale"] < zoomed["scale"]
    boston.get_by_role("button", name="Fit the whole network (reset the view)").click()
    back = _view(boston)
    assert back["scale"] == pytest.approx(home["scale"], rel=1e-3)
    assert back["pos"]["x"] == pytest.approx(home["pos"]["x"], abs=1)
    assert back["pos"]["y"] == pytest.approx(home["pos"]["y"], abs=1)


def _expected_per_step(case) -> list[int]:
    """Links drawn at steps 1..7: those recognized by then, plus latent and not-known ones (always drawn)."""
    from builder.network import PROCESS_STAGES

    out = []
    for k in range(1, len(PROCESS_STAGES) + 1):
        seen = set(PROCESS_STAGES[:k])
        out.append(sum(1 for e in case.interdependencies if e.recognized in seen or e.recognized not in PROCESS_STAGES))
    return out


def _drawn_edges(pg) -> int:
    """Edges vis-network will draw: not hidden in its DataSet (and the count the script publishes agrees)."""
    count = pg.evaluate(f"() => {NET}.edges.get({{ filter: function (e) {{ return !e.hidden; }} }}).length")
    assert pg.locator(".cb-network").first.get_attribute("data-visible-edges") == str(count)
    return count


@pytest.mark.parametrize("width", [1280, 390])
def test_stage_stepper_changes_which_links_are_drawn(browser, site_url, corpus, shots, width):
    case = next(c for c in corpus.cases if c.id == "flint-water-crisis")
    expected = _expected_per_step(case)
    latent = sum(1 for e in case.interdependencies if e.recognized in ("never", "hindsight"))
    assert latent and expected[0] < len(case.interdependencies)  # the case shows what the stepper is for
    pg = _open(browser, site_url, FLINT, width=width)
    try:
        assert _drawn_edges(pg) == len(case.interdependencies)  # everything, before the first step
        caption = pg.locator(".cb-net-caption")
        assert caption.inner_text().startswith("All stages:")
        late = sum(1 for e in case.interdependencies if e.recognized == "implementation")
        assert (f"({late} only after the agreement, during implementation)" in caption.inner_text()) == bool(late)
        nxt = pg.get_by_role("button", name="Next stage")
        counts = []
        for k in range(1, len(expected) + 1):
            nxt.click()
            counts.append(_drawn_edges(pg))
            if k == 2:
                text = caption.inner_text()
                assert text.startswith("Stage 2 of 7: Creating a mutual sense — ")
                recognized = sum(1 for e in case.interdependencies if e.recognized in ("recognition", "mutual-sense"))
                assert f"{recognized} of {len(case.interdependencies)} links recognized" in text
                assert f"{latent} unseen (never recognized, or only in hindsight)" in text
                # The drawing just under Material's sticky header, in the viewport as a reader sees it.
                pg.evaluate(
                    "() => window.scrollTo(0, document.querySelector('.cb-network-wrap').getBoundingClientRect().top"
                    " + window.scrollY - 64)"
                )
                pg.wait_for_timeout(200)
                pg.screenshot(path=str(shots / f"stepper-mid-{width}.png"))
        assert counts == expected
        # Latent links stay drawn, dashed, at every step.
        dashed = pg.evaluate(
            f"() => {NET}.edges.get({{ filter: function (e) {{ return !e.hidden && e.dashes && e.dashes[0] === 8; }} }})"
            ".length"
        )
        assert dashed == latent
        nxt.click()  # past the last stage: everything again
        assert _drawn_edges(pg) == len(case.interdependencies)
        pg.get_by_role("button", name="Previous stage").click()
        assert pg.locator(".cb-network").first.get_attribute("data-step") == "7"
        pg.get_by_role("button", name="Play the stages").click()
        assert pg.locator(".cb-network").first.get_attribute("data-step") == "1"
        pg.get_by_role("button", name="Pause").click()
        assert pg.get_by_role("button", name="Play the stages").is_visible()
        assert pg.errors == []
    finally:
        pg.context.close()


def test_clicking_a_node_lists_its_links_and_links_to_its_card(boston, corpus):
    case = next(c for c in corpus.cases if c.id == "boston-operation-ceasefire")
    actor = max(case.actors, key=lambda a: sum(a.id in (e.holder, e.target) for e in case.interdependencies))
    links = [e for e in case.interdependencies if actor.id in (e.holder, e.target)]
    _centre_of_canvas(boston)
    point = boston.evaluate(
        f"(id) => {{ var n = {NET}.network; var p = n.canvasToDOM(n.getPositions([id])[id]);"
        " var r = document.querySelector('.cb-network canvas').getBoundingClientRect();"
        " return {x: r.left + p.x, y: r.top + p.y}; }",
        actor.id,
    )
    boston.mouse.click(point["x"], point["y"])
    panel = boston.locator(".cb-net-panel")
    panel.wait_for(state="visible")
    assert actor.name in panel.inner_text()
    assert panel.locator("li").count() == len(links)
    assert boston.locator(".cb-network").first.get_attribute("data-selected") == actor.id
    # Links not touching the actor are dimmed.
    dimmed = boston.evaluate(
        f"() => {NET}.edges.get({{ filter: function (e) {{ return e.color && e.color.opacity === 0.25; }} }}).length"
    )
    assert dimmed == len(case.interdependencies) - len(links)
    # Closing clears the highlight.
    boston.get_by_role("button", name="Close the panel and clear the highlight").click()
    assert not panel.is_visible()
    assert (
        boston.evaluate(
            f"() => {NET}.edges.get({{ filter: function (e) {{ return e.color && e.color.opacity === 0.25; }} }}).length"
        )
        == 0
    )
    # Selected again, the panel links to the actor's card on the page (following it may swap the page content in,
    # as Material's instant navigation does for a first same-page link; the card is then in view).
    boston.mouse.click(point["x"], point["y"])
    panel.wait_for(state="visible")
    card = panel.get_by_role("link", name="Go to its card")
    assert card.get_attribute("href") == f"#actor-{actor.id}"
    card.click()
    boston.wait_for_function(
        "(id) => { var r = document.getElementById(id).getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }",
        arg=f"actor-{actor.id}",
    )


def test_keyboard_reaches_every_control(boston):
    buttons = boston.locator(".cb-net-tools button")
    assert buttons.count() >= 8
    for i in range(buttons.count()):
        assert buttons.nth(i).get_attribute("aria-label"), buttons.nth(i).inner_text()
    # Tab from the element just before the drawing reaches the first control, then the next.
    boston.evaluate(
        "() => { var t = document.createElement('a'); t.href = '#'; t.id = 'before-net'; t.textContent = 'x';"
        " var w = document.querySelector('.cb-network-wrap'); w.parentNode.insertBefore(t, w); t.focus(); }"
    )
    seen = []
    for _ in range(buttons.count()):
        boston.keyboard.press("Tab")
        seen.append(boston.evaluate("() => document.activeElement.getAttribute('aria-label')"))
    assert seen[:4] == ["Zoom in", "Zoom out", "Fit the whole network (reset the view)", "Show the network full screen"]
    assert "Next stage" in seen
    # The focus is visible, and Enter on a focused control works.
    boston.locator(".cb-net-tools button").first.focus()
    outline = boston.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none")
    scale = _view(boston)["scale"]
    boston.keyboard.press("Enter")
    assert _view(boston)["scale"] > scale
    # The text alternative lists every link, each linked to its row.
    alt = boston.locator("details.cb-network-alt")
    alt.locator("summary").click()
    assert alt.locator("li a").count() == boston.evaluate(f"() => {NET}.edges.length")


def test_full_screen_button_toggles(boston):
    full = boston.get_by_role("button", name="Show the network full screen")
    full.click()
    boston.wait_for_function(
        "() => document.fullscreenElement !== null || document.querySelector('.cb-net-full') !== null"
    )
    # The button follows the browser's fullscreenchange event, which comes a moment after the element changes.
    sync_api.expect(full).to_have_attribute("aria-pressed", "true")
    full.click()
    boston.wait_for_function(
        "() => document.fullscreenElement === null && document.querySelector('.cb-net-full') === null"
    )
    sync_api.expect(full).to_have_attribute("aria-pressed", "false")


def test_labels_are_readable_at_phone_width(browser, site_url):
    pg = _open(browser, site_url, BOSTON, width=390, height=844)
    try:
        px = pg.evaluate(
            f"() => {NET}.network.getScale() * {NET}.network.body.nodes[{NET}.nodes.getIds()[0]].options.font.size"
        )
        assert px >= 11
    finally:
        pg.context.close()


def test_a_container_inserted_later_is_drawn_and_reachable_through_the_hook(boston):
    boston.evaluate(
        "() => { var src = document.querySelector('.cb-data');"
        " var data = document.createElement('div'); data.hidden = true; data.className = 'cb-data';"
        " data.id = 'graph-inserted'; data.setAttribute('data-json', src.getAttribute('data-json'));"
        " var wrap = document.createElement('div'); wrap.className = 'cb-network-wrap';"
        " var box = document.createElement('div'); box.className = 'cb-network'; box.id = 'inserted-box';"
        " box.setAttribute('data-graph', 'graph-inserted'); wrap.appendChild(box);"
        " document.querySelector('.md-content article').appendChild(data);"
        " document.querySelector('.md-content article').appendChild(wrap); }"
    )
    boston.wait_for_selector("#inserted-box[data-ready] canvas")
    assert boston.evaluate("() => window.casebookNetworks.get(document.getElementById('inserted-box')) !== null")
    # Drawing again through the hook draws nothing twice.
    again = boston.evaluate("() => window.casebookNetworks.draw(document).then(function (r) { return r.length; })")
    assert again == 0
    assert boston.evaluate("() => document.querySelectorAll('#inserted-box canvas').length") == 1


def test_edges_are_drawn_in_the_legends_colours_in_either_theme(browser, site_url):
    """In dark mode helps and hurts are drawn in the lighter colours the legend and the cards use, and a change
    of theme redraws them."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    pg = context.new_page()
    colours = f"""() => {{ const css = getComputedStyle(document.body);
        const drawn = {NET}.network.body.data.edges.get();
        const of = effect => {NET}.network.body.data.edges.get(
            drawn.find(e => e.color && !e.dashes && (effect === 'hurts') === e.id.includes('hurt')).id).color;
        return {{ scheme: document.body.getAttribute('data-md-color-scheme'),
                  helps: css.getPropertyValue('--cb-helps').trim(), hurts: css.getPropertyValue('--cb-hurts').trim(),
                  drawnHelps: of('helps'), drawnHurts: of('hurts') }}; }}"""
    try:
        pg.goto(site_url + BOSTON)
        _drawn(pg)
        pg.wait_for_selector(".cb-network[data-fitted]")
        dark = pg.evaluate(colours)
        assert dark["scheme"] == "slate"
        assert (dark["drawnHelps"], dark["drawnHurts"]) == (dark["helps"], dark["hurts"])
        pg.evaluate("() => document.body.setAttribute('data-md-color-scheme', 'default')")
        pg.wait_for_function(f"() => {NET}.network.body.data.edges.get('da-helps-bpd').color === '#2b6cb0'")
        light = pg.evaluate(colours)
        assert (light["drawnHelps"], light["drawnHurts"]) == ("#2b6cb0", "#c53030") == (light["helps"], light["hurts"])
        assert light["drawnHelps"] != dark["drawnHelps"]
    finally:
        context.close()


def test_labels_have_a_halo_of_the_page_background_in_either_theme(browser, site_url):
    """An edge drawn across a label leaves it readable: each label (the interactive network's and the static
    picture's) is outlined in the page's background colour, which follows a change of theme."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    pg = context.new_page()
    halo = f"""() => {{ const font = {NET}.network.body.nodes['bpd'].labelModule.fontOptions;
        const text = getComputedStyle(document.querySelector('.cb-svg text'));
        return {{ background: getComputedStyle(document.body).getPropertyValue('--md-default-bg-color').trim(),
                  width: font.strokeWidth, stroke: font.strokeColor,
                  svgOrder: text.paintOrder, svgStroke: text.stroke, svgWidth: text.strokeWidth }}; }}"""
    try:
        pg.goto(site_url + BOSTON)
        _drawn(pg)
        pg.wait_for_selector(".cb-network[data-fitted]")
        dark = pg.evaluate(halo)
        assert dark["width"] >= 3 and dark["stroke"] == dark["background"] and dark["background"] not in ("", "#fff")
        assert dark["svgOrder"].startswith("stroke") and dark["svgWidth"] == "4px" and dark["svgStroke"] != "none"
        pg.evaluate("() => document.body.setAttribute('data-md-color-scheme', 'default')")
        pg.wait_for_function(f"() => {NET}.network.body.nodes['bpd'].labelModule.fontOptions.strokeColor === '#fff'")
        light = pg.evaluate(halo)
        assert light["stroke"] == light["background"] == "#fff" and light["svgStroke"] == "rgb(255, 255, 255)"
    finally:
        context.close()
