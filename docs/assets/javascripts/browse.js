/* Makeable Deals: the case index's filters, their counts, the address that keeps them, and the map's dimming.
 *
 * The page (builder/browse.py, case-index.html) carries a hidden form of checkboxes, one <details> per facet, and
 * the facet values of every row as option indexes in the data-json attribute of #cb-browse-data (never a <script>,
 * see casebook.js). Values chosen in one facet widen the list (any of them), facets narrow it (all of them). Each
 * option shows how many cases it would give with the other facets' choices applied. The choices are the query
 * string (?scale=national&scale=regional&pattern=cycle), pushed to the history on each change and read back on load
 * and on back/forward, so a filtered list can be shared. One pass over the rows does the filter and the counts.
 * Without this script the form stays hidden and the page is the full list.
 */
(function () {
  "use strict";

  var current = null;

  function setup() {
    var form = document.querySelector("form.cb-browse");
    var table = document.querySelector(".cb-index table");
    var holder = document.getElementById("cb-browse-data");
    if (!form || !table || !holder || form.getAttribute("data-ready")) return;
    form.setAttribute("data-ready", "1");
    var data = JSON.parse(holder.getAttribute("data-json"));
    var facets = Array.prototype.map.call(form.querySelectorAll(".cb-facet"), function (box) {
      var inputs = Array.prototype.slice.call(box.querySelectorAll("input[type=checkbox]"));
      return {
        key: box.getAttribute("data-facet"),
        label: box.querySelector("legend").textContent,
        box: box,
        inputs: inputs,
        counts: inputs.map(function (i) { return i.parentNode.querySelector(".cb-n"); }),
        chosen: box.querySelector(".cb-facet-chosen"),
      };
    });
    var svg = document.querySelector(".cb-map-svg");
    var state = {
      form: form,
      facets: facets,
      rows: table.tBodies[0].rows,
      data: data,
      count: form.querySelector(".cb-count"),
      unknown: form.querySelector(".cb-unknown"),
      none: document.querySelector(".cb-none"),
      marks: svg ? Array.prototype.slice.call(svg.querySelectorAll(".cb-map-mark")) : [],
      countries: svg ? Array.prototype.slice.call(svg.querySelectorAll(".cb-map-country")) : [],
      countryFacet: facets.findIndex(function (f) { return f.key === "country"; }),
    };
    state.visible = new Uint8Array(data.rows.length).fill(1);
    current = state;
    form.addEventListener("change", function () { apply(state, true); });
    form.addEventListener("submit", function (e) { e.preventDefault(); });
    form.addEventListener("reset", function (e) {
      e.preventDefault();
      facets.forEach(function (f) { f.inputs.forEach(function (i) { i.checked = false; }); });
      apply(state, true);
    });
    if (svg) svg.addEventListener("click", function (e) { mapClick(state, e); });
    facets.forEach(function (f) {
      f.box.addEventListener("toggle", function () { if (f.box.open) opened(state, f); });
    });
    document.addEventListener("click", function (e) {
      if (!form.contains(e.target)) closeAll(state, null);
    });
    form.addEventListener("keydown", function (e) {
      if (e.key !== "Escape") return;
      var open = facets.filter(function (f) { return f.box.open; })[0];
      if (!open) return;
      closeAll(state, null);
      open.box.querySelector("summary").focus();
    });
    state.chips = form.querySelector(".cb-chips");
    readAddress(state);
    form.hidden = false;
    apply(state, false);
  }

  // One facet panel open at a time; a panel that would leave the window on the right opens leftwards.
  function opened(state, facet) {
    closeAll(state, facet);
    var panel = facet.box.querySelector("fieldset");
    panel.classList.remove("cb-flip");
    if (panel.getBoundingClientRect().right > document.documentElement.clientWidth) panel.classList.add("cb-flip");
  }

  function closeAll(state, except) {
    state.facets.forEach(function (f) { if (f !== except && f.box.open) f.box.open = false; });
  }

  // The chosen values as buttons that remove them.
  function chips(state) {
    if (!state.chips) return;
    while (state.chips.firstChild) state.chips.removeChild(state.chips.firstChild);
    state.facets.forEach(function (f) {
      f.inputs.forEach(function (input) {
        if (!input.checked) return;
        var li = document.createElement("li");
        var b = document.createElement("button");
        b.type = "button";
        b.className = "cb-chip";
        b.textContent = input.parentNode.getAttribute("data-title");
        b.setAttribute("aria-label", "Remove " + f.label + ": " + b.textContent);
        b.addEventListener("click", function () {
          input.checked = false;
          apply(state, true);
          var next = state.chips.querySelector("button");
          (next || state.form.querySelector("summary")).focus();
        });
        li.appendChild(b);
        state.chips.appendChild(li);
      });
    });
  }

  // A shaded country (or a group of marks) links to ?country=XX: on this page, choose that country in place.
  function mapClick(state, e) {
    var link = e.target.closest("a");
    var href = link && link.href && link.href.baseVal;
    if (!href || href.charAt(0) !== "?" || e.ctrlKey || e.metaKey || e.shiftKey) return;
    e.preventDefault();
    e.stopPropagation();
    var code = new URLSearchParams(href).get("country");
    var facet = state.facets[state.countryFacet];
    if (!facet) return;
    facet.inputs.forEach(function (i) { i.checked = i.value === code; });
    apply(state, true);
  }

  // The address's choices, checked; a value of a filter that the index has no box for (a mistyped or old shared
  // link, such as ?domain=water) is named under the count until the reader changes the filters, so an unfiltered
  // list is never shown as if it were filtered. Parameters that are not filters are ignored.
  function readAddress(state) {
    var params = new URLSearchParams(window.location.search);
    var unknown = [];
    state.facets.forEach(function (f) {
      var wanted = params.getAll(f.key);
      var values = f.inputs.map(function (i) { return i.value; });
      f.inputs.forEach(function (i) { i.checked = wanted.indexOf(i.value) !== -1; });
      wanted.forEach(function (w) {
        var named = f.label + ": " + w;
        if (values.indexOf(w) === -1 && unknown.indexOf(named) === -1) unknown.push(named);
      });
    });
    if (state.unknown) {
      state.unknown.textContent = unknown.length
        ? "Not a filter of this index, left out: " + unknown.join(", ") + "."
        : "";
      state.unknown.hidden = !unknown.length;
    }
  }

  function address(state) {
    var params = new URLSearchParams();
    state.facets.forEach(function (f) {
      f.inputs.forEach(function (i) { if (i.checked) params.append(f.key, i.value); });
    });
    var query = params.toString();
    return window.location.pathname + (query ? "?" + query : "") + window.location.hash;
  }

  function apply(state, push) {
    var facets = state.facets;
    var n = facets.length;
    var chosen = facets.map(function (f) { return f.inputs.map(function (i) { return i.checked; }); });
    var active = chosen.map(function (c) { return c.indexOf(true) !== -1; });
    var counts = facets.map(function (f) { return f.inputs.map(function () { return 0; }); });
    var rows = state.data.rows;
    var marks = state.marks.map(function () { return 0; });
    var perCountry = {};
    var shown = 0;
    for (var r = 0; r < rows.length; r++) {
      var row = rows[r];
      var failed = -1;
      var failures = 0;
      for (var k = 0; k < n && failures < 2; k++) {
        if (!active[k]) continue;
        var hit = false;
        for (var j = 0; j < row[k].length; j++) if (chosen[k][row[k][j]]) { hit = true; break; }
        if (!hit) { failures++; failed = k; }
      }
      var ok = failures === 0;
      // Only rows whose state changes are touched: rewriting `hidden` on 10,000 rows costs a style pass each.
      if (state.visible[r] !== (ok ? 1 : 0) && state.rows[r]) {
        state.rows[r].hidden = !ok;
        state.visible[r] = ok ? 1 : 0;
      }
      if (ok) {
        shown++;
        var m = state.data.marks[r];
        if (m >= 0 && m < marks.length) marks[m]++;
        if (state.countryFacet >= 0) {
          row[state.countryFacet].forEach(function (i) { perCountry[i] = (perCountry[i] || 0) + 1; });
        }
      }
      if (failures > 1) continue;
      for (var f = 0; f < n; f++) {
        if (failures === 1 && f !== failed) continue;
        for (var v = 0; v < row[f].length; v++) counts[f][row[f][v]]++;
      }
    }
    show(state, chosen, counts, shown, rows.length);
    dimMap(state, marks, perCountry, active.indexOf(true) !== -1);
    if (push && state.unknown) state.unknown.hidden = true;  // the reader chose anew: the address's leftovers are gone
    if (push) {
      var url = address(state);
      if (url !== window.location.pathname + window.location.search + window.location.hash) {
        window.history.pushState(window.history.state, "", url);
      }
    }
  }

  function show(state, chosen, counts, shown, total) {
    state.facets.forEach(function (f, k) {
      var picked = 0;
      f.inputs.forEach(function (input, i) {
        if (chosen[k][i]) picked++;
        f.counts[i].textContent = "(" + counts[k][i] + ")";
        input.parentNode.classList.toggle("cb-zero", counts[k][i] === 0 && !chosen[k][i]);
      });
      f.chosen.textContent = picked ? " · " + picked + " chosen" : "";
      f.box.classList.toggle("cb-has-choice", picked > 0);
    });
    chips(state);
    state.count.textContent = shown + " of " + total + " cases";
    if (state.none) state.none.hidden = shown !== 0;
  }

  function dimMap(state, marks, perCountry, filtered) {
    state.marks.forEach(function (el, m) {
      el.classList.toggle("cb-dim", filtered && marks[m] === 0);
      // A group of cases shows how many of its cases the filters keep.
      var count = el.querySelector("text[data-n]");
      if (count) count.textContent = filtered ? String(marks[m]) : count.getAttribute("data-n");
    });
    var facet = state.facets[state.countryFacet];
    if (!facet) return;
    var index = {};
    facet.inputs.forEach(function (input, i) { index[input.value] = i; });
    state.countries.forEach(function (el) {
      var i = index[el.getAttribute("data-country")];
      el.classList.toggle("cb-dim", filtered && !perCountry[i]);
      el.classList.toggle("cb-chosen", i !== undefined && facet.inputs[i].checked);
    });
  }

  // Back and forward within the index: the address changed, the page may not have; read the choices back.
  window.addEventListener("popstate", function () {
    if (!current || !current.form.isConnected) return;
    readAddress(current);
    apply(current, false);
  });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
