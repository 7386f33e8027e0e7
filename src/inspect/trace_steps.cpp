#include "inspect/trace_steps.h"

#include <map>

namespace dikkat {

namespace {

const char* activation_label(Activation activation) {
  switch (activation) {
    case Activation::kGelu:
      return "GELU";
    case Activation::kRelu:
      return "ReLU";
    case Activation::kTanh:
      return "tanh";
  }
  return "?";
}

// A recurrent encoder-decoder's steps (nn/rnn.h); empty when `name` is not one of them.
std::string describe_recurrent_step(const std::string& name, const ModelConfig& c) {
  const std::string cell = c.cell == RecurrentCell::kGru ? "GRU" : "LSTM";
  const bool attends = c.attention != RecurrentAttention::kNone;
  if (name == "encoder.embed") return "source: token embeddings";
  if (name == "decoder.embed") return "target: token embeddings";
  if (name == "encoder.out")
    return std::string(c.bidirectional ? "encoder states, forward | backward side by side"
                                       : "encoder states") +
           (attends ? ": what attention reads" : " (the decoder sees only the last)");
  if (name == "decoder.attention.weights")
    return c.attention == RecurrentAttention::kBahdanau
               ? "Bahdanau alignment: softmax over the source of v·tanh(W s(t-1) + U h(j))"
               : "Luong alignment: softmax over the source of (W s(t))·h(j) / √width";
  if (name == "decoder.context")
    return attends ? "context: the alignment-weighted sum of encoder states"
                   : "context: the encoder's final states, the same at every step (the "
                     "bottleneck)";
  if (name == "decoder.output") return "tanh(W [state; context]): what the output layer reads";
  // encoder.l<i>.forward / .backward, decoder.l<i>
  for (const std::string side : {"encoder.l", "decoder.l"}) {
    if (!name.starts_with(side)) continue;
    const size_t dot = name.find('.', side.size());
    const std::string digits = name.substr(side.size(), dot - side.size());
    if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) break;
    const std::string layer = std::to_string(std::stoll(digits) + 1);
    const std::string rest = dot == std::string::npos ? "" : name.substr(dot + 1);
    if (side == "decoder.l" && rest.empty())
      return "decoder layer " + layer + ": the " + cell + " state after each target token";
    if (rest == "forward")
      return "encoder layer " + layer + ", left to right: the " + cell +
             " state after reading up to each token";
    if (rest == "backward")
      return "encoder layer " + layer + ", right to left: the " + cell +
             " state after reading back to each token";
  }
  return "";
}

}  // namespace

std::string describe_trace_step(const std::string& name, const ModelConfig& model) {
  if (model.arch == Arch::kRnn) {
    const std::string recurrent = describe_recurrent_step(name, model);
    if (!recurrent.empty()) return recurrent;
  }
  const Activation activation = model.activation;
  static const std::map<std::string, std::string> whole = {
      {"embed.token", "token embeddings (rows of the embedding table)"},
      {"embed.position", "positional encodings"},
      {"embed.sum", "token embedding + position: the input of block 1"},
      {"ln_f", "final LayerNorm"},
      {"logits", "logits: a score for every vocabulary token, at every position"}};
  static const std::map<std::string, std::string> in_block = {
      {"ln_1", "LayerNorm 1"},
      {"attn.q", "queries Q, per head"},
      {"attn.k", "keys K, per head"},
      {"attn.v", "values V, per head"},
      {"attn.scores", "raw scores Q·Kᵀ, per head"},
      {"attn.scaled", "scaled scores Q·Kᵀ / √head_size"},
      {"attn.masked", "masked scores: -inf above the diagonal (no looking ahead)"},
      {"attn.weights", "softmax weights (each row sums to 1)"},
      {"attn.heads", "weighted sum of V, per head"},
      {"attn.concat", "heads concatenated"},
      {"attn.proj", "attention output projection"},
      {"residual_1", "residual stream after attention"},
      {"ln_2", "LayerNorm 2"},
      {"mlp.fc", "feed-forward hidden layer, before the activation"},
      {"mlp.act", "feed-forward hidden layer after "},
      {"mlp.proj", "feed-forward output"},
      {"residual_2", "residual stream after the feed-forward network: the block's output"}};
  // An encoder-decoder's steps (nn/seq2seq.h).
  static const std::map<std::string, std::string> translation = {
      {"encoder.embed", "source: token embedding x sqrt(n_embd) + position"},
      {"encoder.out", "encoder output: what every cross-attention reads"},
      {"decoder.embed", "target: token embedding x sqrt(n_embd) + position"}};
  static const std::map<std::string, std::string> translation_block = {
      {"attn.weights", "self-attention weights over the source (padding gets 0)"},
      {"self_attn.weights", "self-attention weights over the target so far (causal)"},
      {"cross_attn.weights", "cross-attention weights: each target position over the source"},
      {"residual_1", "residual stream after self-attention"},
      {"residual_2", "residual stream after "},
      {"residual_3", "residual stream after the feed-forward network: the block's output"}};
  if (auto it = whole.find(name); it != whole.end()) return it->second;
  if (auto it = translation.find(name); it != translation.end()) return it->second;
  for (const std::string side : {"encoder.h.", "decoder.h."}) {
    if (!name.starts_with(side)) continue;
    const size_t dot = name.find('.', side.size());
    if (dot == std::string::npos) break;
    const std::string block =
        std::to_string(std::stoll(name.substr(side.size(), dot - side.size())) + 1);
    const std::string step = name.substr(dot + 1);
    const auto it = translation_block.find(step);
    if (it == translation_block.end()) break;
    const bool encoder = side == "encoder.h.";
    std::string what = it->second;
    if (step == "residual_2")
      what = encoder ? translation_block.at("residual_3") : what + "cross-attention";
    return (encoder ? "encoder block " : "decoder block ") + block + ": " + what;
  }
  if (name.starts_with("h.")) {
    const size_t dot = name.find('.', 2);
    if (dot != std::string::npos) {
      const std::string block = std::to_string(std::stoll(name.substr(2, dot - 2)) + 1);
      const std::string step = name.substr(dot + 1);
      if (auto it = in_block.find(step); it != in_block.end())
        return "block " + block + ": " + it->second +
               (step == "mlp.act" ? activation_label(activation) : "");
    }
  }
  return name;
}

}  // namespace dikkat
