"""dikkat from Python: load a trained model, generate, look inside it, score translations.

    import dikkat
    model = dikkat.load("runs/seed248")
    att = model.attention("To be or not")
    att.weights.shape          # (layers, heads, queries, keys), a numpy array

Every array is numpy, over the engine's own buffer (no copy); the engine runs with Python's
GIL released. Errors raise dikkat.Error (a ValueError) or FileNotFoundError with the one-line
message the command line would print.
"""

from dataclasses import dataclass, field
from typing import List, Optional

import numpy as np

from . import _dikkat
from ._dikkat import Error, Tokenizer, score, tokenizer

__all__ = ["load", "Model", "Attention", "Trace", "Embeddings", "NextToken", "Error", "Tokenizer",
           "tokenizer", "score"]


@dataclass
class Attention:
    """Every layer's and head's attention table of one kind for one input.

    weights: float32 array (layers, heads, queries, keys); row q is where query q looks.
    queries, keys: the tokens' labels (whitespace made visible), as the CLI prints them.
    For a translator also the target (the given one, or the model's own greedy translation when
    `translated`) and the source and target tokens.
    """
    kind: str
    weights: np.ndarray
    queries: List[str]
    keys: List[str]
    causal: bool
    target: Optional[str] = None
    translated: Optional[bool] = None
    source_tokens: List[str] = field(default_factory=list)
    target_tokens: List[str] = field(default_factory=list)


@dataclass
class NextToken:
    """The distribution of the next token: probs (float64, one per vocabulary id) and each id's
    text in tokens; context are the positions the model read (dropped: cut from a long text)."""
    probs: np.ndarray
    tokens: List[str]
    context: List[str]
    dropped: int

    def top(self, n=10):
        """The n most likely (token, probability) pairs, most likely first."""
        order = np.argsort(-self.probs, kind="stable")[:n]
        return [(self.tokens[i], float(self.probs[i])) for i in order]


class Trace:
    """The path of one input through the model, step by step in the order computed: a mapping
    of step name to array (rows are positions; per-head steps are (heads, rows, columns)).
    describe(name) says what the step is (language "en" or "tr"), rows(name) which positions its
    rows are."""

    def __init__(self, steps):
        self._steps = {name: (array, en, tr, rows) for name, array, en, tr, rows in steps}

    def __getitem__(self, name):
        return self._steps[name][0]

    def __iter__(self):
        return iter(self._steps)

    def __len__(self):
        return len(self._steps)

    def keys(self):
        return self._steps.keys()

    def items(self):
        return ((name, step[0]) for name, step in self._steps.items())

    def describe(self, name, language="en"):
        array, en, tr, _ = self._steps[name]
        return tr if language == "tr" else en

    def rows(self, name):
        return self._steps[name][3]


@dataclass
class Embeddings:
    """A model's token embedding table, (vocab, width), with each row's token text."""
    table: np.ndarray
    tokens: List[str]


def _as_torch(array):
    """A torch tensor over the same memory when torch is importable (BertViz stacks tensors with
    torch.stack, so numpy arrays fail there), else the numpy array."""
    try:
        import torch
    except ImportError:
        return array
    return torch.from_numpy(array)


class Model:
    """A trained model directory (dikkat.load)."""

    def __init__(self, loaded):
        self._loaded = loaded

    def __repr__(self):
        return f"dikkat.Model({self.dir!r}: {self.summary}, step {self.step})"

    @property
    def dir(self):
        return self._loaded.dir

    @property
    def config(self):
        """config.json's model and train sections as dicts."""
        return self._loaded.config

    @property
    def step(self):
        return self._loaded.step

    @property
    def summary(self):
        return self._loaded.summary

    @property
    def attention_kinds(self):
        """The kinds `attention(kind=)` takes: "self" for a GPT; "encoder", "decoder" and
        "cross" for a translator."""
        return self._loaded.attention_kinds

    def generate(self, prompt, tokens=200, temperature=1.0, top_k=0, top_p=1.0, seed=1337):
        """The continuation of `prompt` (without the prompt): `tokens` tokens at most, stopping
        at <|endoftext|>; temperature 0 is greedy. The same seed gives the same text."""
        return self._loaded.generate(prompt, tokens, temperature, top_k, top_p, seed)

    def attention(self, text, kind=None, target="", format="numpy"):
        """All layers' and heads' attention for `text` (a translator: `text` is the source and
        `target` the translation to read, its own when empty).

        format="numpy": an Attention. format="bertviz": what bertviz.head_view and model_view
        take: for a language model (attention, tokens) with one tensor per layer shaped
        (1, heads, queries, keys); for a translator a dict of encoder_attention,
        decoder_attention, cross_attention, encoder_tokens and decoder_tokens, to pass as
        keywords. The tensors are torch tensors over the same memory when torch is importable.
        """
        if format == "bertviz":
            return self._bertviz(text, target)
        if format != "numpy":
            raise Error(f"format must be numpy or bertviz, got {format!r}")
        return Attention(**self._loaded.attention(text, kind or "", target))

    def _bertviz(self, text, target):
        def per_layer(a):
            return [_as_torch(a.weights[layer][None]) for layer in range(a.weights.shape[0])]

        if not self._loaded.translates:
            a = self.attention(text, kind="self")
            return per_layer(a), a.keys
        # The first kind read settles the target (the model's own translation when none is
        # given); the others read the same one. A recurrent translator has cross only.
        views, tokens = {}, {}
        for kind in self.attention_kinds:
            a = self.attention(text, kind=kind, target=target)
            target = a.target
            views[f"{kind}_attention"] = per_layer(a)
            tokens = dict(encoder_tokens=a.source_tokens, decoder_tokens=a.target_tokens)
        return dict(views, **tokens)

    def trace(self, text, target=""):
        """Every intermediate tensor of one forward pass over `text` (a translator: its source,
        reading `target`, its own translation when empty), as a Trace."""
        return Trace(self._loaded.trace(text, target))

    def embeddings(self, step=None):
        """The token embedding table now, or at a kept step (0: before training; others need
        train --snapshot-every). The array is read-only, over the model's own weights."""
        table, tokens = self._loaded.embeddings(step)
        return Embeddings(table, tokens)

    def translate(self, texts, beam=4, length_penalty=1.0, batch=32):
        """Translations of a sentence (str) or of a list of them, by beam search (beam=1:
        greedy), in batches of sentences of similar length."""
        one = isinstance(texts, str)
        out = self._loaded.translate([texts] if one else list(texts), beam, length_penalty, batch)
        return out[0] if one else out

    def probs(self, text, temperature=1.0, target=""):
        """The next token's distribution after `text` (a translator: after the target prefix
        `target` of the source `text`; a masked language model: at the first [MASK])."""
        return NextToken(**self._loaded.probs(text, temperature, target))


def load(dir):
    """The model saved in the run directory `dir` (config.json, tokenizer.json, weights)."""
    return Model(_dikkat.load(str(dir)))
