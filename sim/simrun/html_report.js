// Charts of simrun's HTML report, drawn as inline SVG from the expanded run's record
// (<script id="vdisim-data">, written by html_report.cpp). One virtual-time axis for all
// charts; the CLI steps and the failure are marked on each. No network, no libraries.
(function () {
  'use strict';
  var dataEl = document.getElementById('vdisim-data'), box = document.getElementById('charts');
  if (!dataEl || !box) return;
  var d = JSON.parse(dataEl.textContent), st = d.stats || {}, tl = d.timeline || {};
  var W = 1100, L = 200, R = 70, PW = W - L - R, AXIS = 22;
  var TEMP_COLOUR = { init: '#dddddd', cold: '#9ecae1', warm: '#fdae6b', busy: '#e6550d', cooling: '#c6dbef' };
  var steps = tl.steps || [], failure = d.failure;

  function esc(s) {
    return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  }
  // The axis ends with the last thing drawn (a run's clock may go on long after, e.g.
  // while a discarded VCL's probes cool down); the run's end only when nothing was.
  var T = Math.max(failure ? failure.time_s : 0, (tl.bucket_s || 0) * Math.max(0, ...Object.values(tl.fetches || {})
    .map(function (v) { return v.length; })));
  function later(t) { if (t !== undefined) T = Math.max(T, t); }
  steps.forEach(function (s) { later(s[0]); });
  (st.vcl || []).forEach(function (v) { later(v[0]); });
  (st.backends || []).forEach(function (b) { b.health.forEach(function (h) { later(h[0]); }); });
  Object.values(tl.directors || {}).forEach(function (x) { later(x.added_s); later(x.destroyed_s); });
  if (!(T > 0)) T = Math.max(d.end_s || 0, 1e-9);
  T *= 1.02;
  function x(t) { return (L + Math.min(t, T) / T * PW).toFixed(1); }
  function niceStep(span) {
    var p = Math.pow(10, Math.floor(Math.log10(span / 10))), m = span / 10 / p;
    return p * (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10);
  }
  // Grid, time labels, CLI steps and the failure over a chart body of height h.
  function axis(h) {
    var o = [], step = niceStep(T);
    for (var k = 0, t = 0; t <= T * (1 + 1e-9); t = ++k * step) {
      o.push('<line class="grid" x1="' + x(t) + '" x2="' + x(t) + '" y1="0" y2="' + h + '" stroke="#eee"/>');
      o.push('<text x="' + x(t) + '" y="' + (h + 14) + '" text-anchor="middle">' + (+t.toPrecision(6)) + 's</text>');
    }
    steps.forEach(function (s, i) {
      o.push('<line class="step" x1="' + x(s[0]) + '" x2="' + x(s[0]) + '" y1="0" y2="' + h +
             '" stroke="#777" stroke-dasharray="3,3"><title>' + esc(s[1]) + '</title></line>');
      o.push('<text x="' + x(s[0]) + '" y="' + (h + AXIS - 1) + '" text-anchor="middle" fill="#777">' + (i + 1) + '</text>');
    });
    if (failure)
      o.push('<line class="failure-mark" x1="' + x(failure.time_s) + '" x2="' + x(failure.time_s) + '" y1="0" y2="' +
             h + '" stroke="#d62728" stroke-width="2"><title>' + esc(failure.rule) + '</title></line>');
    return o.join('');
  }
  function chart(id, title, rows, rowH, body) {
    var h = rows * rowH, o = ['<h3>' + esc(title) + '</h3><svg class="chart" id="' + id + '" width="' + W +
                              '" height="' + (h + AXIS + 6) + '" viewBox="0 0 ' + W + ' ' + (h + AXIS + 6) + '">'];
    o.push(axis(h), body, '</svg>');
    return o.join('');
  }
  function label(y, text) { return '<text x="4" y="' + y + '">' + esc(text) + '</text>'; }

  // Per backend: health as a band (green healthy, red sick), its share of each bucket's requests as a line.
  function backendsChart() {
    var fetches = tl.fetches || {}, names = (st.backends || []).map(function (b) { return b.name; });
    Object.keys(fetches).forEach(function (n) { if (names.indexOf(n) < 0) names.push(n); });
    var total = [], rowH = 30, o = [];
    Object.keys(fetches).forEach(function (n) {
      fetches[n].forEach(function (c, i) { total[i] = (total[i] || 0) + c; });
    });
    var requests = total.reduce(function (a, c) { return a + (c || 0); }, 0);
    var group = Math.max(1, Math.min(Math.floor(total.length / 20), Math.ceil(20 * total.length / Math.max(1, requests))));
    names.forEach(function (n, r) {
      var y = r * rowH, b = (st.backends || []).filter(function (q) { return q.name === n; })[0];
      // A backend without a probe has no health log: healthy while it exists.
      var health = b ? b.health : [], life = (tl.directors || {})[n], from = life ? life.added_s || 0 : 0;
      var to = life && life.destroyed_s !== undefined ? life.destroyed_s : T;
      if (!health.length && life && life.added_s !== undefined) health = [[life.added_s, 'healthy']];
      health.forEach(function (h, k) {
        if (h[0] >= to) return;
        var t1 = Math.min(to, k + 1 < health.length ? health[k + 1][0] : T), cls = h[1] === 'healthy' ? 'healthy' : 'sick';
        o.push('<rect class="health ' + cls + '" x="' + x(h[0]) + '" y="' + (y + 2) + '" width="' +
               Math.max(0.5, x(t1) - x(h[0])).toFixed(1) + '" height="' + (rowH - 4) + '" fill="' +
               (cls === 'healthy' ? '#d8efd8' : '#f5c6c6') + '"/>');
      });
      // Shares over groups of buckets that hold about 20 requests each, while the backend exists.
      var lines = [], pts = [], mine = fetches[n] || [];
      for (var g = 0; g < total.length; g += group) {
        var c = 0, all = 0, t = (g + group / 2) * tl.bucket_s;
        for (var i = g; i < g + group && i < total.length; i++) { c += mine[i] || 0; all += total[i] || 0; }
        if (!all || t < from || t > to) { if (pts.length) lines.push(pts); pts = []; continue; }
        pts.push(x(t) + ',' + (y + rowH - 3 - c / all * (rowH - 6)).toFixed(1));
      }
      if (pts.length) lines.push(pts);
      lines.forEach(function (p) {
        if (p.length === 1) p.push(p[0]);
        o.push('<polyline class="share" fill="none" stroke="#1f77b4" stroke-width="2" points="' + p.join(' ') + '"/>');
      });
      o.push(label(y + 19, n), '<text x="' + (W - R + 6) + '" y="' + (y + 19) + '">' +
             (b ? (100 * b.share).toFixed(1) + '%' : '') + '</text>');
    });
    return chart('chart-backends', 'Backends: health (green healthy, red sick) and share of requests over virtual time',
                 names.length, rowH, o.join(''));
  }

  // Per VCL: its temperature as coloured bands from the lifecycle log, `active` marked.
  function vclsChart() {
    var order = [], life = {}, active = [];
    (st.vcl || []).forEach(function (e) {
      var t = e[0], line = e[1], m;
      function set(name, temp) {
        if (!life[name]) { life[name] = []; order.push(name); }
        life[name].push([t, temp]);
      }
      if ((m = /^(\S+) load$/.exec(line))) set(m[1], 'init');
      else if ((m = /^(\S+) loaded cold$/.exec(line))) set(m[1], 'cold');
      else if ((m = /^(\S+) (\w+) -> (\w+)$/.exec(line))) set(m[1], m[3]);
      else if ((m = /^(\S+) discarded$/.exec(line))) set(m[1], 'gone');
      else if ((m = /^(\S+) active$/.exec(line))) active.push([t, m[1]]);
    });
    var rowH = 26, o = [];
    order.forEach(function (n, r) {
      var y = r * rowH, seg = life[n];
      seg.forEach(function (s, k) {
        if (s[1] === 'gone') return;
        var t1 = k + 1 < seg.length ? seg[k + 1][0] : T;
        o.push('<rect class="temp temp-' + esc(s[1]) + '" x="' + x(s[0]) + '" y="' + (y + 3) + '" width="' +
               Math.max(0.5, x(t1) - x(s[0])).toFixed(1) + '" height="' + (rowH - 6) + '" fill="' +
               (TEMP_COLOUR[s[1]] || '#bbb') + '"><title>' + esc(n + ' ' + s[1]) + '</title></rect>');
      });
      active.forEach(function (a) {
        if (a[1] === n) o.push('<rect class="active" x="' + (x(a[0]) - 1) + '" y="' + (y + 1) + '" width="3" height="' +
                               (rowH - 2) + '" fill="#222"><title>' + esc(n) + ' active</title></rect>');
      });
      o.push(label(y + 17, n));
    });
    var legend = Object.keys(TEMP_COLOUR).map(function (k) {
      return '<span style="background:' + TEMP_COLOUR[k] + '">' + k + '</span>';
    }).join('') + '<span>black: becomes active; dashed: CLI step</span>';
    var list = steps.map(function (s, i) { return '<li>t=' + s[0].toFixed(3) + 's ' + esc(s[1]) + '</li>'; }).join('');
    return chart('chart-vcls', 'VCL temperatures and reload steps', order.length, rowH, o.join('')) +
           '<div class="legend">' + legend + '</div>' + (list ? '<ol class="steps">' + list + '</ol>' : '');
  }

  // Per director: its refcount (the highest and the last value of each bucket) as a step line.
  function refsChart() {
    var dirs = tl.directors || {}, names = Object.keys(dirs), rowH = 26, o = [];
    names.forEach(function (n, r) {
      var dd = dirs[n], y = r * rowH, top = 1, pts = [], prev = null, end = dd.destroyed_s !== undefined ? dd.destroyed_s : T;
      dd.refs.forEach(function (b) { top = Math.max(top, b[1]); });
      function yv(v) { return (y + rowH - 3 - v / top * (rowH - 6)).toFixed(1); }
      if (dd.added_s !== undefined)
        o.push('<rect class="life" x="' + x(dd.added_s) + '" y="' + (y + 2) + '" width="' +
               Math.max(0.5, x(end) - x(dd.added_s)).toFixed(1) + '" height="' + (rowH - 4) + '" fill="#f2f2f2"/>');
      dd.refs.forEach(function (b) {
        if (prev !== null) pts.push(x(b[0]) + ',' + yv(prev));
        pts.push(x(b[0]) + ',' + yv(b[1]), x(b[2]) + ',' + yv(b[3]));
        prev = b[3];
      });
      if (prev !== null) pts.push(x(end) + ',' + yv(prev));
      if (pts.length)
        o.push('<polyline class="refs" fill="none" stroke="#d62728" stroke-width="2" points="' + pts.join(' ') + '"/>');
      var last = dd.refs.length ? dd.refs[dd.refs.length - 1][3] : 0;
      o.push(label(y + 17, n + (dd.type ? ' (' + dd.type + ')' : '')),
             '<text x="' + (W - R + 6) + '" y="' + (y + 17) + '">' + last + (dd.destroyed_s !== undefined ? ' \u2715' : '') + '</text>');
    });
    return chart('chart-refs', 'Reference count per director (right: the last count, \u2715 destroyed)', names.length, rowH, o.join(''));
  }

  box.innerHTML = backendsChart() + vclsChart() + refsChart();
})();
