#!/usr/bin/env bash
# Runs one fuzz target for longer than the test suite does, keeping what it finds:
#   scripts/fuzz.sh query 600          # 10 minutes; targets: client_message tagged_text
#                                      # ollama_stream openai_stream query question
# New interesting inputs go to build-sanitized/fuzz/<target>/; a crash is saved as
# build-sanitized/fuzz/artifacts/<target>-crash-*. Copy a crash into tests/fuzz/corpus/<target>/
# with the fix, so every later test run replays it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target="${1:?usage: scripts/fuzz.sh TARGET [SECONDS]}"
seconds="${2:-300}"
"$root/scripts/setup.sh" --test
"$root/scripts/build-sanitized.sh" --target "fuzz_$target"
out="$root/build-sanitized/fuzz"
mkdir -p "$out/$target" "$out/artifacts"
exec "$root/build-sanitized/bin/fuzz_$target" -max_total_time="$seconds" -max_len=4096 -timeout=10 \
  -artifact_prefix="$out/artifacts/$target-" "$out/$target" "$root/tests/fuzz/corpus/$target"
