"""Write the recurrent encoder-decoder test fixtures for dikkat's C++ tests.

Each fixture (tests/fixtures/rnn_*.safetensors) holds a model config (in the
header metadata), its parameters, one padded batch — source ids with their
lengths, decoder inputs, and targets with -1 at padded positions — and
PyTorch's logits, label-smoothed loss, every gradient and (with attention) the
alignment weights (B,T,S).

    /usr/bin/python3 tests/reference/make_rnn_fixtures.py          # write + check
    /usr/bin/python3 tests/reference/make_rnn_fixtures.py --check  # check only

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
from make_seq2seq_fixtures import padded_batch  # noqa: E402
from rnn_reference import Rnn, full_config, loss_of  # noqa: E402

# name -> (config, source lengths, target lengths, seed)
FIXTURES = {
    # The default shape: GRU, bidirectional, Bahdanau; two layers on each side, so the
    # step-by-step decoder carries two states; three-way tying, label smoothing.
    "rnn_gru_bahdanau": (
        dict(vocab_size=17, n_layer=2, n_encoder_layer=2, n_embd=6, hidden=5, cell="gru",
             attention="bahdanau", label_smoothing=0.1),
        [7, 3, 1], [5, 6, 2], 3001),
    # LSTM with Luong attention over the whole target; separate tables, an untied head with a
    # bias, two decoder layers.
    "rnn_lstm_luong": (
        dict(vocab_size=13, n_layer=2, n_encoder_layer=1, n_embd=6, hidden=4, cell="lstm",
             attention="luong", share_embeddings=False, tie_head=False, head_bias=True),
        [4, 6], [6, 3], 3002),
    # LSTM with Bahdanau: the cell state carried step to step.
    "rnn_lstm_bahdanau": (
        dict(vocab_size=11, n_layer=1, n_encoder_layer=1, n_embd=5, hidden=4, cell="lstm",
             attention="bahdanau", head_bias=True),
        [5, 2], [4, 4], 3003),
    # No attention (Cho et al.): a one-way encoder's final state is the whole context.
    "rnn_gru_none": (
        dict(vocab_size=13, n_layer=1, n_encoder_layer=2, n_embd=6, hidden=5, cell="gru",
             attention="none", bidirectional=False),
        [6, 2, 4], [3, 5, 4], 3004),
}


def fixture_params(model, seed):
    return draw_params(model.dikkat_names().items(), seed, lambda name: False)


def run(cfg, params, source, lengths, inputs, targets, dtype):
    model = Rnn(cfg).to(dtype)
    with torch.no_grad():
        for name, p in model.dikkat_names().items():
            p.copy_(params[name].to(dtype))
    logits, alignment = model(source, lengths, inputs)
    loss = loss_of(cfg, logits, targets, cfg["label_smoothing"])
    loss.backward()
    grads = {name: p.grad for name, p in model.dikkat_names().items()}
    return logits, loss, grads, alignment


def build(name):
    partial, src_lens, tgt_lens, seed = FIXTURES[name]
    cfg = full_config(partial)
    params = fixture_params(Rnn(cfg), seed)
    source, lengths, inputs, targets = padded_batch(cfg["vocab_size"], src_lens, tgt_lens)
    logits, loss, grads, alignment = run(cfg, params, source, lengths, inputs, targets,
                                         torch.float64)
    tensors = [(f"param/{k}", v) for k, v in params.items()]
    tensors += [("source", source.to(torch.int32)), ("source_lengths", lengths.to(torch.int32)),
                ("input", inputs.to(torch.int32)), ("target", targets.to(torch.int32)),
                ("logits", logits.detach().float()), ("loss", loss.detach().float().reshape([]))]
    tensors += [(f"grad/{k}", g.float()) for k, g in grads.items()]
    if alignment is not None:
        tensors.append(("alignment", alignment.detach().float()))
    return tensors, {"config": json.dumps(cfg)}


def check(name, path):
    """Recompute in float32 from the stored parameters: within the C++ tests' tolerances."""
    meta, t = read_safetensors(path)
    cfg = json.loads(meta["config"])
    params = {k[6:]: v for k, v in t.items() if k.startswith("param/")}
    assert sorted(params) == sorted(Rnn(cfg).dikkat_names()), "parameter names differ"
    logits, loss, grads, alignment = run(cfg, params, t["source"].long(),
                                         t["source_lengths"].long(), t["input"].long(),
                                         t["target"].long(), torch.float32)
    d_logits = (logits.detach() - t["logits"]).abs().max().item()
    d_loss = abs(loss.item() - t["loss"].item())
    d_grad = max((g - t[f"grad/{k}"]).abs().max().item() for k, g in grads.items())
    d_w = 0.0 if alignment is None else (alignment.detach() - t["alignment"]).abs().max().item()
    assert d_logits < 1e-4 and d_loss < 1e-5 and d_grad < 1e-4 and d_w < 1e-5, \
        (d_logits, d_loss, d_grad, d_w)
    print(f"  check {name}: ok  params={sum(p.numel() for p in params.values())}  "
          f"loss={t['loss'].item():.6f}  max|dlogits|={d_logits:.1e} |dloss|={d_loss:.1e} "
          f"max|dgrad|={d_grad:.1e} max|dalignment|={d_w:.1e} (fp32 vs fp64)")


if __name__ == "__main__":
    torch.set_num_threads(1)
    write_and_check(__doc__, FIXTURES, lambda name: FIXTURES[name][3] + 7, build, check)
