#pragma once
// Principal component analysis of a table of row vectors (an embedding table), so it can be drawn
// in 2-D or 3-D. The eigenvectors come from LAPACK's symmetric eigensolver (dsyev, in OpenBLAS).
#include <cstdint>
#include <vector>

namespace dikkat {

struct PcaBasis {
  int64_t dim = 0;
  std::vector<double> mean;                     // (dim); zeros for the identity basis
  std::vector<std::vector<double>> components;  // k unit vectors of length dim
  std::vector<double> explained;                // share of the total variance, per component
  bool identity = false;  // dim <= k: the coordinates are the vectors themselves, unprojected

  std::vector<double> project(const float* row) const;  // (dim) -> (k)
};

// Fits `k` components on `rows` (n, dim). When dim <= k nothing is projected: the basis is the
// identity (exact coordinates, as seed 003 plots its 3-D embeddings), with k = dim. Each
// component's sign is fixed so that its largest-magnitude entry is positive, making the result
// repeatable.
PcaBasis fit_pca(const float* rows, int64_t n, int64_t dim, int64_t k);

}  // namespace dikkat
