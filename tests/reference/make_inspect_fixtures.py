"""Write the fixtures for dikkat's look-inside tools (attention tables, trace).

Trains two real models with the dikkat binary, commits them under
tests/fixtures/models/<name>/, and writes what PyTorch computes for one fixed
text on each into tests/fixtures/inspect/<name>.reference.safetensors.

    /usr/bin/python3 tests/reference/make_inspect_fixtures.py [--dikkat build/dikkat]  # train, write, check
    /usr/bin/python3 tests/reference/make_inspect_fixtures.py --check                  # check only

Run from the repository root. Training uses --threads 1, so the same binary on
the same machine gives the same weights. The reference runs in float64 from
the stored weights (shakespeare-cpu's are BF16, widened to float32 exactly)
and is rounded to float32 once.
"""

import argparse
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from gpt_reference import GPT, full_config, trace, trace_names  # noqa: E402
from make_fixtures import check_trace, read_safetensors, write_safetensors  # noqa: E402

FIXTURE_DIR = os.path.normpath(os.path.join(HERE, "..", "fixtures"))
MODEL_DIR = os.path.join(FIXTURE_DIR, "models")
INSPECT_DIR = os.path.join(FIXTURE_DIR, "inspect")

# name -> how to train it, what to keep, and the text to look at.
MODELS = {
    "seed248": dict(
        train=["--preset", "seed248", "--data", "data/demo/turkce.txt", "--seed", "1337"],
        data="data/demo/turkce.txt",
        files=["config.json", "tokenizer.json", "model.safetensors", "model_step0.safetensors"],
        bf16=False,
        trace=True,
        text="ali ata bak."),
    "shakespeare-cpu": dict(
        train=["--preset", "shakespeare-cpu", "--data", "../shared/data/tinyshakespeare.txt"],
        data="../shared/data/tinyshakespeare.txt",
        files=["config.json", "tokenizer.json", "model.safetensors"],
        bf16=True,
        # Only attention and probs: its full trace would be 3.4 MB; the trace is proven on
        # seed248 and on the gpt_* fixtures (every architecture variant).
        trace=False,
        text="ROMEO:\nBut soft, what light through yonder window breaks?"),
}

MAX_REFERENCE_BYTES = 512 * 1024


# ----------------------------------------------------------------------------
# dikkat's files
# ----------------------------------------------------------------------------

def dikkat_safetensors_bytes(metadata, tensors):
    """The bytes dikkat's SafetensorsWriter produces: tensors (name, dtype,
    shape, raw bytes) packed in the given order, but the JSON header with its
    keys sorted (nlohmann::json objects are ordered maps), compact, padded
    with spaces to a multiple of 8."""
    header = {"__metadata__": metadata}
    offset = 0
    for name, dtype, shape, data in tensors:
        header[name] = {"dtype": dtype, "shape": list(shape),
                        "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
    hjson = json.dumps(header, sort_keys=True, separators=(",", ":"),
                       ensure_ascii=False).encode("utf-8")
    hjson += b" " * (-len(hjson) % 8)
    return struct.pack("<Q", len(hjson)) + hjson + b"".join(t[3] for t in tensors)


def raw_safetensors(path):
    """(metadata, [(name, dtype, shape, raw bytes)] in data order)."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n].decode("utf-8"))
    data = raw[8 + n:]
    meta = header.pop("__metadata__", {})
    entries = sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0])
    return meta, [(name, e["dtype"], e["shape"], data[e["data_offsets"][0]:e["data_offsets"][1]])
                  for name, e in entries]


def f32_to_bf16_bits(raw):
    """Round-to-nearest-even of little-endian float32 bytes to bfloat16 bytes."""
    u = np.frombuffer(raw, dtype="<u4").astype(np.uint64)
    assert np.isfinite(np.frombuffer(raw, dtype="<f4")).all(), "non-finite weight"
    rounded = (u + 0x7FFF + ((u >> 16) & 1)) >> 16
    return rounded.astype("<u2").tobytes()


def convert_to_bf16(path):
    """Rewrite a dikkat weights file with every tensor in BF16, same names,
    metadata and tensor order. First proves that dikkat_safetensors_bytes
    reproduces the F32 file exactly, so the BF16 file follows dikkat's rules."""
    with open(path, "rb") as f:
        original = f.read()
    meta, tensors = raw_safetensors(path)
    assert dikkat_safetensors_bytes(meta, tensors) == original, f"{path}: layout not reproduced"
    converted = []
    for name, dtype, shape, data in tensors:
        assert dtype == "F32", f"{path}: {name} is {dtype}"
        bits = f32_to_bf16_bits(data)
        # Cross-check with PyTorch's own float32 -> bfloat16 conversion (also RNE).
        ref = torch.from_numpy(np.frombuffer(data, dtype="<f4").copy()).to(torch.bfloat16)
        assert ref.view(torch.int16).numpy().astype("<i2").tobytes() == bits, name
        converted.append((name, "BF16", shape, bits))
    with open(path, "wb") as f:
        f.write(dikkat_safetensors_bytes(meta, converted))


def read_config(model_dir):
    with open(os.path.join(model_dir, "config.json"), encoding="utf-8") as f:
        return json.load(f)


def rewrite_train_data(model_dir, data):
    """Point config.json's train.data at a repository-relative path, keeping
    dikkat's formatting (nlohmann dump(2): sorted keys, two-space indent)."""
    path = os.path.join(model_dir, "config.json")
    with open(path, encoding="utf-8") as f:
        text = f.read()

    def dump(obj):
        return json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False) + "\n"

    cfg = json.loads(text)
    assert dump(cfg) == text, f"{path}: formatting not reproduced"
    cfg["train"]["data"] = data
    with open(path, "w", encoding="utf-8") as f:
        f.write(dump(cfg))


# ----------------------------------------------------------------------------
# tokenizer (src/tokenize/char_tokenizer.cpp)
# ----------------------------------------------------------------------------

SEED_FOLD = {"ç": "c", "Ç": "c", "ğ": "g", "Ğ": "g", "ı": "i", "İ": "i", "ö": "o", "Ö": "o",
             "ş": "s", "Ş": "s", "ü": "u", "Ü": "u", "\n": " ", "\t": " ", "\r": " "}


def encode(model_dir, text):
    """dikkat's CharTokenizer::encode: with an "unknown" symbol (seed alphabet)
    text is folded first and unseen characters map to it; without one an
    unseen character is an error."""
    with open(os.path.join(model_dir, "tokenizer.json"), encoding="utf-8") as f:
        tok = json.load(f)
    assert tok["type"] == "char"
    index = {s: i for i, s in enumerate(tok["symbols"])}
    unknown = tok.get("unknown")
    ids = []
    for i, ch in enumerate(text):
        if unknown is not None:
            ch = chr(ord(ch) - ord("A") + ord("a")) if "A" <= ch <= "Z" else SEED_FOLD.get(ch, ch)
            ids.append(index.get(ch, index[unknown]))
        else:
            assert ch in index, f"character {ch!r} at position {i} is not in the vocabulary"
            ids.append(index[ch])
    return torch.tensor(ids, dtype=torch.int64)


# ----------------------------------------------------------------------------
# reference
# ----------------------------------------------------------------------------

def load_model(model_dir):
    """A PyTorch GPT from config.json's "model" dict and model.safetensors
    (BF16 widened to float32); every tensor must match a parameter."""
    cfg = full_config(read_config(model_dir)["model"])
    model = GPT(cfg)
    _, weights = read_safetensors(os.path.join(model_dir, "model.safetensors"))
    names = [k for k, _ in model.named_parameters()]
    assert sorted(names) == sorted(weights), (sorted(names), sorted(weights))
    with torch.no_grad():
        for k, p in model.named_parameters():
            assert weights[k].shape == p.shape, k
            p.copy_(weights[k])
    return cfg, model.eval()


def reference(name):
    """The tensors of tests/fixtures/inspect/<name>.reference.safetensors."""
    model_dir = os.path.join(MODEL_DIR, name)
    text = MODELS[name]["text"]
    cfg, model = load_model(model_dir)
    ids = encode(model_dir, text)
    assert len(ids) <= cfg["context"], f"{name}: text longer than the context"
    steps = trace(model, ids)
    logits, _ = model.double()(ids[None])
    d = (steps["logits"] - logits[0].detach()).abs().max().item()
    assert d < 1e-9, f"{name}: trace logits differ from forward logits by {d}"
    L = cfg["n_layer"]
    attention = torch.stack([steps[f"h.{i}.attn.weights"] for i in range(L)])
    probs = F.softmax(steps["logits"][-1], dim=-1)
    tensors = [("ids", ids.to(torch.int32)), ("attention", attention.float())]
    if MODELS[name]["trace"]:
        tensors += [(f"trace/{k}", v.float()) for k, v in steps.items()]
    tensors.append(("probs", probs.float()))
    return tensors, {"text": text, "model": name}


def check(name):
    """Re-read the committed model and reference file; recompute in float32."""
    spec = MODELS[name]
    model_dir = os.path.join(MODEL_DIR, name)
    assert sorted(os.listdir(model_dir)) == sorted(spec["files"]), sorted(os.listdir(model_dir))
    assert read_config(model_dir)["train"]["data"] == spec["data"]
    weights_meta, weights = raw_safetensors(os.path.join(model_dir, "model.safetensors"))
    want = "BF16" if spec["bf16"] else "F32"
    assert all(t[1] == want for t in weights), f"{name}: model.safetensors is not all {want}"
    assert weights_meta.get("format") == "dikkat" and "config" in weights_meta

    meta, t = read_safetensors(os.path.join(INSPECT_DIR, name + ".reference.safetensors"))
    assert meta == {"text": spec["text"], "model": name}, meta
    cfg, model = load_model(model_dir)
    assert json.loads(weights_meta["config"]) == read_config(model_dir)["model"]
    ids = encode(model_dir, spec["text"])
    assert torch.equal(t["ids"], ids.to(torch.int32)), "stored ids != tokenized text"
    T, L, H, V = len(ids), cfg["n_layer"], cfg["n_head"], cfg["vocab_size"]
    traced = [f"trace/{k}" for k in trace_names(cfg)] if spec["trace"] else []
    assert list(t) == ["ids", "attention"] + traced + ["probs"], list(t)
    assert list(t["attention"].shape) == [L, H, T, T] and list(t["probs"].shape) == [V]

    steps = trace(model, ids, torch.float32)
    d_trace = 0.0
    if spec["trace"]:
        assert torch.equal(t["attention"],
                           torch.stack([t[f"trace/h.{i}.attn.weights"] for i in range(L)]))
        d_trace = check_trace(t, "trace/", steps, cfg, 1e-5)
    else:
        fp32 = torch.stack([steps[f"h.{i}.attn.weights"] for i in range(L)])
        d_trace = (fp32 - t["attention"]).abs().max().item()
        assert d_trace < 1e-5, d_trace
    probs = F.softmax(steps["logits"][-1], dim=-1)
    d_probs = (probs - t["probs"]).abs().max().item()
    assert d_probs < 1e-5, d_probs
    assert abs(t["probs"].double().sum().item() - 1.0) < 1e-6
    top = t["probs"].argmax().item()
    with open(os.path.join(model_dir, "tokenizer.json"), encoding="utf-8") as f:
        top_char = json.load(f)["symbols"][top]
    print(f"  check {name}: ok  T={T} L={L} H={H} V={V}  max|dtrace|/scale={d_trace:.1e} "
          f"max|dprobs|={d_probs:.1e} (fp32 vs fp64)  next={top_char!r} p={t['probs'][top]:.3f}")


# ----------------------------------------------------------------------------
# training and installing
# ----------------------------------------------------------------------------

def train_and_install(name, dikkat, workdir):
    spec = MODELS[name]
    out = os.path.join(workdir, name)
    cmd = [dikkat, "train", *spec["train"], "--out", out, "--threads", "1", "--quiet"]
    start = time.monotonic()
    subprocess.run(cmd, check=True)
    print(f"trained {name} in {time.monotonic() - start:.1f} s: {' '.join(cmd[1:])}")
    dest = os.path.join(MODEL_DIR, name)
    if os.path.isdir(dest):
        shutil.rmtree(dest)
    os.makedirs(dest)
    for f in spec["files"]:
        shutil.copyfile(os.path.join(out, f), os.path.join(dest, f))
    rewrite_train_data(dest, spec["data"])
    if spec["bf16"]:
        convert_to_bf16(os.path.join(dest, "model.safetensors"))
    for f in spec["files"]:
        print(f"  {os.path.join(dest, f)}  ({os.path.getsize(os.path.join(dest, f))} bytes)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dikkat", default="build/dikkat", help="dikkat binary to train with")
    ap.add_argument("--check", action="store_true", help="only read back and verify the fixtures")
    ap.add_argument("--no-train", action="store_true",
                    help="keep the committed models; only rewrite the reference files")
    args = ap.parse_args()
    if not args.check and not args.no_train:
        os.makedirs(INSPECT_DIR, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="dikkat-inspect-") as work:
            # A private copy: build/ may be rebuilt while the training runs.
            dikkat = os.path.join(work, "dikkat")
            shutil.copy2(args.dikkat, dikkat)
            for name in MODELS:
                train_and_install(name, dikkat, work)
    if not args.check:
        for name in MODELS:
            tensors, meta = reference(name)
            path = os.path.join(INSPECT_DIR, name + ".reference.safetensors")
            os.makedirs(INSPECT_DIR, exist_ok=True)
            write_safetensors(path, tensors, meta)
            size = os.path.getsize(path)
            assert size < MAX_REFERENCE_BYTES, f"{path}: {size} bytes"
            print(f"wrote {path}  ({size} bytes, {len(tensors)} tensors)")
    for name in MODELS:
        check(name)


if __name__ == "__main__":
    torch.set_num_threads(1)
    main()
