// Filters the findings table in the page itself: no server, no library.
(function () {
  var form = document.getElementById('filters');
  var shown = document.getElementById('shown');
  if (!form || !shown) { return; }
  var rows = Array.prototype.slice.call(document.querySelectorAll('tr.finding'));
  function apply() {
    var v = form.elements.verdict.value, t = form.elements.task.value;
    var u = form.elements.unit.value, s = form.elements.severity.value, n = 0;
    rows.forEach(function (row) {
      var d = row.dataset;
      var ok = (!v || d.verdict === v || (v === '-' && d.verdict === '')) &&
        (!t || d.task === t) && (!u || d.units.indexOf('|' + u + '|') >= 0) &&
        (!s || d.severity === s);
      row.hidden = !ok;
      if (ok) { n += 1; }
    });
    shown.textContent = String(n);
  }
  form.addEventListener('change', apply);
  form.addEventListener('reset', function () { setTimeout(apply, 0); });
  // A printed bulletin shows every task's rules.
  window.addEventListener('beforeprint', function () {
    document.querySelectorAll('details').forEach(function (d) { d.open = true; });
  });
  apply();
}());
