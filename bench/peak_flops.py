"""The machine's matmul peak, the denominator of the benchmark's MFU.

Times torch.matmul on a transformer-sized product, (2048 x 384) . (384 x 1152), in fp32 and
in bf16, with the given threads, and prints the best GFLOP/s of each:
    peak fp32_gflops=<x> bf16_gflops=<y>
"""

import argparse
import os
import time

import torch


def best_gflops(dtype, threads, repeats=30):
    torch.set_num_threads(threads)
    a = torch.randn(2048, 384).to(dtype)
    b = torch.randn(384, 1152).to(dtype)
    flops = 2 * 2048 * 384 * 1152
    for _ in range(3):
        torch.matmul(a, b)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        torch.matmul(a, b)
        best = min(best, time.perf_counter() - start)
    return flops / best / 1e9


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=os.cpu_count())
    args = ap.parse_args()
    print(f"peak fp32_gflops={best_gflops(torch.float32, args.threads):.1f} "
          f"bf16_gflops={best_gflops(torch.bfloat16, args.threads):.1f}")


if __name__ == "__main__":
    main()
