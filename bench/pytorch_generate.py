"""PyTorch baseline for bench/generate_speed.sh: greedy generation, batch 1.

Builds the reference GPT (tests/reference/gpt_reference.py) from a model config given as JSON
(what `dikkat info --preset P --json` prints), with random weights, and generates greedily the
way a plain PyTorch loop without a KV cache does: every new token runs the model over the whole
window so far. Also measures the machine's memory bandwidth (STREAM triad on torch's threads), the bound that
generation with a KV cache is held to.

    /usr/bin/python3 bench/pytorch_generate.py --config '{"n_layer": 6, ...}' --threads 2

Last line: pytorch prompt_tokens_per_s=<x> generated_tokens_per_s=<y> bandwidth_gb_per_s=<z>
"""

import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "reference"))
from gpt_reference import GPT, from_dikkat  # noqa: E402


def triad_gb_per_s(repeats=10):
    """STREAM's triad a = b + s * c over arrays far larger than the caches, on torch's threads
    (the same count dikkat gets): three arrays of float32 moved per pass, best of `repeats`."""
    n = 64 * 1024 * 1024
    b = torch.ones(n)
    c = torch.ones(n)
    a = torch.empty(n)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        torch.add(b, c, alpha=3.0, out=a)
        best = min(best, time.perf_counter() - start)
    return 3 * 4 * n / best / 1e9


def main():
    ap = argparse.ArgumentParser(description="PyTorch generation baseline")
    ap.add_argument("--config", required=True, help="model config as JSON")
    ap.add_argument("--prompt-tokens", type=int, default=64)
    ap.add_argument("--tokens", type=int, default=32)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    cfg = from_dikkat(json.loads(args.config))
    model = GPT(cfg).eval()
    context = cfg["context"]
    prompt_len = min(args.prompt_tokens, context // 2)
    idx = torch.randint(cfg["vocab_size"], (1, prompt_len))
    with torch.no_grad():
        model(idx)  # warm-up
        start = time.perf_counter()
        model(idx)
        prompt_s = time.perf_counter() - start
        start = time.perf_counter()
        n = min(args.tokens, context - prompt_len)
        for _ in range(n):
            logits, _ = model(idx[:, -context:])
            idx = torch.cat([idx, logits[:, -1].argmax(-1, keepdim=True)], dim=1)
        gen_s = time.perf_counter() - start
    print(f"pytorch prompt_tokens_per_s={prompt_len / prompt_s:.1f} "
          f"generated_tokens_per_s={n / gen_s:.2f} bandwidth_gb_per_s={triad_gb_per_s():.1f}")


if __name__ == "__main__":
    main()
