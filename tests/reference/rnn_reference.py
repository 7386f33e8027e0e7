"""A PyTorch reference for dikkat's recurrent encoder-decoders (arch "rnn").

Written from the papers (Cho et al. 2014, Bahdanau et al. 2015, Luong et al.
2015) and dikkat's config, not from dikkat's C++: the same dict as config.json's
"model" object builds it, and the recurrent stacks are PyTorch's own nn.GRU /
nn.LSTM modules, so their parameter names (weight_ih_l0, weight_hh_l0_reverse,
...) are dikkat's checkpoint names under encoder.rnn. and decoder.rnn.

    source (B,S) ids, source_lengths (B), inputs (B,T) ids -> logits (B,T,V)

The encoder reads packed sequences (padding never fed). The decoder starts from
tanh(bridge([forward last; backward first])) and reads the source through
attention "none" (the final states as a fixed context beside every input),
"bahdanau" (additive scores from the previous state, step by step) or "luong"
(query(s_t) . h_j / sqrt(width) after the step, no input feeding); every variant
predicts from tanh(combine([s_t; c_t])).
"""

import math

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from seq2seq_reference import loss_of  # noqa: F401 (the same loss; importers take it from here)

DEFAULTS = dict(arch="rnn", vocab_size=16, n_layer=1, n_encoder_layer=1, n_head=1, n_embd=8,
                context=16, tie_head=True, head_bias=False, share_embeddings=True,
                label_smoothing=0.0, dropout=0.0, cell="gru", hidden=8, bidirectional=True,
                attention="bahdanau")


def full_config(partial):
    cfg = dict(DEFAULTS)
    cfg.update(partial)
    return cfg


def recurrent(cfg, n_in, layers, bidirectional):
    kind = nn.GRU if cfg["cell"] == "gru" else nn.LSTM
    return kind(n_in, cfg["hidden"], num_layers=layers, bidirectional=bidirectional,
                batch_first=True)


class Rnn(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        V, E, H = cfg["vocab_size"], cfg["n_embd"], cfg["hidden"]
        D = 2 if cfg["bidirectional"] else 1
        M, L = D * H, cfg["n_layer"]
        if cfg["share_embeddings"]:
            self.shared = nn.Embedding(V, E)
        else:
            self.encoder_embed_tokens = nn.Embedding(V, E)
            self.decoder_embed_tokens = nn.Embedding(V, E)
        self.encoder_rnn = recurrent(cfg, E, cfg["n_encoder_layer"], cfg["bidirectional"])
        self.bridge = nn.Linear(M, L * H)
        attention = cfg["attention"]
        if attention == "bahdanau":
            self.query = nn.Linear(H, H, bias=False)
            self.key = nn.Linear(M, H)
            self.v = nn.Parameter(torch.zeros(H))
        elif attention == "luong":
            self.query = nn.Linear(H, M, bias=False)
        self.decoder_rnn = recurrent(cfg, E if attention == "luong" else E + M, L, False)
        self.combine = nn.Linear(H + M, E)
        if not cfg["tie_head"]:
            self.output_projection = nn.Linear(E, V, bias=cfg["head_bias"])
        elif cfg["head_bias"]:
            self.output_bias = nn.Parameter(torch.zeros(V))

    def dikkat_names(self):
        """{dikkat checkpoint name: parameter}."""
        renames = [("encoder_embed_tokens", "encoder.embed_tokens"),
                   ("decoder_embed_tokens", "decoder.embed_tokens"),
                   ("encoder_rnn", "encoder.rnn"), ("decoder_rnn", "decoder.rnn"),
                   ("bridge", "decoder.bridge"), ("query", "decoder.attention.query"),
                   ("key", "decoder.attention.key"), ("v", "decoder.attention.v"),
                   ("combine", "decoder.combine"),
                   ("output_projection", "decoder.output_projection"),
                   ("output_bias", "decoder.output_projection.bias")]
        out = {}
        for name, p in self.named_parameters():
            n = name
            for a, b in renames:
                if n == a or n.startswith(a + "."):
                    n = b + n[len(a):]
                    break
            out[n] = p
        return out

    def tables(self):
        if self.cfg["share_embeddings"]:
            return self.shared, self.shared
        return self.encoder_embed_tokens, self.decoder_embed_tokens

    def forward(self, source, lengths, inputs):
        """-> logits (B,T,V) and the alignment (B,T,S) (None without attention)."""
        cfg = self.cfg
        B, S = source.shape
        T = inputs.shape[1]
        H, L = cfg["hidden"], cfg["n_layer"]
        src_table, tgt_table = self.tables()

        packed = pack_padded_sequence(src_table(source), lengths, batch_first=True,
                                      enforce_sorted=False)
        out, final = self.encoder_rnn(packed)
        memory, _ = pad_packed_sequence(out, batch_first=True, total_length=S)
        h_n = final[0] if cfg["cell"] == "lstm" else final
        summary = torch.cat([h_n[-2], h_n[-1]], dim=-1) if cfg["bidirectional"] else h_n[-1]

        h0 = torch.tanh(self.bridge(summary)).view(B, L, H).transpose(0, 1).contiguous()
        state = (h0, torch.zeros_like(h0)) if cfg["cell"] == "lstm" else h0
        top_of = (lambda s: s[0][-1]) if cfg["cell"] == "lstm" else (lambda s: s[-1])
        embedded = tgt_table(inputs)
        padding = torch.arange(S)[None, :] >= lengths[:, None]  # (B,S) True at padding
        alignment = None

        if cfg["attention"] == "none":
            context = summary[:, None, :].expand(B, T, summary.shape[-1])
            top, _ = self.decoder_rnn(torch.cat([embedded, context], dim=-1), state)
        elif cfg["attention"] == "luong":
            top, _ = self.decoder_rnn(embedded, state)
            scores = self.query(top) @ memory.transpose(1, 2) / math.sqrt(memory.shape[-1])
            alignment = torch.softmax(scores.masked_fill(padding[:, None, :], float("-inf")), -1)
            context = alignment @ memory
        else:
            keys = self.key(memory)
            tops, contexts, weights = [], [], []
            for t in range(T):
                q = self.query(top_of(state))
                e = torch.tanh(q[:, None, :] + keys) @ self.v
                a = torch.softmax(e.masked_fill(padding, float("-inf")), dim=-1)
                c = (a[:, :, None] * memory).sum(1)
                out, state = self.decoder_rnn(torch.cat([embedded[:, t], c], -1)[:, None], state)
                tops.append(out[:, 0])
                contexts.append(c)
                weights.append(a)
            top, context = torch.stack(tops, 1), torch.stack(contexts, 1)
            alignment = torch.stack(weights, 1)

        output = torch.tanh(self.combine(torch.cat([top, context], dim=-1)))
        if cfg["tie_head"]:
            logits = output @ tgt_table.weight.t()
            if cfg["head_bias"]:
                logits = logits + self.output_bias
        else:
            logits = self.output_projection(output)
        return logits, alignment
