#include "inspect/forward_trace.h"

#include <cblas.h>

#include <map>

#include "error.h"

namespace dikkat {

namespace {

struct Scores {
  Tensor raw, scaled, masked;
};

// q, k (H, T, hs): per head the (T, T) products q_t . k_s by one GEMM, then scaled and masked.
Scores attention_scores(const Tensor& q, const Tensor& k) {
  const int64_t heads = q.size(0), t_len = q.size(1), hs = q.size(2);
  const float scale = 1.0f / std::sqrt(float(hs));
  Scores s{Tensor::uninitialized({heads, t_len, t_len}), Tensor::uninitialized({heads, t_len, t_len}),
           Tensor::uninitialized({heads, t_len, t_len})};
  for (int64_t h = 0; h < heads; ++h)
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, int(t_len), int(t_len), int(hs), 1.0f,
                q.ptr() + h * t_len * hs, int(hs), k.ptr() + h * t_len * hs, int(hs), 0.0f,
                s.raw.ptr() + h * t_len * t_len, int(t_len));
#pragma omp parallel for
  for (int64_t row = 0; row < heads * t_len; ++row) {
    const int64_t t = row % t_len;
    const float* raw = s.raw.ptr() + row * t_len;
    float* scaled = s.scaled.ptr() + row * t_len;
    float* masked = s.masked.ptr() + row * t_len;
    for (int64_t u = 0; u < t_len; ++u) {
      scaled[u] = raw[u] * scale;
      masked[u] = u <= t ? scaled[u] : -INFINITY;
    }
  }
  return s;
}

}  // namespace

ActivationTrace trace_forward(const Model& model, std::span<const int32_t> ids) {
  if (ids.empty()) throw Error("trace: no tokens to run");
  const auto decoder_ptr = model.decoder();
  if (!decoder_ptr) throw Error("an encoder-decoder model translates; use dikkat translate");
  IncrementalDecoder& decoder = *decoder_ptr;
  ActivationTrace recorded;
  decoder.feed(ids, &recorded);
  ActivationTrace out;
  std::vector<ActivationTrace::Entry> entries = recorded.release();
  auto find = [&](const std::string& name) -> const Tensor& {
    for (const auto& e : entries)
      if (e.name == name) return e.value;
    throw Error("trace: no " + name);
  };
  // Scores first, while q and k are still in `entries`; then every entry moves across in order.
  std::map<std::string, Scores> scores;
  for (const auto& e : entries) {
    const std::string suffix = ".attn.weights";
    if (!e.name.ends_with(suffix)) continue;
    const std::string prefix = e.name.substr(0, e.name.size() - suffix.size());
    scores[prefix] = attention_scores(find(prefix + ".attn.q"), find(prefix + ".attn.k"));
  }
  for (auto& e : entries) {
    const std::string suffix = ".attn.weights";
    if (e.name.ends_with(suffix)) {
      const std::string prefix = e.name.substr(0, e.name.size() - suffix.size());
      Scores& s = scores[prefix];
      out.add(prefix + ".attn.scores", std::move(s.raw));
      out.add(prefix + ".attn.scaled", std::move(s.scaled));
      out.add(prefix + ".attn.masked", std::move(s.masked));
    }
    out.add(std::move(e.name), std::move(e.value));
  }
  return out;
}

}  // namespace dikkat
