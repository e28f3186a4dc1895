#!/usr/bin/env bash
# The benchmarks (not part of tests/run.sh): installs the peers (the oxigraph CLI and
# rdflib in the test venv, rapper from raptor2-utils, the Oxigraph server and Virtuoso for
# the push rows), builds the release binaries, runs tipkg against each peer and rewrites
# BENCHMARKS.md at the repository root.
#   BENCH_RUNS=5 BENCH_SIZES=100000,1000000,5000000 bash tests/bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tests/env/setup.sh
cargo build --release --locked --bin tipkg --example floor
# shellcheck source=/dev/null
source tests/env/stores.sh
start_stores
trap stop_stores EXIT
target/test-env/venv/bin/python tests/bench/bench.py
