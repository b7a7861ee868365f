// gouji batch dashboard: click a header to sort its table (numeric columns sort as numbers);
// a checkbox shows the rounding info. The charts are inline SVG drawn by the server.
(function () {
  "use strict";
  function key(row, i, type) {
    var t = row.cells[i].textContent.trim();
    if (type === "num") { var n = parseFloat(t); return isNaN(n) ? -Infinity : n; }
    return t;
  }
  function sortBy(table, th, dir) {
    var i = Array.prototype.indexOf.call(th.parentNode.children, th);
    var type = th.getAttribute("data-type") || "text";
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (r, n) { r.dataset.n = n; });
    rows.sort(function (a, b) {
      var x = key(a, i, type), y = key(b, i, type);
      var c = type === "num" ? x - y : String(x).localeCompare(String(y), "zh-CN");
      return (dir === "ascending" ? c : -c) || a.dataset.n - b.dataset.n;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(th.parentNode.children, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", dir);
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th) {
      th.addEventListener("click", function () {
        var now = th.getAttribute("aria-sort");
        sortBy(table, th, now === "descending" ? "ascending" : now === "ascending" ? "descending" : (th.getAttribute("data-type") === "num" ? "descending" : "ascending"));
      });
      if (th.getAttribute("data-default")) { sortBy(table, th, th.getAttribute("data-default") === "desc" ? "descending" : "ascending"); }
    });
  });
  // rounding info (differences within the rounding of the published figures): hidden until asked for
  var rounding = document.getElementById("show-rounding");
  if (rounding) {
    var show = function () { document.body.classList.toggle("show-rounding", rounding.checked); };
    rounding.addEventListener("change", show);
    show();
  }
})();
