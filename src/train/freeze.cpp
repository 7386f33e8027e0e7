#include "train/freeze.h"

#include <algorithm>
#include <map>
#include <regex>
#include <sstream>

#include "error.h"

namespace dikkat {

namespace {

constexpr const char* kGroupChoices = "embeddings, blocks:N or head";

bool is_head(const std::string& name) {
  return name.starts_with("lm_head.") || name.starts_with("decoder.output_projection.");
}

bool is_embedding(const Parameter& p) {
  return p.role == ParamRole::kEmbedding || p.role == ParamRole::kPositions;
}

// The deepest stack's block count: blocks:N may name at most this many.
int64_t max_blocks(const Model& model) {
  std::map<std::string, int64_t> blocks;
  for (const auto& p : model.parameters())
    if (const auto pos = block_position(p.name))
      blocks[pos->stack] = std::max(blocks[pos->stack], pos->index + 1);
  int64_t most = 0;
  for (const auto& [stack, n] : blocks) most = std::max(most, n);
  return most;
}

// N of "blocks:N", checked against the model.
int64_t blocks_to_freeze(const std::string& group, const Model& model) {
  const std::string n = group.substr(std::string("blocks:").size());
  if (n.empty() || n.size() > 6 || n.find_first_not_of("0123456789") != std::string::npos ||
      std::stoll(n) < 1)
    throw Error("--freeze " + group + ": blocks:N needs a whole number N of at least 1");
  const int64_t available = max_blocks(model);
  if (std::stoll(n) > available)
    throw Error("--freeze " + group + ": the model has " + std::to_string(available) + " block" +
                (available == 1 ? "" : "s") + " per stack");
  return std::stoll(n);
}

}  // namespace

// The name rule. Architectures name their tensors after the PyTorch models they mirror, and the
// block index is part of every such name:
//   GPT (nanoGPT / Hugging Face GPT-2)  transformer.h.<i>.attn.c_attn.weight  stack transformer.h
//   encoder-decoder (fairseq)           encoder.layers.<i>.fc1.weight         stack encoder.layers
//   recurrent (torch.nn.GRU in a stack) encoder.rnn.weight_hh_l<i>[_reverse]  stack encoder.rnn
// Roles (nn/parameter.h) say what a tensor does, not which block holds it, so the name is read.
std::optional<BlockPosition> block_position(const std::string& name) {
  static const std::regex transformer_block(R"(^((?:.*\.)?(?:h|layers))\.(\d+)\..*)");
  static const std::regex recurrent_layer(
      R"(^(.*)\.(?:weight|bias)_(?:ih|hh)_l(\d+)(?:_reverse)?$)");
  std::smatch m;
  if (std::regex_match(name, m, transformer_block) || std::regex_match(name, m, recurrent_layer))
    return BlockPosition{m[1].str(), std::stoll(m[2].str())};
  return std::nullopt;
}

std::vector<bool> frozen_parameters(const std::string& spec, const Model& model) {
  const auto& params = model.parameters();
  std::vector<bool> frozen(params.size(), false);
  if (spec.empty()) return frozen;
  std::istringstream groups(spec);
  for (std::string group; std::getline(groups, group, ',');) {
    if (group == "embeddings") {
      for (size_t i = 0; i < params.size(); ++i) frozen[i] = frozen[i] || is_embedding(params[i]);
    } else if (group.starts_with("blocks:")) {
      const int64_t n = blocks_to_freeze(group, model);
      for (size_t i = 0; i < params.size(); ++i) {
        const auto pos = block_position(params[i].name);
        frozen[i] = frozen[i] || (pos && pos->index < n);
      }
    } else if (group == "head") {
      bool any = false;
      for (size_t i = 0; i < params.size(); ++i)
        if (is_head(params[i].name)) frozen[i] = any = true;
      if (!any)
        throw Error(
            "--freeze head: this model's head has no weights of its own (it is the token "
            "embedding, tied): freeze embeddings instead");
    } else {
      throw Error("--freeze " + spec + ": unknown group '" + group + "' (choose from " +
                  kGroupChoices + ", separated by commas)");
    }
  }
  return frozen;
}

FreezeCounts freeze_parameters(const std::string& spec, const Model& model) {
  const std::vector<bool> frozen = frozen_parameters(spec, model);
  FreezeCounts counts;
  for (size_t i = 0; i < frozen.size(); ++i) {
    const Parameter& p = model.parameters()[i];
    if (frozen[i]) p.var->requires_grad = false;
    (frozen[i] ? counts.frozen : counts.trainable) += p.var->value.numel();
  }
  if (counts.trainable == 0)
    throw Error("--freeze " + spec + ": freezes every parameter, which leaves nothing to train");
  return counts;
}

}  // namespace dikkat
