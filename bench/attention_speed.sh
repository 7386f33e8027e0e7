#!/usr/bin/env bash
# Attention op timings: an M-shaped training layer (forward + backward, with and without
# dropout) and one-query decoding over a KV cache (the general op against the KV decoder's
# per-head kernel). Compiles bench/attention_bench.cpp against the built library.
#
# usage: bench/attention_speed.sh [layer|decode]   (default: both)
# Needs build/libdikkat_core.a (cmake --build build).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BUILD:-$root/build}"
lib="$build/libdikkat_core.a"
[[ -f "$lib" ]] || { echo "attention_speed.sh: build the library first ($lib)" >&2; exit 1; }
arch="$(gcc -print-multiarch)"
"${CXX:-g++}" -std=c++20 -O3 -fopenmp -fno-trapping-math -I "$root/src" \
    -I "/usr/include/$arch/openblas-openmp" "$root/bench/attention_bench.cpp" "$lib" \
    "/usr/lib/$arch/openblas-openmp/libopenblas.so" -ldnnl -lutf8proc -o "$build/attention_bench"
"$build/attention_bench" "$@"
