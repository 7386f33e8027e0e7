#include "train/distributed.h"

#include <cstdlib>
#include <type_traits>
#include <vector>

#include "error.h"

#ifdef DIKKAT_HAVE_MPI
#include <mpi.h>
#endif

namespace dikkat {

namespace {

// The world size a launcher announces (Open MPI, PMI-1/2 as Slurm's srun sets it, PMIx).
int announced_size() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "PMIX_SIZE"})
    if (const char* v = std::getenv(name)) return std::atoi(v);
  return 0;
}

}  // namespace

int Distributed::launcher_rank() {
  for (const char* name : {"OMPI_COMM_WORLD_RANK", "PMI_RANK", "PMIX_RANK"})
    if (const char* v = std::getenv(name)) return std::atoi(v);
  return 0;
}

bool Distributed::launched_by_mpi() {
  return announced_size() > 0 || std::getenv("PMIX_RANK") != nullptr;
}

Distributed& Distributed::world() {
  static Distributed instance;
  return instance;
}

Distributed::Distributed() {
  if (!launched_by_mpi()) return;
#ifdef DIKKAT_HAVE_MPI
  int provided = 0;
  MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  joined_ = true;
#else
  if (announced_size() > 1)
    throw Error("this dikkat was built without MPI (cmake -DDIKKAT_MPI=ON with libopenmpi-dev): "
                "it cannot train as one rank of " + std::to_string(announced_size()));
#endif
}

Distributed::~Distributed() {
#ifdef DIKKAT_HAVE_MPI
  if (joined_) MPI_Finalize();
#endif
}

namespace {

// An element-wise sum over every rank, in place.
template <typename T>
void allreduce_sum_in_place([[maybe_unused]] std::span<T> values) {
#ifdef DIKKAT_HAVE_MPI
  MPI_Allreduce(MPI_IN_PLACE, values.data(), int(values.size()),
                std::is_same_v<T, float> ? MPI_FLOAT : MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
#endif
}

}  // namespace

void Distributed::allreduce_sum(std::span<float> values) {
  if (size_ > 1) allreduce_sum_in_place(values);
}

void Distributed::allreduce_sum(std::span<double> values) {
  if (size_ > 1) allreduce_sum_in_place(values);
}

void Distributed::broadcast([[maybe_unused]] std::span<uint8_t> data) {
  if (size_ == 1) return;
#ifdef DIKKAT_HAVE_MPI
  MPI_Bcast(data.data(), int(data.size()), MPI_BYTE, 0, MPI_COMM_WORLD);
#endif
}

void Distributed::broadcast([[maybe_unused]] std::span<float> values, [[maybe_unused]] int root) {
  if (size_ == 1) return;
#ifdef DIKKAT_HAVE_MPI
  MPI_Bcast(values.data(), int(values.size()), MPI_FLOAT, root, MPI_COMM_WORLD);
#endif
}

void Distributed::send([[maybe_unused]] std::span<const float> values, [[maybe_unused]] int to) {
#ifdef DIKKAT_HAVE_MPI
  MPI_Send(values.data(), int(values.size()), MPI_FLOAT, to, 0, MPI_COMM_WORLD);
#endif
}

void Distributed::receive([[maybe_unused]] std::span<float> values, [[maybe_unused]] int from) {
#ifdef DIKKAT_HAVE_MPI
  MPI_Recv(values.data(), int(values.size()), MPI_FLOAT, from, 0, MPI_COMM_WORLD,
           MPI_STATUS_IGNORE);
#endif
}

bool Distributed::all(bool ok) {
  if (size_ == 1) return ok;
  int value = ok ? 1 : 0;
#ifdef DIKKAT_HAVE_MPI
  MPI_Allreduce(MPI_IN_PLACE, &value, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
#endif
  return value == 1;
}

void Distributed::check_same([[maybe_unused]] uint64_t digest, const std::string& what) {
  if (size_ == 1) return;
  std::vector<uint64_t> all_digests(size_t(size_), 0);
#ifdef DIKKAT_HAVE_MPI
  MPI_Allgather(&digest, 1, MPI_UINT64_T, all_digests.data(), 1, MPI_UINT64_T, MPI_COMM_WORLD);
#endif
  std::string differing;
  for (int r = 1; r < size_; ++r)
    if (all_digests[size_t(r)] != all_digests[0])
      differing.append(differing.empty() ? "" : ", ").append(std::to_string(r));
  if (!differing.empty())
    throw Error(what + " differs between ranks: rank(s) " + differing +
                " do not have rank 0's (every rank must train on the same)");
}

uint64_t digest_bytes(std::string_view bytes, uint64_t seed) {
  uint64_t h = seed;
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ull;
  return h;
}

}  // namespace dikkat
