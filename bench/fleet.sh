#!/usr/bin/env bash
# Fleet benchmark: scan N generated .reg files (default 10,000) with `exauth registry fleet`,
# against the physical floor (reading the same bytes with cat) in the same run.
# Goal: 10,000 files in under 5 s on this machine. Usage: bash bench/fleet.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-10000}"
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
floor=$(echo "$t1 - $t0" | bc -l); scan=$(echo "$t2 - $t1" | bc -l)
printf 'files: %d (%.1f MB), rows (machine/profile): %d, exit code: %d (1 = some files had problems)\n' \
  "$count" "$(echo "$bytes / 1000000" | bc -l)" "$rows" "$rc"
tail -n 1 "$work/stderr.txt"
printf 'read floor (cat): %.2f s\nexauth registry fleet: %.2f s (%.0f files/s, %.1fx the floor)\n' \
  "$floor" "$scan" "$(echo "$count / $scan" | bc -l)" "$(echo "$scan / $floor" | bc -l)"
if (( $(echo "$scan < 5" | bc -l) )); then echo "PASS: under 5 s"; else echo "FAIL: 5 s goal missed"; exit 1; fi
