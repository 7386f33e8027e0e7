// --freeze names the right parameters in every architecture, refuses groups it cannot honour,
// and a frozen parameter gets no gradient at all from the backward pass.
#include "train/freeze.h"

#include <gtest/gtest.h>

#include <set>

#include "error.h"
#include "nn/architectures.h"

namespace dikkat {
namespace {

ModelConfig tiny_gpt() {
  ModelConfig c;
  c.vocab_size = 11, c.n_layer = 3, c.n_head = 2, c.n_embd = 8, c.context = 8;
  return c;
}

ModelConfig tiny_seq2seq() {
  ModelConfig c = tiny_gpt();
  c.arch = Arch::kSeq2seq, c.n_encoder_layer = 2, c.n_layer = 1;
  return c;
}

std::set<std::string> frozen_names(const std::string& spec, const Model& model) {
  const std::vector<bool> frozen = frozen_parameters(spec, model);
  std::set<std::string> names;
  for (size_t i = 0; i < frozen.size(); ++i)
    if (frozen[i]) names.insert(model.parameters()[i].name);
  return names;
}

// Every frozen name starts with one of `prefixes`, and every name with such a prefix is frozen.
void expect_frozen_exactly(const std::string& spec, const Model& model,
                           const std::vector<std::string>& prefixes) {
  const std::set<std::string> frozen = frozen_names(spec, model);
  for (const auto& p : model.parameters()) {
    bool expected = false;
    for (const auto& prefix : prefixes) expected = expected || p.name.starts_with(prefix);
    EXPECT_EQ(frozen.count(p.name) == 1, expected) << spec << ": " << p.name;
  }
}

void expect_freeze_error(const std::string& spec, const Model& model, const std::string& needle) {
  try {
    frozen_parameters(spec, model);
    FAIL() << spec << " was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

TEST(BlockPosition, ReadsTheLayerIndexOfEachArchitecturesNames) {
  const auto gpt = block_position("transformer.h.12.attn.c_attn.weight");
  ASSERT_TRUE(gpt);
  EXPECT_EQ(gpt->stack, "transformer.h");
  EXPECT_EQ(gpt->index, 12);
  const auto encoder = block_position("encoder.layers.3.fc1.bias");
  ASSERT_TRUE(encoder);
  EXPECT_EQ(encoder->stack, "encoder.layers");
  EXPECT_EQ(encoder->index, 3);
  const auto gru = block_position("encoder.rnn.weight_hh_l1_reverse");
  ASSERT_TRUE(gru);
  EXPECT_EQ(gru->stack, "encoder.rnn");
  EXPECT_EQ(gru->index, 1);
  const auto gru_bias = block_position("decoder.rnn.bias_ih_l0");
  ASSERT_TRUE(gru_bias);
  EXPECT_EQ(gru_bias->stack, "decoder.rnn");
  EXPECT_EQ(gru_bias->index, 0);
}

TEST(BlockPosition, EmbeddingsFinalNormsAndHeadsAreInNoBlock) {
  for (const char* name : {"transformer.wte.weight", "transformer.wpe.weight",
                           "transformer.ln_f.weight", "lm_head.weight", "encoder.layer_norm.bias",
                           "shared.weight", "decoder.output_projection.weight"})
    EXPECT_FALSE(block_position(name)) << name;
}

TEST(FrozenParameters, GptGroups) {
  ModelConfig c = tiny_gpt();
  c.tie_head = false;
  const auto model = make_model(c);
  expect_frozen_exactly("embeddings", *model, {"transformer.wte.", "transformer.wpe."});
  expect_frozen_exactly("blocks:2", *model, {"transformer.h.0.", "transformer.h.1."});
  expect_frozen_exactly("head", *model, {"lm_head."});
  expect_frozen_exactly("embeddings,blocks:1", *model,
                        {"transformer.wte.", "transformer.wpe.", "transformer.h.0."});
  expect_frozen_exactly("", *model, {});
}

TEST(FrozenParameters, EncoderDecoderBlocksCountInEachStack) {
  const auto model = make_model(tiny_seq2seq());
  expect_frozen_exactly("blocks:1", *model, {"encoder.layers.0.", "decoder.layers.0."});
  // The decoder has one block: blocks:2 freezes it whole and the encoder's first two.
  expect_frozen_exactly("blocks:2", *model,
                        {"encoder.layers.0.", "encoder.layers.1.", "decoder.layers.0."});
  expect_frozen_exactly("embeddings", *model,
                        {"shared.", "encoder.embed_positions.", "decoder.embed_positions."});
}

TEST(FrozenParameters, RefusesWhatItCannotHonour) {
  const auto gpt = make_model(tiny_gpt());  // tied head, no head bias
  expect_freeze_error("bogus", *gpt, "--freeze bogus: unknown group 'bogus'");
  expect_freeze_error("embeddings,,", *gpt, "unknown group ''");
  expect_freeze_error("blocks:4", *gpt, "--freeze blocks:4: the model has 3 blocks");
  expect_freeze_error("blocks:0", *gpt, "blocks:N needs a whole number N of at least 1");
  expect_freeze_error("blocks:x", *gpt, "blocks:N needs a whole number");
  expect_freeze_error("head", *gpt, "--freeze head: this model's head has no weights of its own");
}

TEST(FreezeParameters, RefusesToFreezeEverything) {
  ModelConfig c = tiny_seq2seq();
  c.norm = NormPlacement::kPost;  // no final LayerNorms outside the blocks
  const auto model = make_model(c);
  try {
    freeze_parameters("embeddings,blocks:2", *model);
    FAIL() << "a run with nothing to train was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("leaves nothing to train"), std::string::npos);
  }
}

TEST(FreezeParameters, CountsAndSwitchesOffGradients) {
  const auto model = make_model(tiny_gpt());
  const FreezeCounts counts = freeze_parameters("embeddings", *model);
  int64_t embedding_scalars = 0;
  for (const auto& p : model->parameters()) {
    const bool embedding = p.role == ParamRole::kEmbedding || p.role == ParamRole::kPositions;
    EXPECT_EQ(p.var->requires_grad, !embedding) << p.name;
    if (embedding) embedding_scalars += p.var->value.numel();
  }
  EXPECT_EQ(counts.frozen, embedding_scalars);
  EXPECT_EQ(counts.trainable + counts.frozen, model->parameter_count());
}

// Not merely left alone by the optimizer: the backward pass never writes a frozen gradient.
TEST(FreezeParameters, BackwardComputesNoGradientForFrozenParameters) {
  const auto model = make_model(tiny_gpt());
  std::mt19937_64 rng(1);
  model->init(rng, 0.02f);
  freeze_parameters("embeddings,blocks:1", *model);
  Batch batch;
  batch.rows = 2, batch.time = 4;
  batch.inputs = {1, 2, 3, 4, 5, 6, 7, 8};
  batch.targets = {2, 3, 4, 5, 6, 7, 8, 9};
  Graph g;
  g.backward(model->loss(g, batch, nullptr));
  for (const auto& p : model->parameters())
    EXPECT_EQ(p.var->grad.empty(), !p.var->requires_grad) << p.name;
}

}  // namespace
}  // namespace dikkat
