"""PyTorch baseline for dikkat's training-speed benchmark.

Trains the reference GPT (tests/reference/gpt_reference.py) with dikkat's
`shakespeare-cpu` preset on a char-level encoding of a text file, the way
nanoGPT's shakespeare_char does, and reports training throughput.

    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/pytorch_train.py \
        --data ../shared/data/tinyshakespeare.txt --steps 60 --threads 2

Last line of output (parsed by bench/train_speed.sh):
    pytorch tokens_per_s=<median over steps after warm-up> steps=<n> final_train_loss=<x>
"""

import argparse
import json
import math
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "reference"))
from gpt_reference import GPT, configure_adamw, from_dikkat, num_params  # noqa: E402

# dikkat's shakespeare-cpu preset (vocab_size is filled in from the data).
MODEL = dict(n_layer=4, n_head=4, n_embd=128, context=64, ffn_mult=4,
             activation="gelu", positions="learned", tie_head=True, head_bias=False,
             qkv_bias=True, proj_bias=True, ffn_bias=True, ln_bias=True,
             ffn_norm=True, norm="pre", dropout=0.0, ln_eps=1e-5)
BATCH = 12
LR, MIN_LR = 1e-3, 1e-4
BETAS = (0.9, 0.99)
WEIGHT_DECAY = 0.1
LR_WARMUP, LR_DECAY_STEPS = 100, 2000
GRAD_CLIP = 1.0
SEED = 1337


def get_lr(step):
    """Linear warm-up, then cosine decay to MIN_LR at LR_DECAY_STEPS (nanoGPT)."""
    if step < LR_WARMUP:
        return LR * (step + 1) / (LR_WARMUP + 1)
    if step > LR_DECAY_STEPS:
        return MIN_LR
    ratio = (step - LR_WARMUP) / (LR_DECAY_STEPS - LR_WARMUP)
    return MIN_LR + 0.5 * (1.0 + math.cos(math.pi * ratio)) * (LR - MIN_LR)


def load_chars(path):
    with open(path, "r", encoding="utf-8") as f:
        text = f.read()
    chars = sorted(set(text))
    stoi = {ch: i for i, ch in enumerate(chars)}
    data = torch.tensor([stoi[ch] for ch in text], dtype=torch.int64)
    n = int(0.9 * len(data))
    return data[:n], data[n:], len(chars)


def get_batch(data, batch, context):
    """Random windows of `context` tokens; targets are the inputs shifted by one."""
    ix = torch.randint(len(data) - context, (batch,))
    x = torch.stack([data[i:i + context] for i in ix])
    y = torch.stack([data[i + 1:i + 1 + context] for i in ix])
    return x, y


def main():
    ap = argparse.ArgumentParser(description="PyTorch baseline for bench/train_speed.sh")
    ap.add_argument("--data", required=True, help="UTF-8 text file (char-level vocab)")
    ap.add_argument("--steps", type=int, default=60)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--warmup-steps", type=int, default=5,
                    help="timed steps to leave out of the median (not the LR warm-up)")
    ap.add_argument("--preset-json", help="train this dikkat preset instead of shakespeare-cpu: "
                    "the JSON line of `dikkat info --preset P --json` (model shape, batch)")
    ap.add_argument("--batch", type=int, help="batch size (default: the preset's)")
    ap.add_argument("--bf16", action="store_true",
                    help="bf16 autocast (mixed precision) instead of fp32")
    ap.add_argument("--seed", type=int, default=SEED, help="torch.manual_seed (default 1337)")
    ap.add_argument("--final-eval", type=int, default=0, metavar="BATCHES",
                    help="after training, print the mean validation loss over this many "
                         "random batches (nanoGPT's estimate_loss; 20 for shakespeare-cpu)")
    args = ap.parse_args()
    if args.steps <= args.warmup_steps:
        ap.error("--steps must be larger than --warmup-steps")

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    train, val, vocab = load_chars(args.data)
    model_cfg, batch = MODEL, BATCH
    if args.preset_json:
        preset = json.loads(args.preset_json)
        model_cfg, batch = from_dikkat(preset["model"]), preset["train"]["batch_size"]
    if args.batch:
        batch = args.batch
    cfg = dict(model_cfg, vocab_size=vocab)
    model = GPT(cfg)  # the constructor applies the GPT-2 init (init_gpt2)
    model.train()
    opt = configure_adamw(model, LR, BETAS, WEIGHT_DECAY)
    print(f"pytorch {torch.__version__}: {num_params(model)} parameters, vocab {vocab}, "
          f"threads {torch.get_num_threads()}", file=sys.stderr)

    tokens_per_step = batch * cfg["context"]
    autocast = torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16)
    rates, loss = [], None
    for step in range(args.steps):
        t0 = time.perf_counter()
        # Batch sampling is inside the timed region: dikkat's step time
        # includes its own data loading too.
        x, y = get_batch(train, batch, cfg["context"])
        for g in opt.param_groups:
            g["lr"] = get_lr(step)
        with autocast:
            _, loss = model(x, y)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), GRAD_CLIP)
        opt.step()
        loss = loss.item()  # also forces completion of the step
        dt = time.perf_counter() - t0
        rates.append(tokens_per_step / dt)

    median = statistics.median(rates[args.warmup_steps:])
    print(f"pytorch tokens_per_s={median:.1f} steps={args.steps} final_train_loss={loss:.4f}")
    if args.final_eval:
        model.eval()
        with torch.no_grad():
            losses = [model(*get_batch(val, batch, cfg["context"]))[1].item()
                      for _ in range(args.final_eval)]
        print(f"pytorch final_val_loss={statistics.mean(losses):.4f} "
              f"over {args.final_eval} batches")


if __name__ == "__main__":
    main()
