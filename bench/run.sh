#!/usr/bin/env bash
# Benchmark: `exauth summary` (legacy sign-ins by user x protocol) against DuckDB (read_json /
# read_csv + GROUP BY) and against the physical floor (2-thread memchr newline count), on the
# same generated files in one run; checks that exauth and DuckDB give the same counts and
# writes bench/RESULTS.md. Not run by CI, except `--smoke` (10 MB inputs, one run, report to
# bench/data/RESULTS-smoke.md), which proves the script works.
#
#   bench/run.sh            # 100 MB and 1 GB Graph NDJSON, 1 GB of each other format (< 10 min)
#   bench/run.sh --smoke    # 10 MB of each format
set -euo pipefail
cd "$(dirname "$0")/.."

smoke=0
[[ "${1:-}" == "--smoke" ]] && smoke=1

data=bench/data
mkdir -p "$data"

if ! python3 -c 'import duckdb' 2>/dev/null; then
    echo "==> installing duckdb (PyPI)"
    pip install --quiet duckdb
fi

if [[ ! -x /usr/bin/time ]]; then
    echo "==> installing GNU time (Debian package 'time': measures exauth's peak RSS)"
    { apt-get install -y -qq time >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }; } \
        || echo "    not available: peak RSS will not be reported"
fi

if (( smoke )); then
    # The smoke run only proves the script works: the debug build CI already has will do.
    echo "==> building exauth and the floor (debug, smoke run)"
    cargo build --quiet --bin exauth --example floor
    exauth=target/debug/exauth
    floor=target/debug/examples/floor
else
    echo "==> building exauth and the floor (release)"
    cargo build --release --quiet --bin exauth --example floor
    exauth=target/release/exauth
    floor=target/release/examples/floor
fi

# gen FORMAT SIZE FILE: generate once; same seed and size give the same bytes.
gen() {
    if [[ ! -s "$3" ]]; then
        echo "==> generating $3"
        "$exauth" generate --format "$1" --size "$2" --out "$3.tmp" --seed 2026
        mv "$3.tmp" "$3"
    fi
}

inputs=()
if (( smoke )); then
    runs=1
    out="$data/RESULTS-smoke.md"
    for f in graph-ndjson graph-pages portal-csv la-csv; do
        gen "$f" 10MB "$data/$f-10MB.dat"
        inputs+=("$f:$data/$f-10MB.dat")
    done
else
    runs=5
    out=bench/RESULTS.md
    gen graph-ndjson 100MB "$data/graph-ndjson-100MB.dat"
    gen graph-ndjson 1GB "$data/graph-ndjson-1GB.dat"
    inputs+=("graph-ndjson:$data/graph-ndjson-100MB.dat" "graph-ndjson:$data/graph-ndjson-1GB.dat")
    for f in graph-pages portal-csv la-csv; do
        gen "$f" 1GB "$data/$f-1GB.dat"
        inputs+=("$f:$data/$f-1GB.dat")
    done
fi

echo "==> warming the page cache"
for i in "${inputs[@]}"; do cat "${i#*:}" > /dev/null; done

echo "==> running (best of $runs interleaved rounds)"
python3 bench/compare.py --exauth "$exauth" --floor "$floor" --runs "$runs" --out "$out" "${inputs[@]}"
echo "==> wrote $out"
