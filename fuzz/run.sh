#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, AddressSanitizer + UndefinedBehaviorSanitizer) in
# build-fuzz/ and runs each for a fixed time from seed corpora made of real files the tests use.
# A finding stops the run with the crashing input saved in build-fuzz/findings/<target>/.
#
# usage: fuzz/run.sh [--seconds N] [--target NAME]...   (default 30 s each, every target)
# Targets: safetensors run_config tokenizer_json tiktoken text metrics numbers api_request
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds=30
targets=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --seconds) seconds="${2:?}"; shift 2 ;;
        --target)  targets+=("${2:?}"); shift 2 ;;
        *) echo "fuzz/run.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
(( ${#targets[@]} )) || targets=(safetensors run_config tokenizer_json tiktoken text metrics numbers api_request)

# clang's OpenMP runtime and libFuzzer, from Debian.
need=()
for p in clang libomp-14-dev libclang-rt-14-dev; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if (( ${#need[@]} )); then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

build="$root/build-fuzz"
cmake -S "$root" -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DDIKKAT_FUZZ=ON >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null

# Seeds: the files each loader reads in real use.
seeds="$build/seeds"
rm -rf "$seeds"
mkdir -p "$seeds"/{safetensors,run_config,tokenizer_json,tiktoken,text,metrics,numbers,api_request}
cp "$root"/tests/fixtures/*.safetensors "$root"/tests/fixtures/models/seed248/*.safetensors \
    "$seeds/safetensors/"
for m in "$root"/tests/fixtures/models/*/; do
    cp "$m/config.json" "$seeds/run_config/$(basename "$m").json"
    cp "$m/tokenizer.json" "$seeds/tokenizer_json/$(basename "$m").json"
done
shared="$root/../shared/data"
if [[ -f "$shared/gpt2.tiktoken" ]]; then
    head -c 4000 "$shared/gpt2.tiktoken" >"$seeds/tiktoken/gpt2-head.tiktoken"
    head -c 3000 "$shared/turkish.txt" >"$seeds/text/turkish.txt"
fi
printf 'YQ== 0\nYg== 1\n' >"$seeds/tiktoken/two.tiktoken"
head -c 3000 "$root/data/demo/turkce.txt" >"$seeds/text/turkce.txt"
printf '{"step":0,"train_loss":4.2,"val_loss":4.2}\n{"step":1,"train_loss":4.1,"lr":0.001}\n' \
    >"$seeds/metrics/run.jsonl"
printf -- '--steps\0 100\0--lr\0 3e-4\0--temperatures\0 0.5,1,2' >"$seeds/numbers/args"
printf '4096' >"$seeds/numbers/vocab"
# API requests: a route byte (see fuzz_api_request.cpp), then a JSON object.
printf '\x03{"model":"m0","text":"abc","kind":"self","layer":"1","head":"1"}' \
    >"$seeds/api_request/attention"
printf '\x04{"model":"m0","text":"abcabc","kind":"self","size":"2"}' >"$seeds/api_request/overview"
printf '\x06{"model":"m0","text":"ab","name":"h.0.attn.q"}' >"$seeds/api_request/trace_step"
printf '\x08{"model":"m0","dims":"3","compare":"model_step0.safetensors"}' \
    >"$seeds/api_request/embeddings"
printf '\x0b{"model":"m0","prompt":"ab","tokens":5,"temperature":0.5,"top_k":2}' \
    >"$seeds/api_request/generate"

status=0
for t in "${targets[@]}"; do
    corpus="$build/corpus/$t"
    findings="$build/findings/$t"
    mkdir -p "$corpus" "$findings"
    log="$build/fuzz_$t.log"
    if "$build/fuzz/fuzz_$t" "$corpus" "$seeds/$t" -max_total_time="$seconds" \
        -artifact_prefix="$findings/" -rss_limit_mb=4096 -max_len=65536 >"$log" 2>&1; then
        # The last status line (executions, coverage, features) and the run count.
        summary="$(grep -E '^#[0-9]+' "$log" | tail -1 | cut -c1-70 || true)"
        runs="$(grep -E '^Done [0-9]+ runs' "$log" | tail -1 || true)"
        printf '%-16s ok    %s | %s\n' "$t" "$runs" "$summary"
    else
        printf '%-16s FOUND a crash: see %s and %s\n' "$t" "$log" "$findings"
        status=1
    fi
done
exit $status
