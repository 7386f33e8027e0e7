#!/usr/bin/env bash
# The optional sanitizer job: the whole test suite built with AddressSanitizer and
# UndefinedBehaviorSanitizer, then a short run of every fuzz target (about 30 s each).
# Takes about 15 minutes on 2 cores, so it is not part of .ci/run; run it before a release or
# after touching a loader.
#
# usage: scripts/sanitizer-job.sh [--fuzz-seconds N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds=30
[[ "${1:-}" == "--fuzz-seconds" ]] && seconds="${2:?}"
bash "$root/scripts/install-deps.sh"
cmake -S "$root" -B "$root/build-asan" -DDIKKAT_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$root/build-asan" -j"$(nproc)"
ASAN_OPTIONS=detect_leaks=1 ctest --test-dir "$root/build-asan" --output-on-failure
bash "$root/fuzz/run.sh" --seconds "$seconds"
