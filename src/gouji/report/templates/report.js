/* gouji HTML review report: selection, highlighting, filters, keyboard and layout.
   Builds DOM with textContent only: nothing from the document is ever parsed as markup. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var data = JSON.parse(document.getElementById("gouji-data").textContent);
  var findings = {};
  data.findings.forEach(function (f) { findings[f.id] = f; });
  var prose = document.getElementById("prose");
  var tables = document.getElementById("tables");
  var panel = document.getElementById("panel");
  /* wide: the findings beside the document; three: the tables in a pane of their own too */
  var wideQuery = window.matchMedia("(min-width: 1000px)");
  var threeQuery = window.matchMedia("(min-width: 1300px)");
  var current = null;

  function marked(attr, id) {
    return Array.prototype.slice.call(document.querySelectorAll("[data-" + attr + '~="' + CSS.escape(id) + '"]'));
  }
  function three() { return document.body.classList.contains("three"); }

  function layout(printing) {
    var isWide = !printing && wideQuery.matches, isThree = isWide && threeQuery.matches;
    document.body.classList.toggle("wide", isWide);
    document.body.classList.toggle("three", isThree);
    document.querySelectorAll(".table-blk").forEach(function (t) {
      var ref = document.getElementById("ref-" + t.id);
      if (isThree) { tables.appendChild(t); } else if (ref) { ref.after(t); }
    });
  }

  function clear() {
    document.querySelectorAll(".hl").forEach(function (e) { e.classList.remove("hl"); });
    document.querySelectorAll(".finding.selected").forEach(function (e) { e.classList.remove("selected"); });
  }

  function show(els) {
    els.forEach(function (e) { e.classList.add("hl"); });
    return els;
  }

  /* Bring the prose target and the first evidence cell into view (their own panes when wide). */
  function reveal(spans, cells) {
    if (spans.length) { spans[0].scrollIntoView({ block: "center", inline: "nearest" }); }
    if (cells.length && (three() || !spans.length)) { cells[0].scrollIntoView({ block: "center", inline: "center" }); }
  }

  function evidenceKeys(f) {
    return f.evidence.concat(f.related).map(function (e) { return e.key; });
  }

  function selectFinding(id, scroll) {
    var f = findings[id];
    if (!f) { return; }
    clear();
    current = id;
    var li = document.getElementById("finding-" + id);
    li.classList.add("selected");
    li.scrollIntoView({ block: "nearest" });
    var spans = show(marked("findings", id));
    var cells = [];
    evidenceKeys(f).forEach(function (k) { cells = cells.concat(show(marked("evidence", k))); });
    if (scroll !== false) { reveal(spans, cells); }
    if (history.replaceState) { history.replaceState(null, "", "#" + id); }
  }

  function item(parent, text, onClick) {
    var li = document.createElement("li");
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.addEventListener("click", onClick);
    li.appendChild(b);
    parent.appendChild(li);
    return b;
  }

  function evidenceText(e) {
    return e.table + " " + (e.table_title || "") + " · " + (e.row || "—") + (e.column ? " · " + e.column : "") +
      " = " + e.value + " " + e.unit + "（" + e.place + "）";
  }

  function showEvidence(key) {
    var cells = show(marked("evidence", key));
    reveal([], cells);
  }

  /* A clicked evidence cell: the findings and claims that rest on it. */
  function showCell(key) {
    clear();
    current = null;
    panel.textContent = "";
    var h = document.createElement("h2");
    h.textContent = "报表数 " + (marked("evidence", key)[0] || {}).textContent;
    panel.appendChild(h);
    var ul = document.createElement("ul");
    ul.className = "cell-users";
    data.findings.forEach(function (f) {
      if (evidenceKeys(f).indexOf(key) >= 0) { item(ul, f.id + " " + f.check + "：" + f.message, function () { selectFinding(f.id); }); }
    });
    Object.keys(data.claims).sort(function (a, b) { return a.slice(1) - b.slice(1); }).forEach(function (id) {  /* C2 before C11 */
      var c = data.claims[id];
      if (c.evidence.some(function (e) { return e.key === key; })) {
        item(ul, c.id + " " + c.status_label + "：" + (c.subject || "") + " " + c.span + "（" + c.place + "）", function () { showClaim(id); });
      }
    });
    panel.appendChild(ul);
    panel.hidden = false;
    show(marked("evidence", key));
  }

  /* The claim panel: status, the sentence, its findings and the table figures it agreed with. */
  function showClaim(id) {
    var c = data.claims[id];
    if (!c) { return; }
    clear();
    current = null;
    panel.textContent = "";
    var h = document.createElement("h2");
    h.textContent = c.id + " · " + c.status_label + " · " + c.place;
    panel.appendChild(h);
    if (c.basis) {
      var basis = document.createElement("p");
      basis.className = "claim-basis";
      basis.textContent = c.basis;
      panel.appendChild(basis);
    }
    var p = document.createElement("p");
    p.textContent = (c.subject ? c.subject + "：" : "") + c.span;
    panel.appendChild(p);
    var ul = document.createElement("ul");
    ul.className = "claim-findings";
    c.findings.forEach(function (fid) {
      var f = findings[fid];
      item(ul, fid + " " + f.check + "：" + f.message, function () { selectFinding(fid); });
    });
    if (!c.findings.length) {
      var none = document.createElement("li");
      none.textContent = "无问题";
      ul.appendChild(none);
    }
    panel.appendChild(ul);
    if (c.evidence.length) {
      var t = document.createElement("p");
      t.textContent = "已核对的报表数：";
      panel.appendChild(t);
      var ev = document.createElement("ul");
      c.evidence.forEach(function (e) { item(ev, evidenceText(e), function () { showEvidence(e.key); }); });
      panel.appendChild(ev);
    }
    panel.hidden = false;
    var spans = show(marked("claims", id));
    var cells = [];
    c.evidence.forEach(function (e) { cells = cells.concat(show(marked("evidence", e.key))); });
    reveal(spans, cells);
  }

  /* The problems' cards (a problem's other findings sit inside its card). */
  function visibleFindings() {
    return Array.prototype.slice.call(document.querySelectorAll("#findings > .finding")).filter(function (li) { return !li.hidden; });
  }

  function step(delta) {
    var list = visibleFindings();
    if (!list.length) { return; }
    var i = list.findIndex(function (li) { return li.dataset.id === current; });
    i = i < 0 ? (delta > 0 ? 0 : list.length - 1) : (i + delta + list.length) % list.length;
    selectFinding(list[i].dataset.id);
  }

  function applyFilters() {
    var sev = {};
    document.querySelectorAll(".f-sev").forEach(function (c) { sev[c.value] = c.checked; });
    var check = document.getElementById("f-check").value;
    document.querySelectorAll("#findings > .finding").forEach(function (li) {
      li.hidden = !sev[li.dataset.severity] || (check !== "" && li.dataset.checks.split(" ").indexOf(check) < 0);
    });
    var note = document.getElementById("info-hidden");
    if (note) { note.hidden = !!sev.info; }
  }

  document.querySelectorAll(".finding-head").forEach(function (b) {
    b.addEventListener("click", function (ev) { ev.stopPropagation(); selectFinding(b.parentNode.dataset.id); });
  });
  document.querySelectorAll(".ev-link").forEach(function (b) {
    b.addEventListener("click", function () { showEvidence(b.dataset.key); });
  });
  document.querySelectorAll(".f-sev, #f-check").forEach(function (c) { c.addEventListener("change", applyFilters); });
  document.getElementById("next").addEventListener("click", function () { step(1); });
  document.getElementById("prev").addEventListener("click", function () { step(-1); });
  document.getElementById("doc").addEventListener("click", function (ev) {
    var el = ev.target.closest("[data-claims], [data-findings], [data-evidence]");
    if (!el) { return; }
    if (el.dataset.claims) { showClaim(el.dataset.claims.split(" ")[0]); }
    else if (el.dataset.findings) { selectFinding(el.dataset.findings.split(" ")[0], false); }
    else { showCell(el.dataset.evidence.split(" ")[0]); }
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || /^(INPUT|SELECT|TEXTAREA)$/.test(ev.target.tagName)) { return; }
    if (ev.key === "j" || ev.key === "n") { step(1); ev.preventDefault(); }
    else if (ev.key === "k" || ev.key === "p") { step(-1); ev.preventDefault(); }
    else if (ev.key === "Escape") { clear(); panel.hidden = true; current = null; }
  });
  document.querySelectorAll(".table-ref").forEach(function (a) {
    a.addEventListener("click", function (ev) {
      ev.preventDefault();
      var t = document.getElementById(a.getAttribute("href").slice(1));
      if (t) { t.scrollIntoView({ block: "start" }); }
    });
  });

  applyFilters();
  layout(false);
  wideQuery.addEventListener("change", function () { layout(false); });
  threeQuery.addEventListener("change", function () { layout(false); });
  window.addEventListener("beforeprint", function () { layout(true); });
  window.addEventListener("afterprint", function () { layout(false); });
  var start = location.hash.slice(1);
  if (findings[start]) { selectFinding(start); }
  window.gouji = { selectFinding: selectFinding, showClaim: showClaim, step: step };
})();
