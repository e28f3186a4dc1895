#!/usr/bin/env bash
# Installs what the tests need beside the Rust toolchain: Debian packages, a Python venv
# with the independent checkers (rdflib, pySHACL, Selenium for a headless Chromium) and the
# Oxigraph server, and jsonld.js.
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/../.."
env_dir=target/test-env
mkdir -p "$env_dir"

bash tests/env/build-deps.sh

packages=(curl virtuoso-opensource-7-bin raptor2-utils chromium chromium-driver)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# jsonld.js needs Node.js and npm; a Node.js from elsewhere may be there already, so ask
# Debian's only when absent.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x "$env_dir/venv/bin/python" ]; then
  python3 -m venv "$env_dir/venv"
fi
if ! "$env_dir/venv/bin/python" -c 'import rdflib, pyshacl, jsonschema, selenium, PIL, SPARQLWrapper' 2>/dev/null || [ ! -x "$env_dir/venv/bin/oxigraph" ]; then
  echo "setup: installing rdflib, pySHACL, jsonschema, SPARQLWrapper, selenium, Pillow and oxigraph into $env_dir/venv" >&2
  "$env_dir/venv/bin/python" -m pip install -q --disable-pip-version-check -r tests/env/requirements.txt
fi

if [ ! -d "$env_dir/node_modules/jsonld" ]; then
  echo "setup: installing jsonld.js into $env_dir" >&2
  cp tests/env/package.json "$env_dir/package.json"
  (cd "$env_dir" && npm install --silent --no-audit --no-fund >/dev/null)
fi
