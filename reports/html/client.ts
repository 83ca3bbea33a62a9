/**
 * The page's own script, inlined after uPlot: reads the chart descriptions from the
 * embedded JSON and draws each with uPlot (log or linear scales, unit-aware ticks and
 * legend values as the cursor moves), resizes charts with the window and for printing.
 * Plain ES2019 so it runs in any current browser without a build step.
 */

/** The id of the `<script type="application/json">` element holding the chart descriptions. */
export const DATA_ELEMENT_ID = 'report-data';

/** Chart height in CSS pixels (plot area and axes, legend excluded). */
export const CHART_HEIGHT = 300;

/** Width charts are drawn at for printing (about an A4 page's printable width at 96 dpi). */
export const PRINT_WIDTH = 680;

/** Source of the page script. */
export const CLIENT_SCRIPT = `(function () {
  'use strict';
  var sig = function (v, d) { return Number(Number(v).toPrecision(d || 3)); };
  var fixed3 = function (v) {
    var r = sig(v, 3);
    var mag = r === 0 ? 0 : Math.floor(Math.log10(Math.abs(r)));
    return r.toFixed(Math.max(0, 2 - mag));
  };
  var micros = function (us) {
    if (!isFinite(us)) return 'n/a';
    if (Math.round(us) < 1000) return Math.round(us) + '\\u00b5s';
    if (sig(us / 1e3) < 1000) return fixed3(us / 1e3) + 'ms';
    if (sig(us / 1e6) < 60) return fixed3(us / 1e6) + 's';
    return fixed3(us / 60e6) + 'min';
  };
  var count = function (v) {
    if (!isFinite(v)) return 'n/a';
    if (v < 0) return '-' + count(-v);
    var suffixes = ['', 'k', 'M', 'G'];
    for (var i = 0; i < suffixes.length; i++) {
      var scaled = sig(v / Math.pow(1000, i));
      if (scaled < 1000 || i === suffixes.length - 1) return String(scaled) + suffixes[i];
    }
    return String(v);
  };
  var percentile = function (x) {
    var tail = 1 / x;
    var p = (1 - tail) * 100;
    var decimals = Math.max(0, Math.ceil(-Math.log10(tail) - 1e-9) - 1);
    return String(parseFloat(p.toFixed(decimals))) + '%';
  };
  var FORMATS = {
    micros: micros,
    rate: function (v) { return count(v) + '/s'; },
    count: count,
    seconds: function (v) { return sig(v, 4) + 's'; },
    percentile: percentile
  };
  var format = function (kind, v) { return v == null ? '\\u2014' : FORMATS[kind](v); };

  var dataElement = document.getElementById(${JSON.stringify(DATA_ELEMENT_ID)});
  var data = JSON.parse(dataElement.textContent);
  var charts = [];
  window.streambenchCharts = charts;

  var widthOf = function (el) { return Math.max(320, Math.floor(el.clientWidth || 800)); };
  var logSplits = function (u, i, min, max) {
    var lo = Math.floor(Math.log10(min) + 1e-9);
    var hi = Math.ceil(Math.log10(max) - 1e-9);
    var mults = hi - lo <= 2 ? [1, 2, 5] : [1];
    var out = [];
    for (var e = lo; e <= hi; e++) {
      mults.forEach(function (m) {
        var v = Number((m * Math.pow(10, e)).toPrecision(6));
        if (v >= min * 0.999 && v <= max * 1.001) out.push(v);
      });
    }
    return out;
  };
  var keepAll = function (u, splits) { return splits; };
  var fromZero = function (u, min, max) { return [Math.min(0, min), max > 0 ? max * 1.05 : 1]; };

  var seriesOptions = function (spec, s) {
    var opts = {
      label: s.label,
      stroke: s.color,
      width: s.width,
      dash: s.dash,
      spanGaps: true,
      points: {
        show: s.style !== 'line',
        size: s.style === 'points' ? 8 : 6,
        width: 1.5,
        stroke: s.color,
        fill: s.style === 'points' ? '#ffffff' : s.color
      },
      value: function (u, v) { return format(spec.yFormat, v); }
    };
    if (s.style === 'points') opts.paths = function () { return null; };
    return opts;
  };

  // Shaded bands (a load peak on a timeline), drawn after the canvas is cleared, under the series.
  var drawBands = function (spec) {
    return function (u) {
      var ctx = u.ctx;
      var ratio = window.devicePixelRatio || 1;
      ctx.save();
      spec.bands.forEach(function (band) {
        var left = Math.max(u.bbox.left, u.valToPos(band.from, 'x', true));
        var right = Math.min(u.bbox.left + u.bbox.width, u.valToPos(band.to, 'x', true));
        if (!(right > left)) return;
        ctx.fillStyle = 'rgba(255, 170, 0, 0.16)';
        ctx.fillRect(left, u.bbox.top, right - left, u.bbox.height);
        ctx.fillStyle = 'rgba(140, 80, 0, 0.9)';
        ctx.font = Math.round(12 * ratio) + 'px sans-serif';
        ctx.fillText(band.label, left + 4 * ratio, u.bbox.top + 14 * ratio);
      });
      ctx.restore();
    };
  };
  // Vertical dashed lines with a label (an injected fault) over a timeline.
  var drawMarkers = function (u, markers) {
    var ctx = u.ctx;
    var top = u.bbox.top;
    var bottom = u.bbox.top + u.bbox.height;
    ctx.save();
    ctx.strokeStyle = '#c0392b';
    ctx.fillStyle = '#c0392b';
    ctx.lineWidth = 1.5 * devicePixelRatio;
    ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio]);
    ctx.font = (11 * devicePixelRatio) + 'px sans-serif';
    ctx.textAlign = 'left';
    ctx.textBaseline = 'alphabetic';
    var lastLabel = {};
    markers.forEach(function (m) {
      var x = Math.round(u.valToPos(m.x, 'x', true));
      if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, bottom);
      ctx.stroke();
      // One label per kind of fault, at its first marker; later ones of the same kind are lines only.
      if (lastLabel[m.label]) return;
      lastLabel[m.label] = true;
      var row = Object.keys(lastLabel).length - 1;
      ctx.fillText(m.label, x + 4 * devicePixelRatio, top + (12 + 13 * row) * devicePixelRatio);
    });
    ctx.restore();
  };
  // Bands under the series (drawClear), fault markers over them (draw).
  var timelineHooks = function (spec) {
    var hooks = {};
    if (spec.bands && spec.bands.length) hooks.drawClear = [drawBands(spec)];
    if (spec.markers) hooks.draw = [function (u) { drawMarkers(u, spec.markers); }];
    return hooks;
  };

  var options = function (spec, el) {
    var xLog = spec.xScale === 'log';
    var yLog = spec.yScale === 'log';
    var xAxis = {
      label: spec.xLabel,
      values: function (u, vals) { return vals.map(function (v) { return format(spec.xFormat, v); }); }
    };
    var yAxis = {
      label: spec.yLabel,
      size: 70,
      values: function (u, vals) { return vals.map(function (v) { return format(spec.yFormat, v); }); }
    };
    if (spec.xTicks) {
      xAxis.splits = function (u, i, min, max) {
        return spec.xTicks.filter(function (t) { return t >= min * 0.999 && t <= max * 1.001; });
      };
    } else if (xLog) {
      xAxis.splits = logSplits;
    }
    if (xLog) xAxis.filter = keepAll;
    if (yLog) { yAxis.splits = logSplits; yAxis.filter = keepAll; }
    return {
      width: widthOf(el),
      height: ${CHART_HEIGHT},
      scales: {
        x: xLog ? { time: false, distr: 3, log: 10 } : { time: false },
        y: yLog ? { distr: 3, log: 10 } : { range: fromZero }
      },
      axes: [xAxis, yAxis],
      series: [
        { label: spec.xLabel.replace(/\\s*\\(.*\\)$/, ''), value: function (u, v) { return format(spec.xFormat, v); } }
      ].concat(spec.series.map(function (s) { return seriesOptions(spec, s); })),
      cursor: { drag: { x: true, y: false } },
      legend: { live: true },
      hooks: timelineHooks(spec)
    };
  };

  data.charts.forEach(function (spec) {
    var el = document.getElementById('chart-' + spec.id);
    if (!el) { console.error('streambench report: no element for chart ' + spec.id); return; }
    try {
      var u = new uPlot(options(spec, el), [spec.x].concat(spec.series.map(function (s) { return s.values; })), el);
      charts.push({ id: spec.id, uplot: u, el: el });
      el.setAttribute('data-rendered', 'true');
    } catch (error) {
      el.textContent = 'This chart could not be drawn: ' + error;
      console.error(error);
    }
  });

  var resizeAll = function (width) {
    charts.forEach(function (c) { c.uplot.setSize({ width: width || widthOf(c.el), height: ${CHART_HEIGHT} }); });
  };
  var pending = 0;
  window.addEventListener('resize', function () {
    clearTimeout(pending);
    pending = setTimeout(function () { resizeAll(); }, 100);
  });
  window.addEventListener('beforeprint', function () { resizeAll(${PRINT_WIDTH}); });
  window.addEventListener('afterprint', function () { resizeAll(); });
})();
`;
