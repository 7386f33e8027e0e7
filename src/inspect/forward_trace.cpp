#include "inspect/forward_trace.h"

#include "error.h"

namespace dikkat {

namespace {

struct Scores {
  Tensor raw, scaled, masked;
};

Scores attention_scores(const Tensor& q, const Tensor& k) {
  const int64_t heads = q.size(0), t_len = q.size(1), hs = q.size(2);
  const float scale = 1.0f / std::sqrt(float(hs));
  Scores s{Tensor({heads, t_len, t_len}), Tensor({heads, t_len, t_len}),
           Tensor({heads, t_len, t_len})};
  for (int64_t h = 0; h < heads; ++h)
    for (int64_t t = 0; t < t_len; ++t)
      for (int64_t u = 0; u < t_len; ++u) {
        const float* qt = q.ptr() + (h * t_len + t) * hs;
        const float* ku = k.ptr() + (h * t_len + u) * hs;
        float dot = 0.0f;
        for (int64_t j = 0; j < hs; ++j) dot += qt[j] * ku[j];
        const int64_t cell = (h * t_len + t) * t_len + u;
        s.raw.data[cell] = dot;
        s.scaled.data[cell] = dot * scale;
        s.masked.data[cell] = u <= t ? dot * scale : -INFINITY;
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
  for (const auto& e : recorded.entries()) {
    const std::string suffix = ".attn.weights";
    if (e.name.ends_with(suffix)) {
      const std::string prefix = e.name.substr(0, e.name.size() - suffix.size());
      Scores s = attention_scores(recorded.at(prefix + ".attn.q"), recorded.at(prefix + ".attn.k"));
      out.add(prefix + ".attn.scores", std::move(s.raw));
      out.add(prefix + ".attn.scaled", std::move(s.scaled));
      out.add(prefix + ".attn.masked", std::move(s.masked));
    }
    out.add(e.name, e.value);
  }
  return out;
}

}  // namespace dikkat
