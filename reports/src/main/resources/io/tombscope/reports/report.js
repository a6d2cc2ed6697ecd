(function () {
  'use strict';
  var palette = ['#2f6fde', '#e0662f', '#3a9a5b', '#9b4fd1', '#c9a100', '#d13f7a', '#2aa6b8', '#6b7280'];

  function formatValue(v, unit) {
    if (v === null || v === undefined || isNaN(v)) { return ''; }
    if (unit === 'bytes') {
      var abs = Math.abs(v), units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'], i = 0;
      while (abs >= 1024 && i < units.length - 1) { abs /= 1024; v /= 1024; i++; }
      return (Math.abs(v) >= 100 || i === 0 ? v.toFixed(0) : v.toFixed(1)) + ' ' + units[i];
    }
    if (unit === 'ns') {
      if (Math.abs(v) >= 1e9) { return (v / 1e9).toFixed(2) + ' s'; }
      if (Math.abs(v) >= 1e6) { return (v / 1e6).toFixed(2) + ' ms'; }
      if (Math.abs(v) >= 1e3) { return (v / 1e3).toFixed(1) + ' µs'; }
      return v.toFixed(0) + ' ns';
    }
    return Number(v).toLocaleString('en-US', { maximumFractionDigits: 2 }) + (unit ? ' ' + unit : '');
  }

  function percentileLabel(x) {
    var p = 100 * (1 - 1 / x);
    var digits = Math.max(0, Math.round(Math.log10(x)) - 2);
    return p.toFixed(digits) + '%';
  }

  function lineConfig(spec) {
    return {
      type: 'line',
      data: { datasets: spec.datasets.map(function (d, i) {
        return { label: d.label, data: d.points.map(function (p) { return { x: p[0], y: p[1] }; }),
          borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length],
          pointRadius: 0, borderWidth: 2, tension: 0 };
      }) },
      options: { animation: false, maintainAspectRatio: false, parsing: false, normalized: true,
        interaction: { mode: 'nearest', intersect: false },
        scales: { x: { type: 'linear', title: { display: true, text: 'seconds since start' } },
                  y: { beginAtZero: true, title: { display: true, text: spec.yLabel } } } }
    };
  }

  function percentileConfig(spec) {
    return {
      type: 'line',
      data: { datasets: spec.datasets.map(function (d, i) {
        return { label: d.label, data: d.points.map(function (p) { return { x: p[0], y: p[1] }; }),
          borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length],
          pointRadius: 0, borderWidth: 2, stepped: 'before' };
      }) },
      options: { animation: false, maintainAspectRatio: false, parsing: false,
        plugins: { tooltip: { callbacks: { label: function (c) {
          return c.dataset.label + ': ' + formatValue(c.parsed.y, spec.unit) + ' at ' + percentileLabel(c.parsed.x);
        }, title: function () { return ''; } } } },
        scales: {
          x: { type: 'logarithmic', min: 1, title: { display: true, text: 'percentile' },
               ticks: { callback: function (v) {
                 var e = Math.log10(v);
                 return Math.abs(e - Math.round(e)) < 1e-9 ? percentileLabel(v) : '';
               } } },
          y: { beginAtZero: true, title: { display: true, text: spec.unit },
               ticks: { callback: function (v) { return formatValue(v, spec.unit); } } } } }
    };
  }

  function barConfig(spec) {
    return {
      type: 'bar',
      data: { labels: spec.categories, datasets: spec.datasets.map(function (d, i) {
        return { label: d.label, data: d.values, backgroundColor: palette[i % palette.length] };
      }) },
      options: { animation: false, maintainAspectRatio: false,
        plugins: { tooltip: { callbacks: { label: function (c) {
          return c.dataset.label + ': ' + formatValue(c.parsed.y, spec.unit);
        } } } },
        scales: { y: { beginAtZero: true,
          ticks: { callback: function (v) { return formatValue(v, spec.unit); } } } } }
    };
  }

  function drawCharts() {
    var canvases = document.querySelectorAll('canvas[data-spec]');
    for (var i = 0; i < canvases.length; i++) {
      var canvas = canvases[i];
      var spec = JSON.parse(document.getElementById(canvas.getAttribute('data-spec')).textContent);
      var config = spec.kind === 'percentile' ? percentileConfig(spec)
        : spec.kind === 'bar' ? barConfig(spec) : lineConfig(spec);
      new Chart(canvas, config);
    }
  }

  function makeSortable(table) {
    var headers = table.querySelectorAll('th');
    headers.forEach(function (th, column) {
      th.addEventListener('click', function () {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        headers.forEach(function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var numeric = th.getAttribute('data-numeric') === 'true';
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column].getAttribute('data-sort'), y = b.cells[column].getAttribute('data-sort');
          var c = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y);
          return ascending ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  }

  drawCharts();
  document.querySelectorAll('table.sortable').forEach(makeSortable);
})();
