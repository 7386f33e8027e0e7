"""dikkat.load and what a model answers, against the CLI's JSON for the same model and text."""

import sys
import threading

import numpy as np
import pytest

import dikkat
from conftest import model_dir


def test_config_and_identity_read_from_the_directory():
    model = dikkat.load(model_dir("seed248"))
    assert model.config["model"]["arch"] == "gpt"
    assert model.config["model"]["n_embd"] > 0
    assert model.attention_kinds == ["self"]
    assert "seed248" in repr(model)


def test_attention_equals_the_cli_and_is_not_a_copy(cli):
    model = dikkat.load(model_dir("shakespeare-cpu"))
    text = "To be, or not"
    att = model.attention(text)
    want = cli("attention", "--model", model_dir("shakespeare-cpu"), "--text", text,
               "--format", "json")
    assert att.weights.shape == (want["layers"], want["heads"], len(text), len(text))
    assert att.weights.dtype == np.float32
    assert att.queries == want["labels"] and att.keys == want["labels"]
    for table in want["tables"]:
        got = att.weights[table["layer"] - 1, table["head"] - 1]
        np.testing.assert_allclose(got, np.array(table["weights"]), rtol=0, atol=1e-7)
    # The array's memory is the engine's buffer (its base is the capsule that owns it).
    assert att.weights.base is not None and not att.weights.flags.owndata
    np.testing.assert_allclose(att.weights.sum(axis=-1), 1.0, atol=1e-5)


def test_translator_attention_reads_its_own_translation_and_names_the_kinds(cli):
    model = dikkat.load(model_dir("nmt-tiny"))
    assert set(model.attention_kinds) == {"encoder", "decoder", "cross"}
    att = model.attention("a b")
    assert att.kind == "cross" and att.translated
    want = cli("attention", "--model", model_dir("nmt-tiny"), "--text", "a b", "--format", "json")
    assert att.target == want["target"]
    assert att.weights.shape[2:] == (len(att.target_tokens), len(att.source_tokens))
    given = model.attention("a b", kind="encoder", target=att.target)
    assert given.translated is False and given.weights.shape[2] == given.weights.shape[3]


def test_bertviz_format_has_one_table_per_layer_shaped_for_head_view():
    model = dikkat.load(model_dir("shakespeare-cpu"))
    layers, tokens = model.attention("To be", format="bertviz")
    assert len(layers) == model.config["model"]["n_layer"]
    assert tuple(layers[0].shape) == (1, model.config["model"]["n_head"], 5, 5)
    assert len(tokens) == 5 and tokens[0] == "T"


def test_generate_is_reproducible_and_greedy_at_temperature_zero():
    model = dikkat.load(model_dir("shakespeare-cpu"))
    a = model.generate("ROMEO:", tokens=20, seed=7)
    assert a == model.generate("ROMEO:", tokens=20, seed=7)
    assert 0 < len(a) <= 20 * 4
    assert model.generate("ROMEO:", tokens=20, temperature=0) == \
        model.generate("ROMEO:", tokens=20, temperature=0, seed=99)


def test_probs_sum_to_one_and_match_the_cli(cli):
    model = dikkat.load(model_dir("shakespeare-cpu"))
    nxt = model.probs("To be, or not to b")
    assert nxt.probs.dtype == np.float64
    assert abs(nxt.probs.sum() - 1.0) < 1e-9
    want = cli("probs", "--model", model_dir("shakespeare-cpu"), "--text", "To be, or not to b",
               "--format", "json")
    for row in want["tokens"]:
        assert nxt.tokens[row["id"]] == row["text"]
        assert nxt.probs[row["id"]] == pytest.approx(row["probabilities"][0], abs=1e-12)
    assert nxt.top(1)[0][0] == want["tokens"][0]["text"]


def test_the_gil_is_released_while_the_engine_computes():
    """A Python thread counts while generate runs. Holding the GIL, the engine would let it run
    only once per switch interval (set to 0.5 s, longer than the call)."""
    model = dikkat.load(model_dir("shakespeare-cpu"))
    ticks = []
    stop = threading.Event()

    def count():
        while not stop.is_set():
            ticks.append(1)

    before = sys.getswitchinterval()
    sys.setswitchinterval(0.5)
    thread = threading.Thread(target=count)
    try:
        thread.start()
        while not ticks:
            pass
        start = len(ticks)
        model.generate("ROMEO:", tokens=100, temperature=0)
        during = len(ticks) - start
    finally:
        stop.set()
        thread.join()
        sys.setswitchinterval(before)
    assert during > 1000


@pytest.mark.parametrize("call, error", [
    (lambda: dikkat.load("/nonexistent/run"), FileNotFoundError),
    (lambda: dikkat.load(model_dir("seed248")).attention("abc", kind="cross"), dikkat.Error),
    (lambda: dikkat.load(model_dir("seed248")).generate("", tokens=5), ValueError),
    (lambda: dikkat.load(model_dir("seed248")).generate("abc", tokens=-1), ValueError),
    (lambda: dikkat.load(model_dir("seed248")).attention("abc", format="png"), ValueError),
    (lambda: dikkat.load(model_dir("bigram")).attention("abc"), dikkat.Error),
])
def test_bad_input_raises_with_the_cli_message(call, error):
    with pytest.raises(error) as info:
        call()
    message = str(info.value)
    assert message and "\n" not in message
