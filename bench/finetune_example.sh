#!/usr/bin/env bash
# Pre-train, then fine-tune, measured: a small GPT pre-trained on Ömer Seyfettin's stories
# (literary prose, c. 1910-1920) is fine-tuned on modern conversational Turkish (the Turkish side
# of the Tatoeba sentence pairs), and compared with the same model trained from scratch for the
# same number of steps on that text. Losses are per character; lower is better.
#
# usage: bench/finetune_example.sh [--pretrain-steps N] [--steps N] [--threads T] [--keep DIR]
#   --pretrain-steps N  steps on the stories (default 3000)
#   --steps N           steps on the new text, for each of the compared runs (default 1000)
#   --threads T         worker threads (default: nproc)
#   --keep DIR          write the runs and data into DIR (must not exist) and keep them
#
# Needs build/dikkat (build it first), python3, and ../shared/data (turkish.txt, en-tr/).
# The runs (all with the demo preset's shape and recipe, seed 1337):
#   pretrain   --preset demo on turkish.txt
#   finetune   --init-from pretrain on the new text
#   frozen     the same with --freeze embeddings,blocks:2 (only the last block and ln_f train)
#   scratch    --preset demo on the new text, from random weights
#   scratch-long  the same for as many steps as pretrain and finetune together
# Each is evaluated (dikkat eval) on held-apart conversational sentences (the Turkish side of
# en-tr/dev.tsv) and, for the models that share the stories' vocabulary, on the stories'
# validation part (the last 10%, which pre-training never trained on); each writes a sample.
# The environment variable DIKKAT overrides the binary (default build/dikkat).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dikkat="${DIKKAT:-$root/build/dikkat}"
shared="$root/../shared/data"
pretrain_steps=3000
steps=1000
threads="$(nproc)"
keep=""

usage() { sed -n '7,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --pretrain-steps) pretrain_steps="${2:?--pretrain-steps needs a value}"; shift 2 ;;
        --steps)          steps="${2:?--steps needs a value}"; shift 2 ;;
        --threads)        threads="${2:?--threads needs a value}"; shift 2 ;;
        --keep)           keep="${2:?--keep needs a directory}"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "finetune_example.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done

if [[ ! -x "$dikkat" ]]; then
    echo "finetune_example.sh: $dikkat not found (or not executable); build dikkat first." >&2
    exit 1
fi
for f in turkish.txt en-tr/train.tsv en-tr/dev.tsv; do
    if [[ ! -f "$shared/$f" ]]; then
        echo "finetune_example.sh: $shared/$f not found" >&2
        exit 1
    fi
done
if [[ -n "$keep" ]]; then
    if [[ -e "$keep" ]]; then
        echo "finetune_example.sh: --keep $keep already exists" >&2
        exit 1
    fi
    mkdir -p "$keep"
    work="$(cd "$keep" && pwd)"
else
    work="$(mktemp -d)"
    trap 'rm -rf "$work"' EXIT
fi

# The new text: the Turkish side of the first 500,000 bytes' worth of en-tr/train.tsv lines,
# keeping only sentences whose characters the stories' vocabulary has (all but 0.2% of them).
# The evaluation text: the Turkish side of en-tr/dev.tsv (pairs kept out of train.tsv), limited
# to the characters of the new text, so that the model trained from scratch can read it too.
# The stories' validation part: their last 10% of characters, as the trainer holds it out.
python3 - "$shared" "$work" <<'EOF'
import sys
shared, work = sys.argv[1], sys.argv[2]
stories = open(f"{shared}/turkish.txt", encoding="utf-8").read()
story_chars = set(stories)
def turkish_side(path):
    return [line.split("\t")[1] for line in open(path, encoding="utf-8").read().splitlines()]
new, size = [], 0
for s in turkish_side(f"{shared}/en-tr/train.tsv"):
    if set(s) <= story_chars and size < 500_000:
        new.append(s)
        size += len(s.encode()) + 1
new_chars = set("\n".join(new))
dev = [s for s in turkish_side(f"{shared}/en-tr/dev.tsv") if set(s) <= new_chars]
open(f"{work}/tatoeba-tr.txt", "w", encoding="utf-8").write("\n".join(new) + "\n")
open(f"{work}/dev-tr.txt", "w", encoding="utf-8").write("\n".join(dev) + "\n")
# The trainer's split is by tokens (characters here): the last 10% of them.
open(f"{work}/stories-val.txt", "w", encoding="utf-8").write(stories[len(stories) - len(stories) // 10:])
print(f"new text: {len(new)} sentences, {size} bytes; dev: {len(dev)} sentences", file=sys.stderr)
EOF

common=(--threads "$threads" --seed 1337 --eval-every 250 --log-every 250)
train() {
    local name="$1"; shift
    echo "== $name: dikkat train $*" >&2
    local start=$SECONDS
    "$dikkat" train --out "$work/$name" "$@" "${common[@]}" >&2
    echo "$((SECONDS - start))" > "$work/$name.seconds"
}
train pretrain --preset demo --data "$shared/turkish.txt" --steps "$pretrain_steps"
train finetune --init-from "$work/pretrain" --data "$work/tatoeba-tr.txt" --steps "$steps"
train frozen --init-from "$work/pretrain" --data "$work/tatoeba-tr.txt" --steps "$steps" \
    --freeze embeddings,blocks:2
train scratch --preset demo --data "$work/tatoeba-tr.txt" --steps "$steps"
train scratch-long --preset demo --data "$work/tatoeba-tr.txt" --steps "$((pretrain_steps + steps))"

eval_loss() {  # model, text: the mean loss per character over the whole text
    "$dikkat" eval --model "$work/$1" --data "$2" --threads "$threads" --json |
        python3 -c "import json, sys; print('%.4f' % json.load(sys.stdin)['loss'])"
}
val_losses() {  # "step:val_loss ..." at each evaluation (20 random batches of the held-out 10%)
    python3 - "$work/$1/metrics.jsonl" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print(" ".join(f"{r['step']}:{r['val_loss']:.4f}" for r in rows if "val_loss" in r))
EOF
}
sample() {  # a seeded continuation of "Tom " (the commonest start of a Tatoeba sentence)
    "$dikkat" generate --model "$work/$1" --prompt "Tom " --tokens 150 --temperature 0.8 \
        --seed 7 --threads "$threads" | tr '\n' ' '
}

runs=(pretrain finetune frozen scratch scratch-long)
echo
printf '%-12s %6s %8s %14s %14s %15s\n' run steps seconds "val (own 10%)" "dev-tr (eval)" "stories (eval)"
for run in "${runs[@]}"; do
    case $run in
        pretrain) n="$pretrain_steps" ;;
        scratch-long) n="$((pretrain_steps + steps))" ;;
        *) n="$steps" ;;
    esac
    stories="-"
    [[ $run != scratch* ]] && stories="$(eval_loss "$run" "$work/stories-val.txt")"
    last="$(val_losses "$run")"
    printf '%-12s %6s %8s %14s %14s %15s\n' "$run" "$n" "$(cat "$work/$run.seconds")" \
        "${last##*:}" "$(eval_loss "$run" "$work/dev-tr.txt")" "$stories"
done
echo
echo "val_loss at each evaluation (step:loss):"
for run in "${runs[@]}"; do
    echo "  $run: $(val_losses "$run")"
done
echo
for run in "${runs[@]}"; do
    echo "$run: $(sample "$run")"
done
echo
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p'), threads $threads"
