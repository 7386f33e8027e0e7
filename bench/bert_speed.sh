#!/usr/bin/env bash
# The masked language model (bert-small) against PyTorch, side by side: training tokens/s
# (median of the steps after the warm-up) and peak RSS on the same batch shapes (the preset's
# batch of examples of `context` tokens, 15% masked), 2 threads each, PyTorch with
# OMP_WAIT_POLICY=PASSIVE and nn.TransformerEncoder (tests/reference/bert_reference.py), the
# head on the masked positions on both sides; PyTorch also with the head on every position
# (Hugging Face's BertForMaskedLM), and both in bf16 (dikkat --precision bf16, PyTorch's bf16
# autocast). Runs alternate: dikkat, PyTorch, dikkat, PyTorch.
#
# usage: bench/bert_speed.sh [--steps N] [--threads T] [--preset P]
# Needs build/dikkat, ../shared/data (English text), /usr/bin/time, and python3 with torch
# (scripts/install-deps.sh --with-reference).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py=/usr/bin/python3
dikkat="${DIKKAT:-$root/build/dikkat}"
shared="$root/../shared/data"
steps=30
skip=5
threads=2
preset=bert-small
while [[ $# -gt 0 ]]; do
    case "$1" in
        --steps)   steps="${2:?}"; shift 2 ;;
        --threads) threads="${2:?}"; shift 2 ;;
        --preset)  preset="${2:?}"; shift 2 ;;
        *) echo "bert_speed.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[[ -x "$dikkat" ]] || { echo "bert_speed.sh: build dikkat first ($dikkat)" >&2; exit 1; }
[[ -f "$shared/tinyshakespeare.txt" ]] || { echo "bert_speed.sh: $shared not found" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# English text: the English side of the translation corpus, then Tiny Shakespeare.
head -n 40000 "$shared/en-tr/train.tsv" | cut -f1 >"$tmp/english.txt"
cat "$shared/tinyshakespeare.txt" >>"$tmp/english.txt"
# One tokenizer for every run: learned once by a one-step run.
"$dikkat" train --preset "$preset" --data "$tmp/english.txt" --out "$tmp/tok" --steps 1 \
    --eval-every 0 --sample-tokens 0 --threads "$threads" --quiet >&2
vocab="$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["model"]["vocab_size"])' "$tmp/tok/config.json")"

median_rate() {
    "$py" -c 'import json,statistics,sys
rows=[json.loads(l) for l in open(sys.argv[1]) if "tokens_per_s" in l]
print(round(statistics.median(r["tokens_per_s"] for r in rows[int(sys.argv[2]):])))' "$1" "$skip"
}

run_dikkat() {  # <name> fp32|bf16 -> "tokens_per_s peak_rss_kb"
    local out="$tmp/$1"
    /usr/bin/time -f %M -o "$tmp/$1.rss" "$dikkat" train --preset "$preset" --examples windows \
        --precision "$2" \
        --tokenizer "$tmp/tok/tokenizer.json" --data "$tmp/english.txt" --out "$out" \
        --steps "$steps" --threads "$threads" --eval-every 0 --log-every 1 --sample-tokens 0 \
        --quiet >&2
    echo "$(median_rate "$out/metrics.jsonl") $(cat "$tmp/$1.rss")"
}

run_pytorch() {  # <name> [--dense-head]
    local line
    line="$(OMP_WAIT_POLICY=PASSIVE /usr/bin/time -f %M -o "$tmp/$1.rss" "$py" \
        "$root/bench/pytorch_bert.py" --preset-json "$("$dikkat" info --preset "$preset" --json)" \
        --vocab "$vocab" --steps "$steps" --threads "$threads" --warmup-steps "$skip" "${@:2}" |
        tail -n 1)"
    echo "$(sed -n 's/^pytorch tokens_per_s=\([0-9.]*\) .*/\1/p' <<<"$line") $(cat "$tmp/$1.rss")"
}

echo "$preset, vocab $vocab, $threads threads: dikkat, PyTorch, dikkat, PyTorch ..." >&2
rows="$tmp/rows"
read -r d1 d1rss <<<"$(run_dikkat d1 fp32)"
read -r p1 p1rss <<<"$(run_pytorch p1)"
read -r d2 d2rss <<<"$(run_dikkat d2 fp32)"
read -r p2 p2rss <<<"$(run_pytorch p2)"
read -r pd pdrss <<<"$(run_pytorch pd --dense-head)"
read -r b1 b1rss <<<"$(run_dikkat b1 bf16)"
read -r q1 q1rss <<<"$(run_pytorch q1 --bf16)"
read -r b2 b2rss <<<"$(run_dikkat b2 bf16)"
read -r q2 q2rss <<<"$(run_pytorch q2 --bf16)"
"$py" - "$preset" "$d1 $d2 $d1rss $d2rss" "$p1 $p2 $p1rss $p2rss" "$pd $pd $pdrss $pdrss" \
    "$b1 $b2 $b1rss $b2rss" "$q1 $q2 $q1rss $q2rss" <<'PY'
import sys
preset, rows = sys.argv[1], [list(map(float, a.split())) for a in sys.argv[2:]]
names = ["dikkat fp32 (head on the masked positions)", "PyTorch fp32, head on the masked positions",
         "PyTorch fp32, head on every position (Hugging Face's way)",
         "dikkat bf16", "PyTorch bf16 autocast, head on the masked positions"]
ours = {0: 0, 1: 0, 2: 0, 3: 3, 4: 3}
print(f"| {preset} training | tokens/s | peak RSS MB | dikkat / this |")
print("|---|---:|---:|---:|")
for i, (name, (r1, r2, k1, k2)) in enumerate(zip(names, rows)):
    rate = (r1 + r2) / 2
    runs = f" ({r1:,.0f}, {r2:,.0f})" if r1 != r2 else ""
    mine = (rows[ours[i]][0] + rows[ours[i]][1]) / 2
    ratio = f"{mine / rate:.2f}x" if ours[i] != i else ""
    print(f"| {name} | {rate:,.0f}{runs} | {max(k1, k2) / 1024:.0f} | {ratio} |")
PY
