"""A PyTorch reference for dikkat's encoder-decoder transformer (arch "seq2seq").

Written from the paper ("Attention Is All You Need") and dikkat's config, not
from dikkat's C++: the same dict as config.json's "model" object builds it, and
parameter names and shapes are dikkat's checkpoint names (fairseq's layout, with
Q|K|V fused into qkv_proj and the cross-attention's K|V into kv_proj).

    source (B,S) ids, source_lengths (B), inputs (B,T) ids -> logits (B,T,V)

Keys at or beyond a source length are masked out of the encoder's self-attention
and the decoder's cross-attention; the decoder's self-attention is causal.
Attention is computed plainly (scores, mask with -inf, softmax, weighted sum),
so the weights can be returned for the look-inside tests.
"""

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

DEFAULTS = dict(arch="seq2seq", vocab_size=16, n_layer=2, n_encoder_layer=2, n_head=2, n_embd=8,
                context=16, ffn_mult=4, activation="relu", positions="sinusoidal", norm="pre",
                tie_head=True, head_bias=False, qkv_bias=True, proj_bias=True, ffn_bias=True,
                ln_bias=True, ffn_norm=True, share_embeddings=True, label_smoothing=0.0,
                dropout=0.0, ln_eps=1e-5)


def full_config(partial):
    cfg = dict(DEFAULTS)
    cfg.update(partial)
    return cfg


def sinusoids(n, c):
    pos = torch.arange(n, dtype=torch.float64)[:, None]
    j = torch.arange(c)
    angle = pos / torch.pow(10000.0, (2 * (j // 2)).double() / c)
    return torch.where(j % 2 == 0, torch.sin(angle), torch.cos(angle))


def linear(cfg, n_in, n_out, bias):
    return nn.Linear(n_in, n_out, bias=bias)


def layer_norm(cfg):
    return nn.LayerNorm(cfg["n_embd"], eps=cfg["ln_eps"], elementwise_affine=True) if cfg["ln_bias"] \
        else NoBiasLayerNorm(cfg["n_embd"], cfg["ln_eps"])


class NoBiasLayerNorm(nn.Module):
    def __init__(self, c, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(c))
        self.eps = eps

    def forward(self, x):
        return F.layer_norm(x, x.shape[-1:], self.weight, None, self.eps)


def attend(q, k, v, n_head, mask):
    """q (B,Tq,C), k/v (B,Tk,C), mask (B,1|H,Tq,Tk) True where allowed ->
    out (B,Tq,C), weights (B,H,Tq,Tk)."""
    B, Tq, C = q.shape
    Tk = k.shape[1]
    hs = C // n_head
    q = q.view(B, Tq, n_head, hs).transpose(1, 2)
    k = k.view(B, Tk, n_head, hs).transpose(1, 2)
    v = v.view(B, Tk, n_head, hs).transpose(1, 2)
    scores = q @ k.transpose(-2, -1) / math.sqrt(hs)
    scores = scores.masked_fill(~mask, float("-inf"))
    w = torch.softmax(scores, dim=-1)
    return (w @ v).transpose(1, 2).reshape(B, Tq, C), w


class SelfAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        c = cfg["n_embd"]
        self.n_head = cfg["n_head"]
        self.qkv_proj = linear(cfg, c, 3 * c, cfg["qkv_bias"])
        self.out_proj = linear(cfg, c, c, cfg["proj_bias"])

    def forward(self, x, mask):
        q, k, v = self.qkv_proj(x).split(x.shape[-1], dim=-1)
        out, w = attend(q, k, v, self.n_head, mask)
        return self.out_proj(out), w


class CrossAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        c = cfg["n_embd"]
        self.n_head = cfg["n_head"]
        self.q_proj = linear(cfg, c, c, cfg["qkv_bias"])
        self.kv_proj = linear(cfg, c, 2 * c, cfg["qkv_bias"])
        self.out_proj = linear(cfg, c, c, cfg["proj_bias"])

    def forward(self, x, memory, mask):
        k, v = self.kv_proj(memory).split(x.shape[-1], dim=-1)
        out, w = attend(self.q_proj(x), k, v, self.n_head, mask)
        return self.out_proj(out), w


def feed_forward(cfg, module, x):
    act = F.gelu if cfg["activation"] == "gelu" else F.relu
    return module.fc2(act(module.fc1(x)))


def residual(cfg, x, norm, f):
    """pre: x + f(LN(x)); post: LN(x + f(x)). Returns (new x, f's extra output)."""
    if cfg["norm"] == "pre":
        y, extra = f(norm(x))
        return x + y, extra
    y, extra = f(x)
    return norm(x + y), extra


class EncoderLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        c, f = cfg["n_embd"], cfg["ffn_mult"] * cfg["n_embd"]
        self.self_attn_layer_norm = layer_norm(cfg)
        self.self_attn = SelfAttention(cfg)
        self.final_layer_norm = layer_norm(cfg)
        self.fc1 = linear(cfg, c, f, cfg["ffn_bias"])
        self.fc2 = linear(cfg, f, c, cfg["ffn_bias"])


class DecoderLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        c, f = cfg["n_embd"], cfg["ffn_mult"] * cfg["n_embd"]
        self.self_attn_layer_norm = layer_norm(cfg)
        self.self_attn = SelfAttention(cfg)
        self.encoder_attn_layer_norm = layer_norm(cfg)
        self.encoder_attn = CrossAttention(cfg)
        self.final_layer_norm = layer_norm(cfg)
        self.fc1 = linear(cfg, c, f, cfg["ffn_bias"])
        self.fc2 = linear(cfg, f, c, cfg["ffn_bias"])


class Seq2seq(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        c, V = cfg["n_embd"], cfg["vocab_size"]
        if cfg["share_embeddings"]:
            self.shared = nn.Embedding(V, c)
        else:
            self.encoder_embed_tokens = nn.Embedding(V, c)
            self.decoder_embed_tokens = nn.Embedding(V, c)
        if cfg["positions"] == "learned":
            self.encoder_embed_positions = nn.Embedding(cfg["context"], c)
            self.decoder_embed_positions = nn.Embedding(cfg["context"], c)
        self.encoder_layers = nn.ModuleList(EncoderLayer(cfg) for _ in range(cfg["n_encoder_layer"]))
        self.decoder_layers = nn.ModuleList(DecoderLayer(cfg) for _ in range(cfg["n_layer"]))
        if cfg["norm"] == "pre":
            self.encoder_layer_norm = layer_norm(cfg)
            self.decoder_layer_norm = layer_norm(cfg)
        if not cfg["tie_head"]:
            self.output_projection = nn.Linear(c, V, bias=cfg["head_bias"])
        elif cfg["head_bias"]:
            self.output_bias = nn.Parameter(torch.zeros(V))

    def dikkat_names(self):
        """{dikkat checkpoint name: parameter}."""
        out = {}
        for name, p in self.named_parameters():
            n = name
            for a, b in [("encoder_embed_tokens", "encoder.embed_tokens"),
                         ("decoder_embed_tokens", "decoder.embed_tokens"),
                         ("encoder_embed_positions", "encoder.embed_positions"),
                         ("decoder_embed_positions", "decoder.embed_positions"),
                         ("encoder_layers", "encoder.layers"), ("decoder_layers", "decoder.layers"),
                         ("encoder_layer_norm", "encoder.layer_norm"),
                         ("decoder_layer_norm", "decoder.layer_norm"),
                         ("output_projection", "decoder.output_projection"),
                         ("output_bias", "decoder.output_projection.bias")]:
                if n.startswith(a):
                    n = b + n[len(a):]
                    break
            out[n] = p
        return out

    def tables(self):
        if self.cfg["share_embeddings"]:
            return self.shared.weight, self.shared.weight
        return self.encoder_embed_tokens.weight, self.decoder_embed_tokens.weight

    def positions(self, side, t, dtype):
        if self.cfg["positions"] == "learned":
            table = (self.encoder_embed_positions if side == "encoder" else self.decoder_embed_positions)
            return table.weight[:t]
        return sinusoids(t, self.cfg["n_embd"]).to(dtype)

    def encode(self, source, source_lengths):
        """-> memory (B,S,C), keys_ok (B,1,1,S) True where a key is inside its source, and the
        encoder's attention weights per layer."""
        cfg = self.cfg
        B, S = source.shape
        src_table, _ = self.tables()
        keys_ok = (torch.arange(S)[None, :] < source_lengths[:, None])[:, None, None, :]
        weights = []
        x = F.embedding(source, src_table) * math.sqrt(cfg["n_embd"]) + \
            self.positions("encoder", S, src_table.dtype)
        for layer in self.encoder_layers:
            x, w = residual(cfg, x, layer.self_attn_layer_norm,
                            lambda h: layer.self_attn(h, keys_ok.expand(B, 1, S, S)))
            weights.append(w)
            x, _ = residual(cfg, x, layer.final_layer_norm, lambda h: (feed_forward(cfg, layer, h), None))
        if cfg["norm"] == "pre":
            x = self.encoder_layer_norm(x)
        return x, keys_ok, weights

    def head(self, y):
        """Decoder states (..., C) -> logits (..., V)."""
        _, tgt_table = self.tables()
        if not self.cfg["tie_head"]:
            return self.output_projection(y)
        logits = y @ tgt_table.t()
        return logits + self.output_bias if self.cfg["head_bias"] else logits

    def forward(self, source, source_lengths, inputs):
        cfg = self.cfg
        B, S = source.shape
        T = inputs.shape[1]
        scale = math.sqrt(cfg["n_embd"])
        _, tgt_table = self.tables()
        memory, keys_ok, encoder_weights = self.encode(source, source_lengths)
        weights = {"encoder": encoder_weights, "decoder_self": [], "cross": []}

        causal = torch.ones(T, T, dtype=torch.bool).tril()[None, None]
        y = F.embedding(inputs, tgt_table) * scale + self.positions("decoder", T, tgt_table.dtype)
        for layer in self.decoder_layers:
            y, w = residual(cfg, y, layer.self_attn_layer_norm, lambda h: layer.self_attn(h, causal))
            weights["decoder_self"].append(w)
            y, w = residual(cfg, y, layer.encoder_attn_layer_norm,
                            lambda h: layer.encoder_attn(h, memory, keys_ok.expand(B, 1, T, S)))
            weights["cross"].append(w)
            y, _ = residual(cfg, y, layer.final_layer_norm, lambda h: (feed_forward(cfg, layer, h), None))
        if cfg["norm"] == "pre":
            y = self.decoder_layer_norm(y)
        return self.head(y), weights


def loss_of(cfg, logits, targets, label_smoothing):
    """PyTorch's mean cross-entropy over targets that are not -1 (padding)."""
    return F.cross_entropy(logits.reshape(-1, cfg["vocab_size"]), targets.reshape(-1).long(),
                           ignore_index=-1, label_smoothing=label_smoothing)
