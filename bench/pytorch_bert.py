"""PyTorch baseline for dikkat's masked-language-model speed benchmark (bench/bert_speed.sh).

Trains the masked language model of tests/reference/bert_reference.py (PyTorch's
nn.TransformerEncoder with BERT's embeddings and masked-LM head) with the shape
of a dikkat preset, on batches of the same shape dikkat trains on: `batch`
examples of `context` tokens, 15% of them chosen (80% [MASK], 10% random, 10%
kept), the loss on the chosen ones only. Like dikkat, the head runs on the chosen
positions only (BERT's sparse prediction); --dense-head runs it on every position
and scores the chosen ones, as Hugging Face's BertForMaskedLM does. AdamW with
dikkat's settings.

    OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 bench/pytorch_bert.py \\
        --preset-json "$(dikkat info --preset bert-small --json)" --vocab 8000 --steps 30

Last line of output (parsed by bench/bert_speed.sh):
    pytorch tokens_per_s=<median over steps after warm-up> steps=<n> final_train_loss=<x>
"""

import argparse
import json
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "reference"))
from bert_reference import Bert, full_config  # noqa: E402


def masked_batch(batch, context, vocab, generator):
    """Random ids with dikkat's masking: [MASK] is id vocab-4, as the special tokens come last."""
    ids = torch.randint(0, vocab - 4, (batch, context), generator=generator)
    chosen = torch.rand(batch, context, generator=generator) < 0.15
    targets = torch.where(chosen, ids, torch.full_like(ids, -1))
    u = torch.rand(batch, context, generator=generator)
    inputs = torch.where(chosen & (u < 0.8), torch.full_like(ids, vocab - 4), ids)
    random_ids = torch.randint(0, vocab - 4, (batch, context), generator=generator)
    inputs = torch.where(chosen & (u >= 0.8) & (u < 0.9), random_ids, inputs)
    return inputs, targets


def main():
    ap = argparse.ArgumentParser(description="PyTorch baseline for bench/bert_speed.sh")
    ap.add_argument("--preset-json", required=True,
                    help="the JSON line of `dikkat info --preset P --json` (model shape, batch)")
    ap.add_argument("--vocab", type=int, required=True, help="vocabulary size, special tokens included")
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--warmup-steps", type=int, default=5,
                    help="timed steps to leave out of the median")
    ap.add_argument("--bf16", action="store_true",
                    help="bf16 autocast (mixed precision) instead of fp32")
    ap.add_argument("--dense-head", action="store_true",
                    help="the head on every position (Hugging Face's way), not the chosen only")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1337)
    info = json.loads(args.preset_json)
    model_cfg, train = info["model"], info["train"]
    cfg = full_config({k: model_cfg[k] for k in ("n_layer", "n_head", "n_embd", "context",
                                                 "ffn_mult", "activation", "norm", "ln_eps")})
    cfg["vocab_size"] = args.vocab
    model = Bert(cfg)
    model.train()
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    rest = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": train["weight_decay"]},
                             {"params": rest, "weight_decay": 0.0}],
                            lr=train["lr"], betas=(train["beta1"], train["beta2"]),
                            eps=train["adam_eps"])
    batch, context = train["batch_size"], cfg["context"]
    generator = torch.Generator().manual_seed(7)
    pad = torch.zeros(batch, context, dtype=torch.bool)
    e = model.embeddings
    positions = torch.arange(context)

    act = F.gelu if cfg["activation"] == "gelu" else F.relu

    def encoder(x):
        """nn.TransformerEncoder; under bf16 autocast its layers' own steps, with the LayerNorms
        given fp32 input (PyTorch 1.13's CPU autocast hands them bf16 and they refuse it)."""
        if not args.bf16:
            return model.encoder(x, src_key_padding_mask=pad)
        for layer in model.encoder.layers:
            def block(h):
                return layer.self_attn(h, h, h, key_padding_mask=pad, need_weights=False)[0]

            def ffn(h):
                return layer.linear2(act(layer.linear1(h)))

            if layer.norm_first:
                x = x + block(layer.norm1(x.float()))
                x = x + ffn(layer.norm2(x.float()))
            else:
                x = layer.norm1((x + block(x)).float())
                x = layer.norm2((x + ffn(x)).float())
        return model.encoder.norm(x.float()) if model.encoder.norm is not None else x

    def loss_of(inputs, targets):
        x = e.word_embeddings(inputs) + e.position_embeddings(positions)[None]
        if cfg["norm"] == "post":
            x = e.layer_norm(x)
        x = encoder(x).reshape(-1, cfg["n_embd"])
        targets = targets.reshape(-1)
        if not args.dense_head:
            chosen = targets != -1
            x, targets = x[chosen], targets[chosen]
        h = model.head.layer_norm(F.gelu(model.head.transform(x)).float())
        logits = F.linear(h, e.word_embeddings.weight, model.head.bias)
        return F.cross_entropy(logits, targets, ignore_index=-1)

    rates, loss = [], None
    for step in range(args.steps):
        inputs, targets = masked_batch(batch, context, args.vocab, generator)
        start = time.perf_counter()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.bf16):
            loss = loss_of(inputs, targets)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), train["grad_clip"])
        opt.step()
        rates.append(batch * context / (time.perf_counter() - start))
    print(f"pytorch tokens_per_s={statistics.median(rates[args.warmup_steps:]):.1f} "
          f"steps={args.steps} final_train_loss={loss.item():.4f}")


if __name__ == "__main__":
    main()
