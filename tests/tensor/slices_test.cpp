// gather_rows: the rows it picks, and its backward against finite differences (repeated rows
// add up).
#include <gtest/gtest.h>

#include "error.h"
#include "tensor/gradient_check.h"
#include "tensor/ops.h"

namespace dikkat {
namespace {

using testing::check_gradients;
using testing::random_tensor;

TEST(GatherRows, PicksRowsOfTheFlattenedLeadingAxes) {
  std::mt19937_64 rng(3);
  const Var x = make_var(random_tensor({2, 3, 4}, rng), false);
  Graph g = Graph::inference();
  const std::vector<int32_t> rows = {5, 0, 5};
  const Var y = gather_rows(g, x, rows);
  ASSERT_EQ(y->value.shape, (std::vector<int64_t>{3, 4}));
  for (int64_t i = 0; i < 3; ++i)
    for (int64_t j = 0; j < 4; ++j)
      EXPECT_EQ(y->value.data[i * 4 + j], x->value.data[rows[size_t(i)] * 4 + j]);
  EXPECT_THROW(gather_rows(g, x, std::vector<int32_t>{6}), Error);
  EXPECT_THROW(gather_rows(g, x, std::vector<int32_t>{-1}), Error);
}

TEST(GradientCheck, GatherRows) {
  std::mt19937_64 rng(4);
  const std::vector<int32_t> rows = {3, 1, 3, 0};
  check_gradients([&](Graph& g, const std::vector<Var>& v) { return gather_rows(g, v[0], rows); },
                  {random_tensor({2, 2, 3}, rng)}, {true});
}

}  // namespace
}  // namespace dikkat
