/* Makeable Deals: the teaching pages, built in the browser from each case's own page.
 *
 * The case page is the one copy of a case's text. The exercise, role briefs and debrief are three shared
 * pages (teaching/case/exercise/?case=<id>, .../roles/?case=<id>, .../debrief/?case=<id>) and the packets
 * one (teaching/packet/?list=<id>, &for=instructor): small shells whose element .cb-teach names what to
 * build (data-kind) and where the site's root is (data-root). This script fetches, from the same origin:
 *
 *   cases/<id>/                 the case page, parsed with DOMParser (scripts never run there), whose
 *                               nodes are read (textContent) or imported (importNode) into the shell;
 *   data/cases/<id>.json        the case's network and analysis: actors, links (holder, asset, effect,
 *                               target, purpose, when recognized), reciprocal pairs, cycles, latent deals;
 *   teaching/lists/<id>/        a reading list's page (packets): its sessions' why and questions.
 *
 * Hooks read on the case page: the h1; .cb-tagline; each actor card section#actor-<id> with its purposes
 * li#purpose-<actor>-<purpose>, its assets li[data-asset] (.cb-kind inside), p[data-f=mission],
 * p[data-f=answers-to] and the first p.cb-muted (sector and level); the network .cb-network[data-graph]
 * and its data element (by id); the section headings' ids (what-the-analysis-finds, the stage headings
 * such as recognizing-the-interdependence, the-deal, what-each-would-have-done-alone, teaching-notes),
 * whose section is every sibling up to the next heading of the same level; the whole <article> (packets).
 *
 * All text is set with textContent, imported nodes come from the case page's own autoescaped markup, and
 * nothing is built from an HTML string. No inline scripts or handlers (the site's CSP). Links in imported
 * nodes are made absolute to the case page, or, in a packet, to the packet's own copy of their target.
 * The exercise itself (guesses, storage, score) is exercise.js: window.casebookExercise.start(root, data).
 * When a page is built, .cb-teach gets data-ready="1" (tests, and printing, wait for it).
 */
(function () {
  "use strict";

  var HEADINGS = "h1, h2, h3, h4, h5, h6";

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function add(parent, child) {
    parent.appendChild(child);
    return child;
  }

  /* A paragraph "<strong>label</strong> text". */
  function labelled(label, text, cls) {
    var p = el("p", null, cls);
    add(p, el("strong", label));
    if (text) p.appendChild(document.createTextNode(" " + text));
    return p;
  }

  function list(tag, items, cls) {
    var l = el(tag, null, cls);
    items.forEach(function (t) { add(l, el("li", t)); });
    return l;
  }

  /* Items joined with "; ", except after one that ends a sentence (".", "!", "?", "…", maybe closed by a
     quote or bracket), which is followed by a space: "Widen the river. Keep farming viable." not ".;". */
  function joinItems(items) {
    return items.reduce(function (out, item, i) {
      if (!i) return item;
      return out + (/[.!?…]["'”’)\]]*$/.test(out) ? " " : "; ") + item;
    }, "");
  }

  function squash(s) {
    return (s || "").replace(/\s+/g, " ").trim();
  }

  /* The text of a node without the parts the selector names (labels, badges, citation links). */
  function textOf(node, without) {
    if (!node) return "";
    var copy = node.cloneNode(true);
    if (without) copy.querySelectorAll(without).forEach(function (n) { n.remove(); });
    return squash(copy.textContent);
  }

  function fetchText(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (r) {
      if (!r.ok) throw new Error(r.status + " " + url);
      return r.text();
    });
  }

  function fetchDoc(url) {
    return fetchText(url).then(function (t) { return new DOMParser().parseFromString(t, "text/html"); });
  }

  /* The nodes of a section of a page: every sibling after the heading with this id, up to the next heading
     of the same or a higher level. */
  function section(doc, id) {
    var h = doc.getElementById(id);
    if (!h || !h.matches(HEADINGS)) return [];
    var level = +h.tagName[1];
    var out = [];
    for (var n = h.nextElementSibling; n; n = n.nextElementSibling) {
      if (n.matches(HEADINGS) && +n.tagName[1] <= level) break;
      out.push(n);
    }
    return out;
  }

  /* Import nodes of another page: scripts and permalinks dropped, links made absolute to that page (or, with
     a prefix, kept in this page where their target was imported too), ids dropped or prefixed (not inside an
     SVG, whose markers are referenced by id and are already unique per case). */
  function adopt(nodes, base, prefix) {
    var box = document.createElement("div");
    nodes.forEach(function (n) { box.appendChild(document.importNode(n, true)); });
    box.querySelectorAll("script, .headerlink").forEach(function (n) { n.remove(); });
    box.querySelectorAll("[id]").forEach(function (n) {
      if (n.closest("svg")) return;
      if (prefix === undefined) n.removeAttribute("id");
      else n.id = prefix + n.id;
    });
    box.querySelectorAll("a[href]").forEach(function (a) {
      var href = a.getAttribute("href");
      if (prefix !== undefined && href.charAt(0) === "#" && box.querySelector("[id='" + CSS.escape(prefix + href.slice(1)) + "']")) {
        a.setAttribute("href", "#" + prefix + href.slice(1));
      } else {
        a.setAttribute("href", new URL(href, base).href);
      }
    });
    box.querySelectorAll("img[src]").forEach(function (i) { i.setAttribute("src", new URL(i.getAttribute("src"), base).href); });
    return Array.prototype.slice.call(box.childNodes);
  }

  function appendAll(parent, nodes) {
    nodes.forEach(function (n) { parent.appendChild(n); });
    return parent;
  }

  function heading(level, text, id) {
    var h = el("h" + Math.min(level, 6), text);
    if (id) h.id = id;
    return h;
  }

  /* ---------------------------------------------------------------- one case, from its page and its data */

  function actorsOf(doc, nodes) {
    var byId = {};
    nodes.forEach(function (n) { byId[n.id] = n; });
    var out = [];
    doc.querySelectorAll("[id^='actor-']").forEach(function (card) {
      var node = byId[card.id.slice(6)];
      if (!node) return;
      delete byId[node.id];
      var prefix = "purpose-" + node.id + "-";
      out.push({
        id: node.id,
        name: node.name,
        short: node.short_name || node.name,
        colour: card.style.borderLeftColor,
        facts: textOf(card.querySelector("p.cb-muted"), "a"),
        mission: textOf(card.querySelector("[data-f=mission]"), "strong, a"),
        answers: textOf(card.querySelector("[data-f=answers-to]"), "strong, a"),
        purposes: Array.prototype.map.call(card.querySelectorAll("li[id^='" + prefix + "']"), function (li) {
          return { id: li.id.slice(prefix.length), text: textOf(li, "a") };
        }),
        assets: Array.prototype.map.call(card.querySelectorAll("li[data-asset]"), function (li) {
          return { id: li.getAttribute("data-asset"), kind: textOf(li.querySelector(".cb-kind")), text: textOf(li, ".cb-kind, .cb-money, a") };
        })
      });
    });
    return out;
  }

  function steps(actors, kind) {
    if (kind === "pair") return [[actors[0], actors[1]], [actors[1], actors[0]]];
    return actors.map(function (a, i) { return [a, actors[(i + 1) % actors.length]]; });
  }

  /* The makeable deals (reciprocal pairs, then cycles), each marked latent or not: teaching.makeable_deals. */
  function dealsOf(analysis, words) {
    var latent = {};
    (analysis.latent_deals || []).forEach(function (d) { latent[d.actors.join("\u0000")] = d.recognized; });
    var rings = (analysis.reciprocal_pairs || []).map(function (p) { return ["pair", p]; })
      .concat(((analysis.cycles || {}).cycles || []).map(function (c) { return ["cycle", c]; }));
    return rings.map(function (r) {
      var key = r[1].join("\u0000");
      var seen = Object.prototype.hasOwnProperty.call(latent, key) ? latent[key] : null;
      return {
        kind: r[0], actors: r[1], steps: steps(r[1], r[0]), latent: key in latent,
        recognized: seen, seen: (seen && words.seen[seen]) || ""
      };
    });
  }

  function loadCase(site, id, words) {
    var url = new URL("cases/" + encodeURIComponent(id) + "/", site);
    var data = new URL("data/cases/" + encodeURIComponent(id) + ".json", site);
    return Promise.all([fetchDoc(url), fetchText(data).then(JSON.parse)]).then(function (r) {
      var doc = r[0], json = r[1];
      var actors = actorsOf(doc, json.graph.nodes);
      var byId = {};
      actors.forEach(function (a) { byId[a.id] = a; });
      function find(items, key) { return (items || []).filter(function (x) { return x.id === key; })[0]; }
      var edges = json.graph.links.map(function (l) {
        var holder = byId[l.source], target = byId[l.target];
        var asset = holder && find(holder.assets, l.asset), purpose = target && find(target.purposes, l.purpose);
        return {
          id: l.key, holder: l.source, asset: l.asset, target: l.target, effect: l.effect,
          assetText: asset ? asset.text : l.asset, purpose: purpose ? purpose.text : l.purpose,
          stage: l.recognized_stage, recognized: words.recognized[l.recognized_stage] || l.recognized_stage,
          by: (l.recognized_by || "").split(" ").filter(Boolean)
        };
      });
      return {
        id: id, url: url.href, doc: doc, actors: actors, byId: byId, edges: edges,
        title: textOf(doc.querySelector("article h1") || doc.querySelector("h1"), "a"),
        tagline: textOf(doc.querySelector(".cb-tagline"), ".cb-badge"),
        deals: dealsOf(json.analysis || {}, words),
        name: function (a) { return byId[a] ? byId[a].short : a; }
      };
    });
  }

  /* ---------------------------------------------------------------- the exercise */

  function actorCard(a) {
    var card = el("section", null, "cb-actor");
    card.id = "actor-" + a.id;
    if (a.colour) card.style.borderLeftColor = a.colour;
    add(card, el("h3", a.name, "cb-actor-name"));
    if (a.facts) add(card, el("p", a.facts, "cb-muted"));
    if (a.mission) add(card, labelled("Mission.", a.mission));
    add(card, labelled("Purposes"));
    add(card, list("ul", a.purposes.map(function (p) { return p.text; })));
    if (a.assets.length) {
      add(card, labelled("Holds"));
      var ul = add(card, el("ul"));
      a.assets.forEach(function (s) {
        var li = add(ul, el("li"));
        add(li, el("span", s.kind, "cb-kind"));
        li.appendChild(document.createTextNode(" " + s.text));
      });
    }
    return card;
  }

  function importNetwork(c, holder) {
    var box = c.doc.querySelector(".cb-network[data-graph]");
    if (!box) return;
    var data = c.doc.getElementById(box.getAttribute("data-graph"));
    var nodes = adopt([box.closest(".cb-network-wrap") || box], c.url, "");
    appendAll(holder, nodes);
    if (data) {
      var copy = document.importNode(data, true);
      holder.appendChild(copy);
    }
  }

  function buildExercise(root, c) {
    var body = root.querySelector(".cb-teach-body");
    body.querySelector(".cb-teach-tagline").textContent = c.tagline + " · " + c.actors.length + " actors";
    var cards = body.querySelector(".cb-exercise-actors");
    c.actors.forEach(function (a) { add(cards, actorCard(a)); });
    window.casebookExercise.start(body.querySelector(".cb-exercise"), {
      caseId: c.id,
      actors: c.actors.map(function (a) { return { id: a.id, name: a.short, assets: a.assets }; }),
      key: {
        edges: c.edges.map(function (e) {
          return { holder: e.holder, asset: e.asset, target: e.target, effect: e.effect, purpose: e.purpose, recognized: e.recognized };
        }),
        deals: c.deals
      },
      network: function (holder) { importNetwork(c, holder); }
    });
  }

  /* ---------------------------------------------------------------- the role briefs */

  function alone(c) {
    var out = {};
    section(c.doc, "what-each-would-have-done-alone").forEach(function (n) {
      n.querySelectorAll("li").forEach(function (li) {
        var who = textOf(li.querySelector("strong"));
        var actor = c.actors.filter(function (a) { return a.name === who || a.short === who; })[0];
        if (!actor) return;
        (out[actor.id] = out[actor.id] || []).push(textOf(li, "strong, a").replace(/^:\s*/, ""));
      });
    });
    return out;
  }

  function buildRoles(root, c, words) {
    var body = root.querySelector(".cb-teach-body");
    var contents = body.querySelector(".cb-brief-contents");
    var briefs = body.querySelector(".cb-briefs");
    function toc(text, id) {
      var a = el("a", text);
      a.href = "#" + id;
      add(add(contents, el("li")), a);
    }
    toc("Everyone at the table", "everyone-at-the-table");
    var table = add(briefs, el("section", null, "cb-brief cb-brief-table"));
    add(table, heading(2, "Everyone at the table", "everyone-at-the-table"));
    add(table, el("p", c.title + ": a sheet for every participant. What each party exists to do, and the purposes that what you hold might help, or hurt.", "cb-muted"));
    var others = add(table, el("ul", null, "cb-brief-others"));
    c.actors.forEach(function (a) {
      var li = add(others, el("li"));
      add(li, el("strong", a.name));
      if (a.mission) li.appendChild(document.createTextNode(": " + a.mission));
      add(li, el("br"));
      add(li, el("span", "Purposes: " + joinItems(a.purposes.map(function (p) { return p.text; })), "cb-muted"));
    });
    var lone = alone(c);
    c.actors.forEach(function (a) {
      toc(a.name, "role-" + a.id);
      var b = add(briefs, el("section", null, "cb-brief"));
      add(b, heading(2, "You are: " + a.name, "role-" + a.id));
      add(b, el("p", c.title + (a.facts ? " · " + a.facts : ""), "cb-muted"));
      if (a.mission) add(b, labelled("Your mission.", a.mission));
      if (a.answers) add(b, labelled("You answer to.", a.answers));
      add(b, labelled("What you are trying to do"));
      add(b, list("ul", a.purposes.map(function (p) { return p.text; })));
      add(b, labelled("What you hold"));
      if (a.assets.length) {
        var ul = add(b, el("ul"));
        a.assets.forEach(function (s) {
          var li = add(ul, el("li"));
          add(li, el("span", s.kind, "cb-kind"));
          li.appendChild(document.createTextNode(" " + s.text));
        });
      } else add(b, el("p", "The case records no assets of yours: what do you hold that others might value?"));
      var names = c.actors.filter(function (o) { return o.id !== a.id; }).map(function (o) { return o.name; });
      var who = add(b, labelled("Who might need it.", "The others at the table: " + joinItems(names) + (/[.!?…]$/.test(names[names.length - 1] || "") ? "" : ".") + " Their missions and purposes are on the sheet "));
      add(who, el("em", "Everyone at the table"));
      who.appendChild(document.createTextNode(". Whose purposes could what you hold help, or hurt?"));
      add(b, labelled("What you would do alone"));
      (lone[a.id] || ["The case does not say. Decide before the session what you would do without anyone else, and what it would achieve."])
        .forEach(function (t) { add(b, el("p", t)); });
      add(b, labelled("Questions to bring to the table"));
      add(b, list("ol", words.questions));
    });
  }

  /* ---------------------------------------------------------------- the debrief */

  function edgeList(c, edges) {
    var ul = el("ul", null, "cb-debrief-edges");
    edges.forEach(function (e) {
      var li = add(ul, el("li"));
      add(li, el("strong", c.name(e.holder)));
      li.appendChild(document.createTextNode(": " + e.assetText + " "));
      add(li, el("span", e.effect, "cb-effect cb-effect-" + e.effect));
      li.appendChild(document.createTextNode(" "));
      add(li, el("strong", c.name(e.target)));
      li.appendChild(document.createTextNode(": " + e.purpose));
      if (e.by.length) add(li, el("span", " (seen first by " + e.by.map(c.name).join(", ") + ")", "cb-muted"));
    });
    return ul;
  }

  function slug(title) {
    return title.toLowerCase().replace(/ /g, "-");
  }

  /* The teaching notes' questions tied to a stage (their .cb-kind names the stage's title). */
  function stageQuestions(c, title) {
    var out = [];
    section(c.doc, "teaching-notes").forEach(function (n) {
      n.querySelectorAll("li").forEach(function (li) {
        var kind = li.querySelector(".cb-kind");
        if (kind && squash(kind.textContent) === title) out.push(textOf(li, ".cb-kind"));
      });
    });
    return out;
  }

  /* The debrief of one case into parent, headings at level lvl, ids starting with prefix. */
  function debrief(parent, c, words, lvl, prefix) {
    var deals = c.deals, latent = deals.filter(function (d) { return d.latent; }).length;
    add(parent, heading(lvl, "How many makeable deals?", prefix + "debrief-count"));
    var p = add(parent, el("p", "The case has "));
    add(p, el("strong", String(deals.length)));
    p.appendChild(document.createTextNode(" makeable deal" + (deals.length === 1 ? "" : "s") + " (reciprocal pairs or cycles of help)"));
    if (deals.length) {
      p.appendChild(document.createTextNode(", of which "));
      add(p, el("strong", String(latent)));
      p.appendChild(document.createTextNode(" " + (latent === 1 ? "was" : "were") + " latent: not seen by the time of agreement"));
    }
    p.appendChild(document.createTextNode(". Compare with the room's count before anything else."));
    if (deals.length) {
      var ol = add(parent, el("ol", null, "cb-debrief-deals"));
      deals.forEach(function (d) {
        var names = d.actors.map(c.name);
        var li = add(ol, el("li", d.kind === "pair" ? names.join(" ⇄ ") : names.join(" → ") + " → …"));
        li.appendChild(document.createTextNode(" "));
        add(li, el("span", d.kind, "cb-kind"));
        if (d.latent) {
          li.appendChild(document.createTextNode(" "));
          add(li, el("span", "latent: " + d.seen, "cb-kind cb-kind-latent"));
        }
      });
    }
    words.memo.forEach(function (code) {
      var title = words.stages[code];
      add(parent, heading(lvl, title, prefix + "debrief-" + code));
      var edges = c.edges.filter(function (e) { return e.stage === code; });
      if (edges.length) {
        add(parent, labelled("Recognized at this stage"));
        add(parent, edgeList(c, edges));
      } else add(parent, el("p", "No interdependency was first recognized at this stage.", "cb-muted"));
      var account = section(c.doc, slug(title));
      if (code === "envisioning") account = account.concat(section(c.doc, "the-deal"));
      if (account.length) {
        add(parent, labelled("What the case records"));
        appendAll(add(parent, el("div", null, "cb-debrief-account")), adopt(account, c.url, prefix === "" ? undefined : prefix));
      }
      var qs = stageQuestions(c, title);
      if (qs.length) {
        add(parent, labelled("Discussion"));
        add(parent, list("ol", qs));
      }
    });
    var late = words.late.map(function (code) {
      return [words.recognized[code] || code, c.edges.filter(function (e) { return e.stage === code; })];
    }).filter(function (g) { return g[1].length; });
    if (late.length) {
      add(parent, heading(lvl, "Seen at agreement, later, or never", prefix + "debrief-late"));
      late.forEach(function (g) {
        add(parent, labelled(g[0]));
        add(parent, edgeList(c, g[1]));
      });
    }
    [
      ["what-the-analysis-finds", "What the analysis finds", "debrief-analysis"],
      ["what-each-would-have-done-alone", "What each would have done alone", "debrief-alone"],
      ["teaching-notes", "To close the session", "debrief-close"]
    ].forEach(function (s) {
      var nodes = section(c.doc, s[0]);
      if (!nodes.length) return;
      add(parent, heading(lvl, s[1], prefix + s[2]));
      var box = appendAll(add(parent, el("div", null, "cb-debrief-account")), adopt(nodes, c.url, prefix === "" ? undefined : prefix));
      box.querySelectorAll(".cb-teach-links").forEach(function (n) { n.remove(); });
    });
  }

  function buildDebrief(root, c, words) {
    debrief(root.querySelector(".cb-teach-body"), c, words, 2, "");
  }

  /* ---------------------------------------------------------------- packets */

  var SHEET_ROWS = 24;

  function sheet(c, prefix) {
    var s = el("section", null, "cb-sheet");
    add(s, heading(3, "Exercise sheet: " + c.title, prefix + "sheet"));
    add(s, el("p", "For each actor, who holds something that helps, or hurts, whose purpose? Write one link per row (the rows do not say how many there are; use the back for more); the session compares the room's map with the real network."));
    var ul = add(s, el("ul", null, "cb-sheet-actors"));
    c.actors.forEach(function (a) {
      var li = add(ul, el("li"));
      add(li, el("strong", a.name));
      li.appendChild(document.createTextNode(" holds: " + (joinItems(a.assets.map(function (x) { return x.text; })) || "nothing recorded")));
    });
    var wrap = add(s, el("div", null, "md-typeset__scrollwrap cb-sheet-table"));
    var table = add(add(wrap, el("div", null, "md-typeset__table")), el("table"));
    var tr = add(add(table, el("thead")), el("tr"));
    ["Holder", "Asset", "Helps or hurts", "Target", "Which purpose"].forEach(function (t) { add(tr, el("th", t)).scope = "col"; });
    // The same number of rows for every case, more than any case has links (so the sheet gives nothing away);
    // in print the table runs onto a second page with its header repeated (teaching.css).
    var tbody = add(table, el("tbody"));
    for (var i = 0; i < SHEET_ROWS; i++) {
      var row = add(tbody, el("tr"));
      for (var j = 0; j < 5; j++) add(row, el("td"));
    }
    return s;
  }

  /* What the student packet leaves out because it states who helps whom (the exercise's answer): these
     sections of the case page (by their heading's id), and, in the sections kept, these parts (an actor
     card's "Links with" list, any network drawing) and every list item that links to an interdependency
     (an agreement's "Put to use"). The story (summary, timeline, stages, deal, outcomes) stays. */
  var ANSWER_SECTIONS = [
    "what-the-analysis-finds", "the-network-of-interdependence", "interdependencies",
    "what-each-would-have-done-alone", "teaching-notes", "similar-cases"
  ];
  var ANSWER_PARTS = ".cb-al, .cb-svg, .cb-network-wrap, .cb-network, .cb-pairs, .cb-link, .cb-findings";

  function withoutAnswers(doc, nodes) {
    var skip = [];
    ANSWER_SECTIONS.forEach(function (id) {
      var h = doc.getElementById(id);
      if (h) skip = skip.concat([h], section(doc, id));
    });
    return nodes.filter(function (n) { return skip.indexOf(n) < 0; });
  }

  function dropAnswerParts(box) {
    box.querySelectorAll(ANSWER_PARTS).forEach(function (n) { n.remove(); });
    box.querySelectorAll("a[href*='#edge-']").forEach(function (a) { (a.closest("li") || a).remove(); });
    box.querySelectorAll("ul, ol").forEach(function (l) {
      if (l.children.length) return;
      var label = l.previousElementSibling;
      if (label && label.matches("p") && /:\s*$/.test(label.textContent)) label.remove();
      l.remove();
    });
  }

  /* The case page's article, one heading level down, without what a printed packet cannot use; in the
     student packet (instructor false), without the answer either. */
  function packetCase(c, instructor) {
    var article = c.doc.querySelector("article") || c.doc.body;
    var drop = ".cb-network-wrap, .cb-data, .cb-teach-links, .cb-edit, .cb-citation, .md-content__button";
    var nodes = Array.prototype.filter.call(article.children, function (n) { return !n.matches(drop); });
    if (!instructor) nodes = withoutAnswers(c.doc, nodes);
    var box = appendAll(el("div", null, "cb-packet-text"), adopt(nodes, c.url, c.id + "-"));
    box.querySelectorAll(drop).forEach(function (n) { n.remove(); });
    if (!instructor) dropAnswerParts(box);
    box.querySelectorAll(HEADINGS).forEach(function (h) {
      var level = Math.min(+h.tagName[1] + 1, 6);
      var copy = document.createElement("h" + level);
      Array.prototype.forEach.call(h.attributes, function (a) { copy.setAttribute(a.name, a.value); });
      while (h.firstChild) copy.appendChild(h.firstChild);
      if (level === 2) copy.id = c.id;
      h.replaceWith(copy);
    });
    return box;
  }

  function buildPacket(root, site, words) {
    var params = new URLSearchParams(window.location.search);
    var id = params.get("list");
    var instructor = params.get("for") === "instructor";
    if (!id) return Promise.reject(new Error("no list"));
    var listUrl = new URL("teaching/lists/" + encodeURIComponent(id) + "/", site);
    return fetchDoc(listUrl).then(function (doc) {
      var title = textOf(doc.querySelector("article h1") || doc.querySelector("h1"), "a");
      var body = root.querySelector(".cb-teach-body");
      setTitle((instructor ? "Instructor's packet: " : "Packet: ") + title);
      add(body, el("p", textOf(doc.querySelector(".cb-summary"))));
      var other = new URL(window.location.href);
      if (instructor) other.searchParams.delete("for");
      else other.searchParams.set("for", "instructor");
      var note = add(body, el("p", null, instructor ? "cb-debrief-warning" : "cb-no-print"));
      var link = el("a", instructor ? "student packet" : "instructor's packet");
      link.href = other.pathname + other.search;
      if (instructor) {
        add(note, el("strong", "For the instructor."));
        note.appendChild(document.createTextNode(" This packet carries the answers: each case's interdependencies, network, what the analysis finds, and its debrief. For students, print the "));
      } else note.appendChild(document.createTextNode("For students: the cases without their interdependencies, network or analysis (the exercise's answer), with an exercise sheet for each. Instructors: the "));
      add(note, link);
      note.appendChild(document.createTextNode(instructor ? "." : " adds them and the debrief."));
      var back = el("a", "the reading list");
      back.href = listUrl.pathname;
      var how = add(body, el("p", "Use your browser's print command to print this packet or save it as PDF; each case starts a new page. " +
        (instructor ? "The interactive networks are on each case's own page; the" : "The") + " list's own page is ", "cb-muted cb-no-print"));
      add(how, back);
      how.appendChild(document.createTextNode("."));
      var sessions = Array.prototype.slice.call(doc.querySelectorAll(".cb-session[data-case]"));
      var contents = add(body, el("ol", null, "cb-packet-contents"));
      var closing = doc.querySelector(".cb-closing");
      if (closing) {
        add(body, labelled("To close the series"));
        appendAll(body, adopt([closing], listUrl.href));
      }
      return Promise.all(sessions.map(function (s) { return loadCase(site, s.getAttribute("data-case"), words); }))
        .then(function (cases) {
          cases.forEach(function (c, i) {
            var s = sessions[i];
            var a = el("a", c.title);
            a.href = "#" + c.id;
            add(add(contents, el("li")), a);
            var art = add(body, el("article", null, "cb-packet-case"));
            var noteBox = add(art, el("div", null, "cb-session-note"));
            add(noteBox, labelled("Session " + (i + 1) + ".", textOf(s.querySelector(".cb-why"), "strong")));
            add(noteBox, labelled("Questions for the session"));
            adopt([s.querySelector(".cb-qs")], listUrl.href).forEach(function (n) {
              n.classList.add("cb-session-questions");
              noteBox.appendChild(n);
            });
            add(art, packetCase(c, instructor));
            if (instructor) {
              var d = add(art, el("section", null, "cb-packet-debrief"));
              add(d, heading(3, "Debrief: " + c.title, c.id + "-debrief"));
              debrief(add(d, el("div", null, "cb-debrief")), c, words, 4, c.id + "-");
            } else add(art, sheet(c, c.id + "-"));
          });
        });
    });
  }

  /* ---------------------------------------------------------------- the shells */

  function setTitle(text) {
    var h1 = document.querySelector(".cb-teach-title");
    if (h1) h1.textContent = text;
    /* The theme's header shows the page's title once the reader scrolls past the h1. */
    document.querySelectorAll("[data-md-component=header-topic] .md-ellipsis").forEach(function (n) { n.textContent = text; });
    document.title = text + " - " + document.title.split(" - ").slice(-1)[0];
  }

  var KINDS = {
    exercise: ["Exercise: ", buildExercise],
    roles: ["Role briefs: ", buildRoles],
    debrief: ["Debrief: ", buildDebrief]
  };

  function build(root) {
    var status = root.querySelector(".cb-teach-status");
    var words = JSON.parse(document.getElementById(root.getAttribute("data-words")).getAttribute("data-json"));
    var site = new URL(root.getAttribute("data-root"), window.location.href);
    var kind = root.getAttribute("data-kind");
    var done;
    status.textContent = "Loading…";
    if (kind === "packet") {
      done = buildPacket(root, site, words);
    } else {
      var id = new URLSearchParams(window.location.search).get("case");
      if (!id) done = Promise.reject(new Error("no case"));
      else done = loadCase(site, id, words).then(function (c) {
        setTitle(KINDS[kind][0] + c.title);
        document.querySelectorAll(".cb-teach-link[data-to]").forEach(function (a) {
          var to = a.getAttribute("data-to");
          a.href = to === "case" ? c.url : new URL("../" + to + "/?case=" + encodeURIComponent(c.id), window.location.href).href;
          if (a.classList.contains("cb-teach-case")) a.textContent = c.title;
        });
        KINDS[kind][1](root, c, words);
      });
    }
    return done.then(function () {
      status.hidden = true;
      root.querySelector(".cb-teach-body").hidden = false;
      root.setAttribute("data-ready", "1");
    }, function (err) {
      status.textContent = "";
      var what = kind === "packet" ? "reading list" : "case";
      status.appendChild(document.createTextNode(
        "Could not load the " + what + (err && err.message.indexOf("no ") === 0 ? ": this page needs one named in its address (?" + (kind === "packet" ? "list" : "case") + "=…). " : ". ")));
      var a = el("a", kind === "packet" ? "Choose a reading list" : "Choose a case from the case index");
      a.href = new URL(kind === "packet" ? "teaching/reading-lists/" : "cases/", site).href;
      add(status, a);
      root.setAttribute("data-ready", "error");
      if (err && err.message.indexOf("no ") !== 0) console.warn("casebook: could not build the teaching page", err);
    });
  }

  function init() {
    document.querySelectorAll(".cb-teach:not([data-started])").forEach(function (root) {
      root.setAttribute("data-started", "1");
      build(root);
    });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
