"""Write the GPT test fixtures for dikkat's C++ tests.

Each fixture is a hand-written safetensors file under tests/fixtures/ holding
a model config (in the header metadata), its parameters, one batch of inputs
and targets, the reference logits, loss and gradients of the mean loss, and the
step-by-step trace (gpt_reference.trace) of the batch's first sequence.

    /usr/bin/python3 tests/reference/make_fixtures.py          # write + check
    /usr/bin/python3 tests/reference/make_fixtures.py --check  # check only

Parameters are drawn in float32 (that is what the C++ side loads); the
reference forward/backward then runs in float64 and the outputs are rounded to
float32 once, so the stored values are as exact as float32 allows.
"""

import argparse
import json
import os
import struct
import sys

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from gpt_reference import GPT, full_config, num_params, trace, trace_names  # noqa: E402

FIXTURE_DIR = os.path.join(HERE, "..", "fixtures")
MAX_BYTES = 200 * 1024

# name -> (config, batch, seq, seed, expected parameter count or None)
FIXTURES = {
    "gpt_prenorm_learned": (
        dict(vocab_size=11, n_layer=2, n_head=2, n_embd=8, context=8, ffn_mult=4,
             activation="gelu", positions="learned", tie_head=True, head_bias=False,
             qkv_bias=True, proj_bias=True, ffn_bias=True, ln_bias=True,
             ffn_norm=True, norm="pre", dropout=0.0, ln_eps=1e-5),
        2, 6, 1001, None),
    "gpt_seed248": (
        dict(vocab_size=32, n_layer=1, n_head=1, n_embd=3, context=12, ffn_mult=4,
             activation="gelu", positions="sinusoidal", tie_head=True, head_bias=True,
             qkv_bias=False, proj_bias=False, ffn_bias=False, ln_bias=True,
             ffn_norm=False, norm="pre", dropout=0.0, ln_eps=1e-5),
        2, 12, 248, 248),
    "gpt_postnorm_relu": (
        dict(vocab_size=13, n_layer=2, n_head=4, n_embd=8, context=10, ffn_mult=2,
             activation="relu", positions="sinusoidal", tie_head=False, head_bias=True,
             qkv_bias=False, proj_bias=False, ffn_bias=False, ln_bias=False,
             ffn_norm=True, norm="post", dropout=0.0, ln_eps=1e-5),
        3, 7, 1003, None),
}


# ----------------------------------------------------------------------------
# safetensors, by hand
# ----------------------------------------------------------------------------


def write_safetensors(path, tensors, metadata):
    """tensors: list of (name, tensor) written in that order, packed with no
    gaps. Header: u64 LE length N, then N bytes of JSON padded with spaces to a
    multiple of 8 (so the data section starts 8-byte aligned)."""
    header = {"__metadata__": metadata}
    blobs = []
    offset = 0
    for name, t in tensors:
        if t.dtype == torch.float32:
            dtype = "F32"
        elif t.dtype == torch.int32:
            dtype = "I32"
        else:
            raise ValueError(f"{name}: unsupported dtype {t.dtype}")
        # numpy's tobytes() is native-endian; every supported host is little-endian.
        assert sys.byteorder == "little"
        data = t.detach().contiguous().cpu().numpy().tobytes()
        header[name] = {"dtype": dtype, "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    hjson = json.dumps(header, separators=(",", ":")).encode("utf-8")
    hjson += b" " * (-len(hjson) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(hjson)))
        f.write(hjson)
        for b in blobs:
            f.write(b)


def read_safetensors(path):
    """Minimal independent reader: returns (metadata, {name: tensor}) and
    checks the layout rules (no gaps, no overlap, exact file size). BF16
    tensors come back widened to float32 (exact: the low 16 bits are zero).
    Tensors may be stored in any order (dikkat sorts its header by name)."""
    import numpy as np
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    assert n % 8 == 0, "header length not a multiple of 8"
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    data = raw[8 + n:]
    meta = header.pop("__metadata__", {})
    out = {}
    expected = 0
    for name, info in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0]):
        begin, end = info["data_offsets"]
        assert begin == expected, f"{name}: gap or overlap at {begin}"
        np_dtype, size = {"F32": ("<f4", 4), "I32": ("<i4", 4), "BF16": ("<u2", 2)}[info["dtype"]]
        count = 1
        for d in info["shape"]:
            count *= d
        assert end - begin == size * count, f"{name}: size mismatch"
        arr = np.frombuffer(data[begin:end], dtype=np_dtype).reshape(info["shape"])
        if info["dtype"] == "BF16":
            arr = (arr.astype("<u4") << 16).view("<f4")
        out[name] = torch.from_numpy(arr.copy())
        expected = end
    out = {name: out[name] for name in header}  # back to header order
    assert expected == len(data), "trailing bytes after the last tensor"
    return meta, out


# ----------------------------------------------------------------------------
# fixtures
# ----------------------------------------------------------------------------

def write_and_check(doc, fixtures, seed_of, build, check):
    """The command line of the architecture fixture writers: build and write every fixture
    (torch seeded from seed_of(name) first), then read each back and check it; --check only
    checks."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only read back and verify")
    args = ap.parse_args()
    for name in fixtures:
        path = os.path.normpath(os.path.join(FIXTURE_DIR, name + ".safetensors"))
        if not args.check:
            torch.manual_seed(seed_of(name))
            tensors, meta = build(name)
            write_safetensors(path, tensors, meta)
            print(f"wrote {path}  ({os.path.getsize(path)} bytes, {len(tensors)} tensors)")
        check(name, path)


def fixture_params(model, seed):
    return draw_params(model.named_parameters(), seed, lambda name: ".ln_" in name)


def draw_params(named_parameters, seed, is_norm):
    """Deterministic float32 values for (name, parameter) pairs, much larger
    than GPT-2 init so that every path contributes visibly to logits and
    gradients; LayerNorm gains (is_norm(name) and a .weight) stay near 1."""
    torch.manual_seed(seed)
    values = {}
    for name, p in named_parameters:
        if is_norm(name) and name.endswith(".weight"):
            v = 1.0 + 0.1 * torch.randn(p.shape)
        elif name.endswith(".bias"):
            v = 0.1 * torch.randn(p.shape)
        else:
            v = 0.3 * torch.randn(p.shape)
        values[name] = v.float()
    return values


def build(name):
    cfg, B, T, seed, expect_params = FIXTURES[name]
    cfg = full_config(cfg)
    model = GPT(cfg)
    n = num_params(model)
    if expect_params is not None:
        assert n == expect_params, f"{name}: {n} parameters, expected {expect_params}"
    params = fixture_params(model, seed)
    V = cfg["vocab_size"]
    idx = torch.randint(0, V, (B, T), dtype=torch.int64)
    tgt = torch.randint(0, V, (B, T), dtype=torch.int64)

    # Reference pass in float64 from the float32-rounded parameters.
    model = model.double()
    with torch.no_grad():
        for pname, p in model.named_parameters():
            p.copy_(params[pname].double())
    model.eval()  # dropout is 0 anyway; be explicit
    logits, loss = model(idx, tgt)
    loss.backward()
    steps = trace(model, idx[0])
    d = (steps["logits"] - logits[0].detach()).abs().max().item()
    assert d < 1e-9, f"{name}: trace logits differ from forward logits by {d}"

    tensors = [(f"param/{k}", v) for k, v in params.items()]
    tensors += [("input", idx.to(torch.int32)), ("target", tgt.to(torch.int32)),
                ("logits", logits.detach().float()), ("loss", loss.detach().float().reshape([]))]
    tensors += [(f"grad/{k}", p.grad.float()) for k, p in model.named_parameters()]
    tensors += [(f"trace/{k}", v.float()) for k, v in steps.items()]
    meta = {"config": json.dumps(cfg), "batch": str(B), "seq": str(T)}
    return tensors, meta, n


def check(name, path):
    """Read a fixture back and recompute logits/loss in float32 from the stored
    params; they must agree with the stored float64-derived values well inside
    the tolerances the C++ tests use."""
    meta, t = read_safetensors(path)
    cfg = json.loads(meta["config"])
    B, T = int(meta["batch"]), int(meta["seq"])
    model = GPT(cfg)
    names = [k for k, _ in model.named_parameters()]
    assert sorted(f"param/{k}" for k in names) == sorted(k for k in t if k.startswith("param/"))
    assert sorted(f"grad/{k}" for k in names) == sorted(k for k in t if k.startswith("grad/"))
    with torch.no_grad():
        for k, p in model.named_parameters():
            assert t[f"param/{k}"].shape == p.shape, k
            p.copy_(t[f"param/{k}"])
    idx, tgt = t["input"].long(), t["target"].long()
    assert list(idx.shape) == [B, T] and list(tgt.shape) == [B, T]
    assert list(t["logits"].shape) == [B, T, cfg["vocab_size"]] and t["loss"].dim() == 0
    logits, loss = model(idx, tgt)
    loss.backward()
    d_logits = (logits.detach() - t["logits"]).abs().max().item()
    d_loss = abs(loss.item() - t["loss"].item())
    d_grad = max((p.grad - t[f"grad/{k}"]).abs().max().item() for k, p in model.named_parameters())
    # Independent check of the stored loss from the stored logits.
    ce = F.cross_entropy(t["logits"].double().reshape(-1, cfg["vocab_size"]), tgt.reshape(-1))
    assert abs(ce.item() - t["loss"].item()) < 1e-5, "stored loss != CE(stored logits)"
    assert d_logits < 1e-4 and d_loss < 1e-4 and d_grad < 1e-4, (d_logits, d_loss, d_grad)
    d_trace = check_trace(t, "trace/", trace(model, idx[0], torch.float32), cfg, 1e-5)
    assert torch.equal(t["trace/logits"], t["logits"][0]), "trace/logits != logits[0]"
    print(f"  check {name}: ok  params={num_params(model)}  loss={t['loss'].item():.6f}  "
          f"max|dlogits|={d_logits:.1e} |dloss|={d_loss:.1e} max|dgrad|={d_grad:.1e} "
          f"max|dtrace|/scale={d_trace:.1e} (fp32 vs fp64)")


def check_trace(stored, prefix, steps, cfg, tol):
    """Compare a recomputed trace with the stored one: the same names in the
    same order, the same shapes, -inf in exactly the same cells, and the
    finite values within tol * max(1, max |stored tensor|). The scale matters
    for raw attention scores: a trained model's reach ~100, and float32 loses
    ~1e-4 there to cancellation in the q.k sums. Returns the largest
    difference divided by that scale."""
    names = [k[len(prefix):] for k in stored if k.startswith(prefix)]
    assert names == trace_names(cfg) == list(steps), (names, list(steps))
    worst = 0.0
    for k, v in steps.items():
        s = stored[prefix + k]
        assert s.shape == v.shape, (k, s.shape, v.shape)
        finite = torch.isfinite(s)
        assert torch.equal(finite, torch.isfinite(v)) and torch.equal(s[~finite], v[~finite]), k
        if k.endswith("attn.masked"):
            T = s.shape[-1]
            assert torch.equal(~finite, torch.ones(T, T, dtype=torch.bool).triu(1).expand_as(s)), k
        else:
            assert finite.all(), k
        if k.endswith("attn.weights"):
            assert (s.triu(1) == 0).all(), k
        scale = max(1.0, s[finite].abs().max().item())
        d = (s[finite] - v[finite]).abs().max().item()
        assert d <= tol * scale, f"{prefix}{k}: |fp32 - stored| = {d:.2e} > {tol} * {scale:.3g}"
        worst = max(worst, d / scale)
    return worst


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="only read back and verify existing fixtures")
    args = ap.parse_args()
    os.makedirs(FIXTURE_DIR, exist_ok=True)
    for name in FIXTURES:
        path = os.path.normpath(os.path.join(FIXTURE_DIR, name + ".safetensors"))
        if not args.check:
            tensors, meta, n = build(name)
            write_safetensors(path, tensors, meta)
            size = os.path.getsize(path)
            assert size < MAX_BYTES, f"{path}: {size} bytes, limit {MAX_BYTES}"
            print(f"wrote {path}  ({size} bytes, {n} parameters, {len(tensors)} tensors)")
        check(name, path)


if __name__ == "__main__":
    torch.set_num_threads(1)
    main()
