(function () {
  'use strict';
  var palette = ['#2f6fde', '#e0662f', '#3a9a5b', '#9b4fd1', '#c9a100', '#d13f7a', '#2aa6b8', '#6b7280'];

  // At most `digits` decimals, without trailing zeros: 120 µs, 1.5 MiB.
  function fixed(v, digits) { return String(Number(v.toFixed(digits))); }

  function formatValue(v, unit) {
    if (v === null || v === undefined || isNaN(v)) { return ''; }
    if (unit === 'bytes') {
      var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'], i = 0;
      while (Math.abs(v) >= 1024 && i < units.length - 1) { v /= 1024; i++; }
      return fixed(v, Math.abs(v) >= 100 || i === 0 ? 0 : 1) + ' ' + units[i];
    }
    if (unit === 'ns') {
      if (Math.abs(v) >= 1e9) { return fixed(v / 1e9, 2) + ' s'; }
      if (Math.abs(v) >= 1e6) { return fixed(v / 1e6, 2) + ' ms'; }
      if (Math.abs(v) >= 1e3) { return fixed(v / 1e3, 1) + ' µs'; }
      return fixed(v, 0) + ' ns';
    }
    return Number(v).toLocaleString('en-US', { maximumFractionDigits: 2 }) + (unit ? ' ' + unit : '');
  }

  // Units whose tick labels carry their own scale (µs, MiB), so the axis needs no title.
  function scaled(unit) { return unit === 'ns' || unit === 'bytes'; }

  // Chart.js picks decimal steps (10,000,000 bytes shows as 9.5 MiB); bytes read better in steps of
  // 1, 2 or 5 times a power of ten of the binary unit the maximum is shown in.
  function valueAxis(unit, title) {
    var axis = { beginAtZero: true, title: { display: !!title, text: title },
      // A unit that is not scaled is in the axis title, so the ticks stay bare numbers.
      ticks: { callback: function (v) { return formatValue(v, scaled(unit) ? unit : null); } } };
    if (unit === 'bytes') {
      axis.afterBuildTicks = function (scale) {
        var max = scale.max;
        if (!(max > 0)) { return; }
        var base = 1;
        while (max / base >= 1024 && base < Math.pow(1024, 4)) { base *= 1024; }
        var raw = max / base / 8, magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        var step = [1, 2, 5, 10].map(function (m) { return m * magnitude; })
          .filter(function (s) { return s >= raw; })[0] * base;
        var ticks = [{ value: 0 }];
        while (ticks[ticks.length - 1].value < max - step * 1e-9) {
          ticks.push({ value: ticks.length * step });
        }
        scale.ticks = ticks;
        // The axis ends on a labelled tick; Chart.js reads max again after this callback.
        scale.max = ticks[ticks.length - 1].value;
      };
    }
    return axis;
  }

  // x is 1/(1-p): 1 is 0%, 10 is 90%, 1000 is 99.9%; each decade adds one nine.
  function percentileLabel(x) {
    var p = 100 * (1 - 1 / x);
    var digits = Math.max(0, Math.round(Math.log10(x)) - 2);
    return p.toFixed(digits) + '%';
  }

  function decades(max) {
    var ticks = [];
    for (var v = 1; v <= max * 1.000001; v *= 10) { ticks.push({ value: v, major: true }); }
    return ticks;
  }

  function lineDataset(d, i, extra) {
    var colour = palette[i % palette.length];
    var dataset = { label: d.label, data: d.points.map(function (p) { return { x: p[0], y: p[1] }; }),
      borderColor: colour, backgroundColor: colour, pointRadius: 0, borderWidth: 2, spanGaps: false };
    for (var k in extra) { dataset[k] = extra[k]; }
    return dataset;
  }

  function lineConfig(spec) {
    return {
      type: 'line',
      data: { datasets: spec.datasets.map(function (d, i) {
        // A total is dashed and drawn beneath its parts (a higher order is drawn earlier), so a
        // part equal to the whole total still shows.
        return lineDataset(d, i, d.total ? { tension: 0, borderDash: [6, 4], order: 1 } : { tension: 0 });
      }) },
      options: { animation: false, maintainAspectRatio: false, parsing: false, normalized: true,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        // The legend shows each line's stroke (a total's dashes too) and keeps the given order,
        // whatever the drawing order.
        plugins: { legend: { labels: { usePointStyle: true, pointStyle: 'line',
          sort: function (a, b) { return a.datasetIndex - b.datasetIndex; } } } },
        scales: { x: { type: 'linear', title: { display: true, text: 'seconds since start' } },
                  y: valueAxis(null, spec.yLabel) } }
    };
  }

  function percentileConfig(spec) {
    return {
      type: 'line',
      data: { datasets: spec.datasets.map(function (d, i) { return lineDataset(d, i, { stepped: 'before' }); }) },
      options: { animation: false, maintainAspectRatio: false, parsing: false, normalized: true,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        plugins: { tooltip: { callbacks: { label: function (c) {
          return c.dataset.label + ': ' + formatValue(c.parsed.y, spec.unit) + ' at ' + percentileLabel(c.parsed.x);
        }, title: function () { return ''; } } } },
        scales: {
          x: { type: 'logarithmic', min: 1, max: spec.xMax, title: { display: true, text: 'percentile' },
               // Only the decades carry a label (0%, 90%, 99% ...), as in HdrHistogram's plots.
               afterBuildTicks: function (axis) { axis.ticks = decades(spec.xMax); },
               ticks: { autoSkip: false, maxRotation: 0, callback: function (v) { return percentileLabel(v); } } },
          y: valueAxis(spec.unit, scaled(spec.unit) ? null : spec.unit) } }
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
        scales: { y: valueAxis(spec.unit, scaled(spec.unit) ? null : spec.unit) } }
    };
  }

  // A time chart zooms into the range the reader drags across; a double click, or the button that
  // appears under a zoomed chart, shows the whole range again. The y axis fits what is in view.
  function zoomable(canvas, chart) {
    var box = canvas.parentNode;
    var band = document.createElement('div');
    band.className = 'zoom-band';
    band.hidden = true;
    box.appendChild(band);
    var reset = document.createElement('button');
    reset.type = 'button';
    reset.className = 'zoom-reset';
    reset.textContent = 'Show the whole range';
    reset.hidden = true;
    box.parentNode.insertBefore(reset, box.nextSibling);
    canvas.title = 'Drag across the chart to zoom in; double-click to zoom out.';
    var from = null;

    function offsetX(e) { return e.clientX - canvas.getBoundingClientRect().left; }
    function clamp(x) { return Math.max(chart.chartArea.left, Math.min(chart.chartArea.right, x)); }
    function showWhole() {
      delete chart.options.scales.x.min;
      delete chart.options.scales.x.max;
      chart.update('none');
      reset.hidden = true;
    }

    canvas.addEventListener('mousedown', function (e) {
      var x = offsetX(e);
      if (e.button !== 0 || x < chart.chartArea.left || x > chart.chartArea.right) { return; }
      from = x;
      e.preventDefault();
    });
    window.addEventListener('mousemove', function (e) {
      if (from === null) { return; }
      var x = clamp(offsetX(e));
      band.hidden = false;
      band.style.left = Math.min(from, x) + 'px';
      band.style.width = Math.abs(x - from) + 'px';
      band.style.top = chart.chartArea.top + 'px';
      band.style.height = (chart.chartArea.bottom - chart.chartArea.top) + 'px';
    });
    window.addEventListener('mouseup', function (e) {
      if (from === null) { return; }
      var to = clamp(offsetX(e)), start = from;
      from = null;
      band.hidden = true;
      // A click, or a drag of a few pixels, is not a range.
      if (Math.abs(to - start) < 4) { return; }
      var x = chart.scales.x;
      chart.options.scales.x.min = x.getValueForPixel(Math.min(start, to));
      chart.options.scales.x.max = x.getValueForPixel(Math.max(start, to));
      chart.update('none');
      reset.hidden = false;
    });
    canvas.addEventListener('dblclick', showWhole);
    reset.addEventListener('click', showWhole);
  }

  function drawCharts() {
    var canvases = document.querySelectorAll('canvas[data-spec]');
    for (var i = 0; i < canvases.length; i++) {
      var canvas = canvases[i];
      // One bad chart must not cost the others, so each is drawn on its own and a failure is
      // reported on the console and in place of the chart.
      try {
        var spec = JSON.parse(document.getElementById(canvas.getAttribute('data-spec')).textContent);
        var config = spec.kind === 'percentile' ? percentileConfig(spec)
          : spec.kind === 'bar' ? barConfig(spec) : lineConfig(spec);
        var chart = new Chart(canvas, config);
        if (spec.kind === 'line') { zoomable(canvas, chart); }
      } catch (e) {
        console.error('chart ' + canvas.id + ' could not be drawn: ' + e);
        var note = document.createElement('p');
        note.className = 'empty';
        note.textContent = 'This chart could not be drawn: ' + e.message;
        canvas.parentNode.replaceWith(note);
      }
    }
  }

  // Numbers sort by value; cells that hold no number sort after every number, either way round.
  function compareCells(x, y, numeric) {
    if (!numeric) { return x.localeCompare(y); }
    var a = parseFloat(x), b = parseFloat(y);
    if (isNaN(a) || isNaN(b)) { return isNaN(a) === isNaN(b) ? 0 : (isNaN(a) ? 1 : -1); }
    return a - b;
  }

  function makeSortable(table) {
    var headers = table.querySelectorAll('th');
    headers.forEach(function (th, column) {
      function sort() {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        headers.forEach(function (h) { h.removeAttribute('aria-sort'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var numeric = th.getAttribute('data-numeric') === 'true';
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = a.cells[column].getAttribute('data-sort'), y = b.cells[column].getAttribute('data-sort');
          var c = compareCells(x, y, numeric);
          if (numeric && (isNaN(parseFloat(x)) || isNaN(parseFloat(y)))) { return c; }
          return ascending ? c : -c;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      }
      th.tabIndex = 0;
      th.addEventListener('click', sort);
      th.addEventListener('keydown', function (e) {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(); }
      });
    });
  }

  // A number broken over two lines reads as two numbers, so a tile's value that is too wide for
  // its tile is set smaller instead, down to 12px.
  function fitTileValues() {
    document.querySelectorAll('.tile .value').forEach(function (v) {
      v.style.fontSize = '';
      var size = parseFloat(getComputedStyle(v).fontSize);
      while (v.scrollWidth > v.clientWidth && size > 12) {
        size -= 1;
        v.style.fontSize = size + 'px';
      }
    });
  }

  drawCharts();
  fitTileValues();
  window.addEventListener('resize', fitTileValues);
  document.querySelectorAll('table.sortable').forEach(makeSortable);
})();
