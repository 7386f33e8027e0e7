#include "nn/model_config.h"

#include <nlohmann/json.hpp>
#include <type_traits>

#include "error.h"
#include "io/json_field.h"
#include "io/json_number.h"

namespace dikkat {

const std::vector<ModelConfigField>& model_config_fields() {
  using M = ModelConfig;
  static const std::vector<ModelConfigField> fields = {
      {"arch",
       "architecture: gpt (decoder-only), seq2seq (encoder-decoder transformer), rnn "
       "(recurrent encoder-decoder) or bigram (a next-token table)",
       &M::arch},
      {"vocab_size", "vocabulary size (training sets it from the data)", &M::vocab_size},
      {"n_layer", "transformer blocks", &M::n_layer},
      {"n_head", "attention heads per block", &M::n_head},
      {"n_embd", "embedding width", &M::n_embd},
      {"context", "context length in tokens", &M::context},
      {"ffn_mult", "FFN hidden width as a multiple of n_embd", &M::ffn_mult},
      {"activation", "FFN activation: gelu, relu or tanh", &M::activation},
      {"positions", "position encoding: learned or sinusoidal", &M::positions},
      {"norm", "LayerNorm placement: pre (x + f(LN(x))) or post (LN(x + f(x)))", &M::norm},
      {"tie_head", "LM head shares the token embedding (true/false)", &M::tie_head},
      {"head_bias", "a bias on the LM head (true/false)", &M::head_bias},
      {"qkv_bias", "a bias on the Q/K/V projection (true/false)", &M::qkv_bias},
      {"proj_bias", "a bias on the attention output projection (true/false)", &M::proj_bias},
      {"ffn_bias", "biases in the FFN (true/false)", &M::ffn_bias},
      {"ln_bias", "LayerNorm biases (true/false)", &M::ln_bias},
      {"ffn_norm", "a second LayerNorm around each FFN (true/false)", &M::ffn_norm},
      {"dropout", "dropout probability while training", &M::dropout},
      {"ln_eps", "LayerNorm epsilon", &M::ln_eps},
      {"n_encoder_layer", "encoder blocks (seq2seq; n_layer counts the decoder's)",
       &M::n_encoder_layer},
      {"share_embeddings", "one embedding table for source and target (seq2seq, true/false)",
       &M::share_embeddings},
      {"label_smoothing", "label smoothing of the loss (seq2seq, rnn)", &M::label_smoothing},
      {"cell", "recurrent cell: gru or lstm (rnn)", &M::cell},
      {"hidden", "recurrent state width per direction (rnn)", &M::hidden},
      {"bidirectional", "the encoder reads the source both ways (rnn, true/false)",
       &M::bidirectional},
      {"attention", "how the decoder reads the source: none, bahdanau or luong (rnn)",
       &M::attention},
  };
  return fields;
}

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
  require(dropout >= 0.0f && dropout < 1.0f,
          "dropout must be in [0, 1), got " + std::to_string(dropout));
  require(ln_eps > 0.0f, "ln_eps must be positive");
  require(label_smoothing >= 0.0f && label_smoothing < 1.0f,
          "label_smoothing must be in [0, 1), got " + std::to_string(label_smoothing));
  require(n_encoder_layer >= 0,
          "n_encoder_layer must not be negative, got " + std::to_string(n_encoder_layer));
  if (arch == Arch::kSeq2seq || arch == Arch::kRnn)
    require(n_encoder_layer >= 1, "n_encoder_layer must be at least 1 for " +
                                      std::string(enum_to_name(kArchNames, arch)) + ", got " +
                                      std::to_string(n_encoder_layer));
  require(hidden >= 1, "hidden must be at least 1, got " + std::to_string(hidden));
  // Bounds far above any model dikkat can train, low enough that no parameter or activation
  // size computed from them can overflow 64 bits (a config file is outside input).
  auto at_most = [&](int64_t value, int64_t limit, const char* name) {
    require(value <= limit, std::string(name) + " must be at most " + std::to_string(limit) +
                                ", got " + std::to_string(value));
  };
  at_most(vocab_size, int64_t(1) << 24, "vocab_size");
  at_most(n_layer, 1024, "n_layer");
  at_most(n_encoder_layer, 1024, "n_encoder_layer");
  at_most(n_embd, int64_t(1) << 16, "n_embd");
  at_most(hidden, int64_t(1) << 16, "hidden");
  at_most(context, int64_t(1) << 20, "context");
  at_most(ffn_mult, 64, "ffn_mult");
}

void to_json(nlohmann::json& j, const ModelConfig& c) {
  j = nlohmann::json::object();
  for (const auto& f : model_config_fields()) {
    std::visit(
        [&](auto member) {
          const auto& value = c.*member;
          using T = std::decay_t<decltype(value)>;
          if constexpr (std::is_enum_v<T>)
            j[f.key] = enum_to_name(enum_names(value), value);
          else if constexpr (std::is_floating_point_v<T>)
            j[f.key] = json_number(value);
          else
            j[f.key] = value;
        },
        f.member);
  }
}

void from_json(const nlohmann::json& j, ModelConfig& c) {
  if (!j.is_object()) throw Error("model config: expected a JSON object");
  for (const auto& f : model_config_fields()) {
    std::visit(
        [&](auto member) {
          auto& value = c.*member;
          using T = std::decay_t<decltype(value)>;
          if constexpr (std::is_enum_v<T>) {
            std::string name;
            if (!j.contains(f.key)) return;
            read_json_field(j, f.key, name, "model config");
            const auto parsed = enum_from_name(enum_names(value), name);
            if (!parsed)
              throw Error(std::string("model config: ") + f.key + " must be " +
                          enum_choices(enum_names(value)) + ", got '" + name + "'");
            value = *parsed;
          } else {
            read_json_field(j, f.key, value, "model config");
          }
        },
        f.member);
  }
}

}  // namespace dikkat
