#!/usr/bin/env bash
# Speed on a shared machine: each workload with dikkat's default settings, idle and beside 1 and
# 2 busy processes of this script's own (single-threaded loops, the stand-in for a browser, an
# editor or a second run), and the share of the fair throughput it reaches.
#
# usage: bench/contention.sh [--rounds R] [--old BIN] [--only NAME] [--write]
#   --rounds R  runs of each workload in each setting; the median wall time counts (default 3)
#   --old BIN   an earlier dikkat binary: run idle too, alternating with this one, and compared
#   --only NAME one workload (seed248 demo shakespeare-cpu gpt-m nmt-small rnn-small tests)
#   --write     also put the table into docs/results.md (between its contention markers)
#
# Fair throughput beside B busy processes on C cores: the kernel shares the cores equally
# between the runnable threads, so the workload's C threads (its default) are owed C of the C + B
# shares: fair = idle throughput x C / (C + B). Throughput is 1 / wall time of the whole command
# (start-up and data loading included), so a fixed amount of work is timed in every setting.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dikkat="${DIKKAT:-$root/build/dikkat}"
data="$root/../shared/data"
rounds=3
old=""
only=""
write=0
usage() { sed -n '5,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds) rounds="${2:?--rounds needs a value}"; shift 2 ;;
        --old)    old="${2:?--old needs a binary}"; shift 2 ;;
        --only)   only="${2:?--only needs a workload}"; shift 2 ;;
        --write)  write=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "contention.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
[[ "$rounds" =~ ^[1-9][0-9]*$ ]] || { echo "contention.sh: --rounds must be a positive whole number, not '$rounds'" >&2; exit 2; }
[[ -x "$dikkat" ]] || { echo "contention.sh: build dikkat first ($dikkat)" >&2; exit 1; }
[[ -z "$old" || -x "$old" ]] || { echo "contention.sh: --old $old is not an executable" >&2; exit 2; }
[[ -f "$data/tinyshakespeare.txt" && -f "$data/en-tr/train.tsv" ]] ||
    { echo "contention.sh: needs ../shared/data (tinyshakespeare.txt, en-tr/)" >&2; exit 1; }
tests_bin="$root/build/tests/dikkat_tests"
[[ -x "$tests_bin" ]] || { echo "contention.sh: build the tests first ($tests_bin)" >&2; exit 1; }

tmp="$(mktemp -d)"
busy_pids=()
stop_busy() { for p in "${busy_pids[@]}"; do kill "$p" 2>/dev/null || true; done
              wait "${busy_pids[@]}" 2>/dev/null || true; busy_pids=(); }
trap 'stop_busy; rm -rf "$tmp"' EXIT
start_busy() {  # n busy single-threaded processes
    for _ in $(seq "$1"); do bash -c 'while :; do :; done' & busy_pids+=($!); done
    sleep 0.5
}

cores="$(nproc)"
ts="$data/tinyshakespeare.txt"
nmt=(--data "$data/en-tr/train.tsv" --valid "$data/en-tr/dev.tsv")
# name -> the command line after the binary (training runs write into $tmp/run)
# The end-of-run evaluation reads one batch (--eval-batches 1): the whole validation set would
# dwarf the training steps.
quick=(--eval-every 0 --eval-batches 1)
declare -A work=(
    [seed248]="train --preset seed248 --data $ts --steps 300 ${quick[*]} --sample-tokens 0"
    [demo]="train --preset demo --data $ts --steps 100 ${quick[*]} --sample-tokens 0"
    [shakespeare-cpu]="train --preset shakespeare-cpu --data $ts --steps 40 ${quick[*]} --sample-tokens 0"
    [gpt-m]="train --preset shakespeare-char --batch-size 8 --data $ts --steps 8 ${quick[*]} --sample-tokens 0"
    [nmt-small]="train --preset nmt-small ${nmt[*]} --steps 8 ${quick[*]}"
    [rnn-small]="train --preset rnn-small ${nmt[*]} --steps 10 ${quick[*]}"
)
order=(seed248 demo shakespeare-cpu gpt-m nmt-small rnn-small tests)
[[ -z "$only" ]] || { [[ " ${order[*]} " == *" $only "* ]] ||
    { echo "contention.sh: --only: no workload '$only' (${order[*]})" >&2; exit 2; }; order=("$only"); }

# seconds of one run of workload $2 with binary $1
run_once() {
    local bin="$1" name="$2" start end
    rm -rf "$tmp/run"
    start="$(date +%s.%N)"
    if [[ "$name" == tests ]]; then
        # The tensor and model tests: a process of many small parallel loops, like the suite.
        "$tests_bin" --gtest_filter='GradientCheck*:Attention*:Recurrent*:FlashAttention*:Slices*' \
            >"$tmp/log" 2>&1 || { echo "contention.sh: the tests failed" >&2; cat "$tmp/log" >&2; exit 1; }
    else
        # shellcheck disable=SC2086
        "$bin" ${work[$name]} --out "$tmp/run" --quiet >"$tmp/log" 2>&1 ||
            { echo "contention.sh: $name failed:" >&2; cat "$tmp/log" >&2; exit 1; }
    fi
    end="$(date +%s.%N)"
    awk -v a="$start" -v b="$end" 'BEGIN { print b - a }'
}
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

cpu="$(lscpu | sed -n 's/^Model name: *//p')"
table="$tmp/table.md"
{
    echo "$(date +%F), $cpu, $cores cores; median wall seconds of $rounds runs (\`bash bench/contention.sh --rounds $rounds${old:+ --old OLD}\`)."
    echo "Share = throughput / fair throughput, fair = idle x $cores / ($cores + busy processes)."
    echo
    if [[ -n "$old" ]]; then
        echo "| workload | idle | beside 1 busy | share | beside 2 busy | share | idle, before | before / now |"
        echo "|---|---:|---:|---:|---:|---:|---:|---:|"
    else
        echo "| workload | idle | beside 1 busy | share | beside 2 busy | share |"
        echo "|---|---:|---:|---:|---:|---:|"
    fi
} >"$table"

for name in "${order[@]}"; do
    declare -A runs=()
    # Each round runs every setting once, so drifts in the machine's speed hit all of them.
    for _ in $(seq "$rounds"); do
        runs[idle]+=" $(run_once "$dikkat" "$name")"
        [[ -z "$old" || "$name" == tests ]] || runs[old]+=" $(run_once "$old" "$name")"
        for busy in 1 2; do
            start_busy "$busy"
            runs[$busy]+=" $(run_once "$dikkat" "$name")"
            stop_busy
        done
    done
    med() { printf '%s\n' ${runs[$1]} | median; }
    idle="$(med idle)"
    row="| $name | $(printf %.2f "$idle") s"
    for busy in 1 2; do
        t="$(med "$busy")"
        share="$(awk -v i="$idle" -v c="$cores" -v b="$busy" -v t="$t" 'BEGIN { print i * (c + b) / c / t }')"
        row+=" | $(printf %.2f "$t") s | $(printf %.2f "$share")"
    done
    if [[ -n "$old" ]]; then
        if [[ "$name" == tests ]]; then
            row+=" | | "
        else
            before="$(med old)"
            row+=" | $(printf %.2f "$before") s | $(awk -v a="$before" -v b="$idle" 'BEGIN { printf "%.2f", a / b }')x"
        fi
    fi
    echo "$row |" | tee -a "$table" >&2
    unset runs
done
cat "$table"

if [[ "$write" == 1 ]]; then
    results="$root/docs/results.md"
    begin='<!-- contention.sh table -->' end='<!-- end contention.sh table -->'
    grep -q "^$begin\$" "$results" ||
        { echo "contention.sh: $results has no '$begin' marker" >&2; exit 1; }
    awk -v b="$begin" -v e="$end" -v f="$table" '
        $0 == b { print; while ((getline line < f) > 0) print line; skip = 1; next }
        $0 == e { skip = 0 }
        !skip' "$results" >"$tmp/results.md"
    mv "$tmp/results.md" "$results"
    echo "contention.sh: table written to $results" >&2
fi
