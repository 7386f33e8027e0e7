"""Write the bigram model's test fixture (tests/fixtures/bigram.safetensors).

nanoGPT's bigram.py model in PyTorch: logits = token_embedding_table(idx), the
mean cross-entropy of the targets. The fixture holds the config (header
metadata), the table, one batch of inputs and targets, and PyTorch's logits,
loss and the table's gradient.

    /usr/bin/python3 tests/reference/make_bigram_fixture.py          # write + check
    /usr/bin/python3 tests/reference/make_bigram_fixture.py --check  # check only
"""

import argparse
import json
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from make_fixtures import FIXTURE_DIR, read_safetensors, write_safetensors  # noqa: E402

CONFIG = dict(arch="bigram", vocab_size=7, context=5)
B, T, SEED = 3, 5, 4001
PATH = os.path.normpath(os.path.join(FIXTURE_DIR, "bigram.safetensors"))


def run(table, inputs, targets, dtype):
    model = nn.Embedding(CONFIG["vocab_size"], CONFIG["vocab_size"]).to(dtype)
    with torch.no_grad():
        model.weight.copy_(table.to(dtype))
    logits = model(inputs)
    loss = F.cross_entropy(logits.view(-1, CONFIG["vocab_size"]), targets.view(-1))
    loss.backward()
    return logits, loss, model.weight.grad


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only read back and verify")
    args = ap.parse_args()
    if not args.check:
        torch.manual_seed(SEED)
        V = CONFIG["vocab_size"]
        table = torch.randn(V, V).float()
        inputs = torch.randint(0, V, (B, T))
        targets = torch.randint(0, V, (B, T))
        logits, loss, grad = run(table, inputs, targets, torch.float64)
        write_safetensors(PATH, [("param/token_embedding_table.weight", table),
                                 ("input", inputs.to(torch.int32)),
                                 ("target", targets.to(torch.int32)),
                                 ("logits", logits.detach().float()),
                                 ("loss", loss.detach().float().reshape([])),
                                 ("grad/token_embedding_table.weight", grad.float())],
                          {"config": json.dumps(CONFIG)})
        print(f"wrote {PATH}  ({os.path.getsize(PATH)} bytes)")
    _, t = read_safetensors(PATH)
    logits, loss, grad = run(t["param/token_embedding_table.weight"], t["input"].long(),
                             t["target"].long(), torch.float32)
    d = max((logits.detach() - t["logits"]).abs().max().item(),
            abs(loss.item() - t["loss"].item()),
            (grad - t["grad/token_embedding_table.weight"]).abs().max().item())
    assert d < 1e-5, d
    print(f"  check bigram: ok  loss={t['loss'].item():.6f}  max|diff|={d:.1e} (fp32 vs fp64)")


if __name__ == "__main__":
    torch.set_num_threads(1)
    main()
