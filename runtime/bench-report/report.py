#!/usr/bin/env python3
"""Medians over several compare.py runs, as a Markdown table and an SVG chart.

  report.py run-1.json run-2.json ... [--markdown table.md] [--svg chart.svg]

Each file is what `compare.py --json FILE` wrote for one run:
{scenario: {server: {"text": ..., "value": ...}}}. Every figure in a cell's
text (p50, p99, GB/s, seconds, cpu, rss, threads) becomes the median over the
runs that have the cell; the ratio to the server named "ref" is the median of
each run's value / ref's value, so that both sides of a ratio come from the
same run. Busy has two ratios to ref: of p99 and of CPU. Throughput also has
a ratio to each nginx column of the same run. Without --markdown or --svg the
table goes to standard output.

Standard library only.
"""
import argparse
import json
import math
import os
import re
import statistics
import sys
from xml.sax.saxutils import escape

REF = "ref"
SCENARIO_ORDER = ["start", "catchup", "fanout", "lat1cold", "lat1", "lat100cold", "lat100", "lat1000", "idle1000",
                  "conn10k", "busy"]
NO_RATIO = {"conn10k"}  # as compare.py: its value only says whether it worked
LATENCY = ["lat1", "lat100", "lat1000"]
THROUGHPUT = ["catchup", "fanout"]
# Throughput's second anchors: the static-file server serving the same file.
NGINX = ["nginx-http", "nginx-https"]

# The forms compare.py writes, each with the figures it holds.
FORMS = [
    ("busy", re.compile(r"p50 (?P<p50>\S+) / p99 (?P<p99>\S+) us, cpu (?P<cpu>\S+) s, rss (?P<rss>\S+) MiB,"
                        r" (?P<threads>\d+) threads(?:, .*)?")),
    ("latency", re.compile(r"p50 (?P<p50>\S+) / p99 (?P<p99>\S+) us")),
    ("rate", re.compile(r"(?P<gbps>\S+) GB/s")),
    ("idle", re.compile(r"cpu (?P<cpu>\S+) s, rss (?P<rss>\S+) MiB, (?P<threads>\d+) threads")),
    ("seconds", re.compile(r"(?P<seconds>\S+) s")),
    ("connections", re.compile(r"(?P<status>\w+), rss (?P<rss>\S+) MiB, (?P<threads>\d+) threads")),
]

SERVER_COLORS = {"ref": "#4c78a8", "socat+tail": "#f58518", "tailsrv": "#54a24b"}
OTHER_COLORS = ["#e45756", "#72b7b2", "#b279a2", "#9d755d", "#eeca3b", "#bab0ac"]


def parse_text(text):
    """(form, {figure: number}) for one cell's text; ValueError if no form fits."""
    for form, pattern in FORMS:
        m = pattern.fullmatch(text.strip())
        if m:
            figures = {}
            for name, raw in m.groupdict().items():
                figures[name] = float(raw == "ok") if name == "status" else float(raw)
            return form, figures
    raise ValueError("unknown figure text: %r" % text)


class Cell:
    """One server in one scenario, over the runs that have it."""

    def __init__(self, form):
        self.form = form
        self.figures = {}  # figure -> [number per run]
        self.ratios = []   # value / ref's value, per run that has both
        self.p99_ratios = []  # busy: p99 / ref's p99, per run that has both
        self.anchor_ratios = {}  # throughput: nginx column -> [value / its value, per run]

    @property
    def runs(self):
        return len(next(iter(self.figures.values()), []))

    def median(self, figure):
        return statistics.median(self.figures[figure])

    def ratio(self):
        return statistics.median(self.ratios) if self.ratios else None

    def p99_ratio(self):
        return statistics.median(self.p99_ratios) if self.p99_ratios else None


class Summary:
    def __init__(self, runs):
        self.run_count = len(runs)
        self.scenarios = ordered((sc for run in runs for sc in run), SCENARIO_ORDER)
        self.servers = ordered((srv for run in runs for cells in run.values() for srv in cells), [REF])
        self.cells = {}
        for run in runs:
            for scenario, cells in run.items():
                self._add_run(scenario, cells)

    def _add_run(self, scenario, cells):
        ref = cells.get(REF, {}).get("value")
        ref_p99 = cells.get(REF, {}).get("p99_us")
        for server, figure in cells.items():
            try:
                form, figures = parse_text(figure["text"])
            except ValueError as e:
                print("report.py: %s, %s: %s" % (scenario, server, e), file=sys.stderr)
                continue
            cell = self.cells.setdefault((scenario, server), Cell(form))
            if cell.form != form:
                print("report.py: %s, %s: %r is not a %s figure" % (scenario, server, figure["text"], cell.form),
                      file=sys.stderr)
                continue
            for name, number in figures.items():
                cell.figures.setdefault(name, []).append(number)
            value = figure.get("value")
            if server != REF and scenario not in NO_RATIO and ref and value:
                cell.ratios.append(value / ref)
            if server != REF and ref_p99 and figure.get("p99_us"):
                cell.p99_ratios.append(figure["p99_us"] / ref_p99)
            if scenario in THROUGHPUT and server not in NGINX and value:
                for anchor in NGINX:
                    theirs = cells.get(anchor, {}).get("value")
                    if theirs:
                        cell.anchor_ratios.setdefault(anchor, []).append(value / theirs)

    def cell(self, scenario, server):
        return self.cells.get((scenario, server))


def ordered(names, preferred):
    """The distinct names, those in preferred first and in its order, then the rest as met."""
    seen = list(dict.fromkeys(names))
    return [n for n in preferred if n in seen] + [n for n in seen if n not in preferred]


def load(paths):
    runs = []
    for path in paths:
        with open(path) as f:
            runs.append(json.load(f))
    return runs


# ---------------------------------------------------------------- the table

def cell_text(cell, run_count):
    """The cell as compare.py prints it, from the medians."""
    if cell is None:
        return "n/a"
    m = cell.median
    if cell.form == "latency":
        text = "p50 %.1f / p99 %.1f us" % (m("p50"), m("p99"))
    elif cell.form == "rate":
        text = "%.3f GB/s" % m("gbps")
    elif cell.form == "seconds":
        text = "%.3f s" % m("seconds")
    elif cell.form == "idle":
        text = "cpu %.2f s, rss %.0f MiB, %.0f threads" % (m("cpu"), m("rss"), m("threads"))
    elif cell.form == "busy":
        text = "p50 %.1f / p99 %.1f us, cpu %.2f s, rss %.0f MiB, %.0f threads" % (
            m("p50"), m("p99"), m("cpu"), m("rss"), m("threads"))
    else:
        ok = int(sum(cell.figures["status"]))
        status = "ok" if ok == cell.runs else "FAILED" if ok == 0 else "ok in %d of %d" % (ok, cell.runs)
        text = "%s, rss %.0f MiB, %.0f threads" % (status, m("rss"), m("threads"))
    ratio = cell.ratio()
    if cell.form == "busy":
        parts = []
        if cell.p99_ratio() is not None:
            parts.append("x%.2f p99" % cell.p99_ratio())
        if ratio is not None:
            parts.append("x%.2f cpu" % ratio)
        if parts:
            text += " (%s)" % ", ".join(parts)
    elif ratio is not None:
        text += " (x%.2f)" % ratio
    for anchor in NGINX:
        if cell.anchor_ratios.get(anchor):
            text += " (x%.2f %s)" % (statistics.median(cell.anchor_ratios[anchor]), anchor)
    if cell.runs < run_count:
        text += " [%d of %d runs]" % (cell.runs, run_count)
    return text


def markdown(summary, sources=()):
    lines = [
        "Median of %d run%s of compare.py%s." % (
            summary.run_count, "" if summary.run_count == 1 else "s",
            ": " + ", ".join("`%s`" % os.path.basename(s) for s in sources) if sources else ""),
        "(xN) is the median over runs of each run's figure divided by %s's in the same run"
        " (start: seconds, catchup and fanout: GB/s, lat: p99, idle1000: cpu, busy: p99 and cpu);"
        " (xN nginx-...) the same against that nginx column; n/a: failed or skipped in every run." % REF,
        "",
        "| scenario | " + " | ".join(summary.servers) + " |",
        "| --- |" + " --- |" * len(summary.servers),
    ]
    for scenario in summary.scenarios:
        cells = [cell_text(summary.cell(scenario, s), summary.run_count) for s in summary.servers]
        lines.append("| %s | %s |" % (scenario, " | ".join(c.replace("|", "\\|") for c in cells)))
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- the chart

WIDTH, HEIGHT = 1000, 460
PLOT_TOP, PLOT_BOTTOM = 80, 370
LATENCY_PANEL = (80, 600)
THROUGHPUT_PANEL = (690, 970)


def colors(servers):
    others = iter(OTHER_COLORS * (1 + len(servers) // len(OTHER_COLORS)))
    return {s: SERVER_COLORS.get(s) or next(others) for s in servers}


def microseconds(us):
    """A latency in the unit that suits it: 126 us, 1.5 ms, 1.23 s."""
    for unit, scale in (("s", 1e6), ("ms", 1e3)):
        if us >= scale:
            return "%.3g %s" % (us / scale, unit)
    return "%.3g us" % us


def nice_ceiling(x):
    """The smallest of 1, 2, 2.5, 5 times a power of ten that is at least x."""
    if x <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(x))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= x:
            return step * power
    return 10 * power


class Svg:
    def __init__(self):
        self.parts = []

    def add(self, tag, text=None, **attrs):
        attributes = "".join(' %s="%s"' % (k.replace("_", "-"), escape(str(v), {'"': "&quot;"}))
                             for k, v in attrs.items())
        if text is None:
            self.parts.append("<%s%s/>" % (tag, attributes))
        else:
            self.parts.append("<%s%s>%s</%s>" % (tag, attributes, escape(text), tag))

    def text(self, x, y, text, size=12, anchor="middle", **attrs):
        self.add("text", text, x=fmt(x), y=fmt(y), font_size=size, text_anchor=anchor, **attrs)

    def rect(self, x, y, w, h, **attrs):
        self.add("rect", x=fmt(x), y=fmt(y), width=fmt(w), height=fmt(max(h, 0)), **attrs)

    def line(self, x1, y1, x2, y2, **attrs):
        self.add("line", x1=fmt(x1), y1=fmt(y1), x2=fmt(x2), y2=fmt(y2), **attrs)


def fmt(number):
    return ("%.1f" % number).rstrip("0").rstrip(".")


def bar_slots(left, right, groups, servers):
    """For each group, its centre and each server's bar x, and the bar width."""
    group_width = (right - left) / max(len(groups), 1)
    bar = min(44.0, group_width * 0.8 / max(len(servers), 1))
    slots = []
    for g in range(len(groups)):
        centre = left + group_width * (g + 0.5)
        first = centre - bar * len(servers) / 2
        slots.append((centre, [first + bar * i for i in range(len(servers))]))
    return slots, bar


def latency_panel(svg, summary, palette):
    left, right = LATENCY_PANEL
    svg.text((left + right) / 2, PLOT_TOP - 22, "(a) append-to-delivery latency, p50 and p99 (log scale)",
             size=14, font_weight="bold")
    groups = [sc for sc in LATENCY if any(summary.cell(sc, s) for s in summary.servers)]
    values = [summary.cell(sc, s).median(p) for sc in groups for s in summary.servers
              if summary.cell(sc, s) for p in ("p50", "p99")]
    values = [v for v in values if v > 0]
    if not values:
        svg.text((left + right) / 2, (PLOT_TOP + PLOT_BOTTOM) / 2, "no latency figures", fill="#666")
        return
    low = math.floor(math.log10(min(values)))
    high = max(math.ceil(math.log10(max(values))), low + 1)

    def y(us):
        return PLOT_BOTTOM - (math.log10(max(us, 10 ** low)) - low) / (high - low) * (PLOT_BOTTOM - PLOT_TOP)

    for power in range(low, high + 1):
        svg.line(left, y(10 ** power), right, y(10 ** power), stroke="#dddddd")
        svg.text(left - 6, y(10 ** power) + 4, microseconds(10 ** power), size=11, anchor="end", fill="#333")
    slots, bar = bar_slots(left, right, groups, summary.servers)
    for scenario, (centre, xs) in zip(groups, slots):
        svg.text(centre, PLOT_BOTTOM + 18, scenario, size=12)
        for server, x in zip(summary.servers, xs):
            cell = summary.cell(scenario, server)
            if cell is None:
                svg.text(x + bar / 2, PLOT_BOTTOM - 4, "n/a", size=9, fill="#666")
                continue
            p50, p99 = cell.median("p50"), cell.median("p99")
            svg.rect(x + 1, y(p99), bar - 2, PLOT_BOTTOM - y(p99), fill=palette[server], fill_opacity="0.35")
            svg.rect(x + 1, y(p50), bar - 2, PLOT_BOTTOM - y(p50), fill=palette[server])
            svg.text(x + bar / 2, y(p99) - 4, microseconds(p99), size=9, fill="#333")
            if y(p50) - y(p99) > 14:
                svg.text(x + bar / 2, y(p50) - 4, microseconds(p50), size=9, fill="#333")
    svg.line(left, PLOT_BOTTOM, right, PLOT_BOTTOM, stroke="#333")


def throughput_panel(svg, summary, palette):
    left, right = THROUGHPUT_PANEL
    svg.text((left + right) / 2, PLOT_TOP - 22, "(b) throughput, GB/s", size=14, font_weight="bold")
    groups = [sc for sc in THROUGHPUT if any(summary.cell(sc, s) for s in summary.servers)]
    values = [summary.cell(sc, s).median("gbps") for sc in groups for s in summary.servers if summary.cell(sc, s)]
    if not values:
        svg.text((left + right) / 2, (PLOT_TOP + PLOT_BOTTOM) / 2, "no throughput figures", fill="#666")
        return
    top = nice_ceiling(max(values) * 1.05)

    def y(gbps):
        return PLOT_BOTTOM - gbps / top * (PLOT_BOTTOM - PLOT_TOP)

    for i in range(6):
        tick = top * i / 5
        svg.line(left, y(tick), right, y(tick), stroke="#dddddd")
        svg.text(left - 6, y(tick) + 4, "%g" % round(tick, 3), size=11, anchor="end", fill="#333")
    slots, bar = bar_slots(left, right, groups, summary.servers)
    for scenario, (centre, xs) in zip(groups, slots):
        svg.text(centre, PLOT_BOTTOM + 18, scenario, size=12)
        for server, x in zip(summary.servers, xs):
            cell = summary.cell(scenario, server)
            if cell is None:
                svg.text(x + bar / 2, PLOT_BOTTOM - 4, "n/a", size=9, fill="#666")
                continue
            gbps = cell.median("gbps")
            svg.rect(x + 1, y(gbps), bar - 2, PLOT_BOTTOM - y(gbps), fill=palette[server])
            svg.text(x + bar / 2, y(gbps) - 4, "%.2f" % gbps, size=9, fill="#333")
    svg.line(left, PLOT_BOTTOM, right, PLOT_BOTTOM, stroke="#333")


def legend(svg, servers, palette):
    y = PLOT_BOTTOM + 52
    x = LATENCY_PANEL[0]
    for server in servers:
        svg.rect(x, y - 11, 14, 14, fill=palette[server])
        svg.text(x + 20, y, server, size=12, anchor="start")
        x += 40 + 8 * len(server)
    svg.rect(x + 20, y - 11, 14, 14, fill="#555555")
    svg.rect(x + 38, y - 11, 14, 14, fill="#555555", fill_opacity="0.35")
    svg.text(x + 58, y, "(a): solid to p50, pale to p99", size=12, anchor="start")


def chart(summary):
    svg = Svg()
    palette = colors(summary.servers)
    svg.rect(0, 0, WIDTH, HEIGHT, fill="#ffffff")
    svg.text(WIDTH / 2, 28, "compare.py: median of %d run%s" % (summary.run_count, "" if summary.run_count == 1 else "s"),
             size=16, font_weight="bold")
    latency_panel(svg, summary, palette)
    throughput_panel(svg, summary, palette)
    legend(svg, summary.servers, palette)
    svg.text(WIDTH / 2, HEIGHT - 16, "lower latency is better; higher throughput is better", size=11, fill="#666")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d"'
            ' font-family="Helvetica, Arial, sans-serif">\n'
            '<title>compare.py: median of %d runs</title>\n%s\n</svg>\n'
            % (WIDTH, HEIGHT, WIDTH, HEIGHT, summary.run_count, "\n".join(svg.parts)))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("runs", nargs="+", help="JSON files written by compare.py --json")
    ap.add_argument("--markdown", help="write the median table here")
    ap.add_argument("--svg", help="write the chart here")
    a = ap.parse_args(argv)
    summary = Summary(load(a.runs))
    table = markdown(summary, a.runs)
    if a.markdown:
        with open(a.markdown, "w") as f:
            f.write(table)
    if a.svg:
        with open(a.svg, "w") as f:
            f.write(chart(summary))
    if not (a.markdown or a.svg):
        sys.stdout.write(table)


if __name__ == "__main__":
    main()
