#include "tensor/graph.h"

#include <algorithm>

#include "error.h"

namespace dikkat {

float* Node::grad_ptr() {
  if (grad.empty()) grad = Tensor(value.shape);
  return grad.ptr();
}

Node::GradBuffer Node::grad_to_write() {
  const bool fresh = grad.empty();
  if (fresh) grad = Tensor::uninitialized(value.shape);
  return {grad.ptr(), fresh};
}

void Node::zero_grad() {
  if (!grad.empty()) std::fill(grad.data.begin(), grad.data.end(), 0.0f);
}

Var make_var(Tensor value, bool requires_grad) {
  auto node = std::make_shared<Node>();
  node->value = std::move(value);
  node->requires_grad = requires_grad;
  return node;
}

Var Graph::output(std::vector<int64_t> shape, std::initializer_list<const Var*> inputs) const {
  bool needs_grad = false;
  if (recording_) {
    for (const Var* in : inputs) needs_grad |= (*in && (*in)->requires_grad);
  }
  // Every op writes its whole output before anything reads it: no zero-filling pass.
  return make_var(Tensor::uninitialized(std::move(shape)), needs_grad);
}

Var Graph::output_of_all(std::vector<int64_t> shape, const std::vector<Var>& inputs) const {
  bool needs_grad = false;
  if (recording_) {
    for (const Var& in : inputs) needs_grad |= (in && in->requires_grad);
  }
  return make_var(Tensor::uninitialized(std::move(shape)), needs_grad);
}

void Graph::on_backward(const Var& out, std::function<void()> backward) {
  if (out->requires_grad) tape_.push_back(std::move(backward));
}

void Graph::backward(const Var& root) {
  if (root->value.numel() != 1)
    throw Error("backward: root must be a scalar, got shape " + shape_to_string(root->value.shape));
  Tensor seed(root->value.shape);
  seed.data[0] = 1.0f;
  backward(root, seed);
}

void Graph::backward(const Var& root, const Tensor& seed) {
  if (!root->requires_grad) return;
  float* g = root->grad_ptr();
  std::copy(seed.data.begin(), seed.data.end(), g);
  // Each closure is dropped as soon as it has run: the activations and gradients only it still
  // holds are freed while the backward goes on, so they never coexist with all the gradients
  // the earlier layers are about to allocate. The tape is taken first, so a closure that throws
  // leaves the graph empty rather than half-spent.
  std::vector<std::function<void()>> tape = std::move(tape_);
  tape_.clear();
  for (auto it = tape.rbegin(); it != tape.rend(); ++it) {
    (*it)();
    *it = nullptr;
  }
}

}  // namespace dikkat
