#include "tensor/bf16_matmul.h"

#include <map>
#include <mutex>
#include <oneapi/dnnl/dnnl.hpp>
#include <tuple>

namespace dikkat {

namespace {

using dnnl::memory;

struct Backend {
  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream{engine};
  // Creating a matmul primitive generates its kernel (about a millisecond); a training step
  // uses a handful of shapes over and over, so each is built once.
  std::map<std::tuple<int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, bool, bool, bool>,
           dnnl::matmul>
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

void bf16_matmul(int64_t m, int64_t n, int64_t k, Bf16Operand a, Bf16Operand b, bool accumulate,
                 float* c, int64_t ldc) {
  Backend& be = backend();
  const auto a_desc = operand_desc(m, k, a.ld, a.transposed, memory::data_type::bf16);
  const auto b_desc = operand_desc(k, n, b.ld, b.transposed, memory::data_type::bf16);
  const auto c_desc = operand_desc(m, n, ldc, false, memory::data_type::f32);
  std::lock_guard lock(be.mutex);
  const auto key =
      std::make_tuple(m, n, k, a.ld, b.ld, ldc, a.transposed, b.transposed, accumulate);
  auto it = be.primitives.find(key);
  if (it == be.primitives.end()) {
    dnnl::primitive_attr attr;
    if (accumulate) {
      dnnl::post_ops sum;
      sum.append_sum(1.0f);
      attr.set_post_ops(sum);
    }
    const dnnl::matmul::primitive_desc pd(dnnl::matmul::desc(a_desc, b_desc, c_desc), attr,
                                          be.engine);
    it = be.primitives.emplace(key, dnnl::matmul(pd)).first;
  }
  // oneDNN reads through non-const handles but never writes its inputs.
  memory a_mem(a_desc, be.engine, const_cast<bf16_t*>(a.data));
  memory b_mem(b_desc, be.engine, const_cast<bf16_t*>(b.data));
  memory c_mem(c_desc, be.engine, c);
  it->second.execute(be.stream,
                     {{DNNL_ARG_SRC, a_mem}, {DNNL_ARG_WEIGHTS, b_mem}, {DNNL_ARG_DST, c_mem}});
  be.stream.wait();
}

}  // namespace dikkat
