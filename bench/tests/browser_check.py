#!/usr/bin/env python3
"""Checks what headless chromium made of the dashboard page (stdlib only).

usage: browser_check.py DOM.html SHOT.png
  DOM:  the browser's serialized DOM holds the sections and the SVG chart elements.
  PNG:  the screenshot shows the charts were painted: enough pixels in the colours of
        the first two chart series (PALETTE[0..1] of bench/dashboard/svg.py).
"""
import os, sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts", "tests"))
from png_read import colour_counts, decode_png  # noqa: E402

SERIES_RGB = [(0x1F, 0x77, 0xB4), (0xD6, 0x27, 0x28)]


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def main():
    dom_path, png_path = sys.argv[1:3]
    with open(dom_path, errors="replace") as f:
        dom = f.read()
    for section in ("targets", "ratios", "scaling", "regressions", "history"):
        if 'id="%s"' % section not in dom:
            fail("section %s missing from the rendered DOM" % section)
    charts = dom.count('<svg class="chart')
    if charts < 6 or dom.count("<polyline") < 6:
        fail("rendered DOM has %d charts / %d polylines" % (charts, dom.count("<polyline")))
    print("ok: DOM has every section, %d SVG charts, %d polylines" % (charts, dom.count("<polyline")))
    w, h, bpp, rows = decode_png(png_path, fail)
    counts, colours = colour_counts(rows, w, bpp, SERIES_RGB)
    print("screenshot %dx%d: %d colours, series pixels %s" % (w, h, len(colours), counts))
    if len(colours) < 16:
        fail("the screenshot is (nearly) blank")
    if min(counts) < 200:
        fail("the chart series were not painted (pixels per series colour: %s)" % counts)
    print("ok: the SVG charts were painted")


if __name__ == "__main__":
    main()
