"""PyTorch baseline for dikkat's translation benchmark (bench/translation_speed.sh).

The encoder-decoder of tests/reference/seq2seq_reference.py (the same shape and
parameter names as dikkat's --arch seq2seq), at its best CPU settings: plain
matmuls, fused Adam, torch.inference_mode for decoding.

  train:     replays the batch shapes (rows, source, target) of a dikkat run's
             metrics.jsonl with random ids, Adam + label smoothing + clipping as
             dikkat's config says; tokens/s counts the same real target tokens
             dikkat counted for each batch.
  translate: loads a dikkat model directory (config.json, model.safetensors) and
             translates sentences given as token ids, greedy or beam search,
             batched, without a KV cache (PyTorch has none for this model: each
             step reruns the decoder over the prefix).

Last line of output (parsed by the shell script):
  pytorch tokens_per_s=<median> ...        or
  pytorch sentences_per_s=<rate> tokens=<generated> seconds=<s>
"""

import argparse
import json
import math
import os
import resource
import statistics
import sys
import time

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "reference"))
from make_fixtures import read_safetensors  # noqa: E402
from seq2seq_reference import Seq2seq, full_config, loss_of  # noqa: E402


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def train(args, model_class=Seq2seq, config_of=full_config):
    """Replays a dikkat run's batch shapes with `model_class(config_of(run's model))`: any model
    whose forward takes (source, lengths, inputs) and returns (logits, extra)."""
    run = json.load(open(args.config))
    cfg = config_of(run["model"])
    tc = run["train"]
    shapes = [json.loads(line) for line in open(args.metrics) if '"batch"' in line]
    shapes = shapes[: args.steps]
    torch.manual_seed(0)
    model = model_class(cfg)
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
    print(f"pytorch tokens_per_s={statistics.median(kept):.1f} steps={len(kept)} "
          f"peak_rss_mb={peak_rss_mb():.0f}")


def load_model(model_dir):
    run = json.load(open(os.path.join(model_dir, "config.json")))
    cfg = full_config(run["model"])
    model = Seq2seq(cfg)
    _, tensors = read_safetensors(os.path.join(model_dir, "model.safetensors"))
    with torch.no_grad():
        for name, p in model.dikkat_names().items():
            p.copy_(tensors[name])
    model.eval()
    return cfg, model


def beam_search(model, cfg, sources, end, beam, length_penalty):
    """dikkat's rules (src/generate/translator.cpp): each sentence keeps `beam`
    hypotheses; the best 2*beam continuations of all of them are ranked; one
    ending in `end` is finished; a sentence is done when `beam` are finished or
    it reaches 2 * source + 10 tokens; the best finished scores
    log P / length^length_penalty. Returns ids per sentence and tokens fed."""
    n = len(sources)
    S = max(len(s) + 1 for s in sources)
    src = torch.full((n, S), end, dtype=torch.long)
    lengths = torch.tensor([len(s) + 1 for s in sources])
    for i, s in enumerate(sources):
        src[i, : len(s)] = torch.tensor(s)
    live = [[([], 0.0)] for _ in range(n)]
    finished = [[] for _ in range(n)]
    max_len = [min(2 * len(s) + 10, cfg["context"]) for s in sources]
    active = list(range(n))
    fed = 0
    step = 0
    while active:
        rows, owners = [], []
        for i in active:
            for hyp in live[i]:
                rows.append([end] + hyp[0])
                owners.append(i)
        inputs = torch.tensor(rows)
        idx = torch.tensor(owners)
        logits, _ = model(src[idx], lengths[idx], inputs)
        logp = F.log_softmax(logits[:, -1].double(), dim=-1)
        fed += len(rows)
        r = 0
        still = []
        for i in active:
            cands = []
            for hyp in live[i]:
                top = torch.topk(logp[r], min(2 * beam, logp.shape[1]))
                for lp, tok in zip(top.values.tolist(), top.indices.tolist()):
                    cands.append((hyp[1] + lp, hyp[0] + [tok]))
                r += 1
            cands.sort(key=lambda c: -c[0])
            nxt = []
            last = step + 1 >= max_len[i]
            for score, toks in cands:
                if len(nxt) == beam:
                    break
                if toks[-1] == end or last:
                    finished[i].append((toks, score))
                    continue
                nxt.append((toks, score))
            live[i] = nxt
            if len(finished[i]) >= beam or not nxt or last:
                continue
            still.append(i)
        active = still
        step += 1
    out = []
    for i in range(n):
        pool = finished[i] or live[i]
        best = max(pool, key=lambda h: h[1] / len(h[0]) ** length_penalty)[0]
        out.append(best[:-1] if best and best[-1] == end else best)
    return out, fed


def translate(args):
    torch.manual_seed(0)
    cfg, model = load_model(args.model)
    sources = [[int(x) for x in line.split()] for line in open(args.ids)]
    end = args.end_token
    start = time.perf_counter()
    outputs = []
    generated = 0
    order = sorted(range(len(sources)), key=lambda i: len(sources[i]))
    result = [None] * len(sources)
    with torch.inference_mode():
        for first in range(0, len(order), args.batch):
            chunk = order[first:first + args.batch]
            ids, _ = beam_search(model, cfg, [sources[i] for i in chunk], end, args.beam,
                                 args.length_penalty)
            for i, t in zip(chunk, ids):
                result[i] = t
                generated += len(t) + 1
    seconds = time.perf_counter() - start
    with open(args.out, "w") as f:
        for t in result:
            f.write(" ".join(map(str, t)) + "\n")
    print(f"pytorch sentences_per_s={len(sources) / seconds:.2f} tokens={generated} "
          f"seconds={seconds:.1f} peak_rss_mb={peak_rss_mb():.0f}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="what", required=True)
    t = sub.add_parser("train")
    t.add_argument("--config", required=True, help="a dikkat run's config.json")
    t.add_argument("--metrics", required=True, help="the same run's metrics.jsonl")
    t.add_argument("--steps", type=int, default=30)
    t.add_argument("--skip", type=int, default=3, help="warm-up steps left out of the median")
    t.add_argument("--threads", type=int, default=os.cpu_count())
    d = sub.add_parser("translate")
    d.add_argument("--model", required=True)
    d.add_argument("--ids", required=True, help="one sentence of source ids per line")
    d.add_argument("--end-token", type=int, required=True)
    d.add_argument("--beam", type=int, default=4)
    d.add_argument("--length-penalty", type=float, default=1.0)
    d.add_argument("--batch", type=int, default=32)
    d.add_argument("--out", required=True, help="where the output ids go")
    d.add_argument("--threads", type=int, default=os.cpu_count())
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    train(args) if args.what == "train" else translate(args)


if __name__ == "__main__":
    main()
