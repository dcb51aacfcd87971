#!/usr/bin/env bash
# Sets everything up, builds the server and the web UI, and starts http://localhost:8000 with the
# embedded demo database (created on first start). Arguments are passed to pms-assistant.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh" --target pms-assistant pms-chat pms-data pms-scripted-llm
"$root/scripts/web.sh" build
exec "${PMS_BUILD_DIR:-$root/build}/bin/pms-assistant" --web-root "$root/web/dist" "$@"
