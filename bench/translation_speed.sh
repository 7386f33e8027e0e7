#!/usr/bin/env bash
# Translation model speed: dikkat against the PyTorch encoder-decoder of the same shape
# (bench/pytorch_seq2seq.py), same threads, same batches.
#
# usage: bench/translation_speed.sh [--steps N] [--threads T] [--bf16] [--sentences N] [--single N] [--model DIR]
#   --steps N      training steps of the nmt-small preset (default 30; dropout off on both sides)
#   --threads T    threads for both (default: nproc)
#   --bf16         train with dikkat --precision bf16 against PyTorch's bf16 autocast (default: fp32)
#   --sentences N  English sentences of ../shared/data/en-tr/dev.tsv translated in batches of 32
#                  (default 1000; 0: training only)
#   --single N     the first N of them translated one at a time, as the page does (default 100)
#   --model DIR    translate with this trained dikkat model (default: the one the training
#                  steps just made, whose translations run to the length limit)
#
# Training: dikkat trains nmt-small on ../shared/data/en-tr/train.tsv and logs each batch's shape;
# PyTorch replays those shapes. Both report target tokens per second (median after warm-up).
# Translation: beam 4 and greedy, batches of 32 and of 1, the same search rules on both sides
# (src/generate/translator.cpp); both decode incrementally (dikkat's KV cache; PyTorch caching
# self-attention keys/values and computing the cross-attention's once, as fairseq does).
# Both times include loading the model; PyTorch's leaves out starting Python and importing torch.
# Prints sentences/s, peak memory, the ratios and how many outputs agree exactly.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py=/usr/bin/python3
dikkat="${DIKKAT:-$root/build/dikkat}"
steps=30
threads="$(nproc)"
precision=fp32
autocast=()  # PyTorch's side of --bf16
sentences=1000
single=100
model=""
data="$root/../shared/data/en-tr"

usage() { sed -n '5,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        --steps)     steps="${2:?--steps needs a value}"; shift 2 ;;
        --threads)   threads="${2:?--threads needs a value}"; shift 2 ;;
        --bf16)      precision=bf16; autocast=(--bf16); shift ;;
        --sentences) sentences="${2:?--sentences needs a value}"; shift 2 ;;
        --single)    single="${2:?--single needs a value}"; shift 2 ;;
        --model)     model="${2:?--model needs a value}"; shift 2 ;;
        -h|--help)   usage; exit 0 ;;
        *) echo "translation_speed.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
[[ -x "$dikkat" ]] || { echo "translation_speed.sh: build dikkat first ($dikkat)" >&2; exit 1; }
[[ -f "$data/train.tsv" ]] || { echo "translation_speed.sh: $data/train.tsv not found" >&2; exit 1; }
"$py" -c "import torch" 2>/dev/null ||
    { echo "translation_speed.sh: needs python3-torch (scripts/install-deps.sh --with-reference)" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# shellcheck source=bench/pytorch_env.sh
source "$root/bench/pytorch_env.sh"  # PyTorch's best settings here
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

echo "== training nmt-small, $precision, $steps steps, $threads threads (lscpu: $(lscpu | sed -n 's/^Model name: *//p'))"
/usr/bin/time -f %M -o "$tmp/dikkat.rss" "$dikkat" train --preset nmt-small --data "$data/train.tsv" \
    --valid "$data/dev.tsv" --steps "$steps" --dropout 0 --eval-every 0 --eval-sentences 0 \
    --eval-batches 1 --out "$tmp/run" --threads "$threads" --precision "$precision" --quiet
dikkat_tps="$(tail -n +4 "$tmp/run/metrics.jsonl" | "$py" -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if "tokens_per_s" in m: print(m["tokens_per_s"])' | median)"
pt_line="$(env "${pytorch_env[@]}" "$py" "$root/bench/pytorch_seq2seq.py" train --config "$tmp/run/config.json" \
    --metrics "$tmp/run/metrics.jsonl" --steps "$steps" --threads "$threads" \
    "${autocast[@]}" | tail -1)"
pt_tps="$(sed -n 's/.*tokens_per_s=\([0-9.]*\).*/\1/p' <<<"$pt_line")"
pt_rss="$(sed -n 's/.*peak_rss_mb=\([0-9.]*\).*/\1/p' <<<"$pt_line")"
printf "dikkat   %9.0f target tokens/s   peak RSS %5.0f MB\n" "$dikkat_tps" "$(($(cat "$tmp/dikkat.rss") / 1024))"
printf "pytorch  %9.0f target tokens/s   peak RSS %5.0f MB\n" "$pt_tps" "$pt_rss"
printf "ratio    %9.2fx\n" "$("$py" -c "print($dikkat_tps / $pt_tps)")"

(( sentences > 0 )) || exit 0
model="${model:-$tmp/run}"
(( single <= sentences )) || { echo "translation_speed.sh: --single must not exceed --sentences" >&2; exit 2; }
head -n "$sentences" "$data/dev.tsv" | cut -f1 > "$tmp/src.txt"
encode() { while IFS= read -r line; do
    printf '%s' "$line" | "$dikkat" tokenizer encode --tokenizer "$model/tokenizer.json"
done; }
encode < "$tmp/src.txt" > "$tmp/src.ids"
end="$(printf '<|endoftext|>' | "$dikkat" tokenizer encode --tokenizer "$model/tokenizer.json" --allow-special)"

# translate BEAM BATCH COUNT: one row of the table, dikkat first, then PyTorch on the same lines.
translate() {
    local beam="$1" batch="$2" count="$3"
    head -n "$count" "$tmp/src.txt" > "$tmp/in.txt"
    head -n "$count" "$tmp/src.ids" > "$tmp/in.ids"
    local start dikkat_s pt_line pt_sps same
    start=$(date +%s.%N)
    /usr/bin/time -f %M -o "$tmp/translate.rss" "$dikkat" translate --model "$model" --input "$tmp/in.txt" \
        --beam "$beam" --batch "$batch" --threads "$threads" > "$tmp/dikkat.txt"
    dikkat_s="$("$py" -c "print($(date +%s.%N) - $start)")"
    pt_line="$(env "${pytorch_env[@]}" "$py" "$root/bench/pytorch_seq2seq.py" translate --model "$model" \
        --ids "$tmp/in.ids" --end-token "$end" --beam "$beam" --batch "$batch" --out "$tmp/pytorch.ids" \
        --threads "$threads" | tail -1)"
    pt_sps="$(sed -n 's/.*sentences_per_s=\([0-9.]*\).*/\1/p' <<<"$pt_line")"
    encode < "$tmp/dikkat.txt" > "$tmp/dikkat.ids"
    same="$(paste -d'|' "$tmp/dikkat.ids" "$tmp/pytorch.ids" | awk -F'|' '$1==$2' | wc -l)"
    "$py" -c "
d = $count / $dikkat_s
print(f'{\"beam $beam\" if $beam > 1 else \"greedy\":>7} batch {$batch:>2} {$count:>5} sentences   '
      f'dikkat {d:7.2f}/s {$(cat "$tmp/translate.rss") / 1024:5.0f} MB   '
      f'pytorch {$pt_sps:7.2f}/s {$(sed -n 's/.*peak_rss_mb=\([0-9.]*\).*/\1/p' <<<"$pt_line"):5.0f} MB   '
      f'ratio {d / $pt_sps:5.2f}x   identical {$same}/{$count}')"
}

echo "== translating sentences of dev.tsv ($model); sentences/s and peak RSS, model load included"
translate 4 32 "$sentences"
translate 1 32 "$sentences"
translate 4 1 "$single"
translate 1 1 "$single"
