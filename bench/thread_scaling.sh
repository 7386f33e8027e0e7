#!/usr/bin/env bash
# How training speed grows with threads: tokens/s with --threads 1 and --threads 2 (alternating,
# so drifts in the machine's speed hit both), median of the steps after the warm-up, and the
# ratio, for the M GPT (shakespeare-char's shape, batch 8), nmt-small and rnn-small.
#
# usage: bench/thread_scaling.sh [--rounds R] [--steps N] [--only NAME] [--profile]
#   --rounds R   runs of each setting (default 2)
#   --steps N    training steps per run (default 12; the first 4 are warm-up)
#   --only NAME  one workload: gpt-m, nmt-small or rnn-small
#   --profile    also print dikkat's --profile table of each run (time per op class)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dikkat="${DIKKAT:-$root/build/dikkat}"
data="$root/../shared/data"
rounds=2
steps=12
skip=4
only=""
profile=()
usage() { sed -n '6,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds)  rounds="${2:?--rounds needs a value}"; shift 2 ;;
        --steps)   steps="${2:?--steps needs a value}"; shift 2 ;;
        --only)    only="${2:?--only needs a workload}"; shift 2 ;;
        --profile) profile=(--profile); shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "thread_scaling.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
for v in rounds steps; do
    [[ "${!v}" =~ ^[1-9][0-9]*$ ]] ||
        { echo "thread_scaling.sh: --$v must be a positive whole number, not '${!v}'" >&2; exit 2; }
done
(( steps > skip )) || { echo "thread_scaling.sh: --steps must be over $skip (the warm-up)" >&2; exit 2; }
[[ -x "$dikkat" ]] || { echo "thread_scaling.sh: build dikkat first ($dikkat)" >&2; exit 1; }
[[ -f "$data/tinyshakespeare.txt" && -f "$data/en-tr/train.tsv" ]] ||
    { echo "thread_scaling.sh: needs ../shared/data (tinyshakespeare.txt, en-tr/)" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
nmt=(--data "$data/en-tr/train.tsv" --valid "$data/en-tr/dev.tsv" --dropout 0)
declare -A work=(
    [gpt-m]="--preset shakespeare-char --batch-size 8 --data $data/tinyshakespeare.txt"
    [nmt-small]="--preset nmt-small ${nmt[*]}"
    [rnn-small]="--preset rnn-small ${nmt[*]}"
)
order=(gpt-m nmt-small rnn-small)
[[ -z "$only" ]] || { [[ -n "${work[$only]:-}" ]] ||
    { echo "thread_scaling.sh: --only: no workload '$only' (${order[*]})" >&2; exit 2; }; order=("$only"); }

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
# tokens/s of one run: workload $1, threads $2
rate() {
    rm -rf "$tmp/run"
    # shellcheck disable=SC2086
    "$dikkat" train ${work[$1]} --threads "$2" --steps "$steps" --eval-every 0 --eval-batches 1 \
        --log-every 1 --out "$tmp/run" --quiet "${profile[@]}" >"$tmp/log" 2>&1 ||
        { echo "thread_scaling.sh: $1 failed:" >&2; cat "$tmp/log" >&2; exit 1; }
    [[ ${#profile[@]} -eq 0 ]] || { echo "-- $1, $2 threads" >&2; grep -A14 '^time per op' "$tmp/log" >&2; }
    python3 -c 'import json,statistics,sys
rows=[json.loads(l) for l in open(sys.argv[1]) if "tokens_per_s" in l]
print(statistics.median(r["tokens_per_s"] for r in rows[int(sys.argv[2]):]))' "$tmp/run/metrics.jsonl" "$skip"
}

echo "$(date +%F), $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; tokens/s, median of steps $((skip + 1))-$steps, median of $rounds runs"
echo
echo "| workload | 1 thread | 2 threads | 2 / 1 |"
echo "|---|---:|---:|---:|"
for name in "${order[@]}"; do
    one=() two=()
    for _ in $(seq "$rounds"); do
        one+=("$(rate "$name" 1)")
        two+=("$(rate "$name" 2)")
    done
    a="$(printf '%s\n' "${one[@]}" | median)" b="$(printf '%s\n' "${two[@]}" | median)"
    printf '| %s | %.0f | %.0f | %.2fx |\n' "$name" "$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN { print b / a }')"
done
