#!/usr/bin/env bash
# Recurrent translator training speed: dikkat against PyTorch's nn.GRU / nn.LSTM model of the same
# shape (bench/pytorch_rnn.py), same threads, same batches.
#
# usage: bench/rnn_speed.sh [--steps N] [--threads T] [--bf16] [--repeat R] [-- dikkat train flags...]
#   --steps N    training steps of the rnn-small preset (default 30; dropout off on both sides)
#   --threads T  threads for both (default: nproc)
#   --bf16       dikkat --precision bf16 against PyTorch's bf16 autocast (default: fp32 on both)
#   --repeat R   rounds, each running dikkat then PyTorch (default 2); medians are reported
#   after --: more flags for dikkat train, e.g. -- --cell lstm --attention luong
#
# dikkat trains on ../shared/data/en-tr/train.tsv and logs each batch's shape; PyTorch replays
# those shapes. Both report target tokens per second (median after warm-up).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py=/usr/bin/python3
dikkat="${DIKKAT:-$root/build/dikkat}"
steps=30
threads="$(nproc)"
precision=fp32
autocast=()  # PyTorch's side of --bf16
repeat=2
extra=()
data="$root/../shared/data/en-tr"

usage() { sed -n '5,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        --steps)   steps="${2:?--steps needs a value}"; shift 2 ;;
        --threads) threads="${2:?--threads needs a value}"; shift 2 ;;
        --bf16)    precision=bf16; autocast=(--bf16); shift ;;
        --repeat)  repeat="${2:?--repeat needs a value}"; shift 2 ;;
        --)        shift; extra=("$@"); break ;;
        -h|--help) usage; exit 0 ;;
        *) echo "rnn_speed.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
[[ -x "$dikkat" ]] || { echo "rnn_speed.sh: build dikkat first ($dikkat)" >&2; exit 1; }
[[ -f "$data/train.tsv" ]] || { echo "rnn_speed.sh: $data/train.tsv not found" >&2; exit 1; }
"$py" -c "import torch" 2>/dev/null ||
    { echo "rnn_speed.sh: needs python3-torch (scripts/install-deps.sh --with-reference)" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=bench/pytorch_env.sh
source "$root/bench/pytorch_env.sh"  # PyTorch's best settings here
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "== training rnn-small ${extra[*]:-}, $precision, $steps steps, $threads threads" \
     "(lscpu: $(lscpu | sed -n 's/^Model name: *//p'))"
for round in $(seq "$repeat"); do
    rm -rf "$tmp/run"
    /usr/bin/time -f %M -o "$tmp/dikkat.rss" "$dikkat" train --preset rnn-small \
        --data "$data/train.tsv" --valid "$data/dev.tsv" --steps "$steps" --dropout 0 \
        --eval-every 0 --eval-sentences 0 --eval-batches 1 --out "$tmp/run" --threads "$threads" \
        --precision "$precision" --quiet "${extra[@]}"
    tail -n +4 "$tmp/run/metrics.jsonl" | "$py" -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if "tokens_per_s" in m: print(m["tokens_per_s"])' | median >> "$tmp/dikkat.tps"
    echo $(($(cat "$tmp/dikkat.rss") / 1024)) >> "$tmp/dikkat.mb"
    line="$(env "${pytorch_env[@]}" "$py" "$root/bench/pytorch_rnn.py" --config "$tmp/run/config.json" \
        --metrics "$tmp/run/metrics.jsonl" --steps "$steps" --threads "$threads" \
        "${autocast[@]}" | tail -1)"
    sed -n 's/.*tokens_per_s=\([0-9.]*\).*/\1/p' <<<"$line" >> "$tmp/pytorch.tps"
    sed -n 's/.*peak_rss_mb=\([0-9.]*\).*/\1/p' <<<"$line" >> "$tmp/pytorch.mb"
    printf "round %d: dikkat %.0f, pytorch %.0f target tokens/s\n" "$round" \
        "$(tail -1 "$tmp/dikkat.tps")" "$(tail -1 "$tmp/pytorch.tps")"
done
d="$(median < "$tmp/dikkat.tps")"
p="$(median < "$tmp/pytorch.tps")"
printf "dikkat   %9.0f target tokens/s   peak RSS %5.0f MB\n" "$d" "$(median < "$tmp/dikkat.mb")"
printf "pytorch  %9.0f target tokens/s   peak RSS %5.0f MB\n" "$p" "$(median < "$tmp/pytorch.mb")"
printf "ratio    %9.2fx\n" "$("$py" -c "print($d / $p)")"
