#!/usr/bin/env bash
# Builds everything with clang, AddressSanitizer + UndefinedBehaviorSanitizer and libFuzzer
# instrumentation into build-sanitized/ (the fuzz targets become real fuzzers there).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
PMS_BUILD_DIR="$root/build-sanitized" PMS_BUILD_TYPE=RelWithDebInfo \
PMS_CMAKE_ARGS="-DCMAKE_CXX_COMPILER=clang++-14 -DPMS_SANITIZE=ON -DPMS_FUZZ=ON" \
  exec "$root/scripts/build.sh" "$@"
