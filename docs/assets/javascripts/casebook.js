/* Makeable Deals: draws each case's network and runs the case-index filters.
 *
 * Graph data comes from the data-json attribute of an inert element on the page
 * (<div hidden id="graph-…" data-json='…'>). It is never a <script>: Material's instant
 * navigation re-creates every <script> inside the page content as a classic script when it
 * swaps a page in (also when a same-page link such as a citation is followed for the first
 * time), which would run JSON as JavaScript and drop its id. An attribute is never executed.
 *
 * Drawing is idempotent: each network container is drawn once; when Material replaces the
 * page content, networks whose containers left the page are destroyed (with their listeners)
 * and the new containers are drawn. Every label and tooltip is set as text, never as HTML.
 * vis-network (script and stylesheet) is loaded once, from this site, only on pages that draw a
 * network, after the page has painted. Works with Material's instant navigation through document$,
 * without it on plain page loads, and for containers other scripts insert later (a MutationObserver).
 *
 * Reading the network (docs/frame.md, "Reading the network"): the page scrolls over the drawing;
 * zoom with the + and − buttons, ctrl (or ⌘) + wheel, or a two-finger pinch; drag with the mouse
 * to move the view (on a touch screen one finger scrolls the page: use full screen to move and
 * pinch freely); "Fit" resets the view; "Full screen" uses the Fullscreen API (or fills the window
 * where that is missing). Clicking a node highlights it and its links and lists them in a panel
 * with a link to the actor's card. The stage stepper shows which links had been recognized by
 * each stage of the process; unseen links (never recognized, or only in hindsight) stay drawn,
 * dashed purple.
 *
 * It also writes the ¶ permalink after each section heading of a generated page (initPermalinks).
 *
 * Hook for other scripts: window.casebookNetworks
 *   .draw(root)   draw every network container inside root (default: document); returns a Promise.
 *   .get(element) the drawn network of a container (the .cb-network box, its wrapper, or an element
 *                 inside): {box, network, nodes, edges, step(k), fit(), zoom(factor), select(id)}, or null.
 */
(function () {
  "use strict";

  var here = document.currentScript && document.currentScript.src;
  var visUrl = here ? new URL("../vendor/vis-network/vis-network.min.js", here).href : null;
  var cssUrl = here ? new URL("../vendor/vis-network/vis-network.min.css", here).href : null;
  var visLoading = null;

  // A case page's data leaves out what every case shares (issue #12: fewer bytes per page): vis-network's
  // options and the stages of the process; and its patterns name nodes and edges by index (readData). These are builder/network.py's OPTIONS and stage_list(), one
  // JSON line each (tests/test_case_page_size.py checks they are the same).
  var CASE_OPTIONS = {"edges": {"arrows": {"to": {"enabled": true, "scaleFactor": 0.7}}, "font": {"size": 11}, "selectionWidth": 2}, "interaction": {"hover": true, "keyboard": false, "navigationButtons": false}, "layout": {"improvedLayout": false}, "nodes": {"borderWidth": 2, "font": {"face": "system-ui, sans-serif", "size": 15}, "shape": "dot", "size": 18}, "physics": {"enabled": false}};
  var CASE_STAGES = [{"code": "recognition", "kind": "step", "title": "Recognition"}, {"code": "mutual-sense", "kind": "step", "title": "Creating a mutual sense"}, {"code": "holding-environment", "kind": "step", "title": "Holding environment"}, {"code": "value", "kind": "step", "title": "Dimensions of value"}, {"code": "envisioning", "kind": "step", "title": "Envisioning the deal"}, {"code": "agreement", "kind": "step", "title": "Agreement"}, {"code": "implementation", "kind": "step", "title": "Implementation"}, {"code": "hindsight", "kind": "latent", "title": "Hindsight"}, {"code": "never", "kind": "latent", "title": "Never"}, {"code": "unknown", "kind": "unknown", "title": "Not known"}];

  // Edge styles shared by every edge (the data carries only effect, stage and realized).
  var STYLE = {
    helps: "#2b6cb0",
    hurts: "#c53030",
    latent: "#8e44ad",
    unknown: "#8a8f98",
    dim: { color: "#c8c8c8", opacity: 0.25 },
    width: { yes: 3, partly: 2.2 },
    latentDashes: [8, 6],
    unknownDashes: [2, 6],
    large: 100,        // above this many nodes: straight edges, no label scaling, labels only when zoomed in
    minLabelPx: 12,    // node labels are at least this tall on screen at any zoom
    playMs: 1600
  };

  function loadCss() {
    if (!cssUrl || document.querySelector("link[data-cb-vis]")) return;
    var link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = cssUrl;
    link.setAttribute("data-cb-vis", "");
    document.head.appendChild(link);
  }

  function loadVis() {
    loadCss();
    if (window.vis && window.vis.Network) return Promise.resolve(window.vis);
    if (!visLoading) {
      visLoading = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = visUrl;
        s.async = true;
        s.onload = function () { resolve(window.vis); };
        s.onerror = function (err) { visLoading = null; reject(err); };
        document.head.appendChild(s);
      });
    }
    return visLoading;
  }

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function button(label, aria, onClick) {
    var b = el("button", "cb-net-btn", label);
    b.type = "button";
    b.setAttribute("aria-label", aria);
    b.title = aria;
    b.addEventListener("click", onClick);
    return b;
  }

  // Every network on the page. A box is claimed when its drawing is scheduled, so that two runs of
  // init (document$ and the observer below) never draw it twice.
  var drawn = [];
  var claimed = new WeakSet();

  // Labels follow the theme's text colour, so they stay readable in dark mode.
  function labelColour() {
    var colour = getComputedStyle(document.body).getPropertyValue("--md-default-fg-color").trim();
    return colour || "#222";
  }

  // A halo of the page's background around each label, so that an edge drawn across it leaves it readable.
  function haloColour() {
    var colour = getComputedStyle(document.body).getPropertyValue("--md-default-bg-color").trim();
    return colour || "#fff";
  }

  function withTheme(entry) {
    var copy = JSON.parse(JSON.stringify(entry.options || {}));
    copy.nodes = copy.nodes || {};
    copy.nodes.font = Object.assign({}, copy.nodes.font, { color: labelColour(), strokeWidth: 4, strokeColor: haloColour() });
    if (entry.fontSize) copy.nodes.font.size = entry.fontSize;
    if (entry.labelsHidden) copy.nodes.scaling = labelScaling(entry);
    copy.interaction = Object.assign({}, copy.interaction, { zoomView: !!entry.full });
    copy.layout = Object.assign({ improvedLayout: false }, copy.layout);
    copy.physics = Object.assign({}, copy.physics, { enabled: false });
    if (entry.groups) copy.groups = entry.groups;
    if (entry.large) {
      copy.edges = Object.assign({}, copy.edges, { smooth: false });
      copy.nodes.size = 8;
      copy.nodes.scaling = { label: { enabled: true, drawThreshold: 9 } };
      copy.interaction.hideEdgesOnDrag = true;
      copy.interaction.hideEdgesOnZoom = true;
    }
    return copy;
  }

  // Helps and hurts are drawn in the theme's colours (--cb-helps, --cb-hurts: lighter in dark mode), the ones the
  // legend and the cards use.
  var EDGE_COLOURS = { helps: STYLE.helps, hurts: STYLE.hurts };
  function readEdgeColours() {
    var css = getComputedStyle(document.body);
    EDGE_COLOURS.helps = css.getPropertyValue("--cb-helps").trim() || STYLE.helps;
    EDGE_COLOURS.hurts = css.getPropertyValue("--cb-hurts").trim() || STYLE.hurts;
  }

  function baseEdges(entry) {
    var pairCount = {};
    return entry.data.edges.map(function (e) { return baseEdge(e, entry.info, entry.large, pairCount); });
  }

  new MutationObserver(function () {
    readEdgeColours();
    drawn.forEach(function (entry) {
      if (!entry.box.isConnected) return;
      entry.network.setOptions(withTheme(entry));
      entry.baseEdges = baseEdges(entry);
      entry.edges.update(entry.baseEdges);
      restyle(entry);
    });
  }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });

  function readData(id) {
    var node = id ? document.getElementById(id) : null;
    var text = node ? node.getAttribute("data-json") : null;
    var data = text ? JSON.parse(text) : null;
    // The compact case format (edges with an effect; a case page's data has "anchor" and may leave the effect
    // out) without stages or options: the shared ones.
    if (data && data.edges && data.edges.length && (data.anchor !== undefined || data.edges[0].effect !== undefined)) {
      if (!data.stages) data.stages = CASE_STAGES;
      if (!data.options) data.options = CASE_OPTIONS;
      // A case page names an edge's ends by their place in data.nodes, and leaves out "helps" and "yes".
      data.edges.forEach(function (e) {
        if (typeof e.from === "number") e.from = data.nodes[e.from].id;
        if (typeof e.to === "number") e.to = data.nodes[e.to].id;
        if (e.effect === undefined) e.effect = "helps";
        if (e.realized === undefined) e.realized = "yes";
      });
      // A case page leaves out each actor's full name: it is the heading of the actor's card (anchor + id).
      if (data.anchor !== undefined) {
        data.nodes.forEach(function (n) {
          var card = n.name === undefined ? document.getElementById(data.anchor + n.id) : null;
          var heading = card ? card.querySelector("h3") : null;
          var name = heading ? heading.textContent.trim() : "";
          if (name && name !== n.label) n.name = name;
        });
      }
      // A case page names a pattern's nodes and edges by their place in data.nodes and data.edges.
      (data.patterns || []).forEach(function (p) {
        p.nodes = (p.nodes || []).map(function (n) { return typeof n === "number" ? data.nodes[n].id : n; });
        p.edges = (p.edges || []).map(function (e) { return typeof e === "number" ? data.edges[e].id : e; });
      });
    }
    return data;
  }

  // Networks whose container left the page (Material swapped the content) are destroyed,
  // which removes vis-network's own listeners and frees their canvases.
  function forgetDetached() {
    drawn = drawn.filter(function (entry) {
      if (entry.box.isConnected) return true;
      entry.stop();
      entry.network.destroy();
      return false;
    });
  }

  /* ---- data: the compact case format (effect/stage/realized) and plain vis-network data ---- */

  function stageInfo(data) {
    var stages = data.stages || [];
    var steps = stages.filter(function (s) { return s.kind === "step"; });
    return { stages: stages, steps: steps };
  }

  // The base look of an edge, before pattern, focus or stage state is applied.
  function baseEdge(e, info, large, pairCount) {
    var out = { id: e.id, from: e.from, to: e.to };
    if (e.effect === undefined) {
      ["arrows", "color", "dashes", "width", "smooth", "label"].forEach(function (k) {
        if (e[k] !== undefined) out[k] = e[k];
      });
      if (out.label !== undefined) out.label = String(out.label);
      return out;
    }
    var stage = info.stages[e.stage] || { kind: "unknown" };
    out.arrows = "to";
    if (stage.kind === "latent") {
      out.color = STYLE.latent;
      out.dashes = STYLE.latentDashes;
      out.width = 2.5;
    } else if (stage.kind === "unknown") {
      out.color = STYLE.unknown;
      out.dashes = STYLE.unknownDashes;
      out.width = 1.5;
    } else {
      out.color = e.effect === "hurts" ? EDGE_COLOURS.hurts : EDGE_COLOURS.helps;
      out.dashes = false;
      out.width = STYLE.width[e.realized] || 1.5;
    }
    if (!large) {
      // Parallel edges (and the two directions of a pair) curve apart so each stays visible.
      var key = e.from + "\u0000" + e.to;
      pairCount[key] = (pairCount[key] || 0) + 1;
      out.smooth = { enabled: true, type: "curvedCW", roundness: Math.round((0.12 + 0.14 * (pairCount[key] - 1)) * 100) / 100 };
    }
    return out;
  }

  // The step (1..number of steps) at which a compact edge was recognized; 0 when it never was
  // during the process (latent or not known), -1 for plain edges (always drawn).
  function stepOf(e, info) {
    if (e.effect === undefined) return -1;
    var stage = info.stages[e.stage];
    if (!stage || stage.kind !== "step") return 0;
    return info.steps.indexOf(stage) + 1;
  }

  function tipOfNode(n, sectorTitle) {
    if (n.title !== undefined) return String(n.title);
    var lines = [String(n.name || n.label)];
    if (n.group && sectorTitle[n.group]) lines.push(sectorTitle[n.group]);
    return lines.join("\n");
  }

  // A link in words, with the actors' short labels and the effect as a label (no verb agrees with a name, which
  // may be plural: "Streetworkers"): "Town → Farmers (helps)\nRecognized: … · realized: …".
  function linkText(e, entry) {
    var info = entry.info;
    var from = entry.labels[e.from] || e.from;
    var to = entry.labels[e.to] || e.to;
    if (e.effect === undefined) return e.title !== undefined ? String(e.title) : from + " → " + to;
    var stage = info.stages[e.stage];
    return from + " → " + to + " (" + e.effect + ")\nRecognized: " + (stage ? stage.title : "?") +
      (e.realized ? (e.effect === "hurts" ? " · harm done under the deal: " : " · realized: ") + e.realized : "");
  }

  /* ---- one drawn network ---- */

  function drawNetwork(box, vis) {
    var data = readData(box.getAttribute("data-graph"));
    if (!data) return;
    var wrap = box.parentNode;
    var info = stageInfo(data);
    var large = data.nodes.length > STYLE.large;
    var sectorTitle = {};
    var groups = null;
    (data.legend || []).forEach(function (item) {
      if (item.kind !== "sector") return;
      sectorTitle[item.code] = item.label;
      groups = groups || {};
      groups[item.code] = { color: { background: item.color, border: item.color } };
    });
    var names = {};
    var labels = {};
    var rawNodes = {};
    var baseNodes = data.nodes.map(function (n) {
      names[n.id] = String(n.name || n.label);
      labels[n.id] = String(n.label);
      rawNodes[n.id] = n;
      var out = { id: n.id, label: String(n.label), x: n.x, y: n.y };
      ["group", "color", "shape", "size", "font"].forEach(function (k) { if (n[k] !== undefined) out[k] = n[k]; });
      if (out.group && !(groups && groups[out.group])) delete out.group;
      return out;
    });
    var rawEdges = {};
    data.edges.forEach(function (e) { rawEdges[e.id] = e; });
    var entry = {
      box: box, wrap: wrap, data: data, info: info, large: large, names: names, labels: labels, groups: groups,
      options: data.options, rawNodes: rawNodes, rawEdges: rawEdges, baseNodes: baseNodes,
      state: { step: 0, pattern: null, focus: null }, full: false, fontSize: 0, timer: null, sectorTitle: sectorTitle
    };
    readEdgeColours();
    entry.baseEdges = baseEdges(entry);
    entry.nodes = new vis.DataSet(baseNodes);
    entry.edges = new vis.DataSet(entry.baseEdges);
    entry.network = new vis.Network(box, { nodes: entry.nodes, edges: entry.edges }, withTheme(entry));
    entry.stop = function () { if (entry.timer) window.clearInterval(entry.timer); entry.timer = null; };
    drawn.push(entry);
    box.setAttribute("data-ready", "1");
    wrap.classList.add("cb-net-live");
    touchMode(entry);
    buildTools(entry);
    buildTip(entry);
    buildPanel(entry);
    // The drawing starts in its initial style, so only the counts and the caption are set here.
    publish(entry, entry.baseEdges.length);
    // Fitted before the first frame is drawn (the positions are known), and once more after it, when
    // vis-network has measured the labels (a small graph only: a large one keeps its first fit). A box
    // without a size yet (hidden, or not laid out) is fitted after its first drawing, and when it gets one.
    if (box.clientWidth) fit(entry);
    entry.network.once("afterDrawing", function () {
      if (!large || !entry.home) fit(entry);
      box.setAttribute("data-fitted", "1");
    });
    entry.network.on("zoom", function () { scaleLabels(entry); });
    bindZoom(entry);
    observeSize(entry);
    buildPatterns(entry);
    buildAlt(entry);
    return entry;
  }

  // The drawing's text alternative on a case page: every link as a line ("BPD → ATF (helps)", linked to its
  // card in the interdependencies, with the stage by which it was recognized), built from the graph data
  // instead of riding in the page as HTML (issue #12; builder/network.py's text_alternative gives the same
  // rows, tests/test_browser_network.py compares them). Only where the cards are on the page (data.alt is
  // the id of their section); without scripts there is no drawing, and the static picture and the cards stay.
  function buildAlt(entry) {
    var data = entry.data;
    var section = typeof data.alt === "string" ? document.getElementById(data.alt.slice(1)) : null;
    if (!section || !entry.wrap.contains(entry.box) || entry.wrap.querySelector(".cb-network-alt")) return;
    var details = el("details", "cb-network-alt");
    details.appendChild(el("summary", null, "The " + data.edges.length + " links as a list"));
    var list = details.appendChild(el("ol"));
    data.edges.forEach(function (e) {
      var li = list.appendChild(el("li"));
      var a = li.appendChild(el("a", null, entry.labels[e.from] + " → " + entry.labels[e.to] + " (" + e.effect + ")"));
      a.href = "#edge-" + e.id;
      var stage = entry.info.stages[e.stage];
      li.appendChild(document.createTextNode(" "));
      li.appendChild(el("span", "cb-muted", "recognized: " + (stage ? stage.title : "not known")));
    });
    var more = details.appendChild(el("p", "cb-muted", "Each link in full (assets, purposes, sources): "));
    var link = more.appendChild(el("a", null, "Interdependencies"));
    link.href = data.alt;
    more.appendChild(document.createTextNode("."));
    entry.wrap.appendChild(details);
  }

  // Outside full screen a one-finger swipe scrolls the page (the browser pans; vis-network's drag is
  // cancelled); in full screen every gesture moves the drawing.
  function touchMode(entry) {
    var canvas = entry.box.querySelector("canvas");
    var value = entry.full ? "none" : "pan-x pan-y";
    [entry.box.querySelector(".vis-network"), canvas].forEach(function (node) {
      if (node) node.style.touchAction = value;
    });
  }

  function fit(entry) {
    entry.network.fit({ animation: false });
    // A little margin, so that labels at the edge of the drawing are not cut off.
    var margin = entry.box.clientWidth < 600 ? 0.84 : 0.92;
    if (!entry.large) entry.network.moveTo({ scale: entry.network.getScale() * margin, animation: false });
    scaleLabels(entry);
    entry.home = { scale: entry.network.getScale(), position: entry.network.getViewPosition(), size: boxSize(entry) };
  }

  function boxSize(entry) { return entry.box.clientWidth + "x" + entry.box.clientHeight; }

  // Back to the initial view: the fit made when the drawing appeared (or fitted anew if the box changed size).
  function reset(entry) {
    var home = entry.home;
    if (!home || home.size !== boxSize(entry)) { fit(entry); return; }
    entry.network.moveTo({ scale: home.scale, position: home.position, animation: false });
    scaleLabels(entry);
    hideTip(entry);
  }

  // Labels are drawn at least STYLE.minLabelPx tall on screen: the font grows as the view zooms out.
  // A network whose data gives `labelFont` (the label size its layout keeps apart) never grows labels past it:
  // where that size would be under minLabelPx on screen (a phone), labels are drawn only once the view is zoomed
  // in far enough, and a node's name shows when it is pointed at or tapped.
  function scaleLabels(entry) {
    if (entry.large) return;
    var scale = entry.network.getScale();
    var size = Math.min(48, Math.max(15, Math.ceil(STYLE.minLabelPx / scale)));
    var cap = entry.data.labelFont;
    var hidden = !!cap && size > cap;
    if (hidden) size = cap;
    if (size === entry.fontSize && hidden === !!entry.labelsHidden) return;
    entry.fontSize = size;
    entry.labelsHidden = hidden;
    entry.network.setOptions({ nodes: { font: { size: size }, scaling: labelScaling(entry) } });
  }

  // vis-network leaves out a label smaller on screen than drawThreshold when label scaling is on.
  function labelScaling(entry) {
    return { label: { enabled: !!entry.labelsHidden, drawThreshold: STYLE.minLabelPx } };
  }

  // Zoom by a factor, keeping the point under `at` (DOM coordinates in the canvas) where it is.
  function zoom(entry, factor, at) {
    var net = entry.network;
    var scale = Math.min(6, Math.max(0.02, net.getScale() * factor));
    var w = entry.box.clientWidth, h = entry.box.clientHeight;
    var p = at || { x: w / 2, y: h / 2 };
    var c = net.DOMtoCanvas(p);
    net.moveTo({ scale: scale, position: { x: c.x - (p.x - w / 2) / scale, y: c.y - (p.y - h / 2) / scale }, animation: false });
    scaleLabels(entry);
    hideTip(entry);
  }

  // The plain wheel scrolls the page (vis-network's zoomView is off); ctrl/⌘ + wheel and a trackpad
  // pinch (which the browser reports as ctrl + wheel) zoom the drawing. Two touch points pinch-zoom.
  function bindZoom(entry) {
    var box = entry.box;
    box.addEventListener("wheel", function (ev) {
      if (entry.full || !(ev.ctrlKey || ev.metaKey) || !ev.deltaY) return;
      ev.preventDefault();
      var r = box.getBoundingClientRect();
      zoom(entry, Math.exp(-ev.deltaY * 0.0025), { x: ev.clientX - r.left, y: ev.clientY - r.top });
    }, { passive: false });
    var touches = {};
    var last = 0;
    function spread() {
      var pts = Object.keys(touches).map(function (k) { return touches[k]; });
      if (pts.length !== 2) return null;
      return { d: Math.hypot(pts[0].x - pts[1].x, pts[0].y - pts[1].y),
               mid: { x: (pts[0].x + pts[1].x) / 2, y: (pts[0].y + pts[1].y) / 2 } };
    }
    box.addEventListener("pointerdown", function (ev) {
      if (ev.pointerType !== "touch" || entry.full) return;
      var r = box.getBoundingClientRect();
      touches[ev.pointerId] = { x: ev.clientX - r.left, y: ev.clientY - r.top };
      var s = spread();
      last = s ? s.d : 0;
    });
    box.addEventListener("pointermove", function (ev) {
      if (!touches[ev.pointerId] || entry.full) return;
      var r = box.getBoundingClientRect();
      touches[ev.pointerId] = { x: ev.clientX - r.left, y: ev.clientY - r.top };
      var s = spread();
      if (s && last > 10 && s.d > 10) zoom(entry, s.d / last, s.mid);
      if (s) last = s.d;
    });
    ["pointerup", "pointercancel", "pointerleave"].forEach(function (type) {
      box.addEventListener(type, function (ev) { delete touches[ev.pointerId]; last = 0; });
    });
  }

  // A drawing made while its box was hidden (or resized since) is fitted again, unless the reader moved it.
  function observeSize(entry) {
    if (!window.ResizeObserver) return;
    var size = entry.box.clientWidth + "x" + entry.box.clientHeight;
    entry.resize = new ResizeObserver(function () {
      var now = entry.box.clientWidth + "x" + entry.box.clientHeight;
      if (now === size || !entry.box.clientWidth) return;
      size = now;
      entry.network.redraw();
      fit(entry);
    });
    entry.resize.observe(entry.box);
    var stop = entry.stop;
    entry.stop = function () { stop(); entry.resize.disconnect(); };
  }

  /* ---- controls: zoom, fit, full screen, and the stage stepper ---- */

  function buildTools(entry) {
    var bar = el("div", "cb-net-tools");
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Network controls");
    bar.appendChild(button("+", "Zoom in", function () { zoom(entry, 1.3); }));
    bar.appendChild(button("−", "Zoom out", function () { zoom(entry, 1 / 1.3); }));
    bar.appendChild(button("Fit", "Fit the whole network (reset the view)", function () { reset(entry); }));
    entry.fullButton = button("Full screen", "Show the network full screen", function () { toggleFull(entry); });
    entry.fullButton.setAttribute("aria-pressed", "false");
    bar.appendChild(entry.fullButton);
    var counted = entry.data.edges.filter(function (e) { return stepOf(e, entry.info) >= 0; }).length;
    if (entry.info.steps.length && entry.data.stepper !== false && counted) {
      var stepper = el("span", "cb-net-stepper");
      stepper.appendChild(button("◀ Back", "Previous stage", function () { entry.stop(); playing(entry, false); step(entry, prevStep(entry)); }));
      entry.playButton = button("▶ Play", "Play the stages", function () { togglePlay(entry); });
      entry.playButton.setAttribute("aria-pressed", "false");
      stepper.appendChild(entry.playButton);
      stepper.appendChild(button("Next ▶", "Next stage", function () { entry.stop(); playing(entry, false); step(entry, nextStep(entry)); }));
      stepper.appendChild(button("All", "Show every stage at once", function () { entry.stop(); playing(entry, false); step(entry, 0); }));
      bar.appendChild(stepper);
      entry.caption = el("p", "cb-net-caption");
      entry.caption.setAttribute("aria-live", "polite");
    }
    entry.wrap.insertBefore(bar, entry.box);
    if (entry.caption) entry.wrap.insertBefore(entry.caption, entry.box);
    entry.tools = bar;
  }

  function nextStep(entry) { return entry.state.step >= entry.info.steps.length ? 0 : entry.state.step + 1; }
  function prevStep(entry) { return entry.state.step <= 0 ? entry.info.steps.length : entry.state.step - 1; }

  function playing(entry, on) {
    if (!entry.playButton) return;
    entry.playButton.textContent = on ? "❚❚ Pause" : "▶ Play";
    entry.playButton.setAttribute("aria-label", on ? "Pause" : "Play the stages");
    entry.playButton.title = entry.playButton.getAttribute("aria-label");
    entry.playButton.setAttribute("aria-pressed", on ? "true" : "false");
  }

  function togglePlay(entry) {
    if (entry.timer) { entry.stop(); playing(entry, false); return; }
    playing(entry, true);
    step(entry, entry.state.step === 0 || entry.state.step >= entry.info.steps.length ? 1 : entry.state.step + 1);
    entry.timer = window.setInterval(function () {
      if (!entry.box.isConnected) { entry.stop(); return; }
      var next = nextStep(entry);
      step(entry, next);
      if (next === 0) { entry.stop(); playing(entry, false); }
    }, STYLE.playMs);
  }

  // Show the links recognized by step k (1..steps), or everything (k = 0).
  function step(entry, k) {
    entry.state.step = Math.max(0, Math.min(entry.info.steps.length, k | 0));
    restyle(entry);
  }

  function captionText(entry) {
    var recognizedBy = function (k) {
      return entry.data.edges.filter(function (e) { var s = stepOf(e, entry.info); return s > 0 && s <= k; }).length;
    };
    var total = entry.data.edges.length;
    var n = entry.info.steps.length;
    var latent = entry.data.edges.filter(function (e) {
      var s = entry.info.stages[e.stage];
      return s && s.kind === "latent";
    }).length;
    var unknown = entry.data.edges.filter(function (e) { return stepOf(e, entry.info) === 0; }).length - latent;
    // Links first seen during implementation: seen during the process, but after the agreement, so a deal they
    // belong to is a latent deal in the analysis although none of its links is drawn dashed.
    var late = entry.data.edges.filter(function (e) {
      var s = entry.info.stages[e.stage];
      return s && s.code === "implementation";
    }).length;
    var k = entry.state.step;
    var tail = (latent ? "; " + latent + " unseen (never recognized, or only in hindsight)" : "") +
      (unknown ? "; " + unknown + " not known" : "") + ".";
    if (!k) {
      return "All stages: " + recognizedBy(n) + " of " + total + " links recognized during the process" +
        (late ? " (" + late + " only after the agreement, during implementation)" : "") + tail;
    }
    return "Stage " + k + " of " + n + ": " + entry.info.steps[k - 1].title + " — " + recognizedBy(k) + " of " +
      total + " links recognized" + tail;
  }

  /* ---- full screen: the Fullscreen API, or the wrapper fills the window where it is missing ---- */

  function toggleFull(entry) {
    var wrap = entry.wrap;
    if (document.fullscreenElement === wrap) { document.exitFullscreen(); return; }
    if (wrap.classList.contains("cb-net-full")) { setFull(entry, false); return; }
    if (wrap.requestFullscreen && document.fullscreenEnabled) {
      wrap.requestFullscreen().catch(function () { setFull(entry, true); });
    } else {
      setFull(entry, true);
    }
  }

  function setFull(entry, on, native) {
    entry.full = on;
    entry.wrap.classList.toggle("cb-net-full", on && !native);
    entry.fullButton.setAttribute("aria-pressed", on ? "true" : "false");
    entry.fullButton.textContent = on ? "Exit full screen" : "Full screen";
    entry.network.setOptions(withTheme(entry));
    touchMode(entry);
    window.requestAnimationFrame(function () { entry.network.redraw(); fit(entry); });
  }

  document.addEventListener("fullscreenchange", function () {
    drawn.forEach(function (entry) {
      var on = document.fullscreenElement === entry.wrap;
      if (on !== entry.full || entry.wrap.classList.contains("cb-net-full")) setFull(entry, on, true);
    });
  });

  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape") return;
    drawn.forEach(function (entry) {
      if (entry.wrap.classList.contains("cb-net-full")) setFull(entry, false);
      else if (entry.state.focus && entry.wrap.contains(document.activeElement)) select(entry, null);
    });
  });

  /* ---- compact tooltips: small, beside the pointer, as text ---- */

  function buildTip(entry) {
    var tip = el("div", "cb-net-tip");
    tip.hidden = true;
    tip.setAttribute("role", "tooltip");
    entry.wrap.appendChild(tip);
    entry.tip = tip;
    var net = entry.network;
    net.on("hoverNode", function (p) { showTip(entry, tipOfNode(entry.rawNodes[p.node], entry.sectorTitle || {}), p.pointer); });
    net.on("hoverEdge", function (p) { showTip(entry, linkText(entry.rawEdges[p.edge], entry), p.pointer); });
    ["blurNode", "blurEdge", "dragStart", "zoom"].forEach(function (type) { net.on(type, function () { hideTip(entry); }); });
    entry.box.addEventListener("pointerleave", function () { hideTip(entry); });
  }

  function showTip(entry, text, pointer) {
    if (!text || !pointer || !pointer.DOM) return;
    var tip = entry.tip;
    tip.textContent = text;
    tip.hidden = false;
    var x = entry.box.offsetLeft + pointer.DOM.x + 14;
    var y = entry.box.offsetTop + pointer.DOM.y + 14;
    var maxX = entry.wrap.clientWidth - tip.offsetWidth - 4;
    if (x > maxX) x = Math.max(4, entry.box.offsetLeft + pointer.DOM.x - tip.offsetWidth - 14);
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  }

  function hideTip(entry) { if (entry.tip) entry.tip.hidden = true; }

  /* ---- click a node: highlight it and its links, list them, link to its card ---- */

  function buildPanel(entry) {
    var panel = el("div", "cb-net-panel");
    panel.hidden = true;
    panel.setAttribute("role", "region");
    panel.setAttribute("aria-label", "Selected actor and its links");
    panel.tabIndex = -1;
    entry.wrap.insertBefore(panel, entry.box.nextSibling);
    entry.panel = panel;
    entry.network.on("click", function (p) {
      hideTip(entry);
      if (p.nodes.length) select(entry, p.nodes[0]);
      else if (!p.edges.length) select(entry, null);
    });
  }

  function select(entry, id) {
    var panel = entry.panel;
    entry.state.focus = id;
    restyle(entry);
    panel.textContent = "";
    entry.box.setAttribute("data-selected", id || "");
    if (!id) { panel.hidden = true; entry.network.unselectAll(); return; }
    entry.network.selectNodes([id]);
    var node = entry.rawNodes[id];
    var head = el("p", "cb-net-panel-head");
    head.appendChild(el("strong", "", entry.names[id]));
    var page = node.url ? new URL(String(node.url), window.location.href) : null;
    if (page && page.protocol !== "http:" && page.protocol !== "https:") page = null;  // never javascript: and the like
    var href = page ? page.href
      : entry.data.anchor && document.getElementById(entry.data.anchor + id) ? "#" + entry.data.anchor + id : null;
    if (href) {
      var go = el("a", "cb-net-card", page ? "Open its page" : "Go to its card");
      go.href = href;
      head.appendChild(document.createTextNode(" "));
      head.appendChild(go);
    }
    var close = button("×", "Close the panel and clear the highlight", function () { select(entry, null); });
    close.classList.add("cb-net-close");
    head.appendChild(close);
    panel.appendChild(head);
    var links = entry.data.edges.filter(function (e) { return e.from === id || e.to === id; });
    panel.appendChild(el("p", "cb-net-panel-count", links.length + (links.length === 1 ? " link" : " links")));
    var list = el("ul", "cb-net-links");
    links.forEach(function (e) {
      list.appendChild(el("li", "", linkText(e, entry).replace("\n", " · ")));
    });
    panel.appendChild(list);
    panel.hidden = false;
  }

  /* ---- one function decides how every node and edge looks: stage, pattern and focus ---- */

  function restyle(entry) {
    var st = entry.state;
    var keepN = st.pattern ? new Set(st.pattern.nodes) : null;
    var keepE = st.pattern ? new Set(st.pattern.edges) : null;
    var near = null;
    if (st.focus) {
      near = new Set([st.focus]);
      entry.data.edges.forEach(function (e) {
        if (e.from === st.focus || e.to === st.focus) { near.add(e.from); near.add(e.to); }
      });
    }
    var visible = 0;
    var edgeUpdates = entry.baseEdges.map(function (b) {
      var e = entry.rawEdges[b.id];
      var s = stepOf(e, entry.info);
      var hidden = st.step > 0 && s > st.step;
      var on = (!keepE || keepE.has(b.id)) && (!st.focus || e.from === st.focus || e.to === st.focus);
      if (!hidden) visible += 1;
      var up = { id: b.id, hidden: hidden, color: on ? b.color || "#848484" : STYLE.dim };
      var width = on && (keepE || st.focus) ? Math.max(3.5, b.width || 1) : b.width;
      if (width !== undefined) up.width = width;
      return up;
    });
    entry.edges.update(edgeUpdates);
    if (keepN || near || entry.dimmed) {
      entry.nodes.update(entry.baseNodes.map(function (n) {
        var on = (!keepN || keepN.has(n.id)) && (!near || near.has(n.id));
        return { id: n.id, opacity: on ? 1 : 0.2 };
      }));
      entry.dimmed = !!(keepN || near);
    }
    publish(entry, visible);
  }

  // The count of drawn edges and the step, as attributes of the box (for other scripts and tests), and the caption.
  function publish(entry, visible) {
    entry.box.setAttribute("data-visible-edges", String(visible));
    entry.box.setAttribute("data-step", String(entry.state.step));
    if (entry.caption) entry.caption.textContent = captionText(entry);
  }

  /* ---- pattern buttons: highlight one pattern the analysis found ---- */

  function buildPatterns(entry) {
    var data = entry.data;
    var bar = entry.wrap.querySelector(".cb-patterns");
    if (!bar || bar.childNodes.length || !data.patterns || !data.patterns.length) return;
    var label = el("span", "cb-patterns-label", "Highlight:");
    bar.appendChild(label);
    var note = el("p", "cb-pattern-note");
    note.setAttribute("aria-live", "polite");

    function show(pattern, b) {
      bar.querySelectorAll("button").forEach(function (x) { x.setAttribute("aria-pressed", "false"); });
      b.setAttribute("aria-pressed", "true");
      entry.state.pattern = pattern;
      restyle(entry);
      note.textContent = pattern ? pattern.note : "";
    }

    var all = el("button", "", "Everything");
    all.type = "button";
    all.addEventListener("click", function () { show(null, all); });
    bar.appendChild(all);
    data.patterns.forEach(function (p) {
      var b = el("button", "", p.label);
      b.type = "button";
      b.addEventListener("click", function () { show(p, b); });
      bar.appendChild(b);
    });
    bar.appendChild(note);
    all.setAttribute("aria-pressed", "true");
  }

  /* ---- finding and drawing containers; the hook for other scripts ---- */

  function containers(root) {
    var scope = root || document;
    var found = Array.prototype.slice.call(scope.querySelectorAll ? scope.querySelectorAll(".cb-network[data-graph]") : []);
    if (scope.matches && scope.matches(".cb-network[data-graph]")) found.unshift(scope);
    return found;
  }

  function initNetworks(root) {
    forgetDetached();
    var boxes = containers(root).filter(function (box) { return !claimed.has(box); });
    if (!boxes.length) return Promise.resolve([]);
    boxes.forEach(function (box) { claimed.add(box); });
    return loadVis().then(function (vis) {
      return boxes.map(function (box) {
        // A box replaced while vis-network was loading is skipped; its replacement is drawn instead.
        if (!box.isConnected) return null;
        try {
          return drawNetwork(box, vis);
        } catch (err) {
          console.error("casebook: could not draw the network " + box.getAttribute("data-graph"), err);
          return null;
        }
      });
    }, function () {
      boxes.forEach(function (box) { claimed.delete(box); });
      console.error("casebook: could not load vis-network from " + visUrl);
      return [];
    });
  }

  function api(entry) {
    return {
      box: entry.box,
      network: entry.network,
      nodes: entry.nodes,
      edges: entry.edges,
      home: function () { return entry.home; },
      step: function (k) { if (k === undefined) return entry.state.step; step(entry, k); return k; },
      steps: entry.info.steps.length,
      fit: function () { fit(entry); },
      reset: function () { reset(entry); },
      zoom: function (factor) { zoom(entry, factor); },
      select: function (id) { select(entry, id); }
    };
  }

  window.casebookNetworks = {
    draw: function (root) {
      return initNetworks(root).then(function (entries) {
        return entries.filter(Boolean).map(api);
      });
    },
    get: function (element) {
      forgetDetached();
      if (!element) return null;
      for (var i = 0; i < drawn.length; i++) {
        var e = drawn[i];
        if (e.box === element || e.wrap === element || e.wrap.contains(element)) return api(e);
      }
      return null;
    }
  };

  function initReveal() {
    document.querySelectorAll("button.cb-reveal:not([data-ready])").forEach(function (b) {
      b.setAttribute("data-ready", "1");
      b.addEventListener("click", function () {
        var target = document.getElementById(b.getAttribute("aria-controls"));
        var open = b.getAttribute("aria-expanded") === "true";
        b.setAttribute("aria-expanded", open ? "false" : "true");
        target.hidden = open;
        b.textContent = open ? b.getAttribute("data-show") : b.getAttribute("data-hide");
      });
    });
  }

  // The ¶ permalink after each section heading of a generated page (builder/templates/macros.html, heading)
  // is written here rather than in every page's HTML (issue #12). Only headings that are the article's own
  // children and have no permalink yet: Markdown pages have theirs, and content other scripts import into a
  // page (teaching.js) sits inside boxes, with its permalinks removed on purpose.
  function initPermalinks() {
    document.querySelectorAll("article.md-content__inner > h1[id], article.md-content__inner > h2[id]").forEach(function (h) {
      if (h.querySelector(".headerlink")) return;
      var a = document.createElement("a");
      a.className = "headerlink";
      a.href = "#" + h.id;
      a.title = "Permanent link";
      a.textContent = "\u00b6";
      h.appendChild(a);
    });
  }

  function init() {
    initPermalinks();
    initNetworks();
    initReveal();
  }

  // Material announces every page it swaps in through document$. As a second line, any network
  // container added to the page by other means is noticed here and drawn once.
  var pending = false;
  function hasNetwork(node) {
    return node.nodeType === 1 && (node.matches(".cb-network") || node.querySelector(".cb-network") !== null);
  }
  new MutationObserver(function (records) {
    if (pending) return;
    var added = records.some(function (r) { return Array.prototype.some.call(r.addedNodes, hasNetwork); });
    if (!added) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; init(); });
  }).observe(document.body, { childList: true, subtree: true });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
