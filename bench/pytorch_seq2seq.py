"""PyTorch baseline for dikkat's translation benchmark (bench/translation_speed.sh).

The encoder-decoder of tests/reference/seq2seq_reference.py (the same shape and
parameter names as dikkat's --arch seq2seq), at its best CPU settings: plain
matmuls, fused Adam, torch.inference_mode for decoding.

  train:     replays the batch shapes (rows, source, target) of a dikkat run's
             metrics.jsonl with random ids, Adam + label smoothing + clipping as
             dikkat's config says; tokens/s counts the same real target tokens
             dikkat counted for each batch; --bf16 runs forward and loss under
             bf16 autocast (PyTorch's mixed precision).
  translate: loads a dikkat model directory (config.json, model.safetensors) and
             translates sentences given as token ids, greedy or beam search,
             batched, decoding incrementally as fairseq does: the encoder's output
             is projected to each layer's cross-attention keys and values once,
             each step feeds only the newest token and appends its keys and values
             to the self-attention cache, and the caches follow the hypotheses
             chosen at each step (index_select, fairseq's reorder_incremental_state).

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
from seq2seq_reference import Seq2seq, feed_forward, full_config, loss_of, residual  # noqa: E402


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
    autocast = torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16)
    rates = []
    for m in shapes:
        B, S, T = m["batch"]
        source = torch.randint(0, V, (B, S))
        lengths = torch.full((B,), S)
        inputs = torch.randint(0, V, (B, T))
        targets = torch.randint(0, V, (B, T))
        start = time.perf_counter()
        with autocast:
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


class IncrementalDecoder:
    """Decodes one token per row per step for `Seq2seq`, keeping per layer the self-attention
    keys/values of the tokens fed so far and the cross-attention keys/values of the source."""

    def __init__(self, model, source, lengths):
        self.model, cfg = model, model.cfg
        self.n_head = cfg["n_head"]
        _, self.table = model.tables()
        self.positions = model.positions("decoder", cfg["context"], self.table.dtype)
        memory, self.keys_ok, _ = model.encode(source, lengths)
        self.cross = [tuple(self.split_heads(t) for t in layer.encoder_attn.kv_proj(memory)
                            .split(cfg["n_embd"], dim=-1)) for layer in model.decoder_layers]
        self.cache = [None] * len(model.decoder_layers)
        self.fed = 0

    def split_heads(self, x):
        """(N, T, C) -> (N, heads, T, C / heads)"""
        N, T, C = x.shape
        return x.view(N, T, self.n_head, C // self.n_head).transpose(1, 2)

    def attend(self, q, k, v, mask=None):
        """q (N,H,1,hs) over k, v (N,H,T,hs) -> (N, 1, C)"""
        scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
        if mask is not None:
            scores = scores.masked_fill(~mask, float("-inf"))
        out = torch.softmax(scores, dim=-1) @ v
        return out.transpose(1, 2).reshape(q.shape[0], 1, -1)

    def select_rows(self, rows):
        """Keeps decoder rows `rows` (a row may repeat: two hypotheses with one parent)."""
        idx = torch.tensor(rows)
        self.keys_ok = self.keys_ok.index_select(0, idx)
        self.cross = [(k.index_select(0, idx), v.index_select(0, idx)) for k, v in self.cross]
        self.cache = [(k.index_select(0, idx), v.index_select(0, idx)) for k, v in self.cache]

    def step(self, tokens):
        """tokens (N,) -> logits (N, V) of the next token after each row's prefix."""
        model, cfg = self.model, self.model.cfg
        C = cfg["n_embd"]
        y = F.embedding(tokens[:, None], self.table) * math.sqrt(C) + self.positions[self.fed]
        for i, layer in enumerate(model.decoder_layers):
            def self_attention(h):
                q, k, v = (self.split_heads(t) for t in layer.self_attn.qkv_proj(h).split(C, dim=-1))
                if self.cache[i] is not None:
                    k = torch.cat([self.cache[i][0], k], dim=2)
                    v = torch.cat([self.cache[i][1], v], dim=2)
                self.cache[i] = (k, v)
                return layer.self_attn.out_proj(self.attend(q, k, v)), None

            def cross_attention(h):
                q = self.split_heads(layer.encoder_attn.q_proj(h))
                k, v = self.cross[i]
                return layer.encoder_attn.out_proj(self.attend(q, k, v, self.keys_ok)), None

            y, _ = residual(cfg, y, layer.self_attn_layer_norm, self_attention)
            y, _ = residual(cfg, y, layer.encoder_attn_layer_norm, cross_attention)
            y, _ = residual(cfg, y, layer.final_layer_norm, lambda h: (feed_forward(cfg, layer, h), None))
        if cfg["norm"] == "pre":
            y = model.decoder_layer_norm(y)
        self.fed += 1
        return model.head(y[:, 0])


def beam_search(model, cfg, sources, end, beam, length_penalty):
    """dikkat's rules (src/generate/translator.cpp): each sentence keeps `beam`
    hypotheses; the best 2*beam continuations of all of them are ranked; one
    ending in `end` is finished; a sentence is done when `beam` are finished or
    it reaches 2 * source + 10 tokens; the best finished scores
    log P / length^length_penalty. Returns ids per sentence."""
    n = len(sources)
    S = max(len(s) + 1 for s in sources)
    src = torch.full((n, S), end, dtype=torch.long)
    lengths = torch.tensor([len(s) + 1 for s in sources])
    for i, s in enumerate(sources):
        src[i, : len(s)] = torch.tensor(s)
    decoder = IncrementalDecoder(model, src, lengths)
    # A hypothesis: (tokens, log P, the decoder row it was extended from at the last step).
    live = [[([], 0.0, None)] for _ in range(n)]
    finished = [[] for _ in range(n)]
    max_len = [min(2 * len(s) + 10, cfg["context"]) for s in sources]
    active = list(range(n))
    step = 0
    while active:
        tokens = torch.tensor([hyp[0][-1] if hyp[0] else end for i in active for hyp in live[i]])
        logp = F.log_softmax(decoder.step(tokens).double(), dim=-1)
        r = 0
        still = []
        for i in active:
            cands = []
            for hyp in live[i]:
                top = torch.topk(logp[r], min(2 * beam, logp.shape[1]))
                for lp, tok in zip(top.values.tolist(), top.indices.tolist()):
                    cands.append((hyp[1] + lp, hyp[0] + [tok], r))
                r += 1
            cands.sort(key=lambda c: -c[0])
            nxt = []
            last = step + 1 >= max_len[i]
            for score, toks, row in cands:
                if len(nxt) == beam:
                    break
                if toks[-1] == end or last:
                    finished[i].append((toks, score))
                    continue
                nxt.append((toks, score, row))
            live[i] = nxt
            if len(finished[i]) >= beam or not nxt or last:
                continue
            still.append(i)
        active = still
        if active:
            decoder.select_rows([hyp[2] for i in active for hyp in live[i]])
        step += 1
    out = []
    for i in range(n):
        pool = finished[i] or live[i]
        best = max(pool, key=lambda h: h[1] / len(h[0]) ** length_penalty)[0]
        out.append(best[:-1] if best and best[-1] == end else best)
    return out


def translate(args):
    torch.manual_seed(0)
    sources = [[int(x) for x in line.split()] for line in open(args.ids)]
    end = args.end_token
    start = time.perf_counter()  # model load included, as in dikkat's whole translate command
    cfg, model = load_model(args.model)
    generated = 0
    order = sorted(range(len(sources)), key=lambda i: len(sources[i]))
    result = [None] * len(sources)
    with torch.inference_mode():
        for first in range(0, len(order), args.batch):
            chunk = order[first:first + args.batch]
            ids = beam_search(model, cfg, [sources[i] for i in chunk], end, args.beam,
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
    t.add_argument("--bf16", action="store_true", help="bf16 autocast (mixed precision) instead of fp32")
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
