#!/usr/bin/env bash
# The MCP end-to-end tests with the official TypeScript SDK client: installs the locked SDK when
# needed and runs them against PMS_BIN_DIR's pms-assistant (default: build/bin).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
export PATH="$root/.tools/bin:$PATH"
if [[ -n "${PMS_BIN_DIR:-}" ]]; then PMS_BIN_DIR=$(cd "$PMS_BIN_DIR" && pwd); export PMS_BIN_DIR; fi  # before leaving the caller's directory
cd "$here"
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
exec node --test --test-reporter=spec
