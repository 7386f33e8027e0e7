#!/usr/bin/env bash
# Installs the Debian 12 packages dikkat needs to build, test and benchmark.
# Run as root (or with sudo). Safe to run again.
set -euo pipefail
packages=(
  build-essential cmake            # compiler and build system
  libopenblas-openmp-dev           # sgemm for every matrix multiply, on OpenMP threads
  nlohmann-json3-dev               # config, tokenizer and safetensors headers
  libcli11-dev                     # command-line parsing
  libdnnl-dev                      # oneDNN: bf16 matrix multiplies for --precision bf16
  libutf8proc-dev                  # Unicode letter/number/space classes for the BPE pre-tokenizer
  libgtest-dev                     # the test suite
  libpugixml-dev                   # the tests parse the SVGs dikkat draws
  pkg-config libcpp-httplib-dev    # dikkat serve's HTTP server (with OpenSSL for base64)
  chromium                         # the web page's browser tests (driven by playwright-core)
  openmpi-bin libopenmpi-dev       # data-parallel training over several processes and machines
  iproute2                         # the multi-host MPI test's network namespaces
  python3-dev pybind11-dev         # the Python module (import dikkat)
  python3-numpy python3-pytest     # its arrays, and its tests
)
# Node.js bundles the web page at build time. Machines that already have one (NodeSource's,
# which conflicts with Debian's npm package) keep it.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  packages+=(nodejs npm)
fi
if [[ "${1:-}" == "--with-reference" ]]; then
  # Only needed to regenerate tests/fixtures or run bench/ against PyTorch.
  packages+=(python3-torch libgoogle-perftools4)  # tcmalloc: bench/pytorch_env.sh
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if (( ${#missing[@]} )); then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# The page's npm packages, exactly as web/package-lock.json pins them.
npm ci --prefix "$(dirname "$0")/../web" --no-audit --no-fund --loglevel=error
