// multi_head_attention over a table of shapes and masks: each case's output (through the tiled
// kernel, the row kernel with weights_out, and an inference graph) against the formula in double
// precision with the same dropout mask, its weights (rows sum to 1, masked cells exactly 0), and
// its gradients against central finite differences at elements spread over q, k and v.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "error.h"
#include "tensor/dropout_mask.h"
#include "tensor/ops.h"

namespace dikkat {
namespace {

// How q, k and v reach the op: which input tensor each is a column slice of.
enum class Layout {
  kFusedQkv,         // one (B,T,3C) Var, [q | k | v] (the GPT's qkv; Tq == Tk)
  kFusedShuffled,    // one (B,T,3C+2) Var, [pad | v | q | k | pad]
  kQueryAndFusedKv,  // q (B,Tq,C); kv (B,Tk,2C) = [k | v] (cross-attention)
  kSeparateOffsets,  // q (B,Tq,C+3) at column 2, k (B,Tk,C+5) at 5, v (B,Tk,2C) at C
};

struct Case {
  std::string name;
  int64_t b, tq, tk, c, h;
  bool causal;
  std::vector<int32_t> key_lengths;
  float dropout;
  Layout layout;
};

std::ostream& operator<<(std::ostream& os, const Case& c) { return os << c.name; }

const Case kCases[] = {
    {"SelfCausalMultiTile", 2, 70, 70, 8, 2, true, {}, 0.0f, Layout::kFusedQkv},
    {"SelfCausalMultiTileDropout", 2, 70, 70, 8, 2, true, {}, 0.3f, Layout::kFusedQkv},
    {"SelfCausalPadded", 2, 70, 70, 8, 2, true, {70, 3}, 0.0f, Layout::kFusedShuffled},
    {"CrossMoreKeysPadded", 2, 70, 131, 8, 2, false, {131, 77}, 0.0f, Layout::kQueryAndFusedKv},
    {"CrossFewerKeysPaddedDropout",
     2,
     131,
     70,
     8,
     2,
     false,
     {5, 70},
     0.2f,
     Layout::kSeparateOffsets},
    {"CausalCacheOffset", 2, 70, 131, 8, 2, true, {}, 0.0f, Layout::kSeparateOffsets},
    {"CausalCacheOffsetPaddedDropout",
     2,
     70,
     131,
     12,
     3,
     true,
     {131, 100},
     0.25f,
     Layout::kQueryAndFusedKv},
    {"OneQueryLongKeysPadded", 2, 1, 200, 8, 2, false, {200, 150}, 0.0f, Layout::kSeparateOffsets},
    {"OneQueryCausalCache", 2, 1, 200, 8, 2, true, {}, 0.0f, Layout::kQueryAndFusedKv},
    {"OneQueryCausalPaddedDropout", 1, 1, 200, 8, 2, true, {37}, 0.3f, Layout::kSeparateOffsets},
    {"FewQueriesCausalPadded", 2, 3, 67, 8, 2, true, {67, 66}, 0.0f, Layout::kSeparateOffsets},
    {"SingleTileOneKeyRow", 3, 5, 9, 6, 3, false, {9, 1, 4}, 0.3f, Layout::kQueryAndFusedKv},
};

Tensor random_tensor(std::vector<int64_t> shape, std::mt19937_64& rng) {
  Tensor t(std::move(shape));
  std::normal_distribution<float> normal(0.0f, 1.0f);
  for (float& x : t.data) x = normal(rng);
  return t;
}

// Where each of q, k and v is: an input index and a first column.
struct Slices {
  int q_input, k_input, v_input;
  int64_t q_col, k_col, v_col;
};

Slices slices_of(const Case& tc) {
  const int64_t c = tc.c;
  switch (tc.layout) {
    case Layout::kFusedQkv:
      return {0, 0, 0, 0, c, 2 * c};
    case Layout::kFusedShuffled:
      return {0, 0, 0, 1 + c, 1 + 2 * c, 1};
    case Layout::kQueryAndFusedKv:
      return {0, 1, 1, 0, 0, c};
    case Layout::kSeparateOffsets:
      return {0, 1, 2, 2, 5, c};
  }
  return {};
}

std::vector<Tensor> random_inputs(const Case& tc, uint64_t seed) {
  std::mt19937_64 rng(seed);
  const int64_t b = tc.b, c = tc.c;
  switch (tc.layout) {
    case Layout::kFusedQkv:
      return {random_tensor({b, tc.tq, 3 * c}, rng)};
    case Layout::kFusedShuffled:
      return {random_tensor({b, tc.tq, 3 * c + 2}, rng)};
    case Layout::kQueryAndFusedKv:
      return {random_tensor({b, tc.tq, c}, rng), random_tensor({b, tc.tk, 2 * c}, rng)};
    case Layout::kSeparateOffsets:
      return {random_tensor({b, tc.tq, c + 3}, rng), random_tensor({b, tc.tk, c + 5}, rng),
              random_tensor({b, tc.tk, 2 * c}, rng)};
  }
  return {};
}

constexpr uint64_t kDropoutSeed = 99;

// Runs the op on `vars` with a fresh dropout stream, so every run draws the same mask.
Var run(Graph& g, const Case& tc, const std::vector<Var>& vars, Tensor* weights = nullptr) {
  const Slices s = slices_of(tc);
  std::mt19937_64 rng(kDropoutSeed);
  const AttentionMask mask{tc.causal, tc.key_lengths};
  return multi_head_attention(g, {vars[s.q_input], s.q_col}, {vars[s.k_input], s.k_col},
                              {vars[s.v_input], s.v_col}, tc.c, tc.h, mask, tc.dropout, &rng,
                              weights);
}

// Key s is visible to query t of batch row b.
bool visible(const Case& tc, int64_t b, int64_t t, int64_t s) {
  const int64_t length = tc.key_lengths.empty() ? tc.tk : tc.key_lengths[b];
  return s < length && (!tc.causal || s <= t + tc.tk - tc.tq);
}

struct Reference {
  std::vector<double> out;      // (B,Tq,C)
  std::vector<double> weights;  // (B,H,Tq,Tk), before dropout
};

// softmax(q kᵀ / √hs) over the visible keys, times the dropout mask when p > 0, times v.
Reference reference_attention(const Case& tc, const std::vector<Tensor>& in, float p) {
  const Slices sl = slices_of(tc);
  const int64_t hs = tc.c / tc.h;
  std::vector<float> mask(tc.b * tc.h * tc.tq * tc.tk, 1.0f);
  if (p > 0.0f)
    fill_dropout_mask(std::mt19937_64(kDropoutSeed)(), p, mask.data(), int64_t(mask.size()));
  auto at = [&](int input, int64_t col, int64_t b, int64_t t, int64_t h, int64_t d) {
    const Tensor& x = in[input];
    return double(x.data[(b * x.size(1) + t) * x.size(2) + col + h * hs + d]);
  };
  Reference ref{std::vector<double>(tc.b * tc.tq * tc.c, 0.0),
                std::vector<double>(tc.b * tc.h * tc.tq * tc.tk, 0.0)};
  for (int64_t b = 0; b < tc.b; ++b)
    for (int64_t h = 0; h < tc.h; ++h)
      for (int64_t t = 0; t < tc.tq; ++t) {
        const int64_t row = ((b * tc.h + h) * tc.tq + t) * tc.tk;
        double max_score = -INFINITY, sum = 0.0;
        std::vector<double> w(tc.tk, 0.0);
        for (int64_t s = 0; s < tc.tk; ++s) {
          if (!visible(tc, b, t, s)) continue;
          for (int64_t d = 0; d < hs; ++d)
            w[s] += at(sl.q_input, sl.q_col, b, t, h, d) * at(sl.k_input, sl.k_col, b, s, h, d);
          w[s] /= std::sqrt(double(hs));
          max_score = std::max(max_score, w[s]);
        }
        for (int64_t s = 0; s < tc.tk; ++s)
          if (visible(tc, b, t, s)) sum += (w[s] = std::exp(w[s] - max_score));
        for (int64_t s = 0; s < tc.tk; ++s) {
          if (!visible(tc, b, t, s)) continue;
          ref.weights[row + s] = w[s] / sum;
          for (int64_t d = 0; d < hs; ++d)
            ref.out[(b * tc.tq + t) * tc.c + h * hs + d] +=
                ref.weights[row + s] * mask[row + s] * at(sl.v_input, sl.v_col, b, s, h, d);
        }
      }
  return ref;
}

std::vector<Var> make_vars(const std::vector<Tensor>& inputs, bool requires_grad) {
  std::vector<Var> vars;
  for (const Tensor& t : inputs) vars.push_back(make_var(t, requires_grad));
  return vars;
}

void expect_output(const Var& y, const std::vector<double>& want, const std::string& path) {
  ASSERT_EQ(y->value.numel(), int64_t(want.size())) << path;
  for (size_t i = 0; i < want.size(); ++i)
    ASSERT_NEAR(y->value.data[i], want[i], 2e-5 * (1.0 + std::abs(want[i])))
        << path << ": output element " << i;
}

void expect_weights(const Case& tc, const Tensor& weights, const std::vector<double>& want,
                    const std::string& path) {
  ASSERT_EQ(weights.shape, (std::vector<int64_t>{tc.b, tc.h, tc.tq, tc.tk})) << path;
  for (int64_t b = 0; b < tc.b; ++b)
    for (int64_t h = 0; h < tc.h; ++h)
      for (int64_t t = 0; t < tc.tq; ++t) {
        const int64_t row = ((b * tc.h + h) * tc.tq + t) * tc.tk;
        double sum = 0.0;
        for (int64_t s = 0; s < tc.tk; ++s) {
          const float w = weights.data[row + s];
          sum += w;
          if (!visible(tc, b, t, s))
            ASSERT_EQ(w, 0.0f) << path << ": masked weight (" << b << "," << h << "," << t << ","
                               << s << ")";
          else
            ASSERT_NEAR(w, want[row + s], 1e-6) << path << ": weight " << row + s;
        }
        ASSERT_NEAR(sum, 1.0, 1e-5) << path << ": row (" << b << "," << h << "," << t << ")";
      }
}

class MultiHeadAttention : public ::testing::TestWithParam<Case> {};

// The tiled kernel (recording graph), the row kernel (weights_out) and an inference graph (no
// dropout; the row kernel for Tq <= 4, else tiles) all give the formula's output.
TEST_P(MultiHeadAttention, OutputAndWeightsMatchTheFormula) {
  const Case& tc = GetParam();
  const std::vector<Tensor> inputs = random_inputs(tc, 1);
  const Reference ref = reference_attention(tc, inputs, tc.dropout);
  const Reference ref_no_dropout = tc.dropout > 0.0f ? reference_attention(tc, inputs, 0.0f) : ref;
  {
    Graph g;
    expect_output(run(g, tc, make_vars(inputs, false)), ref.out, "tiles");
  }
  {
    Graph g;
    Tensor weights;
    expect_output(run(g, tc, make_vars(inputs, false), &weights), ref.out, "rows");
    expect_weights(tc, weights, ref.weights, "rows");
  }
  {
    Graph g = Graph::inference();
    expect_output(run(g, tc, make_vars(inputs, false)), ref_no_dropout.out, "inference");
    Tensor weights;
    expect_output(run(g, tc, make_vars(inputs, false), &weights), ref_no_dropout.out,
                  "inference rows");
    expect_weights(tc, weights, ref_no_dropout.weights, "inference rows");
  }
}

// d(sum R*y)/d(input) against central differences at 40 elements of each input (and every
// element of the smallest inputs), after a forward through the tiles and through the rows.
TEST_P(MultiHeadAttention, GradientsMatchFiniteDifferences) {
  const Case& tc = GetParam();
  const std::vector<Tensor> inputs = random_inputs(tc, 2);
  std::mt19937_64 rng(3);
  const Tensor r = random_tensor({tc.b, tc.tq, tc.c}, rng);
  auto weighted_sum = [&](const std::vector<Tensor>& in) {
    Graph g;  // recording (dropout on), inputs without gradients: values only
    const Var y = run(g, tc, make_vars(in, false));
    double sum = 0.0;
    for (int64_t i = 0; i < y->value.numel(); ++i) sum += double(y->value.data[i]) * r.data[i];
    return sum;
  };
  for (const bool with_weights : {false, true}) {
    const std::string path = with_weights ? "rows forward" : "tiles forward";
    Graph g;
    const std::vector<Var> vars = make_vars(inputs, true);
    Tensor weights;
    g.backward(run(g, tc, vars, with_weights ? &weights : nullptr), r);
    for (size_t i = 0; i < inputs.size(); ++i) {
      std::uniform_int_distribution<int64_t> pick(0, inputs[i].numel() - 1);
      const int64_t trials = std::min<int64_t>(40, inputs[i].numel());
      for (int64_t trial = 0; trial < trials; ++trial) {
        const int64_t k = trials == inputs[i].numel() ? trial : pick(rng);
        const float eps = 1e-2f;
        std::vector<Tensor> plus = inputs, minus = inputs;
        plus[i].data[k] += eps;
        minus[i].data[k] -= eps;
        const double numeric = (weighted_sum(plus) - weighted_sum(minus)) / (2.0 * eps);
        ASSERT_NEAR(vars[i]->grad.data[k], numeric, 1e-2 * std::max(1.0, std::abs(numeric)))
            << path << ": input " << i << " element " << k;
      }
    }
  }
}

class MultiHeadAttentionPadded : public ::testing::TestWithParam<Case> {};

// Padded keys get no weight, so their k and v rows get exactly no gradient.
TEST_P(MultiHeadAttentionPadded, PaddedKeysGetNoGradient) {
  const Case& tc = GetParam();
  const std::vector<Tensor> inputs = random_inputs(tc, 4);
  const Slices sl = slices_of(tc);
  std::mt19937_64 rng(5);
  Graph g;
  const std::vector<Var> vars = make_vars(inputs, true);
  g.backward(run(g, tc, vars), random_tensor({tc.b, tc.tq, tc.c}, rng));
  for (const auto& [input, col] : {std::pair{sl.k_input, sl.k_col}, {sl.v_input, sl.v_col}}) {
    const Tensor& grad = vars[input]->grad;
    const int64_t t_len = grad.size(1), width = grad.size(2);
    for (int64_t b = 0; b < tc.b; ++b)
      for (int64_t s = tc.key_lengths[b]; s < t_len; ++s)
        for (int64_t j = col; j < col + tc.c; ++j)
          ASSERT_EQ(grad.data[(b * t_len + s) * width + j], 0.0f)
              << "input " << input << " batch " << b << " key " << s;
  }
}

std::vector<Case> padded_cases() {
  std::vector<Case> padded;
  for (const Case& c : kCases)
    if (!c.key_lengths.empty()) padded.push_back(c);
  return padded;
}

INSTANTIATE_TEST_SUITE_P(AttentionTable, MultiHeadAttention, ::testing::ValuesIn(kCases),
                         [](const auto& info) { return info.param.name; });
INSTANTIATE_TEST_SUITE_P(AttentionTable, MultiHeadAttentionPadded,
                         ::testing::ValuesIn(padded_cases()),
                         [](const auto& info) { return info.param.name; });

// Each backward adds to the gradient already there (the same Var may feed several ops).
TEST(AttentionGradient, Accumulates) {
  const Case& tc = kCases[3];
  const std::vector<Tensor> inputs = random_inputs(tc, 6);
  std::mt19937_64 rng(7);
  const Tensor r = random_tensor({tc.b, tc.tq, tc.c}, rng);
  const std::vector<Var> vars = make_vars(inputs, true);
  Graph once;
  once.backward(run(once, tc, vars), r);
  const std::vector<Tensor> first = {vars[0]->grad, vars[1]->grad};
  Graph twice;
  twice.backward(run(twice, tc, vars), r);
  for (size_t i = 0; i < first.size(); ++i)
    for (int64_t k = 0; k < first[i].numel(); ++k)
      ASSERT_NEAR(vars[i]->grad.data[k], 2.0f * first[i].data[k],
                  1e-5 * (1.0 + std::abs(first[i].data[k])))
          << i << " " << k;
}

TEST(AttentionArguments, InvalidOnesAreRejected) {
  std::mt19937_64 rng(8);
  const Var q = make_var(random_tensor({2, 3, 8}, rng), false);
  const Var kv = make_var(random_tensor({2, 5, 16}, rng), false);
  Graph g;
  auto call = [&](const ColumnSlice& qs, const ColumnSlice& ks, const ColumnSlice& vs,
                  AttentionMask mask, int64_t heads = 2) {
    return multi_head_attention(g, qs, ks, vs, 8, heads, mask, 0.0f, nullptr);
  };
  const std::vector<int32_t> zero_length = {5, 0}, too_long = {6, 5}, one_length = {5};
  EXPECT_THROW(call({q, 0}, {kv, 0}, {kv, 8}, {false, zero_length}), Error);
  EXPECT_THROW(call({q, 0}, {kv, 0}, {kv, 8}, {false, too_long}), Error);
  EXPECT_THROW(call({q, 0}, {kv, 0}, {kv, 8}, {false, one_length}), Error);
  EXPECT_THROW(call({kv, 0}, {q, 0}, {q, 0}, {true, {}}), Error);  // causal with Tq > Tk
  EXPECT_THROW(call({q, 0}, {kv, 4}, {kv, 8}, {}), Error);         // k and v overlap
  EXPECT_THROW(call({q, 1}, {kv, 0}, {kv, 8}, {}), Error);         // past q's last axis
  EXPECT_THROW(call({q, 0}, {kv, 0}, {kv, 8}, {}, 3), Error);      // 8 channels, 3 heads
  const Var no_keys = make_var(Tensor({2, 0, 16}), false);
  EXPECT_THROW(call({q, 0}, {no_keys, 0}, {no_keys, 8}, {}), Error);
  EXPECT_NO_THROW(call({q, 0}, {kv, 0}, {kv, 0}, {}));  // k == v: same columns
  EXPECT_THROW(call({q, 0}, {kv, 0}, {kv, 8}, {true, {}, 3}), Error);  // queries 3..5 of 5 keys
}

// A KV cache: the queries are positions past.. of a longer key tensor whose rows past the
// filled ones hold anything; with query_offset and key lengths the output equals attention over
// exactly the filled keys.
TEST(AttentionOverACache, EqualsAttentionOverTheFilledKeys) {
  std::mt19937_64 rng(11);
  const int64_t past = 4, n = 3, capacity = 12, C = 8;
  const Var q = make_var(random_tensor({2, n, C}, rng), false);
  const Var cache = make_var(random_tensor({2, capacity, 2 * C}, rng), false);
  Tensor filled({2, past + n, 2 * C});
  for (int64_t b = 0; b < 2; ++b)
    std::copy_n(cache->value.ptr() + b * capacity * 2 * C, (past + n) * 2 * C,
                filled.ptr() + b * (past + n) * 2 * C);
  const Var kv = make_var(std::move(filled), false);
  Graph g = Graph::inference();
  const std::vector<int32_t> lengths(2, int32_t(past + n));
  for (const bool with_weights : {false, true}) {
    Tensor w_cache, w_filled;
    const Var got = multi_head_attention(g, {q, 0}, {cache, 0}, {cache, C}, C, 2,
                                         {.causal = true, .key_lengths = lengths, .query_offset = past},
                                         0.0f, nullptr, with_weights ? &w_cache : nullptr);
    const Var want = multi_head_attention(g, {q, 0}, {kv, 0}, {kv, C}, C, 2, {.causal = true},
                                          0.0f, nullptr, with_weights ? &w_filled : nullptr);
    for (int64_t i = 0; i < want->value.numel(); ++i)
      ASSERT_NEAR(got->value.data[i], want->value.data[i], 1e-6f) << i;
    if (!with_weights) continue;
    // Query t (position past + t) weighs keys 0..past+t; the unfilled ones get exactly 0.
    for (int64_t bh = 0; bh < 4; ++bh)
      for (int64_t t = 0; t < n; ++t)
        for (int64_t s = 0; s < capacity; ++s) {
          const float w = w_cache.data[(bh * n + t) * capacity + s];
          if (s > past + t) {
            ASSERT_EQ(w, 0.0f);
          } else {
            ASSERT_NEAR(w, w_filled.data[(bh * n + t) * (past + n) + s], 1e-6f);
          }
        }
  }
}

}  // namespace
}  // namespace dikkat
