(function () {
  'use strict';
  function cellValue(row, i, numeric) {
    var c = row.cells[i];
    if (!c) { return numeric ? 0 : ''; }
    var v = c.getAttribute('data-v');
    if (numeric) { return v !== null ? Number(v) : Number(c.textContent.replace(/[^0-9.-]/g, '')) || 0; }
    return v !== null ? v : c.textContent.trim().toLowerCase();
  }
  function sortBy(th) {
    var table = th.closest('table');
    var body = table.tBodies[0];
    var i = Array.prototype.indexOf.call(th.parentNode.children, th);
    var numeric = th.getAttribute('data-type') === 'num';
    var asc = th.getAttribute('aria-sort') !== 'ascending';
    Array.prototype.forEach.call(th.parentNode.children, function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = cellValue(a, i, numeric), y = cellValue(b, i, numeric);
      var r = numeric ? x - y : (x < y ? -1 : x > y ? 1 : 0);
      return asc ? r : -r;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  document.querySelectorAll('table.data th').forEach(function (th) {
    th.addEventListener('click', function () { sortBy(th); });
    th.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sortBy(th); } });
  });
  document.querySelectorAll('input.filter').forEach(function (input) {
    var table = document.getElementById(input.getAttribute('data-for'));
    if (!table) { return; }
    input.addEventListener('input', function () {
      var q = input.value.trim().toLowerCase();
      Array.prototype.forEach.call(table.tBodies[0].rows, function (r) {
        r.hidden = q !== '' && r.textContent.toLowerCase().indexOf(q) < 0;
      });
    });
  });
  function fallbackCopy(pre) {
    var range = document.createRange();
    range.selectNodeContents(pre);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    try { document.execCommand('copy'); } catch (e) { /* the text stays selected for Ctrl+C */ }
  }
  document.querySelectorAll('button.copy').forEach(function (b) {
    b.addEventListener('click', function () {
      var pre = document.getElementById(b.getAttribute('data-target'));
      if (!pre) { return; }
      var label = b.textContent;
      var done = function () { b.textContent = b.getAttribute('data-done'); setTimeout(function () { b.textContent = label; }, 1500); };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(pre.textContent).then(done, function () { fallbackCopy(pre); done(); });
      } else {
        fallbackCopy(pre);
        done();
      }
    });
  });
  document.documentElement.setAttribute('data-ready', '1');
}());
