#!/usr/bin/env bash
# The test command: sets up the test environment (packages, checkers, triplestores on
# 127.0.0.1), runs every test with the checkers and stores required, and stops the stores.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tests/env/setup.sh
export TIPKG_REQUIRE_CHECKERS=1
export TIPKG_PYTHON="$PWD/target/test-env/venv/bin/python"
# shellcheck source=/dev/null
source tests/env/stores.sh
start_stores
trap stop_stores EXIT
export TIPKG_REQUIRE_STORES=1
cargo test --locked --all-targets "$@"
