#include "nn/transformer_block.h"

#include <functional>

#include "error.h"

namespace dikkat {

namespace {

struct SublayerPlace {
  NormPlacement placement;
  float dropout_p;
  std::mt19937_64* rng;
};

// x + drop(f(LN(x))) (pre-norm) or LN(x + drop(f(x))) (post-norm), no LN when `norm` is empty;
// traced as ln_<k> and residual_<k>.
Var sublayer(Graph& g, const Var& x, const LayerNorm& norm, const SublayerPlace& place, int k,
             const StepText& after, const TraceScope& scope,
             const std::function<Var(const Var&)>& f) {
  const std::string n = std::to_string(k);
  const StepText ln_text = {"LayerNorm " + n, "katman normalleştirme " + n};
  const StepText residual_text = StepText{"residual stream after ", "artık akım: "} + after;
  auto branch = [&](const Var& in) {
    Var out = f(in);
    return place.rng ? dropout(g, out, place.dropout_p, *place.rng) : out;
  };
  if (place.placement == NormPlacement::kPre) {
    Var in = x;
    if (norm) {
      in = norm(g, x);
      scope.rows_of("ln_" + n, in->value, ln_text);
    }
    Var out = add(g, x, branch(in));
    scope.rows_of("residual_" + n, out->value, residual_text);
    return out;
  }
  Var sum = add(g, x, branch(x));
  scope.rows_of("residual_" + n, sum->value, residual_text);
  if (!norm) return sum;
  Var out = norm(g, sum);
  scope.rows_of("ln_" + n, out->value, ln_text);
  return out;
}

}  // namespace

TransformerBlock::TransformerBlock(const AddParameter& add, const TransformerBlockNames& names,
                                   const ModelConfig& c)
    : placement_(c.norm), dropout_(c.dropout) {
  const int64_t C = c.n_embd;
  const AttentionShape shape{C, c.n_head, c.qkv_bias, c.proj_bias};
  attn_norm_ = LayerNorm::make(add, names.attn_norm, C, c.ln_bias, c.ln_eps);
  attention_ = SelfAttention(add, names.qkv_weight, names.qkv_bias, names.attn_out, shape);
  if (!names.cross_norm.empty()) {
    cross_norm_ = LayerNorm::make(add, names.cross_norm, C, c.ln_bias, c.ln_eps);
    cross_ = CrossAttention(add, names.cross_q, names.cross_kv, names.cross_out, shape);
  }
  if (!names.ffn_norm.empty())
    ffn_norm_ = LayerNorm::make(add, names.ffn_norm, C, c.ln_bias, c.ln_eps);
  ffn_ = FeedForward(add, names.ffn_fc, names.ffn_proj, C, c.ffn_width(), c.ffn_bias,
                     c.activation);
}

Var TransformerBlock::cross_keys_values(Graph& g, const Var& memory) const {
  return cross_.keys_values(g, memory);
}

Var TransformerBlock::forward(Graph& g, const Var& x, const SelfAttentionKeys& keys,
                              const CrossSource* cross, std::mt19937_64* rng,
                              const TraceScope& scope) const {
  if (bool(cross_) != (cross != nullptr))
    throw Error(cross ? "transformer block: cross-attention input for a block without it"
                      : "transformer block: cross-attention needs the encoder's output");
  const SublayerPlace place{placement_, dropout_, rng};
  const bool decoder = bool(cross_);
  const TraceScope attn_scope =
      decoder ? scope.nested("self_attn.", {"self-attention: ", "öz-dikkat: "})
              : scope.nested("attn.", {});
  Var h = sublayer(g, x, attn_norm_, place, 1,
                   decoder ? StepText{"self-attention", "öz-dikkatten sonra"}
                           : StepText{"attention", "dikkatten sonra"},
                   scope, [&](const Var& in) {
                     return attention_.forward(g, in, keys, dropout_, rng, attn_scope);
                   });
  int k = 2;
  if (decoder) {
    const TraceScope cross_scope =
        scope.nested("cross_attn.", {"cross-attention: ", "çapraz dikkat: "});
    h = sublayer(g, h, cross_norm_, place, k++,
                 {"cross-attention", "çapraz dikkatten sonra"}, scope, [&](const Var& in) {
                   return cross_.forward(g, in, cross->keys_values, cross->lengths, dropout_, rng,
                                         cross_scope);
                 });
  }
  return sublayer(g, h, ffn_norm_, place, k,
                  {"the feed-forward network: the block's output",
                   "ileri beslemeli ağdan sonra, bloğun çıktısı"},
                  scope, [&](const Var& in) { return ffn_.forward(g, in, scope.nested("mlp.", {})); });
}

}  // namespace dikkat
