#!/usr/bin/env python3
"""Checks what headless chromium made of the dashboard page (stdlib only).

usage: browser_check.py DOM.html SHOT.png
  DOM:  the browser's serialized DOM holds the sections and the SVG chart elements.
  PNG:  the screenshot shows the charts were painted: enough pixels in the colours of
        the first two chart series (PALETTE[0..1] of scripts/bench-dashboard).
"""
import struct, sys, zlib

SERIES_RGB = [(0x1F, 0x77, 0xB4), (0xD6, 0x27, 0x28)]


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def decode_png(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail("%s is not a PNG" % path)
    pos, idat, hdr = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    w, h, depth, ctype, _, _, interlace = hdr
    if depth != 8 or ctype not in (2, 6) or interlace:
        fail("unsupported PNG (depth %d, colour type %d, interlace %d)" % (depth, ctype, interlace))
    bpp = 3 if ctype == 2 else 4
    raw, stride, rows, prev = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp)
    for y in range(h):
        ft, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if ft == 1:
                line[i] = (line[i] + a) & 255
            elif ft == 2:
                line[i] = (line[i] + b) & 255
            elif ft == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ft == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return w, h, bpp, rows


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
    w, h, bpp, rows = decode_png(png_path)
    counts = [0] * len(SERIES_RGB)
    colours = set()
    for row in rows:
        for x in range(0, w * bpp, bpp):
            px = (row[x], row[x + 1], row[x + 2])
            colours.add(px)
            for k, rgb in enumerate(SERIES_RGB):
                if all(abs(px[j] - rgb[j]) <= 8 for j in range(3)):
                    counts[k] += 1
    print("screenshot %dx%d: %d colours, series pixels %s" % (w, h, len(colours), counts))
    if len(colours) < 16:
        fail("the screenshot is (nearly) blank")
    if min(counts) < 200:
        fail("the chart series were not painted (pixels per series colour: %s)" % counts)
    print("ok: the SVG charts were painted")


if __name__ == "__main__":
    main()
