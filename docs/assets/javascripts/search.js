/* Makeable Deals: the header's search box, backed by Pagefind's chunked index.
 *
 * The dialog is Material's own markup and styles (overrides/partials/search.html); this script
 * does what Material's search component would: open and close it, run the query, list the
 * results in Material's result markup, and the keyboard (f, s or / to open; arrows to move;
 * Enter for the first result; Escape to close). The index is Pagefind's (builder/search.py,
 * written to <site>/pagefind/): pagefind.js is imported the first time the reader opens the
 * search, and each query then fetches only the index chunks and page fragments it needs.
 *
 * Safety: result titles and excerpts are page text. They are set with textContent; the only
 * markup kept from an excerpt is Pagefind's <mark> around matched words, rebuilt here as
 * elements (Pagefind escapes < and > in page text, so a "<mark>" in the text cannot pass as one).
 * No eval, no inline script: the Content Security Policy allows WebAssembly compilation
 * ('wasm-unsafe-eval') for Pagefind's search code and nothing else (builder/csp.py).
 *
 * Instant navigation: Material keeps the header when it swaps pages, so the listeners set here
 * once stay; result links are ordinary links, which Material's instant navigation takes over.
 */
(function () {
  "use strict";

  var dialog = document.querySelector("[data-casebook-search]");
  var toggle = document.getElementById("__search");
  var here = document.currentScript && document.currentScript.src;
  if (!dialog || !toggle || !here) return;

  // This file is <root>/assets/javascripts/search.js; Pagefind's bundle is <root>/pagefind/.
  var root = new URL("../../", here);
  var bundle = new URL("pagefind/pagefind.js", root).href;
  var query = dialog.querySelector(".md-search__input");
  var form = query.form;
  var meta = dialog.querySelector(".md-search-result__meta");
  var list = dialog.querySelector(".md-search-result__list");
  var scrollwrap = dialog.querySelector(".md-search__scrollwrap");
  var texts = dialog.dataset;
  // Results rendered at a time: each result shown fetches its page's fragment (the text its excerpts come
  // from, 5-12 KB for a case), so a query fetches three at first, never all of them (issue #12: at 10,000
  // cases a query's bytes are mostly fixed, the rest are its index chunks and these fragments). The
  // "Show more results" button at the end of the list, scrolling to it, or moving to it with the arrow
  // keys renders ten more: a reader who asks for more wants to see them, not to click for every three.
  var FIRST = 3;
  var MORE = 10;
  // Material has no translation for this one; here rather than in a data- attribute of the header, whose
  // bytes every page pays (tests/test_case_page_size.py).
  var SHOW_MORE = "Show more results";
  var SHOWN_SECTIONS = 2; // sections of a page shown under it; the rest fold into "N more on this page"

  // A match in the terms a page defines (its "defines" metadata: a pattern's name, the concepts on
  // the concepts page) counts for more than one in a title, so a definition comes first.
  var RANKING = { metaWeights: { title: 5, defines: 8 } };

  // Words left out of a query (unless it has no other): each matches nearly every page, so its part of
  // the index is the largest there is (about 100 KB at 10,000 cases) and adds nothing to the ranking.
  var STOP_WORDS = new Set(("a an and are as at be by for from in into is it its of on or that the their " +
    "this to was were which with").split(" "));

  function searchWords(value) {
    // A query that is one "quoted phrase" is searched as it is: Pagefind then matches its words together and in
    // order, stop words too (leaving out its "of" found nothing). A phrase still being typed is closed. Pagefind
    // matches a phrase only when it is the whole query, so quotes in a longer query are dropped, and its words
    // searched as any others. Curly quotes, which phone keyboards type, count as quotes.
    var text = value.replace(/[\u201c\u201d\u201e\u00ab\u00bb]/g, '"').trim();
    var phrase = /^"([^"]*)"?$/.exec(text);
    if (phrase && phrase[1].trim()) return '"' + phrase[1].trim() + '"';
    var words = text.replace(/"/g, " ").split(/\s+/).filter(Boolean);
    var kept = words.filter(function (w) { return !STOP_WORDS.has(w.toLowerCase()); });
    return (kept.length ? kept : words).join(" ") || text;
  }

  // Pagefind searches in this page, not in its web worker: the worker is a second copy of its search
  // code (pagefind-worker.js, 41 KB) that every reader who searches would fetch on top of pagefind.js;
  // the search itself takes a few milliseconds (builder/search.py removes the worker from the bundle).
  var pagefind = null; // the promise of the initialised Pagefind module
  var pending = []; // results not rendered yet
  var rendering = null;

  function load() {
    if (!pagefind) {
      pagefind = import(bundle).then(function (pf) {
        return pf
          .options({ baseUrl: root.pathname, excerptLength: 24, ranking: RANKING, noWorker: true })
          .then(function () { return pf.init(); })
          .then(function () { return pf; });
      });
      pagefind.then(
        function () { if (!query.value) meta.textContent = texts.textPlaceholder; },
        function (err) {
          pagefind = null;
          meta.textContent = texts.textInitializer;
          if (window.console) console.warn("search: Pagefind could not be loaded", err);
        }
      );
    }
    return pagefind;
  }

  function setOpen(open) {
    if (toggle.checked !== open) toggle.click();
  }

  // An excerpt as nodes: text, with Pagefind's <mark> around matched words made into elements.
  function excerptNodes(excerpt) {
    var p = document.createElement("p");
    var parts = String(excerpt || "").split(/<(\/?)mark>/);
    var marked = false;
    for (var i = 0; i < parts.length; i += 1) {
      if (i % 2 === 1) { marked = parts[i] !== "/"; continue; }
      if (!parts[i]) continue;
      var text = parts[i].replace(/&lt;/g, "<").replace(/&gt;/g, ">");
      if (marked) {
        var mark = document.createElement("mark");
        mark.textContent = text;
        p.appendChild(mark);
      } else {
        p.appendChild(document.createTextNode(text));
      }
    }
    return p;
  }

  function article(level, title, excerpt, url, score) {
    var link = document.createElement("a");
    link.href = url;
    link.className = "md-search-result__link";
    link.tabIndex = -1;
    var body = document.createElement("article");
    body.className = "md-search-result__article md-typeset";
    body.setAttribute("data-md-score", String(score));
    if (level === 1) {
      var icon = document.createElement("div");
      icon.className = "md-search-result__icon md-icon";
      body.appendChild(icon);
    }
    var heading = document.createElement(level === 1 ? "h1" : "h2");
    heading.textContent = title;
    body.appendChild(heading);
    if (excerpt) body.appendChild(excerptNodes(excerpt));
    link.appendChild(body);
    return link;
  }

  function plural(one, other, n) {
    return n === 1 ? one : other.replace("#", String(n));
  }

  function renderItem(data, score) {
    var item = document.createElement("li");
    item.className = "md-search-result__item";
    var title = (data.meta && data.meta.title) || data.url;
    // The page's sections that match, best first (Pagefind lists them in page order).
    var sections = (data.sub_results || []).filter(function (s) {
      return s.url !== data.url && s.url.indexOf("#") !== -1 && s.title !== title;
    }).map(function (s, i) {
      return { s: s, i: i, weight: (s.weighted_locations || []).reduce(function (sum, l) {
        return sum + (l.balanced_score || l.weight || 0);
      }, 0) };
    }).sort(function (a, b) { return b.weight - a.weight || a.i - b.i; }).map(function (x) { return x.s; });
    // The page's own excerpt, unless a section shown under it has the same one.
    var repeated = sections.slice(0, SHOWN_SECTIONS).some(function (s) { return s.excerpt === data.excerpt; });
    item.appendChild(article(1, title, repeated ? "" : data.excerpt, data.url, score));
    sections.slice(0, SHOWN_SECTIONS).forEach(function (s) {
      item.appendChild(article(2, s.title, s.excerpt, s.url, score));
    });
    var rest = sections.slice(SHOWN_SECTIONS);
    if (rest.length) {
      var more = document.createElement("details");
      more.className = "md-search-result__more";
      var summary = document.createElement("summary");
      summary.tabIndex = -1;
      var label = document.createElement("div");
      label.textContent = plural(texts.textMoreOne, texts.textMoreOther, rest.length);
      summary.appendChild(label);
      more.appendChild(summary);
      rest.forEach(function (s) { more.appendChild(article(2, s.title, s.excerpt, s.url, score)); });
      item.appendChild(more);
    }
    return item;
  }

  // Render the next ``count`` results (their fragments are fetched now, not before).
  function renderMore(token, count) {
    if (token !== current || !pending.length) return null;
    if (rendering) return rendering;
    var batch = pending.splice(0, count || MORE);
    var done = Promise.all(batch.map(function (r) { return r.data(); })).then(function (datas) {
      if (rendering === done) rendering = null;
      if (token !== current) return;
      var end = moreItem.parentNode === list ? moreItem : null;
      var focused = document.activeElement === moreButton;
      var items = datas.map(function (d, i) { return list.insertBefore(renderItem(d, batch[i].score), end); });
      showMoreButton();
      // The button goes after the last results: a keyboard on it goes on from the first of them, not nowhere.
      var first = focused && !moreItem.parentNode && items.length ? items[0].querySelector(".md-search-result__link") : null;
      if (first) first.focus();
    });
    rendering = done;
    return done;
  }

  var current = 0; // the number of the latest query; older answers are dropped

  // The list's last item while results are left: a button that renders the next MORE of them. One element,
  // kept at the end (new results go in before it), so that it keeps the focus while they load.
  var moreItem = document.createElement("li");
  moreItem.className = "cb-search-more"; // not a result: no md-search-result__item
  var moreButton = document.createElement("button");
  moreButton.type = "button";
  moreButton.tabIndex = -1;
  moreItem.appendChild(moreButton);
  moreButton.addEventListener("click", function () {
    var links = ".md-search-result__item > .md-search-result__link";
    var shown = list.querySelectorAll(links).length;
    var focused = document.activeElement === moreButton;
    var more = renderMore(current);
    if (more && focused) more.then(function () { // the keyboard goes on from the first new result
      var first = list.querySelectorAll(links)[shown];
      if (first) first.focus();
    });
  });

  function showMoreButton() {
    if (!pending.length) {
      if (moreItem.parentNode) moreItem.remove();
      return;
    }
    moreButton.textContent = SHOW_MORE + " (" + pending.length + ")";
    if (moreItem.parentNode !== list) list.appendChild(moreItem);
  }

  function run() {
    var value = query.value.trim();
    var token = (current += 1);
    if (!value) {
      pending = [];
      list.textContent = "";
      meta.textContent = pagefind ? texts.textPlaceholder : texts.textInitializer;
      return;
    }
    load().then(function (pf) {
      return pf.debouncedSearch(searchWords(value), {}, 120);
    }).then(function (search) {
      if (!search || token !== current) return; // a newer query superseded this one
      list.textContent = "";
      rendering = null; // a page of an older query's results may still be loading: it is dropped
      pending = search.results.slice();
      var n = search.results.length;
      meta.textContent = n === 0 ? texts.textNone : plural(texts.textOne, texts.textOther, n);
      return renderMore(token, FIRST);
    }).catch(function () { /* reported by load() */ });
  }

  query.addEventListener("input", run);
  query.addEventListener("focus", function () {
    setOpen(true);
    load();
  });
  // The result list is in the accessibility tree only while the dialog is open (as in Material).
  function exposeList() {
    list.setAttribute("role", toggle.checked ? "list" : "presentation");
    list.hidden = !toggle.checked;
  }
  exposeList();
  toggle.addEventListener("change", function () {
    exposeList();
    if (toggle.checked) {
      load();
      if (document.activeElement !== query) query.focus();
    } else {
      query.blur();
    }
  });
  // Focus on the header's search icon (on phones the box is hidden until opened): this brings up
  // the keyboard on mobile browsers, which only do so for focus inside a user's gesture.
  document.querySelectorAll("header [for=__search]").forEach(function (label) {
    label.addEventListener("click", function () { query.focus(); });
  });
  form.addEventListener("submit", function (ev) { ev.preventDefault(); });
  form.addEventListener("reset", function () {
    setTimeout(function () { run(); query.focus(); }, 0);
  });
  // Always close search when a result is chosen (Material then swaps the page in).
  list.addEventListener("click", function (ev) {
    if (ev.target instanceof Element && ev.target.closest("a")) setOpen(false);
  });
  function nearEnd() {
    return toggle.checked && scrollwrap.scrollTop + scrollwrap.clientHeight >= scrollwrap.scrollHeight - 200;
  }
  scrollwrap.addEventListener("scroll", function () {
    if (nearEnd()) renderMore(current);
  });

  function typing(el) {
    if (!el) return false;
    if (el instanceof HTMLInputElement) return el.type !== "radio";
    return el instanceof HTMLSelectElement || el instanceof HTMLTextAreaElement || el.isContentEditable;
  }

  // The keyboard, as in Material's search.
  window.addEventListener("keydown", function (ev) {
    if (ev.metaKey || ev.ctrlKey || ev.altKey || ev.isComposing) return;
    var active = document.activeElement;
    if (!toggle.checked) {
      if ((ev.key === "f" || ev.key === "s" || ev.key === "/") && !typing(active)) {
        query.focus();
        query.select();
        ev.preventDefault();
      }
      return;
    }
    if (ev.key === "Enter" && active === query) {
      var first = list.querySelector(".md-search-result__link");
      if (first) first.click();
      ev.preventDefault();
    } else if (ev.key === "Escape" || ev.key === "Tab") {
      setOpen(false);
      query.blur();
    } else if (ev.key === "ArrowUp" || ev.key === "ArrowDown") {
      var els = [query].concat(
        Array.prototype.slice.call(
          list.querySelectorAll(":not(details) > [href], summary, details[open] [href], .cb-search-more button")
        )
      );
      var i = Math.max(0, els.indexOf(active));
      var next = (i + els.length + (ev.key === "ArrowUp" ? -1 : 1)) % els.length;
      els[next].focus();
      if (next >= els.length - 2) renderMore(current); // moving down to the last result shown

      ev.preventDefault();
    } else if (active !== query && ev.key.length === 1) {
      query.focus();
    }
  });

  // Deep link: ?q=words opens the search with that query (as Material's search does).
  var asked = new URL(location.href).searchParams.get("q");
  if (asked) {
    query.value = asked;
    setOpen(true);
    run();
  }
})();
