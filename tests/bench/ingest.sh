#!/usr/bin/env bash
# Throughput of `tipkg ingest`: the corpus's items repeated to 1 MB and to 4 MB of text,
# matched against the names of generated data (165,000 records: about 100,000 names with
# the countries'). The time of the text is the time of a run minus that of a run on a
# three-line item with the same data (reading the records and building the automaton).
# The same three-line item with the names read from an on-disk store of the same data
# (`--store`, built once beforehand) gives the fixed cost with a store.
# Usage: bash tests/bench/ingest.sh [TIPKG_BINARY]   (default target/release/tipkg)
set -euo pipefail
tipkg=${1:-target/release/tipkg}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$tipkg" generate --records 165000 -o "$work/data" -q
"$tipkg" build --data "$work/data" --store "$work/store" -q
for _ in $(seq 1 40); do cat tests/ingest/corpus/*.txt tests/ingest/heldout/*.txt; done > "$work/base.txt"
while [ "$(stat -c %s "$work/base.txt")" -lt 4194304 ]; do
  cat "$work/base.txt" "$work/base.txt" > "$work/twice.txt"; mv "$work/twice.txt" "$work/base.txt"
done
head -c 1048576 "$work/base.txt" > "$work/1mb.txt"
head -c 4194304 "$work/base.txt" > "$work/4mb.txt"
head -n 3 tests/ingest/corpus/01-istac-briefing.txt > "$work/small.txt"
# CPU time (user + system) of one run, which the load of other processes changes less
# than the elapsed time; the names from the data (--data DIR) or a store (--store DIR).
seconds() {
  /usr/bin/time -f "%U %S" -o "$work/time" \
    "$tipkg" ingest "$1" "$2" "$3" --published 2024-01-01 --retrieved 2026-12-01 -q > /dev/null
  awk '{print $1 + $2}' "$work/time"
}
for names in "--data $work/data" "--store $work/store"; do
  # shellcheck disable=SC2086
  "$tipkg" ingest "$work/small.txt" $names --retrieved 2026-12-01 2>&1 >/dev/null | head -1 || true
done
for run in ${RUNS:-1 2 3}; do
  small=$(seconds "$work/small.txt" --data "$work/data")
  stored=$(seconds "$work/small.txt" --store "$work/store")
  one=$(seconds "$work/1mb.txt" --data "$work/data"); four=$(seconds "$work/4mb.txt" --data "$work/data")
  echo "run $run (CPU seconds): names from the records $small; names from the store $stored; 1 MB of text $(echo "$one - $small" | bc); 4 MB of text $(echo "$four - $small" | bc)"
done
