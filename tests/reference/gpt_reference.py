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

import inspect
import math

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
