#!/usr/bin/env bash
# Data-parallel scaling: the shakespeare-cpu run (Tiny Shakespeare when ../shared/data has it,
# else the bundled Turkish corpus) on 1 process and on N ranks of one thread each, on this
# machine (shared memory) and with each rank on its own network host (tests/train/mpi_hosts.sh:
# namespaces, TCP over veth). Reports tokens/s, parallel efficiency (N-rank tokens/s over N x the
# one-process tokens/s) and the time a step spends averaging gradients.
#
# usage: bench/mpi_speed.sh [--steps N] [--ranks "2 4"]   (hosts need root)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dikkat="${DIKKAT:-$root/build/dikkat}"
steps=60
ranks_list="2"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --steps) steps="${2:?}"; shift 2 ;;
        --ranks) ranks_list="${2:?}"; shift 2 ;;
        *) echo "mpi_speed.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
data="$root/../shared/data/tinyshakespeare.txt"
[[ -f "$data" ]] || data="$root/data/demo/turkce.txt"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
flags=(train --data "$data" --preset shakespeare-cpu --steps "$steps" --eval-every 0
       --eval-batches 1 --threads 1 --quiet)
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1

# Median tokens/s of a run's steps after the first 10 (warm-up); with "allreduce", the median
# time a step spent averaging gradients and its share of the step.
rate() {
    python3 - "$1/metrics.jsonl" "${2:-}" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
rows = [r for r in rows if r.get("step", 0) > 10]
if sys.argv[2] == "allreduce":
    a = statistics.median(r["allreduce_s"] for r in rows)
    step = statistics.median(r["tokens"] / r["tokens_per_s"] for r in rows)
    print(f"{a * 1e3:.1f} ms ({a / step:.0%})")
else:
    print(round(statistics.median(r["tokens_per_s"] for r in rows)))
PY
}

"$dikkat" "${flags[@]}" --out "$work/one"
one="$(rate "$work/one")"
printf '%-22s %10s %11s %22s\n' where "tokens/s" efficiency "allreduce per step"
printf '%-22s %10s %11s %22s\n' "1 process" "$one" "-" "-"
for n in $ranks_list; do
    for where in local hosts; do
        out="$work/$where$n"
        if [[ $where == local ]]; then
            log="$(mpirun --oversubscribe --bind-to none -np "$n" "$dikkat" "${flags[@]}" --out "$out" 2>&1 || true)"
        else
            [[ $EUID -eq 0 ]] || continue
            log="$("$root/tests/train/mpi_hosts.sh" "$n" "$dikkat" "${flags[@]}" --out "$out" 2>&1 || true)"
        fi
        [[ -f "$out/metrics.jsonl" ]] || { echo "$n ranks ($where) failed: $log" >&2; continue; }
        r="$(rate "$out")"
        share="$(python3 -c "print(f'{$r / ($n * $one):.0%}')")"
        printf '%-22s %10s %11s %22s\n' "$n ranks ($where)" "$r" "$share" "$(rate "$out" allreduce)"
    done
done
lscpu | grep -m1 'Model name'
