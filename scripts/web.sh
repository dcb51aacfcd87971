#!/usr/bin/env bash
# Installs the web UI's locked npm dependencies when needed and runs an npm script in web/:
#   web.sh build | test | e2e
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export PATH="$root/.tools/bin:$PATH"
cd "$root/web"
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
exec npm run --silent "$1"
