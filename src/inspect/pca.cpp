#include "inspect/pca.h"

#include <algorithm>
#include <cmath>

#include "error.h"

extern "C" void dsyev_(const char* jobz, const char* uplo, const int* n, double* a, const int* lda,
                       double* w, double* work, const int* lwork, int* info);

namespace dikkat {

std::vector<double> PcaBasis::project(const float* row) const {
  std::vector<double> out(components.size());
  for (size_t c = 0; c < components.size(); ++c)
    for (int64_t j = 0; j < dim; ++j) out[c] += (double(row[j]) - mean[j]) * components[c][j];
  return out;
}

PcaBasis fit_pca(const float* rows, int64_t n, int64_t dim, int64_t k) {
  if (n < 1 || dim < 1 || k < 1) throw Error("PCA needs at least one row, column and component");
  PcaBasis b;
  b.dim = dim;
  b.mean.assign(dim, 0.0);
  // Variance of each column around the mean, and the covariance matrix (dim, dim).
  if (dim > k) {
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < dim; ++j) b.mean[j] += rows[i * dim + j];
    for (double& m : b.mean) m /= double(n);
  }
  std::vector<double> cov(dim * dim, 0.0);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t a = 0; a < dim; ++a) {
      const double xa = rows[i * dim + a] - b.mean[a];
      for (int64_t c = 0; c <= a; ++c) cov[a * dim + c] += xa * (rows[i * dim + c] - b.mean[c]);
    }
  double total = 0.0;
  for (int64_t a = 0; a < dim; ++a) total += cov[a * dim + a];
  if (dim <= k) {
    b.identity = true;
    for (int64_t a = 0; a < dim; ++a) {
      std::vector<double> axis(dim, 0.0);
      axis[a] = 1.0;
      b.components.push_back(axis);
      b.explained.push_back(total > 0 ? cov[a * dim + a] / total : 0.0);
    }
    return b;
  }
  // dsyev reads the lower triangle in column-major order, which is our upper triangle read
  // row-major; the symmetric matrix is the same either way.
  for (int64_t a = 0; a < dim; ++a)
    for (int64_t c = 0; c < a; ++c) cov[c * dim + a] = cov[a * dim + c];
  const int nn = int(dim);
  int info = 0, lwork = -1;
  std::vector<double> eigenvalues(dim);
  double query = 0.0;
  dsyev_("V", "U", &nn, cov.data(), &nn, eigenvalues.data(), &query, &lwork, &info);
  lwork = int(query);
  std::vector<double> work(std::max(1, lwork));
  dsyev_("V", "U", &nn, cov.data(), &nn, eigenvalues.data(), work.data(), &lwork, &info);
  if (info != 0)
    throw Error("PCA: the eigensolver did not converge (LAPACK info " + std::to_string(info) + ")");
  // Eigenvalues come in ascending order; eigenvector i is column i (contiguous, column-major).
  for (int64_t c = 0; c < k; ++c) {
    const int64_t col = dim - 1 - c;
    std::vector<double> v(cov.begin() + col * dim, cov.begin() + (col + 1) * dim);
    const auto largest = std::max_element(
        v.begin(), v.end(), [](double x, double y) { return std::fabs(x) < std::fabs(y); });
    if (*largest < 0)
      for (double& x : v) x = -x;
    b.components.push_back(std::move(v));
    b.explained.push_back(total > 0 ? std::max(0.0, eigenvalues[col]) / total : 0.0);
  }
  return b;
}

}  // namespace dikkat
