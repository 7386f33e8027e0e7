#!/usr/bin/env bash
# Generation speed, batch 1: dikkat (KV cache, one GEMV per weight per token) against PyTorch
# generating without a KV cache (the plain loop: the whole window runs again for each token),
# for config M (the shakespeare-char shape) and the gpt2-small shape, random weights, same
# threads; plus the memory-bandwidth bound (weights bytes read per token / triad bandwidth).
#
# usage: bench/generate_speed.sh [--threads T] [--tokens N]
# Needs build/dikkat and /usr/bin/python3 with torch
# (bash scripts/install-deps.sh --with-reference).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dikkat="${DIKKAT:-$root/build/dikkat}"
threads="$(nproc)"
tokens=64
while [[ $# -gt 0 ]]; do
    case "$1" in
        --threads) threads="${2:?}"; shift 2 ;;
        --tokens)  tokens="${2:?}"; shift 2 ;;
        *) echo "generate_speed.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[[ -x "$dikkat" ]] || { echo "generate_speed.sh: build dikkat first ($dikkat)" >&2; exit 1; }

printf '%-18s %14s %14s %9s %14s %10s\n' config "dikkat tok/s" "PyTorch tok/s" ratio "bound tok/s" "of bound"
for preset in shakespeare-char gpt2-small; do
    config="$("$dikkat" info --preset "$preset" --json | /usr/bin/python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)["model"]))')"
    ours="$("$dikkat" generate --benchmark --preset "$preset" --tokens "$tokens" --threads "$threads" --json)"
    theirs="$(/usr/bin/python3 "$root/bench/pytorch_generate.py" --config "$config" --tokens 16 --threads "$threads" | tail -1)"
    /usr/bin/python3 - "$preset" "$ours" "$theirs" <<'PY'
import json, sys
preset, ours, theirs = sys.argv[1], json.loads(sys.argv[2]), dict(kv.split("=") for kv in sys.argv[3].split()[1:])
rate = ours["generated_tokens_per_s"]
base = float(theirs["generated_tokens_per_s"])
bound = float(theirs["bandwidth_gb_per_s"]) * 1e9 / (4 * ours["parameters"])
print(f"{preset:<18} {rate:14.1f} {base:14.2f} {rate / base:8.1f}x {bound:14.1f} {rate / bound:9.0%}")
PY
done
echo "(threads $threads; dikkat: best of 3 after a warm-up; bound: triad bandwidth / fp32 weight bytes)"
