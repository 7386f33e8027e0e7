"""Write the encoder-decoder test fixtures for dikkat's C++ tests.

Each fixture (tests/fixtures/seq2seq_*.safetensors) holds a model config (in
the header metadata), its parameters, one padded batch — source ids with their
lengths, decoder inputs, and targets with -1 at padded positions — and
PyTorch's logits, label-smoothed loss, every gradient and every attention
table (encoder self-attention, decoder self-attention, cross-attention).

    /usr/bin/python3 tests/reference/make_seq2seq_fixtures.py          # write + check
    /usr/bin/python3 tests/reference/make_seq2seq_fixtures.py --check  # check only

As in make_fixtures.py, parameters are drawn in float32, the reference runs in
float64 and the outputs are rounded to float32 once.
"""

import json
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from make_fixtures import draw_params, read_safetensors, write_and_check  # noqa: E402
from seq2seq_reference import Seq2seq, full_config, loss_of  # noqa: E402

# name -> (config, source lengths, target lengths, seed)
FIXTURES = {
    # The default shape: pre-norm, sinusoidal positions, three-way tying, label smoothing.
    "seq2seq_prenorm_tied": (
        dict(vocab_size=17, n_layer=2, n_encoder_layer=1, n_head=2, n_embd=8, context=80,
             ffn_mult=4, activation="relu", positions="sinusoidal", norm="pre",
             tie_head=True, head_bias=False, share_embeddings=True, label_smoothing=0.1),
        # 70 source keys: two attention tiles, the second partial
        [70, 9, 1], [5, 7, 2], 2001),
    # The paper's post-norm, learned positions, separate tables, untied head with a bias, GELU,
    # no linear biases; more heads, different encoder and decoder depths.
    "seq2seq_postnorm_untied": (
        dict(vocab_size=13, n_layer=1, n_encoder_layer=3, n_head=4, n_embd=8, context=12,
             ffn_mult=2, activation="gelu", positions="learned", norm="post",
             tie_head=False, head_bias=True, share_embeddings=False, label_smoothing=0.0,
             qkv_bias=False, proj_bias=False, ffn_bias=False, ln_bias=False),
        [4, 6], [6, 3], 2002),
}


def fixture_params(model, seed):
    return draw_params(model.dikkat_names().items(), seed, lambda name: "layer_norm" in name)


def padded_batch(V, source_lengths, target_lengths):
    B, S, T = len(source_lengths), max(source_lengths), max(target_lengths)
    source = torch.randint(0, V, (B, S), dtype=torch.int64)
    inputs = torch.randint(0, V, (B, T), dtype=torch.int64)
    targets = torch.randint(0, V, (B, T), dtype=torch.int64)
    for b in range(B):
        targets[b, target_lengths[b]:] = -1
    return source, torch.tensor(source_lengths), inputs, targets


def run(cfg, params, source, lengths, inputs, targets, dtype):
    model = Seq2seq(cfg).to(dtype)
    with torch.no_grad():
        for name, p in model.dikkat_names().items():
            p.copy_(params[name].to(dtype))
    logits, weights = model(source, lengths, inputs)
    loss = loss_of(cfg, logits, targets, cfg["label_smoothing"])
    loss.backward()
    grads = {name: p.grad for name, p in model.dikkat_names().items()}
    return logits, loss, grads, weights


def build(name):
    partial, src_lens, tgt_lens, seed = FIXTURES[name]
    cfg = full_config(partial)
    params = fixture_params(Seq2seq(cfg), seed)
    source, lengths, inputs, targets = padded_batch(cfg["vocab_size"], src_lens, tgt_lens)
    logits, loss, grads, weights = run(cfg, params, source, lengths, inputs, targets, torch.float64)
    tensors = [(f"param/{k}", v) for k, v in params.items()]
    tensors += [("source", source.to(torch.int32)), ("source_lengths", lengths.to(torch.int32)),
                ("input", inputs.to(torch.int32)), ("target", targets.to(torch.int32)),
                ("logits", logits.detach().float()), ("loss", loss.detach().float().reshape([]))]
    tensors += [(f"grad/{k}", g.float()) for k, g in grads.items()]
    for kind, per_layer in weights.items():
        tensors += [(f"weights/{kind}.{i}", w.detach().float()) for i, w in enumerate(per_layer)]
    return tensors, {"config": json.dumps(cfg)}


def check(name, path):
    """Recompute in float32 from the stored parameters: within the C++ tests' tolerances."""
    meta, t = read_safetensors(path)
    cfg = json.loads(meta["config"])
    params = {k[6:]: v for k, v in t.items() if k.startswith("param/")}
    assert sorted(params) == sorted(Seq2seq(cfg).dikkat_names()), "parameter names differ"
    logits, loss, grads, weights = run(cfg, params, t["source"].long(), t["source_lengths"].long(),
                                       t["input"].long(), t["target"].long(), torch.float32)
    d_logits = (logits.detach() - t["logits"]).abs().max().item()
    d_loss = abs(loss.item() - t["loss"].item())
    d_grad = max((g - t[f"grad/{k}"]).abs().max().item() for k, g in grads.items())
    d_w = max((w.detach() - t[f"weights/{kind}.{i}"]).abs().max().item()
              for kind, ws in weights.items() for i, w in enumerate(ws))
    assert d_logits < 1e-4 and d_loss < 1e-5 and d_grad < 1e-4 and d_w < 1e-5, \
        (d_logits, d_loss, d_grad, d_w)
    print(f"  check {name}: ok  params={sum(p.numel() for p in params.values())}  "
          f"loss={t['loss'].item():.6f}  max|dlogits|={d_logits:.1e} |dloss|={d_loss:.1e} "
          f"max|dgrad|={d_grad:.1e} max|dweights|={d_w:.1e} (fp32 vs fp64)")


if __name__ == "__main__":
    torch.set_num_threads(1)
    write_and_check(__doc__, FIXTURES, lambda name: FIXTURES[name][3] + 7, build, check)
