#!/usr/bin/env python3
"""bench/report.py RESULTS.jsonl WRITE_DOCS [MARKER] — medians per case and tool, ratios
cpsync/rclone, as a Markdown table on stdout (and into docs/benchmarks.md when
WRITE_DOCS is 1, between the BEGIN/END markers named MARKER, default "bench/run")."""
import json
import os
import platform
import statistics
import subprocess
import sys

rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
write_docs = len(sys.argv) > 2 and sys.argv[2] == "1"
marker = sys.argv[3] if len(sys.argv) > 3 else "bench/run"
cases = []
by = {}
for r in rows:
    if "bytes_up" in r:  # request and response bodies through the counting proxies
        r["wire_mib"] = (r["bytes_up"] + r["bytes_down"]) / (1 << 20)
    if r["case"] not in cases:
        cases.append(r["case"])
    by.setdefault((r["case"], r["tool"]), []).append(r)


def med(case, tool, key):
    vals = [r[key] for r in by.get((case, tool), []) if key in r]
    return statistics.median(vals) if vals else None


def fmt(v, unit=""):
    if v is None:
        return "-"
    if isinstance(v, float) and v < 100:
        return f"{v:.2f}{unit}"
    return f"{v:.0f}{unit}"


def ratio(a, b):
    return "-" if a is None or b in (None, 0) else f"{a / b:.2f}"


lines = ["| case | cpsync wall s | rclone wall s | wall ratio | cpsync CPU s | rclone CPU s | "
         "CPU ratio | cpsync RSS MiB | rclone RSS MiB | RSS ratio | cpsync requests | "
         "rclone requests | requests ratio | cpsync MiB on the wire | rclone MiB on the wire |",
         "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
for c in cases:
    if c.startswith("ceiling") or c.startswith("planner"):
        continue
    cw, rw = med(c, "cpsync", "wall"), med(c, "rclone", "wall")
    cc, rc = med(c, "cpsync", "cpu"), med(c, "rclone", "cpu")
    cm, rm = med(c, "cpsync", "rss_mib"), med(c, "rclone", "rss_mib")
    cq, rq = med(c, "cpsync", "requests"), med(c, "rclone", "requests")
    cb, rb = med(c, "cpsync", "wire_mib"), med(c, "rclone", "wire_mib")
    lines.append(f"| {c} | {fmt(cw)} | {fmt(rw)} | {ratio(cw, rw)} | {fmt(cc)} | {fmt(rc)} | "
                 f"{ratio(cc, rc)} | {fmt(cm)} | {fmt(rm)} | {ratio(cm, rm)} | {fmt(cq)} | "
                 f"{fmt(rq)} | {ratio(cq, rq)} | {fmt(cb)} | {fmt(rb)} |")
extra = []
for c in cases:
    if c.startswith("planner"):
        r = by[(c, "cpsync")][0]
        extra.append(f"- {c}: {r['keys_per_second'] / 1e6:.2f} million keys/s, "
                     f"peak RSS {r['rss_mib']:.1f} MiB")
    if c.startswith("ceiling"):
        if "cpsync's code" in c:
            extra.append(f"- {c}: {med(c, 'cpsync', 'cpu'):.2f} s of CPU")
            continue
        tool = "curl" if "curl" in c else "openssl"
        extra.append(f"- {c}: {med(c, tool, 'wall'):.2f} s")
# bench/https-rows: cpsync's own connection counts, what TLS adds, and the machine's load.
for c in cases:
    n = med(c, "cpsync", "connections")
    if n is not None:
        extra.append(f"- {c}: cpsync opened {n:.0f} connections for {med(c, 'cpsync', 'requests'):.0f} "
                     "requests")
    if c.endswith(" (HTTPS)") and c[: -len(" (HTTPS)")] + " (HTTP)" in cases:
        plain = c[: -len(" (HTTPS)")] + " (HTTP)"
        for tool in ("cpsync", "rclone"):
            dc = med(c, tool, "cpu") - med(plain, tool, "cpu")
            dw = med(c, tool, "wall") - med(plain, tool, "wall")
            extra.append(f"- TLS adds to {tool}, {plain[: -len(' (HTTP)')]}: {dc:+.2f} s CPU, "
                         f"{dw:+.2f} s wall")
loads = [r["load1"] for r in rows if "load1" in r]
if loads:
    extra.append(f"- load: 1-minute load average at the end of each run {min(loads):.2f} to "
                 f"{max(loads):.2f} (median {statistics.median(loads):.2f})")
table = "\n".join(lines + [""] + extra)
print(table)

if write_docs:
    def version(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True).stdout.splitlines()[0]
        except Exception:  # noqa: BLE001
            return "unknown"
    machine = (f"{platform.machine()}, {os.cpu_count()} cores, "
               f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') >> 30} GiB; "
               f"{version(['rclone', 'version'])}; Ceph radosgw "
               f"{version(['radosgw', '--version'])}")
    path = os.path.join(os.path.dirname(__file__), "..", "docs", "benchmarks.md")
    text = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
    begin, end = f"<!-- BEGIN {marker} -->", f"<!-- END {marker} -->"
    block = f"{begin}\nMachine: {machine}\n\n{table}\n{end}"
    if begin in text:
        text = text[: text.index(begin)] + block + text[text.index(end) + len(end):]
    else:
        text += "\n" + block + "\n"
    open(path, "w").write(text)
