#!/usr/bin/env bash
# Sets everything up, builds, and runs the whole test suite: C++ (CTest), the web UI's unit tests
# (Vitest), and the browser end-to-end tests (Chromium driven by playwright-core).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="${PMS_BUILD_DIR:-$root/build}"
"$root/scripts/setup.sh" --browser
"$root/scripts/build.sh"
(cd "$build" && ctest --output-on-failure -j "$(nproc)" --timeout 300 "$@")
"$root/scripts/web.sh" test
"$root/scripts/web.sh" build
PMS_BIN_DIR="$build/bin" "$root/scripts/web.sh" e2e
