/* Makeable Deals: copy buttons for citations (builder/templates/partials/case-cite.html).
 *
 * A button <button class="cb-copy" data-copy="ID" hidden> copies the text of the .cb-cite-text
 * element inside the element with that id (not an id on the <pre> itself: Material renames the ids
 * of code blocks); a button <button class="cb-save" data-copy="ID" data-filename="x.bib"> saves that
 * text as a file, made in the browser (a Blob), so no citation file is stored per case. A case page's
 * boxes <details class="cb-cite-format" id="ID" data-file="x.bib" data-type="..."> carry no buttons:
 * they are made here (Copy and Save, and the status line), which keeps them out of every case page's
 * bytes (issue #12). Other buttons are hidden in the page and shown here, so a reader without scripts sees no button
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
