"""A PyTorch reference for dikkat's masked language model (arch "bert").

Built from PyTorch's own nn.TransformerEncoderLayer, not from dikkat's C++: the
same dict as config.json's "model" object builds it, and parameter names and
shapes are dikkat's checkpoint names (embeddings.word_embeddings.weight,
encoder.layers.<i>.self_attn.in_proj_weight, ..., head.transform, head.bias).

    ids (B,T), lengths (B) -> logits (B,T,V), attention weights per layer (B,H,T,T)

Keys at or beyond a row's length are padding (src_key_padding_mask). The
attention weights come from running each layer's own submodules step by step
with need_weights=True; the result is checked against the layer's forward.
"""

import torch
import torch.nn as nn
import torch.nn.functional as F

DEFAULTS = dict(arch="bert", vocab_size=16, n_layer=2, n_head=2, n_embd=8, context=16,
                ffn_mult=4, activation="gelu", positions="learned", norm="pre", tie_head=True,
                head_bias=True, qkv_bias=True, proj_bias=True, ffn_bias=True, ln_bias=True,
                ffn_norm=True, dropout=0.0, ln_eps=1e-5)


def full_config(partial):
    cfg = dict(DEFAULTS)
    cfg.update(partial)
    return cfg


class Embeddings(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.word_embeddings = nn.Embedding(cfg["vocab_size"], cfg["n_embd"])
        self.position_embeddings = nn.Embedding(cfg["context"], cfg["n_embd"])
        if cfg["norm"] == "post":
            self.layer_norm = nn.LayerNorm(cfg["n_embd"], eps=cfg["ln_eps"])


class Head(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        c = cfg["n_embd"]
        self.transform = nn.Linear(c, c)
        self.layer_norm = nn.LayerNorm(c, eps=cfg["ln_eps"])
        self.bias = nn.Parameter(torch.zeros(cfg["vocab_size"]))


class Bert(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        assert cfg["positions"] == "learned" and cfg["tie_head"] and cfg["head_bias"]
        assert all(cfg[k] for k in ("qkv_bias", "proj_bias", "ffn_bias", "ln_bias"))
        self.cfg = cfg
        c = cfg["n_embd"]
        self.embeddings = Embeddings(cfg)
        layer = nn.TransformerEncoderLayer(
            c, cfg["n_head"], cfg["ffn_mult"] * c, dropout=0.0, activation=cfg["activation"],
            layer_norm_eps=cfg["ln_eps"], batch_first=True, norm_first=cfg["norm"] == "pre")
        norm = nn.LayerNorm(c, eps=cfg["ln_eps"]) if cfg["norm"] == "pre" else None
        self.encoder = nn.TransformerEncoder(layer, cfg["n_layer"], norm=norm,
                                             enable_nested_tensor=False)
        self.head = Head(cfg)

    def dikkat_names(self):
        return dict(self.named_parameters())

    def forward(self, ids, lengths):
        B, T = ids.shape
        pad = torch.arange(T)[None, :] >= lengths[:, None]  # True at padding
        e = self.embeddings
        x = e.word_embeddings(ids) + e.position_embeddings(torch.arange(T))[None]
        if self.cfg["norm"] == "post":
            x = e.layer_norm(x)
        weights = []
        for layer in self.encoder.layers:
            stepped, w = self.layer_steps(layer, x, pad)
            x = layer(x, src_key_padding_mask=pad)
            assert torch.allclose(x, stepped, atol=1e-10 if x.dtype == torch.float64 else 1e-5)
            weights.append(w)
        if self.encoder.norm is not None:
            x = self.encoder.norm(x)
        h = self.head.layer_norm(F.gelu(self.head.transform(x)))
        return F.linear(h, e.word_embeddings.weight, self.head.bias), weights

    def layer_steps(self, layer, x, pad):
        """The layer's own submodules one by one, keeping the attention weights."""
        act = F.gelu if self.cfg["activation"] == "gelu" else F.relu

        def attend(h):
            out, w = layer.self_attn(h, h, h, key_padding_mask=pad, need_weights=True,
                                     average_attn_weights=False)
            return out, w

        def ffn(h):
            return layer.linear2(act(layer.linear1(h)))

        if layer.norm_first:
            a, w = attend(layer.norm1(x))
            x = x + a
            return x + ffn(layer.norm2(x)), w
        a, w = attend(x)
        x = layer.norm1(x + a)
        return layer.norm2(x + ffn(x)), w


def loss_of(logits, targets):
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1),
                           ignore_index=-1)
