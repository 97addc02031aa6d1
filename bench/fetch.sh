#!/usr/bin/env bash
# Graph fetch benchmark: exauth's concurrent, throttle-aware fetch vs sequential @odata.nextLink
# paging of the same records, against the loopback fake Graph with the documented throttle
# (5 requests / 10 s) and 2-4 s per page of 1,000. SCALE divides all durations (default 10: a
# quick run of about a minute; SCALE=1 is real time). Prints both times, the ratio, the share of
# the throttle ceiling reached and whether both returned the same records exactly once.
set -euo pipefail
cd "$(dirname "$0")/.."
SCALE="${SCALE:-10}"
cargo run --quiet --release --example fetch_bench -- --scale "$SCALE" --users "${USERS:-1000}" --days "${DAYS:-7}"
