/* Makeable Deals: the makeable-deals exercise (teaching/case/exercise/?case=<id>).
 *
 * teaching.js builds the page from the case's own page and data/cases/<id>.json, then calls
 * window.casebookExercise.start(root, data) with data = {caseId, actors: [{id, name, assets: [{id, text}]}],
 * key: {edges: [{holder, asset, target, effect, purpose, recognized}], deals: [{kind, actors, steps, latent,
 * seen}]}, network: function (holder) that puts the case page's network into holder}. The links are hidden
 * until the reveal. Students record guesses (holder + asset -> target, helps or hurts), kept in this
 * browser's localStorage under "casebook-exercise:<case id>", so they survive a reload; nothing is sent
 * anywhere. "Reveal" inserts the real network (drawn by casebook.js) and scores the guesses:
 *
 *   hit        a guess with the holder, asset, effect and target of a real interdependency;
 *   near       right holder, target and effect, but another of the holder's assets;
 *   wrong      anything else;
 *   missed     a real interdependency no guess hit;
 *   deal found a makeable deal (reciprocal pair or cycle) every step of which (holder -> target,
 *              "helps") the room guessed with the asset of a real interdependency of that step: the
 *              asset counts, as it does for a hit; latent deals are the ones the real parties had not
 *              seen by the time of agreement;
 *   deal, other asset
 *              every step guessed ("helps", holder -> target), but at least one only with an asset the
 *              case does not record for that step: the right pairs on the wrong grounds, not counted
 *              as found.
 *
 * The asset choice starts empty ("choose an asset"): a guess is not added until the holder's asset is
 * chosen. Options show the asset shortened to fit a phone (the full text is the option's title, and the
 * chosen asset is shown in full under the form).
 *
 * All text is set with textContent. No inline scripts or handlers (the site's CSP).
 */
(function () {
  "use strict";

  var PREFIX = "casebook-exercise:";
  /* The longest option text shown in full: about what a select fits at 390 px. */
  var SHORT = 34;

  /* Text cut to SHORT characters at a word, with "…". */
  function shorten(text) {
    if (text.length <= SHORT) return text;
    var cut = text.slice(0, SHORT);
    var space = cut.lastIndexOf(" ");
    return (space > SHORT / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, "") + "…";
  }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function load(caseId) {
    try {
      var raw = window.localStorage.getItem(PREFIX + caseId);
      var list = raw ? JSON.parse(raw) : [];
      return Array.isArray(list) ? list.filter(function (g) {
        return g && typeof g.holder === "string" && typeof g.asset === "string" &&
          typeof g.target === "string" && (g.effect === "helps" || g.effect === "hurts");
      }) : [];
    } catch (err) {
      return [];
    }
  }

  function save(caseId, guesses) {
    try {
      if (guesses.length) window.localStorage.setItem(PREFIX + caseId, JSON.stringify(guesses));
      else window.localStorage.removeItem(PREFIX + caseId);
    } catch (err) {
      /* storage full or disabled: the guesses live until the page is left */
    }
  }

  /* Score guesses against the key. Returns {verdicts: [...per guess], hits, near, wrong,
     missed: [edges], deals: [{deal, found, otherAsset}], dealsFound, dealsOtherAsset, latentFound,
     latentTotal}. A deal is found when every step was guessed ("helps") with the asset of a real
     interdependency of that step; otherAsset when every step was guessed but some only with another asset. */
  function score(guesses, key) {
    var hitEdges = {};
    var verdicts = guesses.map(function (g) {
      var verdict = "wrong";
      key.edges.forEach(function (e, i) {
        if (e.holder !== g.holder || e.target !== g.target || e.effect !== g.effect) return;
        if (e.asset === g.asset) { verdict = "hit"; hitEdges[i] = true; }
        else if (verdict !== "hit") verdict = "near";
      });
      return verdict;
    });
    function realAsset(u, v, asset) {
      return key.edges.some(function (e) {
        return e.holder === u && e.target === v && e.effect === "helps" && e.asset === asset;
      });
    }
    /* "hit" if a guess of this step names a real asset of it, "pair" if guessed only with other assets. */
    function step(u, v) {
      var pair = guesses.filter(function (g) { return g.holder === u && g.target === v && g.effect === "helps"; });
      if (pair.some(function (g) { return realAsset(u, v, g.asset); })) return "hit";
      return pair.length ? "pair" : "";
    }
    var deals = key.deals.map(function (d) {
      var got = d.steps.map(function (s) { return step(s[0], s[1]); });
      var found = got.every(function (x) { return x === "hit"; });
      return { deal: d, found: found, otherAsset: !found && got.every(function (x) { return x !== ""; }) };
    });
    function count(v) { return verdicts.filter(function (x) { return x === v; }).length; }
    return {
      verdicts: verdicts,
      hits: Object.keys(hitEdges).length,
      hitGuesses: count("hit"),
      near: count("near"),
      wrong: count("wrong"),
      missed: key.edges.filter(function (e, i) { return !hitEdges[i]; }),
      deals: deals,
      dealsFound: deals.filter(function (d) { return d.found; }).length,
      dealsOtherAsset: deals.filter(function (d) { return d.otherAsset; }).length,
      latentFound: deals.filter(function (d) { return d.found && d.deal.latent; }).length,
      latentTotal: deals.filter(function (d) { return d.deal.latent; }).length
    };
  }

  function Exercise(root, data) {
    this.root = root;
    this.caseId = data.caseId;
    this.actors = data.actors || [];
    this.key = data.key || { edges: [], deals: [] };
    this.network = data.network;
    this.byId = {};
    var self = this;
    this.actors.forEach(function (a) { self.byId[a.id] = a; });
    this.guesses = load(this.caseId);
    this.form = root.querySelector(".cb-guess-form");
    this.list = root.querySelector(".cb-guess-list");
    this.countEl = root.querySelector(".cb-guess-count");
    this.revealButton = root.querySelector(".cb-reveal-network");
    this.scoreEl = root.querySelector(".cb-score");
    this.assetEl = root.querySelector(".cb-asset-chosen");
  }

  Exercise.prototype.name = function (id) {
    return this.byId[id] ? this.byId[id].name : id;
  };

  Exercise.prototype.assetText = function (holder, assetId) {
    var actor = this.byId[holder];
    var found = actor && actor.assets.filter(function (s) { return s.id === assetId; })[0];
    return found ? found.text : assetId;
  };

  Exercise.prototype.describe = function (g) {
    // An arrow with the effect as a label: no verb agrees with a name, which may be plural ("Streetworkers").
    return this.name(g.holder) + " → " + this.name(g.target) + " (" + g.effect + "): " + this.assetText(g.holder, g.asset);
  };

  /* Fill a select with [value, text] items; with a placeholder, an empty first choice that starts chosen.
     Texts longer than SHORT characters are cut at a word and end with "…"; the full text is the title. */
  Exercise.prototype.fillSelect = function (select, items, placeholder) {
    select.textContent = "";
    if (placeholder) {
      var p = el("option", placeholder);
      p.value = "";
      select.appendChild(p);
    }
    items.forEach(function (item) {
      var o = el("option", shorten(item[1]));
      o.value = item[0];
      if (o.textContent !== item[1]) o.title = item[1];
      select.appendChild(o);
    });
    select.value = placeholder ? "" : select.value;
  };

  Exercise.prototype.fillAssets = function () {
    var holder = this.byId[this.form.elements.holder.value];
    var assets = holder ? holder.assets : [];
    this.fillSelect(this.form.elements.asset, assets.map(function (s) { return [s.id, s.text]; }),
      assets.length ? "choose an asset" : "no asset recorded");
    this.form.elements.asset.disabled = assets.length === 0;
    this.showAsset();
  };

  /* The chosen asset in full, under the form (the select shows it shortened). */
  Exercise.prototype.showAsset = function () {
    var f = this.form.elements;
    f.asset.removeAttribute("aria-invalid");
    this.assetEl.textContent = f.asset.value ? "Asset chosen: " + this.assetText(f.holder.value, f.asset.value) : "";
    this.assetEl.hidden = !f.asset.value;
  };

  Exercise.prototype.renderGuesses = function () {
    var self = this;
    this.list.textContent = "";
    this.guesses.forEach(function (g, i) {
      var li = el("li", self.describe(g) + " ");
      var remove = el("button", "Remove", "cb-guess-remove");
      remove.type = "button";
      remove.setAttribute("aria-label", "Remove guess " + (i + 1));
      remove.addEventListener("click", function () {
        self.guesses.splice(i, 1);
        self.changed();
      });
      li.appendChild(remove);
      self.list.appendChild(li);
    });
    var n = this.guesses.length;
    this.countEl.textContent = n ? n + (n === 1 ? " guess" : " guesses") + " recorded." : "No guesses yet.";
  };

  Exercise.prototype.changed = function () {
    save(this.caseId, this.guesses);
    this.renderGuesses();
    if (!this.scoreEl.hidden) this.showScore();
  };

  Exercise.prototype.add = function () {
    var f = this.form.elements;
    if (!f.holder.value || !f.target.value) return;
    if (!f.asset.value) {
      this.countEl.textContent = f.asset.disabled ?
        "The case records no asset for " + this.name(f.holder.value) + ": choose another holder." :
        "Choose the asset " + this.name(f.holder.value) + " would bring before adding the guess.";
      f.asset.setAttribute("aria-invalid", "true");
      if (!f.asset.disabled) f.asset.focus();
      return;
    }
    var g = { holder: f.holder.value, asset: f.asset.value, target: f.target.value, effect: f.effect.value };
    var dup = this.guesses.some(function (x) {
      return x.holder === g.holder && x.asset === g.asset && x.target === g.target && x.effect === g.effect;
    });
    if (g.holder === g.target) {
      this.countEl.textContent = "A link runs from one actor to another: pick a different target.";
      return;
    }
    if (!dup) this.guesses.push(g);
    this.changed();
  };

  Exercise.prototype.reveal = function () {
    var holder = this.scoreEl.querySelector(".cb-score-network");
    if (this.network && !holder.firstChild) this.network(holder);
    this.scoreEl.hidden = false;
    this.revealButton.textContent = "Score again";
    this.showScore();
    // casebook.js draws network containers inserted after load; call it directly where it offers a hook.
    if (window.casebookNetworks && typeof window.casebookNetworks.draw === "function") {
      window.casebookNetworks.draw(holder);
    }
  };

  Exercise.prototype.showScore = function () {
    var self = this;
    var s = score(this.guesses, this.key);
    var summary = this.scoreEl.querySelector(".cb-score-summary");
    summary.textContent = "";
    var lines = [
      "Hits: " + s.hits + " of the " + this.key.edges.length + " real interdependencies.",
      "Right pair, other asset: " + s.near + ".",
      "Wrong guesses: " + s.wrong + ".",
      "Missed: " + s.missed.length + ".",
      "Makeable deals the room found (every step guessed with an asset the case records for it): " +
        s.dealsFound + " of " + this.key.deals.length + ".",
      "Deals with the right pairs but another asset on some step (not counted as found): " + s.dealsOtherAsset + ".",
      "Latent deals the room found (the real parties had not seen them by the time of agreement): " +
        s.latentFound + " of " + s.latentTotal + "."
    ];
    lines.forEach(function (t) { summary.appendChild(el("li", t)); });
    summary.setAttribute("data-score", JSON.stringify({
      hits: s.hits, near: s.near, wrong: s.wrong, missed: s.missed.length,
      deals: s.dealsFound, dealsOtherAsset: s.dealsOtherAsset, latent: s.latentFound
    }));

    var checked = this.scoreEl.querySelector(".cb-score-guesses");
    checked.textContent = "";
    var words = { hit: "hit", near: "right pair, other asset", wrong: "not in the case" };
    this.guesses.forEach(function (g, i) {
      var li = el("li", self.describe(g) + " ");
      li.appendChild(el("span", words[s.verdicts[i]], "cb-verdict cb-verdict-" + s.verdicts[i]));
      checked.appendChild(li);
    });
    if (!this.guesses.length) checked.appendChild(el("li", "No guesses were recorded."));

    var missed = this.scoreEl.querySelector(".cb-score-missed");
    missed.textContent = "";
    s.missed.forEach(function (e) {
      missed.appendChild(el("li", self.name(e.holder) + " → " + self.name(e.target) + " (" + e.effect + "): " +
        self.assetText(e.holder, e.asset) + " Purpose: " + e.purpose + " (recognized: " + e.recognized + ")"));
    });
    if (!s.missed.length) missed.appendChild(el("li", "None: the room found every link."));

    var deals = this.scoreEl.querySelector(".cb-score-deals");
    deals.textContent = "";
    s.deals.forEach(function (d) {
      var names = d.deal.actors.map(function (a) { return self.name(a); });
      var text = d.deal.kind === "pair" ? names.join(" ⇄ ") : names.join(" → ") + " → …";
      var li = el("li", text + " ");
      var verdict = d.found ? ["found", "hit"] : d.otherAsset ? ["right pairs, other asset", "near"] : ["not found", "wrong"];
      li.appendChild(el("span", verdict[0], "cb-verdict cb-verdict-" + verdict[1]));
      if (d.deal.latent) li.appendChild(el("span", " latent: " + d.deal.seen, "cb-muted"));
      deals.appendChild(li);
    });
    if (!s.deals.length) deals.appendChild(el("li", "The case has no makeable deal (reciprocal pair or cycle)."));
  };

  Exercise.prototype.start = function () {
    var self = this;
    var names = this.actors.map(function (a) { return [a.id, a.name]; });
    this.fillSelect(this.form.elements.holder, names);
    this.fillSelect(this.form.elements.target, names);
    if (names.length > 1) this.form.elements.target.value = names[1][0];
    this.fillAssets();
    this.form.elements.holder.addEventListener("change", function () { self.fillAssets(); });
    this.form.elements.asset.addEventListener("change", function () { self.showAsset(); });
    this.form.addEventListener("submit", function (e) { e.preventDefault(); self.add(); });
    this.root.querySelector(".cb-guess-clear").addEventListener("click", function () {
      self.guesses = [];
      self.changed();
    });
    this.revealButton.addEventListener("click", function () { self.reveal(); });
    this.form.hidden = false;
    this.revealButton.hidden = false;
    this.root.querySelector(".cb-guess-note").hidden = false;
    this.renderGuesses();
  };

  window.casebookExercise = {
    /* Start the exercise in root (the page's .cb-exercise) on data (see the header); marks root data-ready. */
    start: function (root, data) {
      if (root.hasAttribute("data-ready")) return;
      root.setAttribute("data-ready", "1");
      new Exercise(root, data).start();
    },
    score: score
  };
})();
