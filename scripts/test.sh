#!/usr/bin/env bash
# Sets everything up, builds, and runs the whole test suite: C++ (CTest), the MCP server with the
# official MCP SDK client, the web UI's unit tests
# (Vitest), the browser end-to-end tests (Chromium driven by playwright-core), then the C++ suite
# again built with clang, AddressSanitizer + UndefinedBehaviorSanitizer, and the fuzz targets as
# real libFuzzer fuzzers. Arguments go to both ctest runs (e.g. -R Chat).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="${PMS_BUILD_DIR:-$root/build}"
"$root/scripts/setup.sh" --test
"$root/scripts/build.sh"
(cd "$build" && ctest --output-on-failure -j "$(nproc)" --timeout 300 "$@")
PMS_BIN_DIR="$build/bin" "$root/tests/mcp/sdk-e2e/run.sh"  # MCP over stdio and HTTP with the official TypeScript SDK client
"$root/scripts/web.sh" test
"$root/scripts/web.sh" build
PMS_BIN_DIR="$build/bin" "$root/scripts/web.sh" e2e

if [[ "${PMS_SKIP_SANITIZERS:-}" != 1 ]]; then
  "$root/scripts/build-sanitized.sh"
  (cd "$root/build-sanitized" &&
     ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1 UBSAN_OPTIONS=print_stacktrace=1 \
     ctest --output-on-failure -j "$(nproc)" --timeout 600 "$@")
fi
