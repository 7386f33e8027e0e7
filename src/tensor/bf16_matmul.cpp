#include "tensor/bf16_matmul.h"

#include <algorithm>
#include <map>
#include <mutex>
#include <oneapi/dnnl/dnnl.hpp>
#include <tuple>
#include <vector>

#include "tensor/gemm.h"

namespace dikkat {

namespace {

using dnnl::memory;

struct Primitive {
  dnnl::matmul matmul;
  memory::desc scratch;
};

struct Backend {
  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
  // Creating a matmul primitive generates its kernel (about a millisecond); a training step
  // uses a handful of shapes over and over, so each is built once.
  std::map<std::tuple<int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, bool, bool, bool>,
           Primitive>
      primitives;
  std::mutex mutex;
};

Backend& backend() {
  static Backend b;
  return b;
}

memory::desc operand_desc(int64_t rows, int64_t cols, int64_t ld, bool transposed,
                          memory::data_type type) {
  const memory::dims strides = transposed ? memory::dims{1, ld} : memory::dims{ld, 1};
  return memory::desc({rows, cols}, type, strides);
}

}  // namespace

bool bf16_matmul_supported() {
  const auto isa = static_cast<unsigned>(dnnl::get_effective_cpu_isa());
  const auto bf16 = static_cast<unsigned>(dnnl::cpu_isa::avx512_core_bf16);
  return (isa & bf16) == bf16;  // AMX's flags include AVX512-BF16's
}

namespace {

// One single-threaded oneDNN matmul for one block of C.
void bf16_matmul_block(int64_t m, int64_t n, int64_t k, Bf16Operand a, Bf16Operand b,
                       bool accumulate, float* c, int64_t ldc) {
  Backend& be = backend();
  const auto a_desc = operand_desc(m, k, a.ld, a.transposed, memory::data_type::bf16);
  const auto b_desc = operand_desc(k, n, b.ld, b.transposed, memory::data_type::bf16);
  const auto c_desc = operand_desc(m, n, ldc, false, memory::data_type::f32);
  const auto key =
      std::make_tuple(m, n, k, a.ld, b.ld, ldc, a.transposed, b.transposed, accumulate);
  Primitive primitive;
  {
    std::lock_guard lock(be.mutex);
    auto it = be.primitives.find(key);
    if (it == be.primitives.end()) {
      dnnl::primitive_attr attr;
      // Blocks of the same shape run at once on different threads: each brings its own scratch
      // memory (a primitive's own would be shared between them).
      attr.set_scratchpad_mode(dnnl::scratchpad_mode::user);
      if (accumulate) {
        dnnl::post_ops sum;
        sum.append_sum(1.0f);
        attr.set_post_ops(sum);
      }
      const dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(a_desc, b_desc, c_desc), attr,
                                            be.engine);
      it = be.primitives.emplace(key, Primitive{dnnl::matmul(pd), pd.scratchpad_desc()}).first;
    }
    primitive = it->second;
  }
  // A stream is used by one thread at a time; primitives may run on several at once.
  thread_local dnnl::stream stream{be.engine};
  // oneDNN reads through non-const handles but never writes its inputs.
  memory a_mem(a_desc, be.engine, const_cast<bf16_t*>(a.data));
  memory b_mem(b_desc, be.engine, const_cast<bf16_t*>(b.data));
  memory c_mem(c_desc, be.engine, c);
  thread_local std::vector<uint8_t> scratch;
  scratch.resize(std::max(scratch.size(), primitive.scratch.get_size()));
  memory scratch_mem(primitive.scratch, be.engine, scratch.data());
  primitive.matmul.execute(stream, {{DNNL_ARG_SRC, a_mem},
                                    {DNNL_ARG_WEIGHTS, b_mem},
                                    {DNNL_ARG_DST, c_mem},
                                    {DNNL_ARG_SCRATCHPAD, scratch_mem}});
  stream.wait();
}

}  // namespace

void bf16_matmul(int64_t m, int64_t n, int64_t k, Bf16Operand a, Bf16Operand b, bool accumulate,
                 float* c, int64_t ldc) {
  for_each_gemm_block(m, n, k, [&](int64_t row0, int64_t rows, int64_t col0, int64_t cols) {
    const Bf16Operand a_block{rows_from(a.data, a.ld, a.transposed, row0), a.ld, a.transposed};
    const Bf16Operand b_block{columns_from(b.data, b.ld, b.transposed, col0), b.ld, b.transposed};
    bf16_matmul_block(rows, cols, k, a_block, b_block, accumulate, c + row0 * ldc + col0, ldc);
  });
}

}  // namespace dikkat
