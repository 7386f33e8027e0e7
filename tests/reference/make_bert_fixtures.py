"""Write the masked language model test fixtures for dikkat's C++ tests.

Each fixture (tests/fixtures/bert_*.safetensors) holds a model config (in the
header metadata), its parameters, one right-padded batch (ids, lengths, and
targets with -1 everywhere but a few masked positions), and PyTorch's logits,
loss, every gradient and every layer's attention table.

    /usr/bin/python3 tests/reference/make_bert_fixtures.py          # write + check
    /usr/bin/python3 tests/reference/make_bert_fixtures.py --check  # check only

As in make_fixtures.py, parameters are drawn in float32, the reference runs in
float64 and the outputs are rounded to float32 once.
"""

import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from bert_reference import Bert, full_config, loss_of  # noqa: E402
from make_fixtures import draw_params, read_safetensors, write_and_check  # noqa: E402

# name -> (config, lengths, seed)
FIXTURES = {
    # The presets' shape: pre-norm, GELU; 70 positions span two attention tiles.
    "bert_prenorm": (
        dict(vocab_size=19, n_layer=2, n_head=2, n_embd=8, context=72, ffn_mult=4,
             activation="gelu", norm="pre"),
        [70, 9, 1], 3001),
    # BERT's own post-norm (with a LayerNorm on the embeddings), ReLU, more heads.
    "bert_postnorm": (
        dict(vocab_size=13, n_layer=3, n_head=4, n_embd=8, context=12, ffn_mult=2,
             activation="relu", norm="post"),
        [6, 4], 3002),
}


def is_norm(name):
    return "norm" in name


def padded_batch(V, lengths):
    B, T = len(lengths), max(lengths)
    ids = torch.randint(0, V, (B, T), dtype=torch.int64)
    targets = torch.full((B, T), -1, dtype=torch.int64)
    for b in range(B):
        chosen = torch.randperm(lengths[b])[: max(1, lengths[b] // 4)]
        targets[b, chosen] = torch.randint(0, V, (len(chosen),))
    return ids, torch.tensor(lengths), targets


def run(cfg, params, ids, lengths, targets, dtype):
    model = Bert(cfg).to(dtype)
    with torch.no_grad():
        for name, p in model.dikkat_names().items():
            p.copy_(params[name].to(dtype))
    logits, weights = model(ids, lengths)
    loss = loss_of(logits, targets)
    loss.backward()
    grads = {name: p.grad for name, p in model.dikkat_names().items()}
    return logits, loss, grads, weights


def build(name):
    partial, lengths, seed = FIXTURES[name]
    cfg = full_config(partial)
    params = draw_params(Bert(cfg).dikkat_names().items(), seed, is_norm)
    ids, lengths_t, targets = padded_batch(cfg["vocab_size"], lengths)
    logits, loss, grads, weights = run(cfg, params, ids, lengths_t, targets, torch.float64)
    tensors = [(f"param/{k}", v) for k, v in params.items()]
    tensors += [("input", ids.to(torch.int32)), ("lengths", lengths_t.to(torch.int32)),
                ("target", targets.to(torch.int32)), ("logits", logits.detach().float()),
                ("loss", loss.detach().float().reshape([]))]
    tensors += [(f"grad/{k}", g.float()) for k, g in grads.items()]
    tensors += [(f"weights/{i}", w.detach().float()) for i, w in enumerate(weights)]
    return tensors, {"config": json.dumps(cfg)}


def check(name, path):
    """Recompute in float32 from the stored parameters: within the C++ tests' tolerances."""
    meta, t = read_safetensors(path)
    cfg = json.loads(meta["config"])
    params = {k[6:]: v for k, v in t.items() if k.startswith("param/")}
    assert sorted(params) == sorted(Bert(cfg).dikkat_names()), "parameter names differ"
    logits, loss, grads, weights = run(cfg, params, t["input"].long(), t["lengths"].long(),
                                       t["target"].long(), torch.float32)
    d_logits = (logits.detach() - t["logits"]).abs().max().item()
    d_loss = abs(loss.item() - t["loss"].item())
    d_grad = max((g - t[f"grad/{k}"]).abs().max().item() for k, g in grads.items())
    d_w = max((w.detach() - t[f"weights/{i}"]).abs().max().item() for i, w in enumerate(weights))
    assert d_logits < 1e-4 and d_loss < 1e-5 and d_grad < 1e-4 and d_w < 1e-5, \
        (d_logits, d_loss, d_grad, d_w)
    print(f"  check {name}: ok  params={sum(p.numel() for p in params.values())}  "
          f"loss={t['loss'].item():.6f}  max|dlogits|={d_logits:.1e} |dloss|={d_loss:.1e} "
          f"max|dgrad|={d_grad:.1e} max|dweights|={d_w:.1e} (fp32 vs fp64)")


if __name__ == "__main__":
    torch.set_num_threads(1)
    write_and_check(__doc__, FIXTURES, lambda name: FIXTURES[name][2] + 7, build, check)
