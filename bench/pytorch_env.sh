# Sourced by the benches that run PyTorch: `pytorch_env` is the environment PyTorch runs fastest
# in here. OMP_WAIT_POLICY=PASSIVE: its OpenMP threads sleep instead of spinning between ops.
# tcmalloc (Debian's libgoogle-perftools4, installed by scripts/install-deps.sh --with-reference),
# as PyTorch's CPU performance guide suggests: glibc's malloc maps every tensor over 32 MiB afresh,
# and PyTorch then page-faults through a translator's logits again at every step (rnn-small on the
# 2-core EPYC: 1,752 target tokens/s with glibc, 3,537 with tcmalloc, 871 with jemalloc).
pytorch_env=(OMP_WAIT_POLICY=PASSIVE)
for lib in /usr/lib/*-linux-gnu/libtcmalloc.so.4; do
    [[ -f "$lib" ]] && pytorch_env+=(LD_PRELOAD="$lib")
done
