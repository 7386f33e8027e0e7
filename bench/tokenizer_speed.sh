#!/usr/bin/env bash
# Tokenizer speed: dikkat's GPT-2 encoder against npm tiktoken, and dikkat's BPE trainer against
# SentencePiece's (spm_train --model_type=bpe), side by side in one run.
#
# usage: bench/tokenizer_speed.sh [--dikkat PATH] [--rounds N] [--repeat N]
#   --dikkat PATH  the dikkat binary (default: $DIKKAT, else build/dikkat); nothing is built here
#   --rounds N     alternating dikkat/tiktoken rounds per corpus, and runs per trainer (default 3)
#   --repeat N     encode calls timed in each round, median taken (default 5)
#
# Encoding: the encode call alone, text already in memory, on both sides: dikkat's
# `tokenizer encode --time --repeat N` and bench/tiktoken_encode.js (encode_ordinary, same
# repeats, after one warm-up call). Rounds alternate dikkat, tiktoken, dikkat, ... and the figure
# is the median over rounds. Corpora: Tiny Shakespeare and the Turkish stories (../shared/data).
#
# Training: a 4096-token vocabulary on tinyshakespeare.txt, whole process (read, train, write)
# for both, median of the runs. spm_train gets every line (--input_sentence_size=0, no
# sampling), --num_threads=$(nproc), --minloglevel=2 and its defaults otherwise.
#
# Installs npm tiktoken@1.0.22 into $TIKTOKEN_DIR (default /tmp/dikkat-bench-node) and Debian's
# sentencepiece package when spm_train is missing (needs root).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data="$root/../shared/data"
dikkat="${DIKKAT:-$root/build/dikkat}"
rounds=3
repeat=5
node_dir="${TIKTOKEN_DIR:-/tmp/dikkat-bench-node}"

usage() { sed -n '5,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --dikkat) dikkat="${2:?--dikkat needs a path}"; shift 2 ;;
        --rounds) rounds="${2:?--rounds needs a value}"; shift 2 ;;
        --repeat) repeat="${2:?--repeat needs a value}"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "tokenizer_speed.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done

if [[ ! -x "$dikkat" ]]; then
    echo "tokenizer_speed.sh: $dikkat not found (or not executable); build dikkat first." >&2
    exit 1
fi
for f in tinyshakespeare.txt turkish.txt gpt2.tiktoken; do
    if [[ ! -f "$data/$f" ]]; then
        echo "tokenizer_speed.sh: $data/$f not found" >&2
        exit 1
    fi
done

if [[ ! -d "$node_dir/node_modules/tiktoken" ]]; then
    echo "installing npm tiktoken@1.0.22 into $node_dir ..." >&2
    mkdir -p "$node_dir"
    npm install --prefix "$node_dir" --no-audit --no-fund --silent tiktoken@1.0.22 >&2
fi
if ! command -v spm_train >/dev/null; then
    echo "installing Debian's sentencepiece (spm_train) ..." >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends sentencepiece >&2
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
now() { date +%s.%N; }

# One dikkat round: prints "MB/s tokens".
dikkat_encode() {
    "$dikkat" tokenizer encode --tokenizer "$data/gpt2.tiktoken" --time --repeat "$repeat" \
        <"$1" >/dev/null 2>"$tmp/err" || { cat "$tmp/err" >&2; exit 1; }
    sed -n 's/^encode: [0-9]* bytes -> \([0-9]*\) tokens .*| \([0-9.]*\) MB\/s$/\2 \1/p' "$tmp/err"
}

# One tiktoken round: prints "MB/s tokens".
tiktoken_encode() {
    NODE_PATH="$node_dir/node_modules" node "$root/bench/tiktoken_encode.js" "$1" "$repeat" |
        sed 's/.*"tokens":\([0-9]*\).*"mb_per_s":\([0-9.e+-]*\).*/\2 \1/'
}

printf '\nencoding with GPT-2 (the encode call alone, median of %d rounds x %d calls)\n' \
    "$rounds" "$repeat"
printf '%-22s %10s %8s %14s %14s %8s\n' corpus bytes tokens "dikkat MB/s" "tiktoken MB/s" ratio
for corpus in tinyshakespeare.txt turkish.txt; do
    : >"$tmp/d"; : >"$tmp/t"
    for ((r = 0; r < rounds; r++)); do
        dikkat_encode "$data/$corpus" >>"$tmp/d"
        tiktoken_encode "$data/$corpus" >>"$tmp/t"
    done
    d_tokens=$(awk 'NR == 1 { print $2 }' "$tmp/d")
    t_tokens=$(awk 'NR == 1 { print $2 }' "$tmp/t")
    if [[ "$d_tokens" != "$t_tokens" ]]; then
        echo "tokenizer_speed.sh: $corpus: dikkat made $d_tokens tokens, tiktoken $t_tokens" >&2
        exit 1
    fi
    d=$(awk '{ print $1 }' "$tmp/d" | median)
    t=$(awk '{ print $1 }' "$tmp/t" | median)
    printf '%-22s %10d %8d %14.1f %14.1f %7.1fx\n' "$corpus" "$(stat -c %s "$data/$corpus")" \
        "$d_tokens" "$d" "$t" "$(awk -v a="$d" -v b="$t" 'BEGIN { print a / b }')"
done

printf '\ntraining a 4096-token BPE vocabulary on tinyshakespeare.txt (whole process, median of %d)\n' \
    "$rounds"
: >"$tmp/dt"; : >"$tmp/st"
for ((r = 0; r < rounds; r++)); do
    start=$(now)
    "$dikkat" tokenizer train --quiet --data "$data/tinyshakespeare.txt" --vocab-size 4096 \
        --out "$tmp/tok.json"
    awk -v a="$start" -v b="$(now)" 'BEGIN { print b - a }' >>"$tmp/dt"
    start=$(now)
    spm_train --input="$data/tinyshakespeare.txt" --model_prefix="$tmp/spm" --model_type=bpe \
        --vocab_size=4096 --input_sentence_size=0 --num_threads="$(nproc)" --minloglevel=2 \
        >/dev/null 2>"$tmp/spm.err" || { cat "$tmp/spm.err" >&2; exit 1; }
    awk -v a="$start" -v b="$(now)" 'BEGIN { print b - a }' >>"$tmp/st"
done
d=$(median <"$tmp/dt")
s=$(median <"$tmp/st")
printf '%-46s %8.3f s\n' "dikkat tokenizer train --vocab-size 4096" "$d"
printf '%-46s %8.3f s\n' "spm_train --model_type=bpe --vocab_size=4096" "$s"
printf '%-46s %7.1fx\n' "ratio (spm_train / dikkat)" "$(awk -v a="$s" -v b="$d" 'BEGIN { print a / b }')"
