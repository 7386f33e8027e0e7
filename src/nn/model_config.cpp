#include "nn/model_config.h"

#include <nlohmann/json.hpp>

#include "error.h"
#include "io/json_field.h"
#include "io/json_number.h"

namespace dikkat {

void ModelConfig::validate() const {
  auto require = [](bool ok, const std::string& what) {
    if (!ok) throw Error("model config: " + what);
  };
  require(vocab_size >= 1, "vocab_size must be at least 1, got " + std::to_string(vocab_size));
  require(n_layer >= 1, "n_layer must be at least 1, got " + std::to_string(n_layer));
  require(n_head >= 1, "n_head must be at least 1, got " + std::to_string(n_head));
  require(n_embd >= 1, "n_embd must be at least 1, got " + std::to_string(n_embd));
  require(n_embd % n_head == 0, "n_embd (" + std::to_string(n_embd) +
                                    ") must be divisible by n_head (" + std::to_string(n_head) +
                                    ")");
  require(context >= 1, "context must be at least 1, got " + std::to_string(context));
  require(ffn_mult >= 1, "ffn_mult must be at least 1, got " + std::to_string(ffn_mult));
  require(activation == "gelu" || activation == "relu",
          "activation must be gelu or relu, got '" + activation + "'");
  require(positions == "learned" || positions == "sinusoidal",
          "positions must be learned or sinusoidal, got '" + positions + "'");
  require(norm == "pre" || norm == "post", "norm must be pre or post, got '" + norm + "'");
  require(dropout >= 0.0f && dropout < 1.0f,
          "dropout must be in [0, 1), got " + std::to_string(dropout));
  require(ln_eps > 0.0f, "ln_eps must be positive");
  // Bounds far above any model dikkat can train, low enough that no parameter or activation
  // size computed from them can overflow 64 bits (a config file is outside input).
  auto at_most = [&](int64_t value, int64_t limit, const char* name) {
    require(value <= limit, std::string(name) + " must be at most " + std::to_string(limit) +
                                ", got " + std::to_string(value));
  };
  at_most(vocab_size, int64_t(1) << 24, "vocab_size");
  at_most(n_layer, 1024, "n_layer");
  at_most(n_embd, int64_t(1) << 16, "n_embd");
  at_most(context, int64_t(1) << 20, "context");
  at_most(ffn_mult, 64, "ffn_mult");
}

void to_json(nlohmann::json& j, const ModelConfig& c) {
  j = {{"vocab_size", c.vocab_size},
       {"n_layer", c.n_layer},
       {"n_head", c.n_head},
       {"n_embd", c.n_embd},
       {"context", c.context},
       {"ffn_mult", c.ffn_mult},
       {"activation", c.activation},
       {"positions", c.positions},
       {"norm", c.norm},
       {"tie_head", c.tie_head},
       {"head_bias", c.head_bias},
       {"qkv_bias", c.qkv_bias},
       {"proj_bias", c.proj_bias},
       {"ffn_bias", c.ffn_bias},
       {"ln_bias", c.ln_bias},
       {"ffn_norm", c.ffn_norm},
       {"dropout", json_number(c.dropout)},
       {"ln_eps", json_number(c.ln_eps)}};
}

void from_json(const nlohmann::json& j, ModelConfig& c) {
  if (!j.is_object()) throw Error("model config: expected a JSON object");
  read_json_field(j, "vocab_size", c.vocab_size, "model config");
  read_json_field(j, "n_layer", c.n_layer, "model config");
  read_json_field(j, "n_head", c.n_head, "model config");
  read_json_field(j, "n_embd", c.n_embd, "model config");
  read_json_field(j, "context", c.context, "model config");
  read_json_field(j, "ffn_mult", c.ffn_mult, "model config");
  read_json_field(j, "activation", c.activation, "model config");
  read_json_field(j, "positions", c.positions, "model config");
  read_json_field(j, "norm", c.norm, "model config");
  read_json_field(j, "tie_head", c.tie_head, "model config");
  read_json_field(j, "head_bias", c.head_bias, "model config");
  read_json_field(j, "qkv_bias", c.qkv_bias, "model config");
  read_json_field(j, "proj_bias", c.proj_bias, "model config");
  read_json_field(j, "ffn_bias", c.ffn_bias, "model config");
  read_json_field(j, "ln_bias", c.ln_bias, "model config");
  read_json_field(j, "ffn_norm", c.ffn_norm, "model config");
  read_json_field(j, "dropout", c.dropout, "model config");
  read_json_field(j, "ln_eps", c.ln_eps, "model config");
}

}  // namespace dikkat
