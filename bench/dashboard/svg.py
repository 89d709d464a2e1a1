"""Inline SVG charts for the dashboard page: a line chart on log or linear axes (the
scaling curves) and a sparkline (one benchmark across records). They return markup
only: no scripts, no fonts, no external references, so the page stands alone."""
import html
import math

from .units import fmt_bytes, fmt_ns

# Series colours in order; bench/tests/browser_check.py counts pixels of the first two.
PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]


def nice_ticks(lo, hi, log, binary=False):
    if log:
        return [10.0 ** e for e in range(int(math.floor(math.log10(lo))), int(math.ceil(math.log10(hi))) + 1)]
    span = (hi - lo) or 1.0
    step = 2.0 ** math.floor(math.log2(span)) if binary else 10.0 ** math.floor(math.log10(span))
    while span / step > 6:
        step *= 2
    while span / step < 3:
        step /= 2
    t = math.floor(lo / step) * step
    out = []
    while t <= hi + step * 0.5:
        out.append(t)
        t += step
    return out


def tick_label(v, unit):
    if unit == "ns":
        return fmt_ns(v)
    if unit == "bytes":
        return fmt_bytes(v)
    return "%g" % v


class Plot:
    """The chart's box (margins L, R, T, B in a w x h viewBox) and its data -> pixel maps."""

    def __init__(self, w, h, margins, xrange, yrange, logx, logy):
        self.w, self.h = w, h
        self.L, self.R, self.T, self.B = margins
        self.x0, self.x1 = xrange
        self.y0, self.y1 = yrange
        self.f = math.log10 if logx else (lambda v: v)
        self.g = math.log10 if logy else (lambda v: v)

    def px(self, v):
        f = self.f
        return self.L + (f(v) - f(self.x0)) / ((f(self.x1) - f(self.x0)) or 1) * (self.w - self.L - self.R)

    def py(self, v):
        g = self.g
        return self.h - self.B - (g(v) - g(self.y0)) / ((g(self.y1) - g(self.y0)) or 1) * (self.h - self.T - self.B)


def plot_for(pts, nseries, logx, logy, w, h):
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    if logy:
        y0, y1 = 10 ** math.floor(math.log10(y0)), 10 ** math.ceil(math.log10(y1) + 1e-9)
    else:
        y0, y1 = min(0.0, y0), (y1 * 1.1 if y1 > 0 else 1.0)
    if x0 == x1:
        x0, x1 = (x0 / 2, x1 * 2) if logx else (x0 - 1, x1 + 1)
    return Plot(w, h, (78, 34, 28, 46 + 16 * ((nseries + 1) // 2)), (x0, x1), (y0, y1), logx, logy)


def frame(p, title, xlabel, xticks, yunit, logy):
    """The box, the title, the grid with tick labels and the two axes."""
    L, R, T, B, w, h = p.L, p.R, p.T, p.B, p.w, p.h
    o = ['<svg class="chart" width="%d" height="%d" viewBox="0 0 %d %d" role="img">' % (w, h, w, h),
         '<title>%s</title>' % html.escape(title),
         '<rect x="0" y="0" width="%d" height="%d" fill="#ffffff" stroke="#cccccc"/>' % (w, h),
         '<text x="%d" y="18" font-size="13" font-weight="bold">%s</text>' % (L, html.escape(title))]
    for t in nice_ticks(p.y0, p.y1, logy, binary=yunit == "bytes"):
        if p.y0 <= t <= p.y1 * 1.0001:
            y = p.py(t)
            o.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#e5e5e5"/>' % (L, y, w - R, y))
            label = html.escape(tick_label(t, yunit))
            o.append('<text x="%d" y="%.1f" font-size="10" text-anchor="end">%s</text>' % (L - 4, y + 3, label))
    for t in xticks:
        x = p.px(t)
        o.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#e5e5e5"/>' % (x, T, x, h - B))
        label = html.escape(tick_label(t, ""))
        o.append('<text x="%.1f" y="%d" font-size="10" text-anchor="middle">%s</text>' % (x, h - B + 13, label))
    o.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333333"/>' % (L, h - B, w - R, h - B))
    o.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333333"/>' % (L, T, L, h - B))
    o.append('<text x="%d" y="%d" font-size="11" text-anchor="middle">%s</text>' % (
        (L + w - R) // 2, h - B + 28, html.escape(xlabel)))
    return o


def series_marks(p, i, label, s, yunit):
    """One series: its line, a point with a tooltip per value, its legend entry."""
    color = PALETTE[i % len(PALETTE)]
    o = ['<polyline class="series" fill="none" stroke="%s" stroke-width="2" points="%s"/>' % (
        color, " ".join("%.1f,%.1f" % (p.px(x), p.py(y)) for x, y in s))]
    for x, y in s:
        o.append('<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"><title>%s: %g -> %s</title></circle>' % (
            p.px(x), p.py(y), color, html.escape(label), x, html.escape(tick_label(y, yunit))))
    lx, ly = p.L + (i % 2) * (p.w - p.L - p.R) // 2, p.h - p.B + 44 + 16 * (i // 2)
    o.append('<rect x="%d" y="%d" width="14" height="4" fill="%s"/>' % (lx, ly - 5, color))
    o.append('<text x="%d" y="%d" font-size="11">%s</text>' % (lx + 18, ly, html.escape(label)))
    return o


def chart(title, series, xlabel, yunit, logx=True, logy=True, w=560, h=300, xticks=None):
    """Inline SVG line chart. series: [(label, [(x, y), ...])]; positive values on log axes."""
    shown = lambda x, y: (x > 0 or not logx) and (y > 0 or not logy)
    pts = [(x, y) for _, s in series for x, y in s if shown(x, y)]
    if not pts:
        return ""
    p = plot_for(pts, len(series), logx, logy, w, h)
    o = frame(p, title, xlabel, xticks or sorted(set(x for x, _ in pts)), yunit, logy)
    for i, (label, s) in enumerate(series):
        s = [(x, y) for x, y in sorted(s) if shown(x, y)]
        if s:
            o += series_marks(p, i, label, s, yunit)
    o.append("</svg>")
    return "\n".join(o)


def sparkline(points, labels, w=260, h=56):
    """Small inline SVG of one benchmark's cost across records (x = record, linear y)."""
    ys = [y for _, y in points]
    lo, hi = min(ys), max(ys)
    pad = (hi - lo) * 0.1 or hi * 0.05 or 1.0
    lo, hi = max(0.0, lo - pad), hi + pad
    n = max(len(points) - 1, 1)
    px = lambda i: 54 + i * (w - 64) / n
    py = lambda v: h - 8 - (v - lo) / (hi - lo) * (h - 16)
    o = ['<svg class="chart spark" width="%d" height="%d" viewBox="0 0 %d %d" role="img">' % (w, h, w, h),
         '<rect x="0" y="0" width="%d" height="%d" fill="#ffffff" stroke="#dddddd"/>' % (w, h),
         '<text x="50" y="12" font-size="9" text-anchor="end">%s</text>' % html.escape(fmt_ns(max(ys))),
         '<text x="50" y="%d" font-size="9" text-anchor="end">%s</text>' % (h - 4, html.escape(fmt_ns(min(ys)))),
         '<polyline class="series" fill="none" stroke="%s" stroke-width="2" points="%s"/>' % (
             PALETTE[0], " ".join("%.1f,%.1f" % (px(i), py(y)) for i, (_, y) in enumerate(points)))]
    for i, (_, y) in enumerate(points):
        o.append('<circle cx="%.1f" cy="%.1f" r="3" fill="%s"><title>%s: %s</title></circle>' % (
            px(i), py(y), PALETTE[0], html.escape(labels[i]), html.escape(fmt_ns(y))))
    o.append("</svg>")
    return "\n".join(o)
