"""trace, embeddings and translate, against the CLI's output for the same model and text."""

import subprocess

import numpy as np
import pytest

import dikkat
from conftest import DIKKAT_BIN, model_dir


def from_json(values):
    """The CLI's nested lists with null for the mask's -inf (docs/inspect.md) as an array."""
    if isinstance(values, list):
        return np.array([from_json(v) for v in values])
    return -np.inf if values is None else values


def test_trace_equals_the_cli_step_by_step(cli):
    model = dikkat.load(model_dir("shakespeare-cpu"))
    text = "To be"
    trace = model.trace(text)
    want = cli("trace", "--model", model_dir("shakespeare-cpu"), "--text", text, "--format", "json")
    assert list(trace) == [step["name"] for step in want["steps"]]
    for step in want["steps"]:
        got = trace[step["name"]]
        assert list(got.shape) == step["shape"]
        np.testing.assert_allclose(got, from_json(step["values"]), rtol=0, atol=1e-6)
        assert trace.describe(step["name"]) == step["description"]
        assert trace.describe(step["name"], "tr") == step["description_tr"]
        assert trace.rows(step["name"]) == step["rows"]
    assert not trace["embed.token"].flags.owndata


def test_embeddings_are_the_weights_and_change_with_training():
    model = dikkat.load(model_dir("seed248"))
    now = model.embeddings()
    before = model.embeddings(step=0)
    vocab = model.config["model"]["vocab_size"]
    assert now.table.shape == (vocab, model.config["model"]["n_embd"])
    assert len(now.tokens) == vocab
    assert not np.array_equal(now.table, before.table)
    with pytest.raises(ValueError):
        now.table[0, 0] = 1.0  # read-only: the model's own weights
    with pytest.raises(dikkat.Error):
        model.embeddings(step=123456)


def test_translate_equals_the_cli():
    model = dikkat.load(model_dir("nmt-tiny"))
    texts = ["a b", "b a a", "a"]
    for beam in (1, 4):
        want = subprocess.run(
            [DIKKAT_BIN, "translate", "--model", model_dir("nmt-tiny"), "--input", "/dev/stdin",
             "--beam", str(beam)], input="\n".join(texts) + "\n", capture_output=True, text=True,
            check=True).stdout.splitlines()
        assert model.translate(texts, beam=beam) == want
        assert model.translate(texts[0], beam=beam) == want[0]


def test_a_language_model_does_not_translate():
    with pytest.raises(dikkat.Error, match="does not translate"):
        dikkat.load(model_dir("shakespeare-cpu")).translate("To be")
