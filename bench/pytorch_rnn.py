"""PyTorch baseline for dikkat's recurrent translators (bench/rnn_speed.sh).

The encoder-decoder of tests/reference/rnn_reference.py (the same shape and
parameter names as dikkat's --arch rnn: nn.GRU / nn.LSTM stacks, the encoder on
packed sequences, Bahdanau's decoder one step at a time), trained as
bench/pytorch_seq2seq.py trains the transformer: the batch shapes of a dikkat
run's metrics.jsonl replayed with random ids, fused (foreach) Adam, float32.

Last line of output (parsed by the shell script):
  pytorch tokens_per_s=<median> steps=<n> peak_rss_mb=<mb>
"""

import argparse
import os
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "tests", "reference"))
from pytorch_seq2seq import train  # noqa: E402
from rnn_reference import Rnn, full_config  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--config", required=True, help="the dikkat run's config.json")
    ap.add_argument("--metrics", required=True, help="the dikkat run's metrics.jsonl")
    ap.add_argument("--steps", type=int, default=30)
    ap.add_argument("--skip", type=int, default=3, help="warm-up steps left out of the median")
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    ap.add_argument("--bf16", action="store_true", help="bf16 autocast (mixed precision) instead of fp32")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    train(args, Rnn, full_config)


if __name__ == "__main__":
    main()
