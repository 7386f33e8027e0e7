#pragma once
// Data-parallel training over MPI ranks (docs/distributed.md). A process started by mpirun or
// srun joins the MPI job; any other process is rank 0 of 1 and never calls MPI, so a plain
// `dikkat train` runs exactly as it would without MPI. Every collective here is called by every
// rank in the same order.
#include <cstdint>
#include <span>
#include <string>

namespace dikkat {

class Distributed {
 public:
  // The job this process belongs to, joined on first use.
  static Distributed& world();
  // Whether this process was started as a rank of an MPI job (by mpirun, srun or another PMI
  // launcher), read from the launcher's environment without touching MPI.
  static bool launched_by_mpi();
  // This process's rank as the launcher announces it (0 when not launched by one).
  static int launcher_rank();
  ~Distributed();

  int rank() const { return rank_; }
  int size() const { return size_; }
  bool is_root() const { return rank_ == 0; }

  // In place, the element-wise sum over every rank.
  void allreduce_sum(std::span<float> values);
  void allreduce_sum(std::span<double> values);
  // Rank 0's bytes into every rank's `data` (the same size on every rank).
  void broadcast(std::span<uint8_t> data);
  // Rank `root`'s values into every rank's `values`.
  void broadcast(std::span<float> values, int root);
  // Point to point: `values` from this rank to rank `to`, and into `values` from rank `from`.
  void send(std::span<const float> values, int to);
  void receive(std::span<float> values, int from);
  // True on every rank when `ok` is true on every rank: a decision no rank takes alone.
  bool all(bool ok);
  // Throws the same Error on every rank unless `digest` is equal on all of them; rank 0's
  // message names `what` and the ranks that differ.
  void check_same(uint64_t digest, const std::string& what);

 private:
  Distributed();
  int rank_ = 0, size_ = 1;
  bool joined_ = false;
};

// A 64-bit FNV-1a digest of bytes, to compare configurations and data across ranks.
uint64_t digest_bytes(std::string_view bytes, uint64_t seed = 14695981039346656037ull);

}  // namespace dikkat
