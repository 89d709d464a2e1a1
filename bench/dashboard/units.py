"""How the dashboard writes a duration (ns) or a size (bytes): three significant digits
in the largest unit that fits. Used by the --compare table, the targets and the charts."""

GIB = 1024.0 ** 3


def fmt_ns(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("us", 1e3)):
        if ns >= scale:
            return "%.3g %s" % (ns / scale, unit)
    return "%.3g ns" % ns


def fmt_bytes(b):
    for unit, scale in (("GiB", GIB), ("MiB", 1024.0 ** 2), ("KiB", 1024.0)):
        if b >= scale:
            return "%.3g %s" % (b / scale, unit)
    return "%d B" % b
