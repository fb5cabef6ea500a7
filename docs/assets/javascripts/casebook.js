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
 * vis-network is loaded once, from this site, and only on pages that draw a network. Works with
 * Material's instant navigation through document$, and without it on plain page loads.
 */
(function () {
  "use strict";

  var here = document.currentScript && document.currentScript.src;
  var visUrl = here ? new URL("../vendor/vis-network/vis-network.min.js", here).href : null;
  var visLoading = null;

  function loadVis() {
    if (window.vis && window.vis.Network) return Promise.resolve(window.vis);
    if (!visLoading) {
      visLoading = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = visUrl;
        s.onload = function () { resolve(window.vis); };
        s.onerror = function (err) { visLoading = null; reject(err); };
        document.head.appendChild(s);
      });
    }
    return visLoading;
  }

  function textTip(text) {
    var el = document.createElement("div");
    el.className = "cb-tip";
    el.textContent = text;
    return el;
  }

  // Every network on the page: {box, network, options}. A box is claimed when its drawing is
  // scheduled, so that two runs of init (document$ and the observer below) never draw it twice.
  var drawn = [];
  var claimed = new WeakSet();

  // Labels follow the theme's text colour, so they stay readable in dark mode.
  function labelColour() {
    var colour = getComputedStyle(document.body).getPropertyValue("--md-default-fg-color").trim();
    return colour || "#222";
  }

  function withTheme(options) {
    var copy = JSON.parse(JSON.stringify(options || {}));
    copy.nodes = copy.nodes || {};
    copy.nodes.font = Object.assign({}, copy.nodes.font, { color: labelColour() });
    return copy;
  }

  new MutationObserver(function () {
    drawn.forEach(function (entry) {
      if (entry.box.isConnected) entry.network.setOptions(withTheme(entry.options));
    });
  }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });

  function readData(id) {
    var el = id ? document.getElementById(id) : null;
    var text = el ? el.getAttribute("data-json") : null;
    return text ? JSON.parse(text) : null;
  }

  // Networks whose container left the page (Material swapped the content) are destroyed,
  // which removes vis-network's own listeners and frees their canvases.
  function forgetDetached() {
    drawn = drawn.filter(function (entry) {
      if (entry.box.isConnected) return true;
      entry.network.destroy();
      return false;
    });
  }

  function drawNetwork(box, vis) {
    var data = readData(box.getAttribute("data-graph"));
    if (!data) return;
    var baseNodes = data.nodes.map(function (n) {
      return Object.assign({}, n, { title: textTip(n.title), label: String(n.label) });
    });
    var baseEdges = data.edges.map(function (e) {
      return Object.assign({}, e, { title: textTip(e.title) });
    });
    var nodes = new vis.DataSet(baseNodes);
    var edges = new vis.DataSet(baseEdges);
    var network = new vis.Network(box, { nodes: nodes, edges: edges }, withTheme(data.options));
    drawn.push({ box: box, network: network, options: data.options });
    box.setAttribute("data-ready", "1");
    network.on("click", function (params) {
      var node = params.nodes.length && nodes.get(params.nodes[0]);
      if (node && node.url) window.location.href = new URL(node.url, window.location.href).href;
    });
    network.once("afterDrawing", function () { network.fit({ animation: false }); });

    var bar = box.parentNode.querySelector(".cb-patterns");
    if (!bar || bar.childNodes.length || !data.patterns || !data.patterns.length) return;
    var label = document.createElement("span");
    label.className = "cb-patterns-label";
    label.textContent = "Highlight:";
    bar.appendChild(label);

    function show(pattern, button) {
      bar.querySelectorAll("button").forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
      button.setAttribute("aria-pressed", "true");
      var keepN = pattern ? new Set(pattern.nodes) : null;
      var keepE = pattern ? new Set(pattern.edges) : null;
      nodes.update(baseNodes.map(function (n) {
        return { id: n.id, opacity: !keepN || keepN.has(n.id) ? 1 : 0.15 };
      }));
      edges.update(baseEdges.map(function (e) {
        var on = !keepE || keepE.has(e.id);
        return { id: e.id, hidden: false, color: on ? e.color : { color: "#d0d0d0", opacity: 0.3 },
                 width: on && keepE ? 4 : e.width };
      }));
      var note = bar.querySelector(".cb-pattern-note");
      note.textContent = pattern ? pattern.note : "";
    }

    var all = document.createElement("button");
    all.type = "button";
    all.textContent = "Everything";
    all.addEventListener("click", function () { show(null, all); });
    bar.appendChild(all);
    data.patterns.forEach(function (p) {
      var b = document.createElement("button");
      b.type = "button";
      b.textContent = p.label;
      b.addEventListener("click", function () { show(p, b); });
      bar.appendChild(b);
    });
    var note = document.createElement("p");
    note.className = "cb-pattern-note";
    note.setAttribute("aria-live", "polite");
    bar.appendChild(note);
    all.setAttribute("aria-pressed", "true");
  }

  function initNetworks() {
    forgetDetached();
    var boxes = Array.prototype.filter.call(document.querySelectorAll(".cb-network[data-graph]"), function (box) {
      return !claimed.has(box);
    });
    if (!boxes.length) return;
    boxes.forEach(function (box) { claimed.add(box); });
    loadVis().then(function (vis) {
      boxes.forEach(function (box) {
        // A box replaced while vis-network was loading is skipped; its replacement is drawn instead.
        if (!box.isConnected) return;
        try {
          drawNetwork(box, vis);
        } catch (err) {
          console.error("casebook: could not draw the network " + box.getAttribute("data-graph"), err);
        }
      });
    }, function () {
      boxes.forEach(function (box) { claimed.delete(box); });
      console.error("casebook: could not load vis-network from " + visUrl);
    });
  }

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

  function init() {
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
