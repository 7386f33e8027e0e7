#!/usr/bin/env bash
# dikkat against PyTorch, side by side in one run: training tokens/s (median of the steps after
# the warm-up), MFU against the matmul peak measured here, peak RSS, and the ratios, for
#   S: 4 layers, 4 heads, 128 wide, context 64, batch 32 (shakespeare-cpu shape)
#   M: 6 layers, 6 heads, 384 wide, context 256, batch 8 (shakespeare-char shape)
# in fp32 (PyTorch with OMP_WAIT_POLICY=PASSIVE, its fastest) and bf16 (dikkat --precision bf16,
# PyTorch's bf16 autocast), then generation (bench/generate_speed.sh). Runs alternate: dikkat
# fp32 and bf16, PyTorch fp32 and bf16, dikkat fp32 and bf16 again, so drifts in machine speed
# hit both sides.
#
# usage: bench/speed.sh [--steps N] [--threads T] [--write]   (--write: also bench/RESULTS.md)
# Needs build/dikkat, /usr/bin/time, and python3 with torch (scripts/install-deps.sh --with-reference).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py=/usr/bin/python3
dikkat="${DIKKAT:-$root/build/dikkat}"
data="$root/../shared/data/tinyshakespeare.txt"
steps=25
skip=5
threads="$(nproc)"
write=0
while [[ $# -gt 0 ]]; do
    case "$1" in
        --steps)   steps="${2:?}"; shift 2 ;;
        --threads) threads="${2:?}"; shift 2 ;;
        --write)   write=1; shift ;;
        *) echo "speed.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[[ -x "$dikkat" ]] || { echo "speed.sh: build dikkat first ($dikkat)" >&2; exit 1; }
[[ -f "$data" ]] || { echo "speed.sh: $data not found" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

median_rate() {  # metrics.jsonl -> median tokens_per_s after the warm-up steps
    "$py" -c 'import json,statistics,sys
rows=[json.loads(l) for l in open(sys.argv[1]) if "tokens_per_s" in l]
print(statistics.median(r["tokens_per_s"] for r in rows[int(sys.argv[2]):]))' "$1" "$skip"
}

# dikkat <name> <preset> <batch> fp32|bf16 -> "tokens_per_s peak_rss_kb"
run_dikkat() {
    local out="$tmp/$1"
    /usr/bin/time -f %M -o "$tmp/$1.rss" "$dikkat" train --preset "$2" --batch-size "$3" \
        --precision "$4" --data "$data" --out "$out" --steps "$steps" --threads "$threads" \
        --eval-every 0 --log-every 1 --eval-batches 1 --sample-tokens 0 --quiet >&2
    echo "$(median_rate "$out/metrics.jsonl") $(cat "$tmp/$1.rss")"
}

# pytorch <name> <preset> <batch> fp32|bf16 -> "tokens_per_s peak_rss_kb"
run_pytorch() {
    local json; json="$("$dikkat" info --preset "$2" --json)"
    local env=(OMP_WAIT_POLICY=PASSIVE) extra=()
    [[ "$4" == bf16 ]] && env=() && extra=(--bf16)
    local line
    line="$(env "${env[@]}" /usr/bin/time -f %M -o "$tmp/$1.rss" "$py" "$root/bench/pytorch_train.py" \
        --data "$data" --preset-json "$json" --batch "$3" --steps "$steps" --threads "$threads" \
        --warmup-steps "$skip" "${extra[@]}" | tail -n 1)"
    echo "$(sed -n 's/^pytorch tokens_per_s=\([0-9.]*\) .*/\1/p' <<<"$line") $(cat "$tmp/$1.rss")"
}

peak="$("$py" "$root/bench/peak_flops.py" --threads "$threads")"
fp32_peak="$(sed -n 's/.*fp32_gflops=\([0-9.]*\).*/\1/p' <<<"$peak")"
bf16_peak="$(sed -n 's/.*bf16_gflops=\([0-9.]*\).*/\1/p' <<<"$peak")"

results="$tmp/results"
for cfg in "S shakespeare-cpu 32" "M shakespeare-char 8"; do
    read -r name preset batch <<<"$cfg"
    echo "config $name: dikkat fp32, bf16, PyTorch fp32, bf16, dikkat fp32, bf16 ..." >&2
    d1="$(run_dikkat "${name}1" "$preset" "$batch" fp32)"
    b1="$(run_dikkat "${name}b1" "$preset" "$batch" bf16)"
    p32="$(run_pytorch "${name}p32" "$preset" "$batch" fp32)"
    p16="$(run_pytorch "${name}p16" "$preset" "$batch" bf16)"
    d2="$(run_dikkat "${name}2" "$preset" "$batch" fp32)"
    b2="$(run_dikkat "${name}b2" "$preset" "$batch" bf16)"
    info="$("$dikkat" info --preset "$preset" --json)"
    echo "$name $batch $d1 $d2 $b1 $b2 $p32 $p16 $info" >>"$results"
done

table="$("$py" - "$results" "$fp32_peak" "$bf16_peak" "$threads" "$steps" <<'PY'
import json, sys
path, fp32_peak, bf16_peak, threads, steps = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4], sys.argv[5]
print(f"Matmul peak measured here ({threads} threads): fp32 {fp32_peak:.0f} GFLOP/s, bf16 {bf16_peak:.0f} GFLOP/s.")
print(f"Training: median tokens/s of steps 6..{steps}; MFU = tokens/s x (6 params + 12 layers width context) / peak.\n")
print("| config | run | tokens/s | MFU | peak RSS (MB) | dikkat / this |")
print("|---|---|---:|---:|---:|---:|")
for line in open(path):
    f = line.split(maxsplit=14)
    name, batch = f[0], f[1]
    runs = [(float(f[i]), int(f[i + 1])) for i in range(2, 14, 2)]
    d, b, p32, p16 = runs[0:2], runs[2:4], runs[4], runs[5]
    info = json.loads(f[14])
    m = info["model"]
    flops = 6 * info["parameters"] + 12 * m["n_layer"] * m["n_embd"] * m["context"]
    label = f"{name} ({m['n_layer']}x{m['n_head']}x{m['n_embd']}, ctx {m['context']}, batch {batch})"
    for precision, pair, peak, peer in (("fp32", d, fp32_peak, p32), ("bf16", b, bf16_peak, p16)):
        rate = sum(r for r, _ in pair) / 2
        rss = max(k for _, k in pair)
        peer_name = "PyTorch fp32" if precision == "fp32" else "PyTorch bf16 autocast"
        print(f"| {label} | dikkat {precision} | {rate:,.0f} ({pair[0][0]:,.0f}, {pair[1][0]:,.0f}) | {rate * flops / peak / 1e9:.0%} | {rss / 1024:.0f} | |")
        print(f"| | {peer_name} | {peer[0]:,.0f} | {peer[0] * flops / peak / 1e9:.0%} | {peer[1] / 1024:.0f} | {rate / peer[0]:.2f}x |")
        label = ""
PY
)"
echo "$table"
echo
generation="$(bash "$root/bench/generate_speed.sh" --threads "$threads")"
echo "$generation"

if (( write )); then
    cpu="$(grep -m1 -i '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    {
        echo "# Benchmark results"
        echo
        echo "\`bench/speed.sh --write\` on $(date -u +%Y-%m-%d): $cpu, $(nproc) cores, $threads threads,"
        echo "$("$py" -c 'import torch; print("PyTorch", torch.__version__)') from Debian. Ratios come from one run; absolute"
        echo "figures on these shared machines move by 10-30% between runs."
        echo
        echo "## Training"
        echo
        echo "$table"
        echo
        echo "## Generation (batch 1, random weights)"
        echo
        echo '```'
        echo "$generation"
        echo '```'
    } >"$root/bench/RESULTS.md"
    echo "wrote bench/RESULTS.md" >&2
fi
