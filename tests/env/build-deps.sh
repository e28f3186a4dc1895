#!/usr/bin/env bash
# Installs what building tipkg needs beyond the Rust toolchain: a C++ compiler and libclang,
# for the RocksDB of the on-disk store (the default `rocksdb` cargo feature). Debian or
# Ubuntu; uses sudo when not run as root. Idempotent: a second run only checks.
set -euo pipefail
packages=(g++ libclang-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "build-deps: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >/dev/null
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
