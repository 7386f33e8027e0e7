// Buffers over 32 MiB are kept when freed and handed out again for requests of about their size,
// so a training step does not page-fault through its logits afresh every step.
#include "tensor/large_blocks.h"

#include <gtest/gtest.h>

#include "tensor/tensor.h"

namespace dikkat {
namespace {

TEST(LargeBlocks, AFreedBlockServesTheNextRequestOfAboutItsSize) {
  const int64_t rows = 2000, vocab = 8000;  // 64 MB of logits
  const float* first = nullptr;
  {
    Tensor logits({rows, vocab});
    first = logits.ptr();
  }
  Tensor again({rows - 37, vocab});  // the next batch, a few tokens shorter
  EXPECT_EQ(again.ptr(), first);
  // Zero-initialised as any Tensor, though the block held values before.
  for (int64_t i = 0; i < again.numel(); i += 4099) ASSERT_EQ(again.data[size_t(i)], 0.0f);
}

TEST(LargeBlocks, ABlockIsNotHandedOutTwiceOrForAFarLargerRequest) {
  Tensor a({1000, 9000});
  const float* a_ptr = a.ptr();
  Tensor b({1000, 9000});
  EXPECT_NE(b.ptr(), a_ptr);
  { Tensor dropped = std::move(a); }
  Tensor bigger({4000, 9000});  // four times the size: a new block
  EXPECT_NE(bigger.ptr(), a_ptr);
  bigger.data.back() = 1.0f;  // the whole block is there
  Tensor small({1, 16});      // small buffers come from the heap as before
  EXPECT_NE(small.ptr(), a_ptr);
}

}  // namespace
}  // namespace dikkat
