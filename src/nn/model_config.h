#pragma once
// The shape of a GPT: everything needed to allocate its parameters and run it.
// The JSON form (config.json's "model" object) uses the same field names.
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace dikkat {

struct ModelConfig {
  int64_t vocab_size = 65;
  int64_t n_layer = 4;
  int64_t n_head = 4;
  int64_t n_embd = 128;
  int64_t context = 64;
  int64_t ffn_mult = 4;               // feed-forward hidden width = ffn_mult * n_embd
  std::string activation = "gelu";    // "gelu" (exact erf form) or "relu"
  std::string positions = "learned";  // "learned" (a trained table) or "sinusoidal" (fixed)
  std::string norm = "pre";           // "pre": x + f(LN(x)); "post": LN(x + f(x))
  bool tie_head = true;               // LM head reuses the token embedding matrix
  bool head_bias = false;
  bool qkv_bias = true;
  bool proj_bias = true;  // attention output projection
  bool ffn_bias = true;
  bool ln_bias = true;
  bool ffn_norm = true;  // a second LayerNorm in each block, before/after the FFN
  float dropout = 0.0f;
  float ln_eps = 1e-5f;

  int64_t head_size() const { return n_embd / n_head; }
  int64_t ffn_width() const { return ffn_mult * n_embd; }
  // Throws Error naming the first field that is out of range or inconsistent.
  void validate() const;
};

void to_json(nlohmann::json& j, const ModelConfig& c);
// Reads every field; missing fields keep their defaults, wrong types throw Error naming the field.
void from_json(const nlohmann::json& j, ModelConfig& c);

}  // namespace dikkat
