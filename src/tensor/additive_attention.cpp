#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <string>

#include "error.h"
#include "tensor/column_sums.h"
#include "tensor/fast_math.h"
#include "tensor/op_profile.h"
#include "tensor/ops.h"
#include "tensor/parallel.h"

namespace dikkat {

namespace {

// e = v · tanh(q + k) for one source position: A channels.
DIKKAT_VECTOR_CLONES float additive_score(const float* q, const float* k, const float* v,
                                          int64_t channels) {
  float e = 0.0f;
#pragma omp simd reduction(+ : e)
  for (int64_t a = 0; a < channels; ++a) e += v[a] * fast_tanh(q[a] + k[a]);
  return e;
}

// The score's backward for one position: de = dL/de. dq and dk receive de * v ⊙ (1 - tanh²),
// dv_terms de * tanh (tanh recomputed rather than kept: it is (B, S, A) per decoder step).
DIKKAT_VECTOR_CLONES void additive_score_backward(const float* q, const float* k, const float* v,
                                                  float de, float* dq, float* dk, float* dv_terms,
                                                  int64_t channels) {
#pragma omp simd
  for (int64_t a = 0; a < channels; ++a) {
    const float t = fast_tanh(q[a] + k[a]);
    const float d = de * v[a] * (1.0f - t * t);
    dq[a] += d;
    if (dk) dk[a] += d;
    dv_terms[a] += de * t;
  }
}

}  // namespace

Var additive_attention(Graph& g, const Var& query, const Var& keys, const Var& v, const Var& values,
                       std::span<const int32_t> key_lengths, Tensor* weights_out) {
  OpTimer timer(OpClass::kAttention);
  const int64_t rows = keys->value.size(0), source = keys->value.size(1),
                channels = keys->value.size(2), width = values->value.size(2);
  if (query->value.numel() != rows * channels || v->value.numel() != channels ||
      values->value.size(0) != rows || values->value.size(1) != source ||
      (!key_lengths.empty() && int64_t(key_lengths.size()) != rows))
    throw Error("additive_attention: query " + shape_to_string(query->value.shape) + ", keys " +
                shape_to_string(keys->value.shape) + ", v " + shape_to_string(v->value.shape) +
                " and values " + shape_to_string(values->value.shape) + " do not fit");
  auto length_of = [key_lengths, source](int64_t b) -> int64_t {
    return key_lengths.empty() ? source : key_lengths[b];
  };
  for (int64_t b = 0; b < rows; ++b)
    if (length_of(b) < 1 || length_of(b) > source)
      throw Error("additive_attention: a key length of " + std::to_string(length_of(b)) +
                  " outside [1, " + std::to_string(source) + "]");
  std::vector<int32_t> lengths(rows);
  for (int64_t b = 0; b < rows; ++b) lengths[b] = int32_t(length_of(b));

  Var context = g.output({rows, width}, {&query, &keys, &v, &values});
  auto weights = std::make_shared<Tensor>(std::vector<int64_t>{rows, source});
  const float *pq = query->value.ptr(), *pk = keys->value.ptr(), *pv = v->value.ptr(),
              *pval = values->value.ptr();
  parallel_for_each(rows, source * channels, [&](int64_t b) {
    float* w = weights->ptr() + b * source;
    float top = -std::numeric_limits<float>::infinity();
    for (int64_t j = 0; j < lengths[b]; ++j) {
      w[j] = additive_score(pq + b * channels, pk + (b * source + j) * channels, pv, channels);
      top = std::max(top, w[j]);
    }
    float sum = 0.0f;
    for (int64_t j = 0; j < lengths[b]; ++j) sum += (w[j] = std::exp(w[j] - top));
    for (int64_t j = 0; j < lengths[b]; ++j) w[j] /= sum;
    float* ctx = context->value.ptr() + b * width;
    std::fill(ctx, ctx + width, 0.0f);
    for (int64_t j = 0; j < lengths[b]; ++j) {
      const float* row = pval + (b * source + j) * width;
      for (int64_t d = 0; d < width; ++d) ctx[d] += w[j] * row[d];
    }
  });
  if (weights_out) *weights_out = *weights;

  g.on_backward(context, [=] {
    OpTimer timer(OpClass::kAttention);
    const float* dctx = context->grad_ptr();
    float* dq = query->requires_grad ? query->grad_ptr() : nullptr;
    float* dk = keys->requires_grad ? keys->grad_ptr() : nullptr;
    float* dvalues = values->requires_grad ? values->grad_ptr() : nullptr;
    std::vector<float> dq_scratch(dq ? 0 : rows * channels);
    auto backward_row = [&](int64_t b, float* dv_terms) {
      const float* w = weights->ptr() + b * source;
      const float* dc = dctx + b * width;
      std::vector<float> de(lengths[b]);
      float weighted = 0.0f;
      for (int64_t j = 0; j < lengths[b]; ++j) {
        const float* row = pval + (b * source + j) * width;
        float dw = 0.0f;
        for (int64_t d = 0; d < width; ++d) dw += dc[d] * row[d];
        de[j] = dw;
        weighted += w[j] * dw;
        if (dvalues)
          for (int64_t d = 0; d < width; ++d) dvalues[(b * source + j) * width + d] += w[j] * dc[d];
      }
      float* dq_row = (dq ? dq : dq_scratch.data()) + b * channels;
      for (int64_t j = 0; j < lengths[b]; ++j)
        additive_score_backward(
            pq + b * channels, pk + (b * source + j) * channels, pv, w[j] * (de[j] - weighted),
            dq_row, dk ? dk + (b * source + j) * channels : nullptr, dv_terms, channels);
    };
    if (v->requires_grad) {
      accumulate_column_sums(rows, channels, backward_row, v->grad_ptr());
      return;
    }
    std::vector<float> unused(channels);
    for (int64_t b = 0; b < rows; ++b) backward_row(b, unused.data());
  });
  return context;
}

}  // namespace dikkat
