#!/usr/bin/env bash
# Training-throughput comparison: dikkat vs. the PyTorch reference, same model
# (the shakespeare-cpu preset), same data, same thread count.
#
# usage: bench/train_speed.sh [--steps N] [--threads T] [--data FILE]
#   --steps N    training steps per run (default 60)
#   --threads T  worker threads for both trainers (default: nproc)
#   --data FILE  text file (default: ../shared/data/tinyshakespeare.txt,
#                relative to the repository root)
#
# Needs build/dikkat (build it first) and /usr/bin/python3 with torch.
# Runs dikkat, PyTorch, then dikkat again: alternating spreads slow drifts in
# machine speed (thermal, noisy neighbours) over both sides.
# The environment variable DIKKAT overrides the binary (default build/dikkat).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py=/usr/bin/python3
dikkat="${DIKKAT:-$root/build/dikkat}"
steps=60
threads="$(nproc)"
data="$root/../shared/data/tinyshakespeare.txt"
skip=5  # leading steps left out of the medians (allocation, cache warm-up)

usage() { sed -n '5,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --steps)   steps="${2:?--steps needs a value}"; shift 2 ;;
        --threads) threads="${2:?--threads needs a value}"; shift 2 ;;
        --data)    data="${2:?--data needs a value}"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "train_speed.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done

if [[ ! -x "$dikkat" ]]; then
    echo "train_speed.sh: $dikkat not found (or not executable); build dikkat first." >&2
    exit 1
fi
if [[ ! -f "$data" ]]; then
    echo "train_speed.sh: data file $data not found" >&2
    exit 1
fi
if (( steps <= skip )); then
    echo "train_speed.sh: --steps must be larger than $skip" >&2
    exit 1
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Median tokens_per_s of a metrics.jsonl, ignoring the first $skip steps.
median_tokens_per_s() {
    "$py" - "$1" "$skip" <<'EOF'
import json, statistics, sys
path, skip = sys.argv[1], int(sys.argv[2])
rows = []
with open(path) as f:
    for line in f:
        line = line.strip()
        if line:
            r = json.loads(line)
            if "tokens_per_s" in r:
                rows.append(r)
rows.sort(key=lambda r: r["step"])
rates = [r["tokens_per_s"] for r in rows[skip:]]
if not rates:
    sys.exit(f"{path}: no tokens_per_s after the first {skip} steps")
print(statistics.median(rates))
EOF
}

# One dikkat run into a fresh --out folder; prints its median tokens/s.
run_dikkat() {
    local out="$tmp/run$1"  # must not exist yet
    "$dikkat" train --preset shakespeare-cpu --data "$data" --out "$out" \
        --steps "$steps" --threads "$threads" --eval-every 0 --log-every 1 \
        --seed 1337 --quiet >&2
    median_tokens_per_s "$out/metrics.jsonl"
}

echo "dikkat run 1/2 ..." >&2
d1="$(run_dikkat 1)"
echo "pytorch run ..." >&2
pt_line="$(OMP_WAIT_POLICY=PASSIVE "$py" "$root/bench/pytorch_train.py" \
    --data "$data" --steps "$steps" --threads "$threads" --warmup-steps "$skip" | tail -n 1)"
pt="$(sed -n 's/^pytorch tokens_per_s=\([0-9.eE+-]*\) .*/\1/p' <<<"$pt_line")"
if [[ -z "$pt" ]]; then
    echo "train_speed.sh: could not parse PyTorch output: $pt_line" >&2
    exit 1
fi
echo "dikkat run 2/2 ..." >&2
d2="$(run_dikkat 2)"

cpu="$(grep -m1 -i '^model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)"
[[ -n "$cpu" ]] || cpu="unknown"

"$py" - "$d1" "$d2" "$pt" "$threads" "$steps" "$cpu" <<'EOF'
import sys
d1, d2, pt = map(float, sys.argv[1:4])
threads, steps, cpu = sys.argv[4:7]
dk = (d1 + d2) / 2
print(f"{'dikkat tokens/s':<18}{dk:>12.0f}   (runs: {d1:.0f}, {d2:.0f})")
print(f"{'PyTorch tokens/s':<18}{pt:>12.0f}")
print(f"{'dikkat/PyTorch':<18}{dk / pt:>12.2f}")
print(f"{'threads':<18}{threads:>12}")
print(f"{'steps':<18}{steps:>12}")
print(f"{'cpu':<18}{cpu}")
EOF
