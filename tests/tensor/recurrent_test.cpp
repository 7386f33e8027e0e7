// The recurrent layers, Bahdanau's additive attention and the slicing ops the recurrent models
// are built from: gradients against finite differences, and what padding and direction mean.
#include <gtest/gtest.h>

#include "error.h"
#include "tensor/gradient_check.h"
#include "tensor/ops.h"

namespace dikkat {
namespace {

using testing::check_gradients;
using testing::random_tensor;

constexpr int64_t kRows = 3, kTime = 4, kHidden = 3;
const std::vector<int32_t> kLengths = {4, 2, 3};

struct LayerCase {
  RecurrentCell cell;
  bool reverse;
};

class RecurrentLayer : public ::testing::TestWithParam<LayerCase> {};

// Inputs: x_gates (B,T,GH), W_hh, b_hh, h0 and (LSTM) c0. The op's outputs are checked together:
// hidden, and the LSTM's cell beside it.
TEST_P(RecurrentLayer, GradientsMatchFiniteDifferences) {
  const LayerCase c = GetParam();
  const bool lstm = c.cell == RecurrentCell::kLstm;
  const int64_t gates = recurrent_gate_count(c.cell) * kHidden;
  std::mt19937_64 rng(11);
  std::vector<Tensor> inputs = {random_tensor({kRows, kTime, gates}, rng),
                                random_tensor({gates, kHidden}, rng, 0.5f),
                                random_tensor({gates}, rng), random_tensor({kRows, kHidden}, rng)};
  if (lstm) inputs.push_back(random_tensor({kRows, kHidden}, rng));
  for (const auto& lengths : {std::vector<int32_t>{}, kLengths}) {
    check_gradients(
        [&](Graph& g, const std::vector<Var>& v) {
          const RecurrentSequence s = recurrent_layer(g, c.cell, v[0], v[1], v[2], v[3],
                                                      lstm ? v[4] : nullptr, lengths, c.reverse);
          return lstm ? concat_columns(g, {s.hidden, s.cell}) : s.hidden;
        },
        inputs, std::vector<bool>(inputs.size(), true), 1e-2f, 3e-2f);
  }
}

INSTANTIATE_TEST_SUITE_P(Cells, RecurrentLayer,
                         ::testing::Values(LayerCase{RecurrentCell::kGru, false},
                                           LayerCase{RecurrentCell::kGru, true},
                                           LayerCase{RecurrentCell::kLstm, false},
                                           LayerCase{RecurrentCell::kLstm, true}),
                         [](const auto& info) {
                           return std::string(info.param.cell == RecurrentCell::kGru ? "Gru"
                                                                                     : "Lstm") +
                                  (info.param.reverse ? "Backward" : "Forward");
                         });

// Runs one row of x_gates alone, cut to `length` steps.
Tensor run_alone(RecurrentCell cell, const Tensor& x_gates, const Var& w_hh, const Var& b_hh,
                 int64_t row, int64_t length, bool reverse) {
  const int64_t width = x_gates.size(2), time = x_gates.size(1);
  Tensor x({1, length, width});
  std::copy_n(x_gates.ptr() + row * time * width, length * width, x.ptr());
  Graph g = Graph::inference();
  return recurrent_layer(g, cell, make_var(x, false), w_hh, b_hh, nullptr, nullptr, {}, reverse)
      .hidden->value;
}

// A padded row gives what the row gives alone, cut to its length (the padding is never fed),
// with zeros after it; backwards, each row starts from its own last real token. Equal to float
// rounding: BLAS may pick another kernel for one row than for several (OpenBLAS on AMX Xeons).
TEST(RecurrentLayerPadding, PaddedRowsEqualTheRowAlone) {
  for (const RecurrentCell cell : {RecurrentCell::kGru, RecurrentCell::kLstm})
    for (const bool reverse : {false, true}) {
      const int64_t gates = recurrent_gate_count(cell) * kHidden;
      std::mt19937_64 rng(12);
      const Tensor x = random_tensor({kRows, kTime, gates}, rng);
      const Var w = make_var(random_tensor({gates, kHidden}, rng), false);
      const Var b = make_var(random_tensor({gates}, rng), false);
      Graph g = Graph::inference();
      const Tensor all =
          recurrent_layer(g, cell, make_var(x, false), w, b, nullptr, nullptr, kLengths, reverse)
              .hidden->value;
      for (int64_t row = 0; row < kRows; ++row) {
        const Tensor alone = run_alone(cell, x, w, b, row, kLengths[row], reverse);
        for (int64_t t = 0; t < kTime; ++t)
          for (int64_t j = 0; j < kHidden; ++j) {
            const float got = all.data[(row * kTime + t) * kHidden + j];
            if (t < kLengths[row])
              EXPECT_NEAR(got, alone.data[t * kHidden + j], 1e-6f) << row << " " << t;
            else
              EXPECT_EQ(got, 0.0f) << row << " " << t;
          }
      }
    }
}

// Backwards over a sequence is forwards over the sequence reversed, with the outputs reversed.
TEST(RecurrentLayerDirection, ReverseEqualsForwardOverTheReversedSequence) {
  const int64_t gates = 3 * kHidden;
  std::mt19937_64 rng(13);
  const Tensor x = random_tensor({1, kTime, gates}, rng);
  Tensor flipped = x;
  for (int64_t t = 0; t < kTime; ++t)
    std::copy_n(x.ptr() + t * gates, gates, flipped.ptr() + (kTime - 1 - t) * gates);
  const Var w = make_var(random_tensor({gates, kHidden}, rng), false);
  Graph g = Graph::inference();
  const Tensor back = recurrent_layer(g, RecurrentCell::kGru, make_var(x, false), w, nullptr,
                                      nullptr, nullptr, {}, true)
                          .hidden->value;
  const Tensor fwd = recurrent_layer(g, RecurrentCell::kGru, make_var(flipped, false), w, nullptr,
                                     nullptr, nullptr, {}, false)
                         .hidden->value;
  for (int64_t t = 0; t < kTime; ++t)
    for (int64_t j = 0; j < kHidden; ++j)
      EXPECT_FLOAT_EQ(back.data[t * kHidden + j], fwd.data[(kTime - 1 - t) * kHidden + j]);
}

TEST(RecurrentLayerErrors, BadLengthsAndShapesAreErrors) {
  Graph g = Graph::inference();
  const Var x = make_var(Tensor({2, 3, 6}), false), w = make_var(Tensor({6, 2}), false);
  const std::vector<int32_t> zero = {3, 0}, too_long = {4, 1}, one = {3};
  for (const auto& lengths : {zero, too_long, one})
    EXPECT_THROW(
        recurrent_layer(g, RecurrentCell::kGru, x, w, nullptr, nullptr, nullptr, lengths, false),
        Error);
  EXPECT_THROW(recurrent_layer(g, RecurrentCell::kLstm, x, w, nullptr, nullptr, nullptr, {}, false),
               Error);  // 6 columns are 3 gates of 2, not an LSTM's 4
}

TEST(AdditiveAttention, GradientsMatchFiniteDifferences) {
  std::mt19937_64 rng(14);
  const int64_t rows = 2, source = 4, channels = 3, width = 5;
  const std::vector<int32_t> lengths = {4, 2};
  for (const auto& l : {std::vector<int32_t>{}, lengths})
    check_gradients(
        [&](Graph& g, const std::vector<Var>& v) {
          return additive_attention(g, v[0], v[1], v[2], v[3], l);
        },
        {random_tensor({rows, channels}, rng), random_tensor({rows, source, channels}, rng),
         random_tensor({channels}, rng), random_tensor({rows, source, width}, rng)},
        {true, true, true, true});
}

TEST(AdditiveAttention, WeightsAreASoftmaxOverTheRealPositions) {
  std::mt19937_64 rng(15);
  const std::vector<int32_t> lengths = {3, 1};
  Graph g = Graph::inference();
  Tensor weights;
  const Var values = make_var(random_tensor({2, 3, 2}, rng), false);
  const Var context =
      additive_attention(g, make_var(random_tensor({2, 4}, rng), false),
                         make_var(random_tensor({2, 3, 4}, rng), false),
                         make_var(random_tensor({4}, rng), false), values, lengths, &weights);
  ASSERT_EQ(weights.shape, (std::vector<int64_t>{2, 3}));
  EXPECT_NEAR(weights.data[0] + weights.data[1] + weights.data[2], 1.0f, 1e-6f);
  EXPECT_FLOAT_EQ(weights.data[3], 1.0f);  // one real position takes all the weight
  EXPECT_EQ(weights.data[4], 0.0f);
  EXPECT_EQ(weights.data[5], 0.0f);
  for (int64_t d = 0; d < 2; ++d)  // ... and the context is its value
    EXPECT_FLOAT_EQ(context->value.data[2 + d], values->value.data[6 + d]);
}

TEST(GradientCheck, ConcatGatherAndStack) {
  std::mt19937_64 rng(16);
  check_gradients(
      [](Graph& g, const std::vector<Var>& v) {
        return concat_columns(g, {v[0], v[1], v[0]});
      },
      {random_tensor({2, 3, 2}, rng), random_tensor({2, 3, 4}, rng)}, {true, true});
  const std::vector<int32_t> positions = {2, 0, 1};
  check_gradients(
      [&](Graph& g, const std::vector<Var>& v) { return gather_steps(g, v[0], positions); },
      {random_tensor({3, 4, 2}, rng)}, {true});
  check_gradients(
      [](Graph& g, const std::vector<Var>& v) {
        return stack_steps(g, {v[0], v[1], v[0]});
      },
      {random_tensor({2, 3}, rng), random_tensor({2, 1, 3}, rng)}, {true, true});
}

}  // namespace
}  // namespace dikkat
