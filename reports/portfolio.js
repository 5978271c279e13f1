// Sorting and filtering for the portfolio matrix. Allowed by the page's CSP through its SHA-256 only.
(function () {
  "use strict";
  var table = document.getElementById("matrix");
  if (!table) return;
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var text = document.getElementById("filter-text");
  var verdict = document.getElementById("filter-verdict");
  var rule = document.getElementById("filter-rule");
  var ruleStatus = document.getElementById("filter-rule-status");
  var changed = document.getElementById("filter-changed");
  var shown = document.getElementById("shown");
  var ruleIndex = {};
  Array.prototype.forEach.call(rule.options, function (option, i) { if (i > 0) ruleIndex[option.value] = i - 1; });

  function applyFilters() {
    var query = text.value.trim().toLowerCase();
    var count = 0;
    rows.forEach(function (row) {
      var ok = !query || row.getAttribute("data-site").toLowerCase().indexOf(query) !== -1;
      ok = ok && (!verdict.value || row.getAttribute("data-verdict") === verdict.value);
      if (ok && rule.value) ok = row.getAttribute("data-rule-" + ruleIndex[rule.value]) === ruleStatus.value;
      ok = ok && (!changed.checked || row.getAttribute("data-changed") === "yes");
      row.classList.toggle("hidden", !ok);
      if (ok) count += 1;
    });
    shown.textContent = count + " of " + rows.length + " sites";
  }

  function sortBy(index, kind) {
    var header = headers[index];
    var ascending = header.getAttribute("aria-sort") !== "ascending";
    headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
    header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var keyed = rows.map(function (row, position) {
      var value = row.cells[index].getAttribute("data-v");
      return { row: row, key: kind === "num" ? parseFloat(value) : value, position: position };
    });
    keyed.sort(function (a, b) {
      if (a.key < b.key) return ascending ? -1 : 1;
      if (a.key > b.key) return ascending ? 1 : -1;
      return a.position - b.position;
    });
    keyed.forEach(function (item) { body.appendChild(item.row); });
  }

  headers.forEach(function (header, index) {
    var kind = header.getAttribute("data-sort");
    if (!kind) return;
    header.tabIndex = 0;
    header.addEventListener("click", function () { sortBy(index, kind); });
    header.addEventListener("keydown", function (event) { if (event.key === "Enter") sortBy(index, kind); });
  });
  [text, verdict, rule, ruleStatus, changed].forEach(function (control) {
    control.addEventListener("input", applyFilters);
    control.addEventListener("change", applyFilters);
  });
})();
