/* Makeable Deals: copy buttons for citations (builder/templates/partials/case-cite.html).
 *
 * A button <button class="cb-copy" data-copy="ID" hidden> copies the text of the .cb-cite-text
 * element inside the element with that id (not an id on the <pre> itself: Material renames the ids
 * of code blocks); a button <button class="cb-save" data-copy="ID" data-filename="x.bib"> saves that
 * text as a file, made in the browser (a Blob), so no citation file is stored per case.
 *
 * A case page carries its citation as one record, <div class="cb-cite-formats" data-cite='{...}'>
 * (builder/render.py cite_view), and this script writes the three boxes from it: BibTeX, RIS and
 * CSL-JSON, each <details class="cb-cite-format" id="cite-bibtex"> with the text and its Copy and Save
 * buttons. The text is exactly what builder/cite.py writes (bibtex, ris, csl_json; checked for every case
 * in tests/test_browser_cite.py); keep the two in step. This keeps three texts and six buttons out of
 * every case page's bytes (issue #12); without scripts the page's plain citation stays. Other buttons are hidden in the page and shown here, so a reader without scripts sees no button
 * that does nothing (the text can still be selected by hand). Clicks are handled once, on the
 * document, so pages swapped in by Material's instant navigation need no new listeners; a
 * MutationObserver shows their buttons. No inline script, no eval: the Content Security Policy
 * (script-src 'self') holds.
 *
 * Copying uses the asynchronous Clipboard API where the page may use it (a secure context and
 * the reader's permission). Otherwise, or when it is refused, the text is selected so that the
 * reader can press Ctrl+C (or Cmd+C), and the status line says so.
 */
(function () {
  "use strict";

  var BUTTONS = "button.cb-copy[hidden], button.cb-save[hidden]";

  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];
  // builder/cite.py _BIBTEX_SPECIALS: LaTeX's special characters as text-mode commands.
  var BIBTEX_SPECIALS = {
    "\\": "\\textbackslash{}", "{": "\\textbraceleft{}", "}": "\\textbraceright{}", "%": "\\%", "&": "\\&",
    "#": "\\#", "_": "\\_", "$": "\\$", "~": "\\textasciitilde{}", "^": "\\textasciicircum{}",
    "<": "\\textless{}", ">": "\\textgreater{}", "|": "\\textbar{}"
  };
  // builder/cite.py FORMATS: key, name, writer, extension, media type.
  var FORMATS = [
    ["bibtex", "BibTeX", bibtex, ".bib", "application/x-bibtex"],
    ["ris", "RIS", ris, ".ris", "application/x-research-info-systems"],
    ["csl", "CSL-JSON", cslJson, ".csl.json", "application/vnd.citationstyles.csl+json"]
  ];

  function oneLine(text) { return String(text).split(/\s+/).filter(Boolean).join(" "); }
  function capitalize(text) { return text.charAt(0).toUpperCase() + text.slice(1).toLowerCase(); }
  function ymd(r) { return r.date.split("-").map(Number); }
  function longDate(r) { var d = ymd(r); return d[2] + " " + MONTHS[d[1] - 1] + " " + d[0]; }
  function note(r) { return capitalize(r.label) + " " + longDate(r); }
  function bibtexEscape(text) {
    return Array.from(oneLine(text)).map(function (ch) {
      return Object.prototype.hasOwnProperty.call(BIBTEX_SPECIALS, ch) ? BIBTEX_SPECIALS[ch] : ch;
    }).join("");
  }

  function bibtex(r) {
    var where = r.container ? r.container + ", version " + r.version : "Version " + r.version;
    var fields = [
      ["author", "{" + bibtexEscape(r.author) + "}"],
      ["title", "{" + bibtexEscape(r.title) + "}"],
      ["howpublished", bibtexEscape(where)],
      ["year", String(ymd(r)[0])],
      ["note", bibtexEscape(note(r))],
      ["url", r.url]
    ];
    var line = function (f) { return "  " + f[0] + " = {" + f[1] + "},"; };
    var lines = ["@misc{" + r.key + ","].concat(fields.slice(0, 4).map(line));
    lines.push("  month = " + MONTHS[ymd(r)[1] - 1].slice(0, 3).toLowerCase() + ",");
    lines = lines.concat(fields.slice(4).map(line));
    lines[lines.length - 1] = lines[lines.length - 1].replace(/,$/, "");
    return lines.join("\n") + "\n}\n";
  }

  function ris(r) {
    var d = ymd(r);
    var pad = function (n) { return (n < 10 ? "0" : "") + n; };
    var tags = [["TY", r.container ? "ELEC" : "DATA"], ["AU", r.author], ["TI", r.title]];
    if (r.container) tags.push(["T2", r.container]);
    tags.push(["ET", r.version], ["PY", String(d[0])], ["DA", d[0] + "/" + pad(d[1]) + "/" + pad(d[2])],
      ["N1", note(r)], ["UR", r.url], ["LA", "en"], ["ER", ""]);
    return tags.map(function (t) { return t[0] + "  - " + oneLine(t[1]) + "\n"; }).join("");
  }

  // Keys in sorted order at every level, as Python's json.dumps(sort_keys=True).
  function sorted(value) {
    if (Array.isArray(value)) return value.map(sorted);
    if (value && typeof value === "object") {
      var out = {};
      Object.keys(value).sort().forEach(function (k) { out[k] = sorted(value[k]); });
      return out;
    }
    return value;
  }

  function cslJson(r) {
    var d = ymd(r);
    var item = {
      id: r.key, type: r.container ? "webpage" : "dataset", title: r.title, author: [{ literal: r.author }],
      version: r.version, issued: { "date-parts": [d] }, note: note(r), URL: r.url, language: "en"
    };
    if (r.container) item["container-title"] = r.container;
    return JSON.stringify(sorted([item]), null, 2) + "\n";
  }

  // The three boxes of a case page's citation, written once from its record.
  function write(holder) {
    if (holder.firstChild) return;
    var r = JSON.parse(holder.getAttribute("data-cite"));
    FORMATS.forEach(function (f, i) {
      var box = document.createElement("details");
      box.className = "quote cb-cite-format";
      box.id = "cite-" + f[0];
      box.setAttribute("data-file", r.stem + f[3]);
      box.setAttribute("data-type", f[4]);
      box.open = i === 0;
      var summary = document.createElement("summary");
      summary.textContent = f[1];
      var pre = document.createElement("pre");
      pre.className = "cb-cite-text";
      pre.tabIndex = 0;
      var code = document.createElement("code");
      code.textContent = f[2](r);
      pre.appendChild(code);
      box.append(summary, pre);
      holder.appendChild(box);
      build(box);
    });
  }

  function button(cls, box, text) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "md-button " + cls;
    b.setAttribute("data-copy", box.id);
    b.textContent = text;
    return b;
  }

  // The Copy and Save buttons of a case page's citation box, made once per box.
  function build(box) {
    if (box.querySelector(".cb-cite-actions")) return;
    var name = box.querySelector("summary") ? box.querySelector("summary").textContent : "";
    var file = box.getAttribute("data-file");
    var save = button("cb-save", box, "Save as " + file);
    save.setAttribute("data-filename", file);
    save.setAttribute("data-type", box.getAttribute("data-type") || "text/plain");
    var line = document.createElement("span");
    line.className = "cb-copy-status";
    line.setAttribute("role", "status");
    line.setAttribute("aria-live", "polite");
    var p = document.createElement("p");
    p.className = "cb-cite-actions";
    p.append(button("cb-copy", box, "Copy " + name), " ", save, " ", line);
    box.appendChild(p);
  }

  function reveal(root) {
    if (root.matches && root.matches("div.cb-cite-formats[data-cite]")) write(root);
    var holders = root.querySelectorAll("div.cb-cite-formats[data-cite]");
    for (var h = 0; h < holders.length; h++) write(holders[h]);
    if (root.matches && root.matches("details.cb-cite-format[data-file]")) build(root);
    var boxes = root.querySelectorAll("details.cb-cite-format[data-file]");
    for (var k = 0; k < boxes.length; k++) build(boxes[k]);
    if (root.matches && root.matches(BUTTONS)) root.hidden = false;
    var buttons = root.querySelectorAll(BUTTONS);
    for (var i = 0; i < buttons.length; i++) buttons[i].hidden = false;
  }

  function status(button, text) {
    var line = button.parentNode && button.parentNode.querySelector(".cb-copy-status");
    if (line) line.textContent = text;
  }

  function select(el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }

  function fallback(button, el) {
    select(el);
    var copied = false;
    try {
      copied = document.execCommand && document.execCommand("copy");
    } catch (e) {
      copied = false;
    }
    status(button, copied ? "Copied." : "Selected: press Ctrl+C (or \u2318C) to copy.");
  }

  // Saves the text as a file named by data-filename: the citation is on the page already, so the site
  // does not carry it a second time as a file of its own.
  function save(button, text) {
    var blob = new Blob([text], { type: (button.getAttribute("data-type") || "text/plain") + ";charset=utf-8" });
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = button.getAttribute("data-filename") || "citation.txt";
    link.hidden = true;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    status(button, "Saved as " + link.download + ".");
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.cb-copy, button.cb-save");
    if (!button) return;
    var box = document.getElementById(button.getAttribute("data-copy"));
    var el = box && box.querySelector(".cb-cite-text");
    if (!el) return;
    var text = el.textContent;
    if (button.classList.contains("cb-save")) {
      save(button, text);
      return;
    }
    if (navigator.clipboard && navigator.clipboard.writeText && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(
        function () { status(button, "Copied."); },
        function () { fallback(button, el); }
      );
    } else {
      fallback(button, el);
    }
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { reveal(document); });
  } else {
    reveal(document);
  }
  // Pages swapped in later: look only inside what was added, so long pages cost nothing more.
  new MutationObserver(function (records) {
    for (var i = 0; i < records.length; i++) {
      var added = records[i].addedNodes;
      for (var j = 0; j < added.length; j++) {
        if (added[j].nodeType === 1 && added[j].querySelectorAll) reveal(added[j]);
      }
    }
  }).observe(document.documentElement, { childList: true, subtree: true });
})();
