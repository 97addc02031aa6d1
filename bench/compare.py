#!/usr/bin/env python3
"""Benchmark driver behind bench/run.sh: times `exauth summary` against DuckDB and the memchr
floor on the same files in one run, checks that exauth and DuckDB give the same rows, measures
peak RSS, and writes a Markdown report.

Usage: compare.py --exauth BIN --floor BIN --out REPORT.md [--runs N] FORMAT:FILE ...
FORMAT is graph-ndjson, graph-pages, portal-csv or la-csv. Exit status 1 when the
graph-ndjson rows of exauth and DuckDB differ (the other formats' readers may be missing: a
mismatch there is reported, not fatal).
"""
import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time

import duckdb

MODERN = "('browser', 'mobile apps and desktop clients')"

# The same classification and measures as `exauth summary` (legacy only, by user x protocol):
# legacy = trimmed, lower-cased clientAppUsed not modern and not empty; succeeded = error code 0.
MEASURES = """
    count(*) AS total,
    count(*) FILTER (WHERE code = 0) AS succeeded,
    count(*) FILTER (WHERE code <> 0) AS failed,
    min(t) AS first_seen,
    max(t) AS last_seen,
    count(DISTINCT ip) AS distinct_ips
"""


def sql_for(fmt, path):
    if fmt == "graph-ndjson":
        src = f"""SELECT userPrincipalName AS upn, clientAppUsed AS app, status.errorCode AS code,
                  createdDateTime::TIMESTAMP AS t, ipAddress AS ip
                  FROM read_json('{path}', format = 'newline_delimited')"""
    elif fmt == "graph-pages":
        src = f"""SELECT r.userPrincipalName AS upn, r.clientAppUsed AS app, r.status.errorCode AS code,
                  r.createdDateTime::TIMESTAMP AS t, r.ipAddress AS ip
                  FROM (SELECT unnest(value) AS r
                        FROM read_json('{path}', format = 'newline_delimited', maximum_object_size = 268435456))"""
    elif fmt == "portal-csv":
        src = f"""SELECT "Username" AS upn, "Client app" AS app, "Sign-in error code"::BIGINT AS code,
                  "Date (UTC)"::TIMESTAMP AS t, "IP address" AS ip
                  FROM read_csv('{path}', header = true, all_varchar = true)"""
    elif fmt == "la-csv":
        src = f"""SELECT UserPrincipalName AS upn, ClientAppUsed AS app, ResultType::BIGINT AS code,
                  strptime("CreatedDateTime [UTC]", '%m/%d/%Y, %I:%M:%S.%g %p') AS t, IPAddress AS ip
                  FROM read_csv('{path}', header = true, all_varchar = true)"""
    else:
        raise SystemExit(f"unknown format {fmt}")
    return f"""
        SELECT lower(upn) AS upn, lower(trim(app)) AS app, {MEASURES}
        FROM ({src})
        WHERE trim(coalesce(app, '')) <> '' AND lower(trim(app)) NOT IN {MODERN}
        GROUP BY ALL
    """


def epoch_ms(v):
    if v is None:
        return None
    if isinstance(v, str):
        v = dt.datetime.fromisoformat(v.replace("Z", "+00:00")).replace(tzinfo=None)
    return round(v.replace(tzinfo=None).timestamp() * 1000) if v.tzinfo is None else round(v.timestamp() * 1000)


def duckdb_rows(fmt, path):
    """Run the DuckDB query; returns (rows, wall seconds, CPU seconds of all its threads)."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    c0, t0 = time.process_time(), time.perf_counter()
    rows = con.execute(sql_for(fmt, path)).fetchall()
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    out = {}
    for upn, app, total, ok, failed, first, last, ips in rows:
        out[(upn, app)] = (total, ok, failed, epoch_ms(first), epoch_ms(last), ips)
    return out, seconds, cpu


TIME = "/usr/bin/time"


def exauth_rows(exauth, path):
    """Run `exauth summary --format json`; returns (rows, wall seconds, CPU seconds (user +
    system), peak RSS KiB or None, exit code, stderr).

    The peak RSS comes from GNU time (`%M`), which fork()s exauth from its own small process:
    the rusage of a child this (large) Python process spawns would report Python's own peak
    too, because Linux carries the pre-exec address space's high-water mark into ru_maxrss.
    """
    cmd = [exauth, "--quiet", "summary", path, "--format", "json"]
    have_time = os.access(TIME, os.X_OK)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(mode="r") as rss_file:
        if have_time:
            cmd = [TIME, "-f", "%M", "-o", rss_file.name] + cmd
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=out, stderr=err)
        _, status, ru = os.wait4(p.pid, 0)
        seconds = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read().decode(errors="replace")
        rss = None
        if have_time:
            try:
                rss = int(rss_file.read().strip().splitlines()[-1])
            except (ValueError, IndexError):
                rss = None
    rows = {}
    try:
        for r in json.loads(stdout or b"[]"):
            key = (r["userPrincipalName"].lower(), r["clientAppUsed"].lower())
            rows[key] = (r["total"], r["succeeded"], r["failed"], epoch_ms(r["firstSeen"]),
                         epoch_ms(r["lastSeen"]), r["distinctIpCount"])
    except (ValueError, KeyError) as e:
        rows = {"error": str(e)}
    # wait4 reports the child and the children it reaped: GNU time's CPU plus exauth's.
    return rows, seconds, ru.ru_utime + ru.ru_stime, rss, p.returncode, stderr


def floor(floor_bin, path):
    """Run the floor once; returns (lines, in-process seconds, end-to-end seconds).

    In-process: what the floor times itself, from opening the file to the last newline counted
    (no process start, no exit, no unmapping of the 1 GB it leaves mapped). End to end: the
    process timed from outside exactly as exauth is (same GNU time wrapper, start to exit).
    """
    cmd = [floor_bin, path, "2"]
    if os.access(TIME, os.X_OK):
        cmd = [TIME, "-f", "%M", "-o", os.devnull] + cmd
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t0
    kv = dict(x.split("=") for x in p.stdout.split())
    return int(kv["lines"]), float(kv["seconds"]), wall


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--exauth", required=True)
    ap.add_argument("--floor", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("inputs", nargs="+")
    a = ap.parse_args()

    lines = []
    fatal = False
    cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"],
                         capture_output=True, text=True).stdout.strip()
    lines.append(f"Run {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores ({cpu}), "
                 f"DuckDB {duckdb.__version__}, best of {a.runs} interleaved rounds, page cache warm. "
                 "exauth: `exauth summary FILE --format json` end to end (process start, read, summarise, "
                 "print); DuckDB: the query alone inside Python (its import and start not counted); "
                 "floor: 2-thread memchr newline count over the mmapped file (`examples/floor.rs`), "
                 "timed in-process (its own clock: no process start or exit) and end to end (from outside, "
                 "the way exauth is timed).")
    lines.append("")
    lines.append("| format | file | size | exauth s | exauth GB/s | DuckDB s | DuckDB / exauth "
                 "| floor s in-process | floor s end to end | exauth / floor speed, in-process | end to end "
                 "| exauth CPU s | DuckDB CPU s | DuckDB / exauth CPU | exauth peak RSS | groups | same counts |")
    lines.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for spec in a.inputs:
        fmt, path = spec.split(":", 1)
        size = os.path.getsize(path)
        # Interleaved rounds (exauth, DuckDB, floor, then again), best of the rounds for each:
        # a slow spell of this shared machine then hits every side alike instead of one.
        with_floor = fmt in ("graph-ndjson", "graph-pages")
        runs, druns, floors = [], [], []
        for _ in range(a.runs):
            runs.append(exauth_rows(a.exauth, path))
            druns.append(duckdb_rows(fmt, path))
            if with_floor:
                floors.append(floor(a.floor, path))
        ours, our_s, _, _, code, err = min(runs, key=lambda r: r[1])
        our_cpu = min(r[2] for r in runs)
        rss_values = [r[3] for r in runs if r[3] is not None]
        rss_cell = f"{max(rss_values) / 1024:.1f} MiB" if rss_values else "n/a (no /usr/bin/time)"
        duck, duck_s, _ = min(druns, key=lambda r: r[1])
        duck_cpu = min(r[2] for r in druns)
        if with_floor:
            inproc, e2e = min(f[1] for f in floors), min(f[2] for f in floors)
            floor_cells = (f"{inproc:.3f}", f"{e2e:.3f}", f"{inproc / our_s:.2f}", f"{e2e / our_s:.2f}")
        else:
            floor_cells = ("", "", "", "")
        same = ours == duck
        if not same:
            missing = len(set(duck) - set(ours)) if isinstance(ours, dict) else "?"
            note = f"NO ({len(ours)} vs {len(duck)} rows, {missing} DuckDB groups missing; exit {code})"
            if fmt == "graph-ndjson":
                fatal = True
            else:
                note += " - reader missing or incomplete?"
            tail = "\n".join(err.strip().splitlines()[-3:])
            sys.stderr.write(f"{spec}: exauth and DuckDB differ; exauth said:\n{tail}\n")
        else:
            note = "yes"
        lines.append(
            f"| {fmt} | {os.path.basename(path)} | {size / 1e6:.0f} MB | {our_s:.3f} | {size / our_s / 1e9:.2f} "
            f"| {duck_s:.3f} | {duck_s / our_s:.1f}x | {floor_cells[0]} | {floor_cells[1]} | {floor_cells[2]} "
            f"| {floor_cells[3]} "
            f"| {our_cpu:.3f} | {duck_cpu:.3f} | {duck_cpu / max(our_cpu, 1e-6):.1f}x "
            f"| {rss_cell} | {len(duck)} | {note} |")
        print(lines[-1], flush=True)
    load = open("/proc/loadavg").read().split()[:3]
    lines.append("")
    lines.append(f"Load average at the end of the run: {' '.join(load)} (on {os.cpu_count()} cores). Other jobs "
                 "share this machine, so wall times are upper bounds; CPU seconds are less sensitive to that.")
    with open(a.out, "w") as f:
        f.write("\n".join(lines) + "\n")
    return 1 if fatal else 0


if __name__ == "__main__":
    sys.exit(main())
