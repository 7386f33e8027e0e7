#pragma once
// The attention sublayer every transformer here shares: the GPT's and the masked LM's
// self-attention, and the encoder-decoder's self- and cross-attention. Self-attention projects x
// to Q|K|V with one fused (3C, C) matrix; cross-attention projects the decoder's x to Q and the
// encoder's output to K|V with a (2C, C) matrix (once per sentence when decoding). Then, per head,
// softmax(Q Kᵀ / √head_size + mask) V, the heads side by side, and the output projection.
//
// Traced (names under the caller's scope, e.g. "h.0.attn."): q, k, v (H,T,hs); scores, scaled,
// masked, weights (H,Tq,Tk); heads (H,Tq,hs); concat (Tq,C); proj (Tq,C). Decoding over a KV cache
// records nothing: Model::inspect runs the whole sequence at once.
#include <cstdint>
#include <random>
#include <span>
#include <string>

#include "nn/activation_trace.h"
#include "nn/kv_cache.h"
#include "nn/linear_layer.h"
#include "tensor/ops.h"

namespace dikkat {

// Which keys self-attention reads: the positions of this pass under `mask` (training and
// inspecting), or, with a cache, every position the cache holds plus the new ones (decoding; the
// new positions' keys and values join layer `layer` of the cache).
struct SelfAttentionKeys {
  AttentionMask mask;
  KvCache* cache = nullptr;
  int64_t layer = 0;
};

// The shape every attention of a model shares.
struct AttentionShape {
  int64_t channels, heads;
  bool qkv_bias, proj_bias;
};

class SelfAttention {
 public:
  SelfAttention() = default;
  // Parameters `qkv_weight` (3C, C), `qkv_bias` (3C), "<out>.weight" (C, C), "<out>.bias" (C).
  SelfAttention(const AddParameter& add, const std::string& qkv_weight,
                const std::string& qkv_bias, const std::string& out, const AttentionShape& shape);

  // x (B,T,C) -> (B,T,C), before dropout.
  Var forward(Graph& g, const Var& x, const SelfAttentionKeys& keys, float dropout_p,
              std::mt19937_64* rng, const TraceScope& scope) const;

 private:
  LinearLayer qkv_, out_;
  AttentionShape shape_{};
};

class CrossAttention {
 public:
  CrossAttention() = default;
  // Parameters "<q>.*" (C, C), "<kv>.*" (2C, C) and "<out>.*" (C, C).
  CrossAttention(const AddParameter& add, const std::string& q, const std::string& kv,
                 const std::string& out, const AttentionShape& shape);
  explicit operator bool() const { return q_.weight != nullptr; }

  // The encoder's output (B,S,C) -> its keys and values (B,S,2C).
  Var keys_values(Graph& g, const Var& memory) const;
  // x (B,T,C) over keys_values (B,S,2C), row b seeing its first source_lengths[b] positions.
  Var forward(Graph& g, const Var& x, const Var& keys_values,
              std::span<const int32_t> source_lengths, float dropout_p, std::mt19937_64* rng,
              const TraceScope& scope) const;

 private:
  LinearLayer q_, kv_, out_;
  AttentionShape shape_{};
};

}  // namespace dikkat
