#!/usr/bin/env bash
# Peak memory of training against context length: attention runs in tiles and keeps no (T,T)
# table, so memory should grow linearly with the context. Trains a 2-layer, 4-head, 128-wide model
# with batch 1 for two steps at each context and prints the peak RSS next to the size the
# attention weights alone would take if they were materialised (layers x heads x T x T floats,
# twice that with dropout's mask).
#
# usage: bench/attention_memory.sh [contexts...]   (default: 256 512 1024 2048 4096)
# Needs build/dikkat and /usr/bin/time.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dikkat="${DIKKAT:-$root/build/dikkat}"
data="$root/../shared/data/tinyshakespeare.txt"
[[ -x "$dikkat" ]] || { echo "attention_memory.sh: build dikkat first ($dikkat)" >&2; exit 1; }
[[ -f "$data" ]] || { echo "attention_memory.sh: $data not found" >&2; exit 1; }
contexts=("$@")
(( ${#contexts[@]} )) || contexts=(256 512 1024 2048 4096)
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

layers=2 heads=4
printf '%8s  %14s  %26s\n' context "peak RSS (MB)" "materialised weights (MB)"
for t in "${contexts[@]}"; do
    /usr/bin/time -f %M -o "$tmp/rss" "$dikkat" train --data "$data" --out "$tmp/run$t" \
        --n-layer $layers --n-head $heads --n-embd 128 --context "$t" --batch-size 1 \
        --dropout 0.1 --steps 2 --eval-every 0 --eval-batches 1 --sample-tokens 0 --quiet
    table_mb=$(( layers * heads * t * t * 4 * 2 / 1048576 ))
    printf '%8d  %14d  %26d\n' "$t" $(( $(cat "$tmp/rss") / 1024 )) "$table_mb"
done
