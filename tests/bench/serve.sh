#!/usr/bin/env bash
# Load on `tipkg serve` against `oxigraph serve` holding the same graph (not part of
# tests/run.sh): installs wrk and the peers, builds the release binary, runs
# tests/bench/serve.py and writes tests/bench/serve.md, which BENCHMARKS.md includes.
#   BENCH_SERVE_SECONDS=5 BENCH_SERVE_RUNS=3 bash tests/bench/serve.sh [TIPKG_BINARY]
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tests/env/setup.sh
if ! command -v wrk >/dev/null; then
  echo "bench: installing wrk" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null
fi
tipkg=${1:-target/release/tipkg}
if [ $# -eq 0 ]; then
  cargo build --release --locked --bin tipkg
fi
target/test-env/venv/bin/python tests/bench/serve.py "$tipkg" target/test-env/venv/bin/oxigraph
