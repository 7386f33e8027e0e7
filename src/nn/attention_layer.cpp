#include "nn/attention_layer.h"

#include <cmath>
#include <vector>

#include "error.h"

namespace dikkat {

namespace {

// Q Kᵀ for every head of batch row 0 (H,Tq,Tk), then scaled by 1/√hs, then with -infinity where
// the mask hides a key: the three steps before the softmax, as the kernel computes them.
void record_scores(const TraceScope& scope, const Tensor& q, const Tensor& k,
                   const AttentionMask& mask) {
  const int64_t heads = q.size(0), tq = q.size(1), hs = q.size(2), tk = k.size(1);
  const float scale = 1.0f / std::sqrt(float(hs));
  Tensor raw = Tensor::uninitialized({heads, tq, tk});
  for (int64_t h = 0; h < heads; ++h)
    linear_forward(q.ptr() + h * tq * hs, k.ptr() + h * tk * hs, nullptr,
                   raw.ptr() + h * tq * tk, tq, hs, tk);
  Tensor scaled = raw, masked = raw;
  const int64_t key_length = mask.key_lengths.empty() ? tk : mask.key_lengths[0];
  const int64_t offset = mask.query_offset < 0 ? tk - tq : mask.query_offset;
  for (int64_t row = 0; row < heads * tq; ++row) {
    const int64_t t = row % tq;
    const int64_t visible = mask.causal ? std::min(key_length, offset + t + 1) : key_length;
    for (int64_t s = 0; s < tk; ++s) {
      scaled.data[row * tk + s] *= scale;
      masked.data[row * tk + s] = s < visible ? scaled.data[row * tk + s] : -INFINITY;
    }
  }
  StepText masked_text = {"masked scores: nothing hidden, every query sees every key",
                          "maskelenmiş puanlar: hiçbiri gizlenmez, her sorgu her anahtarı görür"};
  if (mask.causal)
    masked_text = {"masked scores: -inf above the diagonal (no looking ahead)",
                   "maskelenmiş puanlar: köşegenin üstü -inf (ileriye bakılmaz)"};
  else if (key_length < tk)
    masked_text = {"masked scores: -inf at padding", "maskelenmiş puanlar: dolguda -inf"};
  scope.whole("scores", std::move(raw),
              {"raw scores Q·Kᵀ, per head", "ham puanlar Q·Kᵀ, her dikkat başı için"});
  scope.whole("scaled", std::move(scaled),
              {"scaled scores Q·Kᵀ / √head_size", "ölçeklenmiş puanlar Q·Kᵀ / √baş_boyutu"});
  scope.whole("masked", std::move(masked), masked_text);
}

// softmax(q kᵀ / √hs + mask) v per head, heads side by side (B,Tq,C); traced step by step. The
// keys' and values' rows are positions of `key_rows` (the other sequence, for cross-attention).
Var attend(Graph& g, const ColumnSlice& q, const ColumnSlice& k, const ColumnSlice& v,
           const AttentionShape& shape, const AttentionMask& mask, float dropout_p,
           std::mt19937_64* rng, const TraceScope& scope, Sequence key_rows) {
  const int64_t C = shape.channels, H = shape.heads, hs = C / H;
  if (!scope) return multi_head_attention(g, q, k, v, C, H, mask, dropout_p, rng);
  ActivationTrace parts;  // q and k, kept for the scores
  const TraceScope local{&parts, "", {}, scope.rows};
  local.heads_of("q", q.var->value, q.col, H, hs, {});
  local.heads_of("k", k.var->value, k.col, H, hs, {});
  TraceScope key_scope = scope;
  key_scope.rows = key_rows;
  scope.whole("q", parts.at("q"), {"queries Q, per head", "sorgular Q, her dikkat başı için"});
  key_scope.whole("k", parts.at("k"), {"keys K, per head", "anahtarlar K, her dikkat başı için"});
  key_scope.heads_of("v", v.var->value, v.col, H, hs,
                     {"values V, per head", "değerler V, her dikkat başı için"});
  record_scores(scope, parts.at("q"), parts.at("k"), mask);
  Tensor weights;
  Var mixed = multi_head_attention(g, q, k, v, C, H, mask, dropout_p, rng, &weights);
  const int64_t tq = weights.size(2), tk = weights.size(3);
  weights.shape = {H, tq, tk};  // batch row 0 comes first
  weights.data.resize(size_t(H * tq * tk));
  scope.whole("weights", std::move(weights),
              {"softmax weights (each row sums to 1)",
               "softmax ağırlıkları (her satırın toplamı 1)"});
  scope.heads_of("heads", mixed->value, 0, H, hs,
                 {"weighted sum of V, per head", "V'nin ağırlıklı toplamı, her dikkat başı için"});
  scope.rows_of("concat", mixed->value, {"heads concatenated", "dikkat başları yan yana"});
  return mixed;
}

Var project_out(Graph& g, const LinearLayer& out, const Var& mixed, const TraceScope& scope) {
  Var y = out(g, mixed);
  scope.rows_of("proj", y->value, {"attention output projection", "dikkat çıkış izdüşümü"});
  return y;
}

}  // namespace

SelfAttention::SelfAttention(const AddParameter& add, const std::string& qkv_weight,
                             const std::string& qkv_bias, const std::string& out,
                             const AttentionShape& shape)
    : shape_(shape) {
  const int64_t C = shape.channels;
  qkv_ = LinearLayer::make(add, qkv_weight, qkv_bias, 3 * C, C, shape.qkv_bias, ParamRole::kWeight);
  out_ = LinearLayer::named(add, out, C, C, shape.proj_bias, ParamRole::kResidualProjection);
}

Var SelfAttention::forward(Graph& g, const Var& x, const SelfAttentionKeys& keys, float dropout_p,
                           std::mt19937_64* rng, const TraceScope& scope) const {
  const int64_t C = shape_.channels;
  Var qkv = qkv_(g, x);
  if (!keys.cache) {
    Var mixed = attend(g, {qkv, 0}, {qkv, C}, {qkv, 2 * C}, shape_, keys.mask, dropout_p, rng,
                       scope, scope.rows);
    return project_out(g, out_, mixed, scope);
  }
  // Over the cache: every row holds `past` positions; the n new ones are causal among
  // themselves and see all of the past.
  KvCache& cache = *keys.cache;
  const int64_t past = cache.length(), n = qkv->value.size(1);
  cache.append(keys.layer, qkv);
  const Var& kv = cache.keys_values(keys.layer);
  const std::vector<int32_t> visible(size_t(cache.rows()), int32_t(past + n));
  const AttentionMask mask{.causal = true, .key_lengths = visible, .query_offset = past};
  Var mixed = multi_head_attention(g, {qkv, 0}, {kv, 0}, {kv, C}, C, shape_.heads, mask, 0.0f,
                                   nullptr);
  return out_(g, mixed);
}

CrossAttention::CrossAttention(const AddParameter& add, const std::string& q,
                               const std::string& kv, const std::string& out,
                               const AttentionShape& shape)
    : shape_(shape) {
  const int64_t C = shape.channels;
  q_ = LinearLayer::named(add, q, C, C, shape.qkv_bias, ParamRole::kWeight);
  kv_ = LinearLayer::named(add, kv, 2 * C, C, shape.qkv_bias, ParamRole::kWeight);
  out_ = LinearLayer::named(add, out, C, C, shape.proj_bias, ParamRole::kResidualProjection);
}

Var CrossAttention::keys_values(Graph& g, const Var& memory) const { return kv_(g, memory); }

Var CrossAttention::forward(Graph& g, const Var& x, const Var& keys_values,
                            std::span<const int32_t> source_lengths, float dropout_p,
                            std::mt19937_64* rng, const TraceScope& scope) const {
  const int64_t C = shape_.channels;
  Var q = q_(g, x);
  const AttentionMask mask{.causal = false, .key_lengths = source_lengths, .query_offset = -1};
  const Sequence source = scope.rows == Sequence::kInput ? Sequence::kTarget : Sequence::kInput;
  Var mixed = attend(g, {q, 0}, {keys_values, 0}, {keys_values, C}, shape_, mask, dropout_p, rng,
                     scope, source);
  return project_out(g, out_, mixed, scope);
}

}  // namespace dikkat
