"""Reference PyTorch implementation of dikkat's GPT.

This module is the ground truth the C++ implementation is tested against
(see make_fixtures.py) and the baseline it is benchmarked against
(see bench/pytorch_train.py). It mirrors nanoGPT, with the extra switches of
dikkat's config.json "model" section. Parameter names and shapes match the
names dikkat uses in its checkpoints (PyTorch Linear layout: [out, in]).

Config keys (a plain dict):
  vocab_size, n_layer, n_head, n_embd, context, ffn_mult,
  activation ("gelu" | "relu"), positions ("learned" | "sinusoidal"),
  tie_head, head_bias, qkv_bias, proj_bias, ffn_bias, ln_bias, ffn_norm,
  norm ("pre" | "post"), dropout, ln_eps
"""

import copy
import inspect
import math
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F

# Canonical key order (used when a config is written out, e.g. into fixtures).
KEYS = ["vocab_size", "n_layer", "n_head", "n_embd", "context", "ffn_mult",
        "activation", "positions", "tie_head", "head_bias", "qkv_bias",
        "proj_bias", "ffn_bias", "ln_bias", "ffn_norm", "norm", "dropout", "ln_eps"]

DEFAULTS = {
    "activation": "gelu",
    "positions": "learned",
    "tie_head": True,
    "head_bias": False,
    "qkv_bias": True,
    "proj_bias": True,
    "ffn_bias": True,
    "ln_bias": True,
    "ffn_norm": True,
    "norm": "pre",
    "dropout": 0.0,
    "ln_eps": 1e-5,
}


def from_dikkat(model):
    """The GPT fields of a dikkat config's "model" object, which lists every architecture's."""
    if model.get("arch", "gpt") != "gpt":
        raise ValueError(f"not a GPT config (arch {model['arch']})")
    return {k: v for k, v in model.items() if k in KEYS}


def full_config(cfg):
    """Fill in defaults and validate a config dict."""
    merged = dict(DEFAULTS)
    merged.update(cfg)
    unknown = set(merged) - set(KEYS)
    assert not unknown, f"unknown config keys: {sorted(unknown)}"
    c = {k: merged[k] for k in KEYS}  # canonical key order (KeyError if missing)
    assert c["n_embd"] % c["n_head"] == 0, "n_embd must be divisible by n_head"
    assert c["activation"] in ("gelu", "relu")
    assert c["positions"] in ("learned", "sinusoidal")
    assert c["norm"] in ("pre", "post")
    return c


def sinusoidal_table(context, n_embd):
    """"Attention Is All You Need" position table [context, n_embd].

    Column j uses frequency index i = j // 2: even columns get sin, odd
    columns cos, of p / 10000**(2i/C). An odd n_embd simply ends on a sin
    column. Computed in float64.
    """
    pos = torch.arange(context, dtype=torch.float64).unsqueeze(1)  # [T, 1]
    j = torch.arange(n_embd)
    i = (j // 2).to(torch.float64)
    angle = pos / torch.pow(10000.0, 2.0 * i / n_embd)  # [T, C]
    return torch.where(j % 2 == 0, torch.sin(angle), torch.cos(angle))


def layer_norm(c):
    """LayerNorm over n_embd with weight, and bias only if ln_bias.
    nn.LayerNorm only grew a `bias=` argument in PyTorch 2.1, so build an
    affine one and drop the bias by hand (F.layer_norm accepts bias=None)."""
    ln = nn.LayerNorm(c["n_embd"], eps=c["ln_eps"])
    if not c["ln_bias"]:
        ln.bias = None
    return ln


class CausalSelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        C = c["n_embd"]
        self.n_head = c["n_head"]
        self.c_attn = nn.Linear(C, 3 * C, bias=c["qkv_bias"])
        self.c_proj = nn.Linear(C, C, bias=c["proj_bias"])
        self.dropout = c["dropout"]

    def forward(self, x):
        B, T, C = x.shape
        hs = C // self.n_head
        # rows 0..C of c_attn are Q, C..2C are K, 2C..3C are V; inside each,
        # head h owns rows h*hs..(h+1)*hs.
        q, k, v = self.c_attn(x).split(C, dim=2)
        q = q.view(B, T, self.n_head, hs).transpose(1, 2)  # [B, nh, T, hs]
        k = k.view(B, T, self.n_head, hs).transpose(1, 2)
        v = v.view(B, T, self.n_head, hs).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(hs)  # [B, nh, T, T]
        mask = torch.ones(T, T, dtype=torch.bool, device=x.device).triu(1)
        att = att.masked_fill(mask, float("-inf"))
        att = F.softmax(att, dim=-1)
        att = F.dropout(att, self.dropout, self.training)
        y = att @ v  # [B, nh, T, hs]
        y = y.transpose(1, 2).contiguous().view(B, T, C)
        return F.dropout(self.c_proj(y), self.dropout, self.training)


class MLP(nn.Module):
    def __init__(self, c):
        super().__init__()
        C = c["n_embd"]
        H = c["ffn_mult"] * C
        self.c_fc = nn.Linear(C, H, bias=c["ffn_bias"])
        # nn.GELU() default is the exact erf form (not the tanh approximation).
        self.act = nn.GELU() if c["activation"] == "gelu" else nn.ReLU()
        self.c_proj = nn.Linear(H, C, bias=c["ffn_bias"])
        self.dropout = c["dropout"]

    def forward(self, x):
        return F.dropout(self.c_proj(self.act(self.c_fc(x))), self.dropout, self.training)


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.norm = c["norm"]
        self.ln_1 = layer_norm(c)
        self.attn = CausalSelfAttention(c)
        # Without ffn_norm there is no ln_2 at all (no parameters).
        self.ln_2 = layer_norm(c) if c["ffn_norm"] else None
        self.mlp = MLP(c)

    def forward(self, x):
        if self.norm == "pre":
            x = x + self.attn(self.ln_1(x))
            x = x + self.mlp(self.ln_2(x) if self.ln_2 is not None else x)
        else:  # post-norm (original Transformer)
            x = self.ln_1(x + self.attn(x))
            if self.ln_2 is not None:
                x = self.ln_2(x + self.mlp(x))
            else:
                x = x + self.mlp(x)
        return x


class Head(nn.Module):
    """Output projection. Holds its own weight only when untied; the bias is
    optional either way (a tied head may still have `lm_head.bias`)."""

    def __init__(self, c):
        super().__init__()
        C, V = c["n_embd"], c["vocab_size"]
        self.weight = None if c["tie_head"] else nn.Parameter(torch.empty(V, C))
        self.bias = nn.Parameter(torch.zeros(V)) if c["head_bias"] else None

    def forward(self, x, tied_weight):
        w = tied_weight if self.weight is None else self.weight
        return F.linear(x, w, self.bias)


class GPT(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        c = full_config(cfg)
        self.config = c
        C = c["n_embd"]
        self.transformer = nn.ModuleDict()
        self.transformer["wte"] = nn.Embedding(c["vocab_size"], C)
        if c["positions"] == "learned":
            self.transformer["wpe"] = nn.Embedding(c["context"], C)
        self.transformer["h"] = nn.ModuleList([Block(c) for _ in range(c["n_layer"])])
        self.transformer["ln_f"] = layer_norm(c)
        if not c["tie_head"] or c["head_bias"]:
            self.lm_head = Head(c)
        else:
            self.lm_head = None
        init_gpt2(self, c["n_layer"])

    def forward(self, idx, targets=None):
        """idx: [B, T'] int64 with T' <= context. Returns (logits, loss);
        loss is the mean cross-entropy over all B*T' positions (None without
        targets)."""
        B, T = idx.shape
        assert T <= self.config["context"], "sequence longer than context"
        wte = self.transformer["wte"]
        if self.config["positions"] == "learned":
            pos = self.transformer["wpe"].weight[:T]
        else:
            # No parameters: computed in float64 and rounded to the model's
            # dtype, so a float64 reference run gets the exact table.
            pos = sinusoidal_table(T, self.config["n_embd"]).to(wte.weight)
        x = F.dropout(wte(idx) + pos, self.config["dropout"], self.training)
        for block in self.transformer["h"]:
            x = block(x)
        x = self.transformer["ln_f"](x)
        if self.lm_head is None:
            logits = F.linear(x, wte.weight)
        else:
            logits = self.lm_head(x, wte.weight)
        loss = None
        if targets is not None:
            loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), targets.reshape(-1))
        return logits, loss


def trace(model, ids, dtype=torch.float64):
    """Every intermediate of one sequence's forward pass, in order.

    ids: 1-D int tensor of T <= context tokens (no batch axis). Runs a copy
    of `model` converted to `dtype` (float64 by default, the reference
    precision) in eval mode, so dropout is off. Returns an OrderedDict
    name -> tensor (C = n_embd, H = n_head, hs = C/H, F = ffn_mult*C,
    V = vocab_size):

      embed.token, embed.position, embed.sum                [T, C]
      per block i:
        h.{i}.ln_1                                          [T, C]
        h.{i}.attn.q / .k / .v                              [H, T, hs]
        h.{i}.attn.scores   q @ k^T, every cell             [H, T, T]
        h.{i}.attn.scaled   scores / sqrt(hs)               [H, T, T]
        h.{i}.attn.masked   scaled, -inf above the diagonal [H, T, T]
        h.{i}.attn.weights  softmax over the last axis      [H, T, T]
        h.{i}.attn.heads    weights @ v                     [H, T, hs]
        h.{i}.attn.concat   heads side by side              [T, C]
        h.{i}.attn.proj     attn.c_proj(concat)             [T, C]
        h.{i}.residual_1                                    [T, C]
        h.{i}.ln_2          (ffn_norm only)                 [T, C]
        h.{i}.mlp.fc / .act (before / after the activation) [T, F]
        h.{i}.mlp.proj                                      [T, C]
        h.{i}.residual_2                                    [T, C]
      ln_f [T, C], logits [T, V]

    Pre-norm:  residual_1 = x + proj(ln_1(x)); ln_2 = LN2(residual_1);
               residual_2 = residual_1 + mlp(ln_2 or residual_1); out = residual_2.
    Post-norm: residual_1 = x + proj(attn(x)); ln_1 = LN1(residual_1);
               residual_2 = ln_1 + mlp(ln_1); ln_2 = LN2(residual_2);
               out = ln_2 if ffn_norm else residual_2.
    The same arithmetic as GPT.forward, one step per entry.
    """
    m = copy.deepcopy(model).to(dtype).eval()
    c = m.config
    assert ids.dim() == 1, "trace takes one sequence (no batch axis)"
    T, C, H = ids.shape[0], c["n_embd"], c["n_head"]
    hs = C // H
    assert 1 <= T <= c["context"], "sequence longer than context"
    ids = ids.long()
    out = OrderedDict()
    with torch.no_grad():
        wte = m.transformer["wte"].weight
        out["embed.token"] = wte[ids]
        if c["positions"] == "learned":
            out["embed.position"] = m.transformer["wpe"].weight[:T]
        else:
            out["embed.position"] = sinusoidal_table(T, C).to(wte)
        x = out["embed.sum"] = out["embed.token"] + out["embed.position"]
        causal = torch.ones(T, T, dtype=torch.bool).triu(1)
        for i, block in enumerate(m.transformer["h"]):
            p = f"h.{i}."
            attn, mlp = block.attn, block.mlp
            if c["norm"] == "pre":
                attn_in = out[p + "ln_1"] = block.ln_1(x)
            else:
                attn_in = x
            q, k, v = attn.c_attn(attn_in).split(C, dim=1)
            q = out[p + "attn.q"] = q.view(T, H, hs).transpose(0, 1)
            k = out[p + "attn.k"] = k.view(T, H, hs).transpose(0, 1)
            v = out[p + "attn.v"] = v.view(T, H, hs).transpose(0, 1)
            scores = out[p + "attn.scores"] = q @ k.transpose(-2, -1)
            scaled = out[p + "attn.scaled"] = scores / math.sqrt(hs)
            masked = out[p + "attn.masked"] = scaled.masked_fill(causal, float("-inf"))
            weights = out[p + "attn.weights"] = F.softmax(masked, dim=-1)
            heads = out[p + "attn.heads"] = weights @ v
            concat = out[p + "attn.concat"] = heads.transpose(0, 1).reshape(T, C)
            proj = out[p + "attn.proj"] = attn.c_proj(concat)
            r1 = out[p + "residual_1"] = x + proj
            if c["norm"] == "pre":
                if block.ln_2 is not None:
                    mlp_in = out[p + "ln_2"] = block.ln_2(r1)
                else:
                    mlp_in = r1
                base = r1
            else:
                mlp_in = base = out[p + "ln_1"] = block.ln_1(r1)
            fc = out[p + "mlp.fc"] = mlp.c_fc(mlp_in)
            act = out[p + "mlp.act"] = mlp.act(fc)
            mlp_out = out[p + "mlp.proj"] = mlp.c_proj(act)
            x = out[p + "residual_2"] = base + mlp_out
            if c["norm"] == "post" and block.ln_2 is not None:
                x = out[p + "ln_2"] = block.ln_2(x)
        x = out["ln_f"] = m.transformer["ln_f"](x)
        if m.lm_head is None:
            out["logits"] = F.linear(x, wte)
        else:
            out["logits"] = m.lm_head(x, wte)
    return out


def trace_names(cfg):
    """The keys trace() returns for this config, in order."""
    c = full_config(cfg)
    names = ["embed.token", "embed.position", "embed.sum"]
    for i in range(c["n_layer"]):
        p = f"h.{i}."
        block = [p + "ln_1"] if c["norm"] == "pre" else []
        block += [p + "attn." + s for s in ("q", "k", "v", "scores", "scaled", "masked",
                                             "weights", "heads", "concat", "proj")]
        block.append(p + "residual_1")
        if c["norm"] == "pre" and c["ffn_norm"]:
            block.append(p + "ln_2")
        if c["norm"] == "post":
            block.append(p + "ln_1")
        block += [p + "mlp.fc", p + "mlp.act", p + "mlp.proj", p + "residual_2"]
        if c["norm"] == "post" and c["ffn_norm"]:
            block.append(p + "ln_2")
        names += block
    return names + ["ln_f", "logits"]


def init_gpt2(model, n_layer, generator=None):
    """nanoGPT / GPT-2 init: N(0, 0.02) for Linear and Embedding weights
    (including an untied lm_head), zero biases, LayerNorm weight 1 / bias 0,
    and the residual projections (attn.c_proj and mlp.c_proj weights) scaled
    to std 0.02/sqrt(2*n_layer) so the residual stream does not grow with
    depth."""
    proj_std = 0.02 / math.sqrt(2 * n_layer)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("c_proj.weight"):
                p.normal_(0.0, proj_std, generator=generator)
            elif ".ln_" in name:  # ln_1, ln_2, ln_f
                if name.endswith(".weight"):
                    p.fill_(1.0)
                else:
                    p.zero_()
            elif name.endswith(".bias"):
                p.zero_()
            else:  # wte, wpe, c_attn, c_fc, lm_head weights
                p.normal_(0.0, 0.02, generator=generator)


def configure_adamw(model, lr, betas, weight_decay):
    """nanoGPT-style AdamW: decay only tensors with dim >= 2 (matrices and
    embeddings), never biases or LayerNorm gains. Uses the fastest
    implementation this PyTorch offers: fused (CUDA only, and only where
    AdamW has it) else foreach (multi-tensor)."""
    params = [p for p in model.parameters() if p.requires_grad]
    decay = [p for p in params if p.dim() >= 2]
    no_decay = [p for p in params if p.dim() < 2]
    groups = [
        {"params": decay, "weight_decay": weight_decay},
        {"params": no_decay, "weight_decay": 0.0},
    ]
    sig = inspect.signature(torch.optim.AdamW.__init__).parameters
    extra = {}
    on_cuda = all(p.is_cuda for p in params)
    if "fused" in sig and on_cuda:
        extra["fused"] = True
    elif "foreach" in sig:
        extra["foreach"] = True
    return torch.optim.AdamW(groups, lr=lr, betas=betas, **extra)


def num_params(model):
    return sum(p.numel() for p in model.parameters())
