"""PyTorch baseline for dikkat's recurrent translators (bench/rnn_speed.sh).

The encoder-decoder of tests/reference/rnn_reference.py (the same shape and
parameter names as dikkat's --arch rnn: nn.GRU / nn.LSTM stacks, the encoder on
packed sequences, Bahdanau's decoder one step at a time), at its best CPU
settings: fused (foreach) Adam, float32.

Replays the batch shapes (rows, source, target) of a dikkat run's metrics.jsonl
with random ids, Adam + label smoothing + clipping as dikkat's config says;
tokens/s counts the same real target tokens dikkat counted for each batch.

Last line of output (parsed by the shell script):
  pytorch tokens_per_s=<median> steps=<n> peak_rss_mb=<mb>
"""

import argparse
import json
import os
import resource
import statistics
import sys
import time

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "reference"))
from rnn_reference import Rnn, full_config, loss_of  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", required=True, help="the dikkat run's config.json")
    ap.add_argument("--metrics", required=True, help="the dikkat run's metrics.jsonl")
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--skip", type=int, default=3, help="warm-up steps left out of the median")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    run = json.load(open(args.config))
    cfg = full_config(run["model"])
    tc = run["train"]
    shapes = [json.loads(line) for line in open(args.metrics) if '"batch"' in line][: args.steps]
    torch.manual_seed(0)
    model = Rnn(cfg)
    opt = torch.optim.Adam(model.parameters(), lr=tc["lr"], betas=(tc["beta1"], tc["beta2"]),
                           eps=tc["adam_eps"], foreach=True)
    V = cfg["vocab_size"]
    rates = []
    for m in shapes:
        B, S, T = m["batch"]
        source = torch.randint(0, V, (B, S))
        lengths = torch.full((B,), S)
        inputs = torch.randint(0, V, (B, T))
        targets = torch.randint(0, V, (B, T))
        start = time.perf_counter()
        logits, _ = model(source, lengths, inputs)
        loss = loss_of(cfg, logits, targets, cfg["label_smoothing"])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        if tc["grad_clip"] > 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), tc["grad_clip"])
        opt.step()
        rates.append(m["tokens"] / (time.perf_counter() - start))
    kept = rates[args.skip:]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(f"pytorch tokens_per_s={statistics.median(kept):.1f} steps={len(kept)} "
          f"peak_rss_mb={peak:.0f}")


if __name__ == "__main__":
    main()
