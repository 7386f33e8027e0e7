#pragma once
// The shape of a model: everything needed to allocate its parameters and run it. "arch" names the
// architecture (src/nn/architectures.h); the other fields are read by the architectures that use
// them. The JSON form (config.json's "model" object) and the command-line overrides are both made
// from one field table, model_config_fields().
#include <array>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <variant>
#include <vector>

#include "nn/enum_names.h"
#include "tensor/ops.h"

namespace dikkat {

enum class Arch { kGpt, kSeq2seq, kRnn, kBigram, kBert };
enum class Positions { kLearned, kSinusoidal };  // a trained table, or fixed sinusoids
enum class NormPlacement { kPre, kPost };        // x + f(LN(x)), or LN(x + f(x))
// How a recurrent decoder reads the source: only the encoder's final states (Cho et al.), or a
// context vector per target step from additive (Bahdanau et al.) or multiplicative (Luong et al.)
// attention over every encoder state.
enum class RecurrentAttention { kNone, kBahdanau, kLuong };

inline constexpr std::array kArchNames = {
    EnumName<Arch>{Arch::kGpt, "gpt"}, EnumName<Arch>{Arch::kSeq2seq, "seq2seq"},
    EnumName<Arch>{Arch::kRnn, "rnn"}, EnumName<Arch>{Arch::kBigram, "bigram"},
    EnumName<Arch>{Arch::kBert, "bert"}};
inline constexpr std::array kActivationNames = {EnumName<Activation>{Activation::kGelu, "gelu"},
                                                EnumName<Activation>{Activation::kRelu, "relu"},
                                                EnumName<Activation>{Activation::kTanh, "tanh"}};
inline constexpr std::array kPositionsNames = {
    EnumName<Positions>{Positions::kLearned, "learned"},
    EnumName<Positions>{Positions::kSinusoidal, "sinusoidal"}};
inline constexpr std::array kNormNames = {EnumName<NormPlacement>{NormPlacement::kPre, "pre"},
                                          EnumName<NormPlacement>{NormPlacement::kPost, "post"}};
inline constexpr std::array kCellNames = {EnumName<RecurrentCell>{RecurrentCell::kGru, "gru"},
                                          EnumName<RecurrentCell>{RecurrentCell::kLstm, "lstm"}};
inline constexpr std::array kRecurrentAttentionNames = {
    EnumName<RecurrentAttention>{RecurrentAttention::kNone, "none"},
    EnumName<RecurrentAttention>{RecurrentAttention::kBahdanau, "bahdanau"},
    EnumName<RecurrentAttention>{RecurrentAttention::kLuong, "luong"}};

// The name table of each enum, found by its type (for code generic over the fields).
inline const auto& enum_names(Arch) { return kArchNames; }
inline const auto& enum_names(Activation) { return kActivationNames; }
inline const auto& enum_names(Positions) { return kPositionsNames; }
inline const auto& enum_names(NormPlacement) { return kNormNames; }
inline const auto& enum_names(RecurrentCell) { return kCellNames; }
inline const auto& enum_names(RecurrentAttention) { return kRecurrentAttentionNames; }

struct ModelConfig {
  Arch arch = Arch::kGpt;  // a config.json without "arch" was written for a GPT
  int64_t vocab_size = 65;
  int64_t n_layer = 4;
  int64_t n_head = 4;
  int64_t n_embd = 128;
  int64_t context = 64;
  int64_t ffn_mult = 4;                       // feed-forward hidden width = ffn_mult * n_embd
  Activation activation = Activation::kGelu;  // GELU is the exact erf form
  Positions positions = Positions::kLearned;
  NormPlacement norm = NormPlacement::kPre;
  bool tie_head = true;  // LM head reuses the token embedding matrix
  bool head_bias = false;
  bool qkv_bias = true;
  bool proj_bias = true;  // attention output projection
  bool ffn_bias = true;
  bool ln_bias = true;
  bool ffn_norm = true;  // a second LayerNorm in each block, before/after the FFN
  float dropout = 0.0f;
  float ln_eps = 1e-5f;
  // Sequence-to-sequence only: n_layer counts the decoder's blocks, n_encoder_layer the
  // encoder's; share_embeddings makes the source and target embeddings one table (with tie_head
  // as well: the paper's three-way tying); label smoothing is the paper's 0.1 regulariser.
  int64_t n_encoder_layer = 0;
  bool share_embeddings = true;
  float label_smoothing = 0.0f;
  // Recurrent encoder-decoders only (arch rnn): the cell, its state width, whether the encoder
  // reads the source both ways, and how the decoder attends. n_embd is the embedding width,
  // n_encoder_layer and n_layer count stacked recurrent layers.
  RecurrentCell cell = RecurrentCell::kGru;
  int64_t hidden = 256;
  bool bidirectional = true;
  RecurrentAttention attention = RecurrentAttention::kBahdanau;

  int64_t head_size() const { return n_embd / n_head; }
  int64_t ffn_width() const { return ffn_mult * n_embd; }
  // Throws Error naming the first field that is out of range or inconsistent.
  void validate() const;
};

// One row per field: its JSON key (the command-line flag is the key with '-' for '_'), what it
// means, and where it lives. Every field is written to config.json, read from it and settable
// from the command line through this table.
struct ModelConfigField {
  using Member = std::variant<Arch ModelConfig::*, int64_t ModelConfig::*, float ModelConfig::*,
                              bool ModelConfig::*, Activation ModelConfig::*,
                              Positions ModelConfig::*, NormPlacement ModelConfig::*,
                              RecurrentCell ModelConfig::*, RecurrentAttention ModelConfig::*>;
  const char* key;
  const char* help;
  Member member;
};
const std::vector<ModelConfigField>& model_config_fields();

void to_json(nlohmann::json& j, const ModelConfig& c);
// Reads every field; missing fields keep their defaults, wrong types throw Error naming the field.
void from_json(const nlohmann::json& j, ModelConfig& c);

}  // namespace dikkat
