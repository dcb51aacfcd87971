#!/usr/bin/env bash
# Configures and builds into build/ (ccache-aware, Ninja). Extra arguments go to `cmake --build`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="${PMS_BUILD_DIR:-$root/build}"
jobs="${PMS_BUILD_JOBS:-$(nproc)}"
# Paths relative to the checkout in ccache's keys: another clone (CI's) reuses this one's objects.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$root}" CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-1}"
if [[ ! -f "$build/build.ninja" ]]; then
  # shellcheck disable=SC2086 # PMS_CMAKE_ARGS is a list of -D options
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE="${PMS_BUILD_TYPE:-RelWithDebInfo}" ${PMS_CMAKE_ARGS:-}
fi
cmake --build "$build" -j "$jobs" "$@"
