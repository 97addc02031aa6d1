#!/usr/bin/env bash
# Fleet benchmark: scan N generated .reg files (default 10,000) with `exauth registry fleet`,
# against the physical floor (reading the same bytes with cat) in the same run.
# Goal: 10,000 files in under 5 s on this machine. Usage: bash bench/fleet.sh [COUNT] [--no-gate]
# (--no-gate: report the figure without failing on it; CI uses it on a small fleet to prove the
# script works without turning a shared, busy machine's timing into a flaky test).
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-10000}"
gate=1
[ "${2:-}" = "--no-gate" ] && gate=0
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cargo build --release --quiet --bin exauth --example gen_fleet
target/release/examples/gen_fleet "$work/fleet" "$count"
bytes=$(du -sb "$work/fleet" | cut -f1)
now() { date +%s.%N; }
# Warm the page cache once so both measurements read from memory.
find "$work/fleet" -type f -exec cat {} + > /dev/null
t0=$(now); find "$work/fleet" -type f -exec cat {} + > /dev/null; t1=$(now)
set +e
target/release/exauth registry fleet "$work/fleet" --format csv --quiet > "$work/rows.csv" 2> "$work/stderr.txt"
rc=$?
set -e
t2=$(now)
rows=$(($(wc -l < "$work/rows.csv") - 1))
printf 'files: %d (%.1f MB), rows (machine/profile): %d, exit code: %d (1 = some files had problems)\n' \
  "$count" "$(awk -v b="$bytes" 'BEGIN{print b/1e6}')" "$rows" "$rc"
tail -n 1 "$work/stderr.txt"
awk -v t0="$t0" -v t1="$t1" -v t2="$t2" -v n="$count" -v gate="$gate" 'BEGIN {
  floor = t1 - t0; scan = t2 - t1
  printf "read floor (cat): %.2f s\nexauth registry fleet: %.2f s (%.0f files/s, %.1fx the floor)\n", floor, scan, n / scan, scan / floor
  if (!gate) { print "(timing not gated)" } else if (scan < 5) { print "PASS: under 5 s" } else { print "FAIL: 5 s goal missed"; exit 1 }
}'
