"""dikkat.tokenizer and dikkat.score against the CLI."""

import os

import pytest

import dikkat
from conftest import FIXTURES, model_dir


def test_a_model_directory_tokenizer_round_trips():
    tok = dikkat.tokenizer(model_dir("shakespeare-cpu"))
    ids = tok.encode("To be")
    assert all(0 <= i < tok.vocab_size for i in ids)
    assert tok.decode(ids) == "To be"
    with pytest.raises(dikkat.Error):
        tok.decode([tok.vocab_size])


def test_a_bpe_tokenizer_file_encodes_as_the_cli(cli):
    path = os.path.join(model_dir("nmt-tiny"), "tokenizer.json")
    tok = dikkat.tokenizer(path)
    assert tok.kind == "bpe"
    text = "Hello, world."
    assert tok.decode(tok.encode(text)) == text


def test_a_missing_tokenizer_is_file_not_found():
    with pytest.raises(FileNotFoundError):
        dikkat.tokenizer(os.path.join(FIXTURES, "no-such-tokenizer.json"))


def test_score_equals_the_cli(tmp_path, cli):
    hyps = ["the cat sat on the mat", "a dog barked"]
    refs = ["the cat sat on a mat", "the dog barked loudly"]
    (tmp_path / "h.txt").write_text("\n".join(hyps) + "\n")
    (tmp_path / "r.txt").write_text("\n".join(refs) + "\n")
    want = cli("score", "--hyp", str(tmp_path / "h.txt"), "--ref", str(tmp_path / "r.txt"),
               "--json")
    got = dikkat.score(hyps, refs)
    assert got["bleu"] == pytest.approx(want["bleu"]["score"], abs=1e-9)
    assert got["chrf"] == pytest.approx(want["chrf"]["score"], abs=1e-9)
    assert got["signatures"][0].startswith("BLEU|nrefs:1")
    assert dikkat.score(hyps, [refs, refs])["bleu"] == pytest.approx(got["bleu"])


def test_score_refuses_a_stream_of_another_length():
    with pytest.raises(dikkat.Error):
        dikkat.score(["a b c"], ["a b c", "d e f"])
