#include "inspect/trace_steps.h"

#include <map>

namespace dikkat {

std::string describe_trace_step(const std::string& name, Activation activation) {
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
  if (auto it = whole.find(name); it != whole.end()) return it->second;
  if (name.starts_with("h.")) {
    const size_t dot = name.find('.', 2);
    if (dot != std::string::npos) {
      const std::string block = std::to_string(std::stoll(name.substr(2, dot - 2)) + 1);
      const std::string step = name.substr(dot + 1);
      if (auto it = in_block.find(step); it != in_block.end())
        return "block " + block + ": " + it->second +
               (step == "mlp.act" ? (activation == Activation::kGelu ? "GELU" : "ReLU") : "");
    }
  }
  return name;
}

}  // namespace dikkat
