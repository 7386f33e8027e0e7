#pragma once
// Reverse-mode autograd over coarse ops (micrograd's idea at tensor granularity).
// Each op computes its output eagerly and, when any input needs a gradient, records a closure
// that pushes the output's gradient back to its inputs. Ops run in creation order, so replaying
// the closures backwards is already a topological order: no graph sort is needed.
#include <functional>
#include <memory>
#include <vector>

#include "tensor/tensor.h"

namespace dikkat {

// How the matrix multiplies of linear layers run: float32 throughout, or bf16 inputs with
// float32 accumulation (mixed precision; everything else stays float32).
enum class MatmulPrecision { kFp32, kBf16 };

struct Node {
  Tensor value;
  Tensor grad;  // allocated (zeros) on first use, so leaves that get no gradient cost nothing
  bool requires_grad = false;

  // The gradient buffer, created as zeros of value's shape when first asked for.
  float* grad_ptr();
  // For a backward that writes every element: the gradient buffer and whether it was just
  // created (contents undefined: assign, do not add), which spares a pass zero-filling it.
  struct GradBuffer {
    float* data;
    bool fresh;
  };
  GradBuffer grad_to_write();
  void zero_grad();
};
using Var = std::shared_ptr<Node>;

Var make_var(Tensor value, bool requires_grad);

class Graph {
 public:
  // A graph that records nothing (inference): ops compute values only.
  static Graph inference() { return Graph(false); }
  Graph() : Graph(true) {}
  explicit Graph(MatmulPrecision precision) : recording_(true), precision_(precision) {}

  bool recording() const { return recording_; }
  MatmulPrecision matmul_precision() const { return precision_; }
  // Data-parallel training: this graph's batch is `rows` rows starting at row `offset` of the
  // global batch. Dropout then draws each row's mask as one process running the whole batch
  // would, so masks depend on the sample, not on the rank (0 rows: the batch is whole).
  void set_batch_rows(int64_t offset, int64_t rows) { row_offset_ = offset, rows_ = rows; }
  int64_t batch_row_offset() const { return row_offset_; }
  int64_t batch_rows() const { return rows_; }
  // The output node of an op over `inputs`: it needs a gradient if any input does. Its value is
  // uninitialised; the op must write all of it.
  Var output(std::vector<int64_t> shape, std::initializer_list<const Var*> inputs) const;
  // The same for an op over any number of inputs (concatenations, stacks).
  Var output_of_all(std::vector<int64_t> shape, const std::vector<Var>& inputs) const;
  // Registers how `out`'s gradient flows to the op's inputs; a no-op when out needs none.
  void on_backward(const Var& out, std::function<void()> backward);

  // Seeds d(root)/d(root) = 1 for a scalar root (or `seed` for any shape), then runs every
  // recorded backward closure from the last op to the first.
  void backward(const Var& root);
  void backward(const Var& root, const Tensor& seed);

 private:
  explicit Graph(bool recording) : recording_(recording) {}
  bool recording_;
  MatmulPrecision precision_ = MatmulPrecision::kFp32;
  int64_t row_offset_ = 0, rows_ = 0;
  std::vector<std::function<void()>> tape_;
};

}  // namespace dikkat
